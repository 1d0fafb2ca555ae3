import {
  mockCredentials,
  mockServices,
  startTestBackend,
} from '@backstage/backend-test-utils';
import {
  DefaultNamespaceEntityPolicy,
  Entity,
  EntityPolicies,
  FieldFormatEntityPolicy,
  NoForeignRootFieldsEntityPolicy,
  resourceEntityV1alpha1Validator,
  SchemaValidEntityPolicy,
  stringifyEntityRef,
} from '@backstage/catalog-model';
import { ConfigReader } from '@backstage/config';
import { EntityProviderConnection } from '@backstage/plugin-catalog-node';
import awsClustersPlugin from '@clusterdeck/plugin-aws-clusters-backend';
import awsClustersModuleSnapshot from '@clusterdeck/plugin-aws-clusters-backend-module-snapshot';
import type { ClusterSummary } from '@clusterdeck/plugin-aws-clusters-common';
import { writeSnapshotDirectory } from '@clusterdeck/plugin-aws-clusters-node';
import { generateFleet } from '@clusterdeck/demo-fleet';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parse } from 'yaml';
import { AwsClustersEntityProvider } from './AwsClustersEntityProvider';
import { readCatalogModuleConfig } from './config';
import type { FleetReader } from './AwsClustersEntityProvider';

jest.setTimeout(120_000);

const REPO = path.resolve(__dirname, '../../..');
const demoConfig = parse(
  fs.readFileSync(path.join(REPO, 'app-config.yaml'), 'utf8'),
).clusterdeck;

const policy = EntityPolicies.allOf([
  new DefaultNamespaceEntityPolicy(),
  new FieldFormatEntityPolicy(),
  new NoForeignRootFieldsEntityPolicy(),
  new SchemaValidEntityPolicy(),
]);

async function expectValid(entities: Entity[]) {
  for (const entity of entities) {
    await expect(policy.enforce(entity)).resolves.toBeDefined();
    await expect(resourceEntityV1alpha1Validator.check(entity)).resolves.toBe(
      true,
    );
  }
}

function recordingConnection() {
  const mutations: any[] = [];
  const connection: EntityProviderConnection = {
    applyMutation: async mutation => {
      mutations.push(mutation);
    },
    refresh: async () => {},
  };
  return {
    connection,
    mutations,
    last: (): Entity[] =>
      mutations[mutations.length - 1].entities.map(
        (e: any) => e.entity as Entity,
      ),
  };
}

/** The fleet backend plugin serving a snapshot directory, read with service credentials. */
async function fleetBackend(
  clusterdeck: object,
): Promise<FleetReader & { stop(): Promise<void> }> {
  const scheduler = mockServices.scheduler.mock();
  const backend = await startTestBackend({
    features: [
      scheduler.factory,
      awsClustersPlugin,
      awsClustersModuleSnapshot,
      mockServices.rootConfig.factory({ data: { clusterdeck } }),
    ],
  });
  const refresh = scheduler.scheduleTask.mock.calls.find(
    ([task]) => task.id === 'aws-clusters:refresh',
  )![0];
  await refresh.fn(new AbortController().signal);
  const port = (backend.server.address() as { port: number }).port;
  const get = async (route: string) => {
    // As the catalog calls it: a plugin token of the catalog, which the fleet backend grants reading.
    const catalog = mockCredentials.service.header({
      onBehalfOf: mockCredentials.service('plugin:catalog'),
      targetPluginId: 'aws-clusters',
    });
    const res = await fetch(
      `http://localhost:${port}/api/aws-clusters${route}`,
      { headers: { Authorization: catalog } },
    );
    if (!res.ok) throw new Error(`${route}: ${res.status}`);
    return res.json();
  };
  return {
    listClusters: async () => (await get('/clusters')).items,
    listAccounts: async () => (await get('/accounts')).items,
    stop: () => backend.stop(),
  };
}

function provider(fleet: FleetReader, clusterdeck: any, catalog: object = {}) {
  return new AwsClustersEntityProvider({
    fleet,
    clusterdeck: {
      managementClusters: clusterdeck.managementClusters ?? [],
      adminGroups: clusterdeck.adminGroups ?? [],
    },
    config: readCatalogModuleConfig(
      new ConfigReader({ clusterdeck: { catalog } }),
    ),
    logger: mockServices.logger.mock(),
  });
}

const byName = (entities: Entity[]) =>
  new Map(entities.map(e => [e.metadata.name, e]));

describe('AwsClustersEntityProvider on the demo fleet', () => {
  let fleet: Awaited<ReturnType<typeof fleetBackend>>;
  const clusterdeck = {
    ...demoConfig,
    snapshot: { directory: path.join(REPO, 'examples/demo-fleet') },
  };
  beforeAll(async () => {
    fleet = await fleetBackend(clusterdeck);
  });
  afterAll(() => fleet.stop());

  it('puts accounts, management clusters and workload clusters in the catalog with owners and relations', async () => {
    const { connection, mutations, last } = recordingConnection();
    const p = provider(fleet, clusterdeck, {
      environmentSystems: { production: 'system:default/production' },
    });
    await p.connect(connection);
    await p.run();
    expect(mutations).toHaveLength(1);
    expect(mutations[0].type).toBe('full');
    const entities = last();
    await expectValid(entities);
    const types = entities.map(e => e.spec!.type);
    expect(types.filter(t => t === 'aws-account')).toHaveLength(3);
    const clusters = entities.filter(
      e => e.spec!.type === 'kubernetes-cluster',
    );
    const management = clusters.filter(
      e => e.metadata.labels?.['clusterdeck.io/role'] === 'management',
    );
    expect(management.map(e => e.metadata.name).sort()).toEqual([
      'mc-eu-dev',
      'mc-eu-prod',
    ]);
    const workload = clusters.filter(e => !management.includes(e));
    const summaries = await fleet.listClusters('service');
    expect(workload).toHaveLength(summaries.length);
    expect(workload.length).toBeGreaterThanOrEqual(8);

    const names = byName(entities);
    const payProd = names.get('mc-eu-prod-pay-prod')!;
    expect(payProd.spec).toEqual(
      expect.objectContaining({
        owner: 'group:default/payments',
        system: 'system:default/production',
        dependsOn: [
          'resource:default/aws-account-production',
          'resource:default/mc-eu-prod',
        ],
      }),
    );
    expect(payProd.metadata.annotations).toEqual(
      expect.objectContaining({
        'clusterdeck.io/management-cluster': 'mc-eu-prod',
        'clusterdeck.io/namespace': 'org-payments',
        'clusterdeck.io/cluster-name': 'pay-prod',
        'kubernetes.io/api-server': expect.stringMatching(/^https:\/\//),
        'kubernetes.io/auth-provider': 'oidc',
        'backstage.io/managed-by-location': 'clusterdeck:aws-clusters',
        'backstage.io/managed-by-origin-location': 'clusterdeck:aws-clusters',
      }),
    );
    expect(payProd.metadata.labels).toEqual(
      expect.objectContaining({
        'clusterdeck.io/flavor': 'ec2',
        'clusterdeck.io/region': 'eu-west-1',
        'clusterdeck.io/environment': 'production',
      }),
    );
    const eks = workload.filter(
      e =>
        e.metadata.labels?.['clusterdeck.io/flavor'] === 'eks' &&
        e.metadata.annotations?.['kubernetes.io/api-server'],
    );
    expect(eks.length).toBeGreaterThan(0);
    for (const e of eks) {
      expect(e.metadata.annotations).toEqual(
        expect.objectContaining({
          'kubernetes.io/auth-provider': 'aws',
          'kubernetes.io/x-k8s-aws-id': expect.any(String),
        }),
      );
    }
    // A cluster still being created has no API server yet, so the Kubernetes plugin skips it.
    const creating = workload.filter(
      e => e.metadata.labels?.['clusterdeck.io/status'] === 'creating',
    );
    expect(creating.length).toBeGreaterThan(0);

    // Every relation points at an entity the provider emitted.
    const refs = new Set(entities.map(e => stringifyEntityRef(e)));
    for (const e of entities)
      for (const target of (e.spec!.dependsOn as string[] | undefined) ?? [])
        expect(refs).toContain(target);
    // Accounts are part of their environment's system and owned as configured.
    expect(names.get('aws-account-production')!.spec).toEqual(
      expect.objectContaining({
        type: 'aws-account',
        owner: 'group:default/platform',
        system: 'system:default/production',
      }),
    );
    expect(
      names.get('aws-account-production')!.metadata.annotations![
        'amazonaws.com/account-id'
      ],
    ).toBe('123456789012');
  });

  it("puts a cluster whose environment label differs from its account's in the labelled environment", async () => {
    // search-sandbox runs in the production account and is labelled development.
    const catalog = {
      environmentSystems: {
        production: 'system:default/production-environment',
        development: 'system:default/development-environment',
      },
    };
    const entitiesWith = async (filters?: object) => {
      const { connection, last } = recordingConnection();
      const p = provider(fleet, clusterdeck, { ...catalog, filters });
      await p.connect(connection);
      await p.run();
      return byName(last());
    };
    const all = await entitiesWith();
    const sandbox = all.get('mc-eu-prod-search-sandbox')!;
    expect(sandbox.metadata.labels).toMatchObject({
      'clusterdeck.io/environment': 'development',
    });
    expect(sandbox.spec).toMatchObject({
      lifecycle: 'experimental',
      system: 'system:default/development-environment',
    });
    // It stays in its account, whose environment is production.
    expect(sandbox.spec!.dependsOn).toContain(
      'resource:default/aws-account-production',
    );
    expect(all.get('mc-eu-prod-pay-prod')!.spec).toMatchObject({
      lifecycle: 'production',
      system: 'system:default/production-environment',
    });
    const development = await entitiesWith({
      environments: ['development'],
    });
    expect(development.has('mc-eu-prod-search-sandbox')).toBe(true);
    expect(development.has('mc-eu-prod-pay-prod')).toBe(false);
    const production = await entitiesWith({ environments: ['production'] });
    expect(production.has('mc-eu-prod-search-sandbox')).toBe(false);
    expect(production.has('mc-eu-prod-pay-prod')).toBe(true);
  });

  it('keeps names stable from one run to the next', async () => {
    const { connection, mutations } = recordingConnection();
    const p = provider(fleet, clusterdeck);
    await p.connect(connection);
    await p.run();
    await p.run();
    const names = mutations.map(m =>
      m.entities.map((e: any) => e.entity.metadata.name).sort(),
    );
    expect(names[1]).toEqual(names[0]);
    expect(new Set(names[0]).size).toBe(names[0].length);
  });
});

describe('AwsClustersEntityProvider on a generated fleet of 1,000 clusters', () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'clusterdeck-catalog-'));
  afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

  it('emits one valid entity per account, management cluster and cluster, under unique names', async () => {
    const snapshot = generateFleet({
      accounts: 20,
      clusters: 1000,
      regions: 2,
      seed: 'catalog',
    });
    writeSnapshotDirectory(dir, snapshot);
    const accountIds = [...new Set(snapshot.aws.map(r => r.accountId))];
    const clusterdeck = {
      adminGroups: ['group:default/platform'],
      accounts: accountIds.map((id, i) => ({
        id,
        name: `account-${i}`,
        environment: i % 2 ? 'development' : 'production',
        owners: ['group:default/platform'],
        accessModel: 'platform-only',
        regions: [
          ...new Set(
            snapshot.aws.filter(r => r.accountId === id).map(r => r.region),
          ),
        ],
      })),
      managementClusters: snapshot.managementClusters.map(mc => ({
        name: mc.name,
        region: 'eu-west-1',
        accountId: accountIds[0],
      })),
      snapshot: { directory: dir },
    };
    const fleet = await fleetBackend(clusterdeck);
    try {
      const { connection, last } = recordingConnection();
      const p = provider(fleet, clusterdeck);
      await p.connect(connection);
      await p.run();
      const entities = last();
      expect(entities).toHaveLength(
        accountIds.length + snapshot.managementClusters.length + 1000,
      );
      expect(new Set(entities.map(e => e.metadata.name)).size).toBe(
        entities.length,
      );
      await expectValid(entities);
      const refs = new Set(entities.map(e => stringifyEntityRef(e)));
      const workload = entities.filter(
        e => e.metadata.annotations?.['clusterdeck.io/cluster-name'],
      );
      expect(
        workload.every(
          e =>
            (e.spec!.dependsOn as string[]).length === 2 &&
            (e.spec!.dependsOn as string[]).every(t => refs.has(t)),
        ),
      ).toBe(true);
    } finally {
      await fleet.stop();
    }
  });
});

describe('AwsClustersEntityProvider between runs', () => {
  const summary = (over: Partial<ClusterSummary>): ClusterSummary => ({
    ref: `${over.managementCluster ?? 'mc-a'}/${over.namespace ?? 'org-web'}/${
      over.name
    }`,
    name: 'web-1',
    namespace: 'org-web',
    managementCluster: 'mc-a',
    owner: 'group:default/web',
    ownerSource: 'annotation',
    accountId: '444455556666',
    environment: 'development',
    region: 'eu-west-1',
    flavor: 'ec2',
    status: 'ready',
    apiMode: 'public',
    nodes: { desired: 3, ready: 3, min: 1, max: 5 },
    nodePools: 1,
    ...over,
  });
  const accounts = [
    {
      id: '444455556666',
      name: 'development',
      environment: 'development' as const,
      accessModel: 'developer-debug' as const,
      owners: ['group:default/web'],
      regions: ['eu-west-1'],
      clusterCount: 0,
      usage: [],
    },
  ];
  const clusterdeck = {
    adminGroups: ['group:default/platform'],
    managementClusters: [
      { name: 'mc-a', region: 'eu-west-1', accountId: '111122223333' },
      { name: 'mc-b', region: 'eu-central-1', accountId: '111122223333' },
    ],
  };
  const reader = (clusters: () => ClusterSummary[]): FleetReader => ({
    listClusters: async () => clusters(),
    listAccounts: async () => accounts,
  });

  it('adds a cluster that appeared and removes one that was deleted', async () => {
    let clusters = [summary({ name: 'web-1' })];
    const { connection, last } = recordingConnection();
    const p = provider(
      reader(() => clusters),
      clusterdeck,
    );
    await p.connect(connection);
    await p.run();
    expect(last().map(e => e.metadata.name)).toContain('mc-a-web-1');
    clusters = [summary({ name: 'web-1' }), summary({ name: 'web-2' })];
    await p.run();
    expect(last().map(e => e.metadata.name)).toEqual(
      expect.arrayContaining(['mc-a-web-1', 'mc-a-web-2']),
    );
    clusters = [summary({ name: 'web-2' })];
    await p.run();
    expect(last().map(e => e.metadata.name)).not.toContain('mc-a-web-1');
    expect(last().map(e => e.metadata.name)).toContain('mc-a-web-2');
  });

  it('keeps clusters of the same name apart across management clusters and organizations', async () => {
    const clusters = [
      summary({ name: 'shared' }),
      summary({ name: 'shared', managementCluster: 'mc-b' }),
      summary({ name: 'twin', namespace: 'org-web' }),
      summary({
        name: 'twin',
        namespace: 'org-search',
        owner: 'group:default/search',
      }),
    ];
    const { connection, last } = recordingConnection();
    const p = provider(
      reader(() => clusters),
      clusterdeck,
    );
    await p.connect(connection);
    await p.run();
    const names = last().map(e => e.metadata.name);
    expect(names).toEqual(
      expect.arrayContaining([
        'mc-a-shared',
        'mc-b-shared',
        'mc-a-org-web-twin',
        'mc-a-org-search-twin',
      ]),
    );
    expect(new Set(names).size).toBe(names.length);
    await expectValid(last());
  });

  it('shows requested clusters with their status unless filtered out, and shortens long names uniquely', async () => {
    const long = 'a'.repeat(20);
    const clusters = [
      summary({ name: 'web-new', status: 'requested' }),
      summary({ name: long, managementCluster: `mc-${'x'.repeat(50)}-1` }),
      summary({ name: long, managementCluster: `mc-${'x'.repeat(50)}-2` }),
    ];
    const { connection, last } = recordingConnection();
    const p = provider(
      reader(() => clusters),
      clusterdeck,
    );
    await p.connect(connection);
    await p.run();
    const requested = last().find(e => e.metadata.name === 'mc-a-web-new')!;
    expect(requested.metadata.labels!['clusterdeck.io/status']).toBe(
      'requested',
    );
    expect(
      requested.metadata.annotations!['kubernetes.io/api-server'],
    ).toBeUndefined();
    const longNames = last()
      .filter(e => e.metadata.title === long)
      .map(e => e.metadata.name);
    expect(longNames).toHaveLength(2);
    expect(new Set(longNames).size).toBe(2);
    expect(longNames.every(n => n.length <= 63)).toBe(true);
    await expectValid(last());

    const filtered = recordingConnection();
    const q = provider(
      reader(() => clusters),
      clusterdeck,
      { filters: { includeRequested: false, environments: ['development'] } },
    );
    await q.connect(filtered.connection);
    await q.run();
    expect(filtered.last().map(e => e.metadata.name)).not.toContain(
      'mc-a-web-new',
    );
  });

  it('refuses a bad configuration naming the key', () => {
    expect(() =>
      readCatalogModuleConfig(
        new ConfigReader({
          clusterdeck: {
            catalog: { environmentSystems: { production: 'group:default/x' } },
          },
        }),
      ),
    ).toThrow(
      /clusterdeck\.catalog\.environmentSystems\.production: must be an entity reference of kind system or domain/,
    );
    expect(() =>
      readCatalogModuleConfig(
        new ConfigReader({
          clusterdeck: { catalog: { filters: { environments: ['prod'] } } },
        }),
      ),
    ).toThrow(/clusterdeck\.catalog\.filters\.environments\[0\]/);
    expect(() =>
      readCatalogModuleConfig(
        new ConfigReader({
          clusterdeck: { catalog: { schedule: { frequency: 'often' } } },
        }),
      ),
    ).toThrow(/clusterdeck\.catalog\.schedule/);
  });
});
