import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { ConfigReader } from '@backstage/config';
import { InputError } from '@backstage/errors';
import type { ConfiguredManagementCluster } from '@clusterdeck/plugin-aws-clusters-node';
import {
  findReferenceDir,
  MANAGEMENT_CLUSTER_KINDS,
  ManagementClusterKind,
  ManagementClusterSnapshot,
  referenceSkipReason,
} from '@clusterdeck/plugin-aws-clusters-node';
import { EKS_TOKEN_PREFIX } from './eksToken';
import {
  EksCredentialsSource,
  KubernetesCollector,
  KubernetesCollectorOptions,
} from './KubernetesCollector';
import {
  FakeKubeApiServer,
  FakeRequest,
  status,
} from './__testUtils__/FakeKubeApiServer';
import {
  fixtureObjectsByResource,
  groupsFromReferenceCrds,
  managementClusterGroups,
} from './__testUtils__/managementClusterFixtures';
import {
  createTestCertificates,
  TestCertificates,
} from './__testUtils__/testCertificates';

const TOKEN = 'sa-token-for-tests';
const KIND_KEYS = Object.keys(
  MANAGEMENT_CLUSTER_KINDS,
) as ManagementClusterKind[];
const referenceDir = findReferenceDir();

let tls: TestCertificates;
let server: FakeKubeApiServer;

beforeAll(async () => {
  tls = createTestCertificates();
  server = await FakeKubeApiServer.start(tls);
});

afterAll(async () => {
  await server.close();
});

beforeEach(() => {
  server.reset();
  server.groups = managementClusterGroups();
  server.objects = fixtureObjectsByResource({ clusters: 3, organizations: 4 });
  server.token = TOKEN;
});

function managementCluster(
  name: string,
  kubernetes: Partial<
    NonNullable<ConfiguredManagementCluster['kubernetes']>
  > = {},
): ConfiguredManagementCluster {
  return {
    name,
    region: 'eu-west-1',
    accountId: '123456789012',
    kubernetes: {
      url: server.url,
      caData: Buffer.from(tls.ca).toString('base64'),
      serviceAccountToken: TOKEN,
      authProvider: 'serviceAccount',
      skipTLSVerify: false,
      ...kubernetes,
    },
  };
}

function collector(
  clusters: ConfiguredManagementCluster[],
  options: Partial<KubernetesCollectorOptions> = {},
) {
  return new KubernetesCollector({
    managementClusters: clusters,
    limits: {
      callTimeoutMs: 2000,
      concurrencyPerManagementCluster: 4,
      ...options.limits,
    },
    ...options,
  });
}

async function collectOne(
  c: KubernetesCollector,
): Promise<ManagementClusterSnapshot> {
  const result = await c.collect();
  expect(result.managementClusters).toHaveLength(1);
  return result.managementClusters![0];
}

const listRequests = (plural: string) =>
  server.requests.filter(
    (r: FakeRequest) =>
      r.path.split('/').length === 5 && r.path.endsWith(`/${plural}`),
  );

describe('KubernetesCollector', () => {
  it('reads all ten kinds at the version the server prefers, with the bearer token', async () => {
    const c = collector([managementCluster('mc-eu')]);
    const mc = await collectOne(c);

    expect(mc.errors).toEqual([]);
    expect(mc.name).toBe('mc-eu');
    expect(mc.objects.clusters.map(o => o.metadata.name)).toEqual([
      'clusters-0',
      'clusters-1',
      'clusters-2',
    ]);
    expect(mc.objects.organizations).toHaveLength(4);
    for (const key of KIND_KEYS) {
      const { group, kind } = MANAGEMENT_CLUSTER_KINDS[key];
      expect(mc.objects[key].length).toBeGreaterThan(0);
      for (const object of mc.objects[key]) {
        expect(object.kind).toBe(kind);
        expect(object.apiVersion.startsWith(`${group}/`)).toBe(true);
        expect(object.metadata).not.toHaveProperty('managedFields');
      }
    }
    expect(mc.objects.clusters[0].apiVersion).toBe('cluster.x-k8s.io/v1beta2');
    expect(mc.objects.machinePools[0].apiVersion).toBe(
      'cluster.x-k8s.io/v1beta2',
    );
    // Karpenter's pools live in an older version of the CAPA group.
    expect(mc.objects.karpenterMachinePools[0].apiVersion).toBe(
      'infrastructure.cluster.x-k8s.io/v1alpha1',
    );
    expect(mc.objects.awsClusters[0].metadata).toMatchObject({
      name: 'awsclusters-0',
      namespace: 'org-team-0',
    });

    // v1beta1 is served too, but never asked for.
    const paths = server.requests.map(r => r.path);
    expect(paths).toContain('/apis/cluster.x-k8s.io/v1beta2/clusters');
    expect(
      paths.filter(p => p.startsWith('/apis/cluster.x-k8s.io/v1beta1')),
    ).toEqual([]);
    expect(paths.filter(p => p === '/apis')).toHaveLength(1);
    expect(
      server.requests.every(r => r.authorization === `Bearer ${TOKEN}`),
    ).toBe(true);
    expect(listRequests('clusters')[0].query.get('limit')).toBe('500');

    expect(c.lastStats!.managementClusters[0].versions).toEqual({
      clusters: 'cluster.x-k8s.io/v1beta2',
      awsClusters: 'infrastructure.cluster.x-k8s.io/v1beta2',
      awsManagedControlPlanes: 'controlplane.cluster.x-k8s.io/v1beta2',
      machinePools: 'cluster.x-k8s.io/v1beta2',
      awsMachinePools: 'infrastructure.cluster.x-k8s.io/v1beta2',
      awsManagedMachinePools: 'infrastructure.cluster.x-k8s.io/v1beta2',
      karpenterMachinePools: 'infrastructure.cluster.x-k8s.io/v1alpha1',
      awsClusterRoleIdentities: 'infrastructure.cluster.x-k8s.io/v1beta2',
      organizations: 'security.giantswarm.io/v1alpha1',
      releases: 'release.giantswarm.io/v1alpha1',
    });
  });

  it('follows the preferred version when the server prefers the older one', async () => {
    server.groups = managementClusterGroups().map(g =>
      g.name === 'cluster.x-k8s.io' ? { ...g, preferredVersion: 'v1beta1' } : g,
    );
    const mc = await collectOne(collector([managementCluster('mc-eu')]));
    expect(mc.errors).toEqual([]);
    expect(mc.objects.clusters[0].apiVersion).toBe('cluster.x-k8s.io/v1beta1');
    expect(server.requests.map(r => r.path)).not.toContain(
      '/apis/cluster.x-k8s.io/v1beta2/clusters',
    );
  });

  (referenceDir ? describe : describe.skip)(
    `with the reference CRDs${
      referenceDir ? '' : ` (skipped: ${referenceSkipReason})`
    }`,
    () => {
      it(`reads each kind at the version the reference CRDs make the server prefer`, async () => {
        server.groups = groupsFromReferenceCrds(referenceDir!);
        const c = collector([managementCluster('mc-eu')]);
        const mc = await collectOne(c);
        expect(mc.errors).toEqual([]);
        // The reference CRDs are CAPI's, CAPA's and Giant Swarm's organizations: no Release CRD.
        expect(c.lastStats!.managementClusters[0].notServed).toEqual([
          'releases',
        ]);
        expect(c.lastStats!.managementClusters[0].versions).toMatchObject({
          clusters: 'cluster.x-k8s.io/v1beta2',
          awsClusters: 'infrastructure.cluster.x-k8s.io/v1beta2',
          karpenterMachinePools: 'infrastructure.cluster.x-k8s.io/v1alpha1',
          organizations: 'security.giantswarm.io/v1alpha1',
        });
        for (const key of KIND_KEYS.filter(k => k !== 'releases'))
          expect(mc.objects[key].length).toBeGreaterThan(0);
      });
    },
  );

  it('reaches an API server behind a path prefix', async () => {
    server.pathPrefix = '/proxy/mc-eu';
    const mc = await collectOne(
      collector([
        managementCluster('mc-eu', { url: `${server.url}/proxy/mc-eu/` }),
      ]),
    );
    expect(mc.errors).toEqual([]);
    expect(mc.objects.clusters).toHaveLength(3);
    expect(server.requests.map(r => r.path)).not.toContain(
      '/outside-of-prefix',
    );
  });

  it('reads kinds of a group the server does not serve as empty, without an error', async () => {
    server.groups = managementClusterGroups().filter(
      g => g.name !== 'security.giantswarm.io',
    );
    // Karpenter's CRD is not installed: its version is missing from the CAPA group.
    server.groups = server.groups.map(g =>
      g.name === 'infrastructure.cluster.x-k8s.io'
        ? { ...g, versions: { v1beta2: g.versions.v1beta2 } }
        : g,
    );
    const c = collector([managementCluster('mc-eu')]);
    const mc = await collectOne(c);
    expect(mc.errors).toEqual([]);
    expect(mc.objects.organizations).toEqual([]);
    expect(mc.objects.karpenterMachinePools).toEqual([]);
    expect(mc.objects.clusters).toHaveLength(3);
    expect(c.lastStats!.managementClusters[0].notServed.sort()).toEqual([
      'karpenterMachinePools',
      'organizations',
    ]);
    expect(
      server.requests.some(r =>
        r.path.startsWith('/apis/security.giantswarm.io'),
      ),
    ).toBe(false);
  });

  it('reads a list across several pages with limit and continue', async () => {
    server.objects = fixtureObjectsByResource({ clusters: 7 });
    const mc = await collectOne(
      collector([managementCluster('mc-eu')], { pageSize: 3 }),
    );
    expect(mc.errors).toEqual([]);
    expect(mc.objects.clusters.map(o => o.metadata.name)).toEqual(
      [0, 1, 2, 3, 4, 5, 6].map(i => `clusters-${i}`),
    );
    const pages = listRequests('clusters');
    expect(pages.map(r => r.query.get('limit'))).toEqual(['3', '3', '3']);
    expect(pages[0].query.has('continue')).toBe(false);
    expect(
      pages
        .slice(1)
        .map(r => Buffer.from(r.query.get('continue')!, 'base64').toString()),
    ).toEqual(['3', '6']);
  });

  it('stops a list whose server repeats its continue token, keeping the other kinds', async () => {
    server.objects = fixtureObjectsByResource({ clusters: 10 });
    server.override = r =>
      r.path === '/apis/cluster.x-k8s.io/v1beta2/clusters'
        ? {
            status: 200,
            body: JSON.stringify({
              kind: 'ClusterList',
              metadata: { continue: 'same' },
              items: [{ metadata: { name: 'x' } }],
            }),
          }
        : undefined;
    const started = Date.now();
    const mc = await collectOne(
      collector([managementCluster('mc-eu')], { pageSize: 2 }),
    );
    expect(Date.now() - started).toBeLessThan(5000);
    expect(mc.errors).toEqual([
      expect.objectContaining({
        source: 'kubernetes:mc-eu',
        operation: 'list clusters.cluster.x-k8s.io',
        code: 'RepeatedContinueToken',
      }),
    ]);
    expect(listRequests('clusters')).toHaveLength(2);
    expect(mc.objects.clusters).toEqual([]);
    expect(mc.objects.machinePools).toHaveLength(2);
  });

  it('starts a list over once when its continue token has expired', async () => {
    server.objects = fixtureObjectsByResource({ clusters: 5 });
    let expired = false;
    server.override = r => {
      if (r.path.endsWith('/clusters') && r.query.has('continue') && !expired) {
        expired = true;
        return {
          status: 410,
          body: JSON.stringify(
            status(
              410,
              'Expired',
              'The provided continue parameter is too old',
            ),
          ),
        };
      }
      return undefined;
    };
    const mc = await collectOne(
      collector([managementCluster('mc-eu')], { pageSize: 2 }),
    );
    expect(mc.errors).toEqual([]);
    expect(mc.objects.clusters.map(o => o.metadata.name)).toEqual(
      [0, 1, 2, 3, 4].map(i => `clusters-${i}`),
    );
    expect(listRequests('clusters').map(r => r.query.has('continue'))).toEqual([
      false,
      true,
      false,
      true,
      true,
    ]);
  });

  describe('TLS and authentication', () => {
    it('fails with a SourceError, not a crash, when the server certificate is not signed by the CA', async () => {
      const c = collector([
        managementCluster('mc-eu', {
          caData: Buffer.from(tls.otherCa).toString('base64'),
        }),
      ]);
      const mc = await collectOne(c);
      expect(mc.errors).toEqual([
        expect.objectContaining({
          source: 'kubernetes:mc-eu',
          operation: 'discover API groups',
          code: expect.stringMatching(/CERT|SIGNATURE/),
        }),
      ]);
      expect(KIND_KEYS.every(key => mc.objects[key].length === 0)).toBe(true);
      expect(server.requests).toEqual([]);
    });

    it('does not trust a self-made certificate without its CA', async () => {
      const mc = await collectOne(
        collector([managementCluster('mc-eu', { caData: undefined })]),
      );
      expect(mc.errors).toEqual([
        expect.objectContaining({
          operation: 'discover API groups',
          code: expect.stringMatching(/CERT|SIGNATURE/),
        }),
      ]);
    });

    it('reads the CA from caFile', async () => {
      const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'clusterdeck-ca-'));
      try {
        fs.writeFileSync(path.join(dir, 'ca.crt'), tls.ca);
        const good = await collectOne(
          collector([
            managementCluster('mc-eu', {
              caData: undefined,
              caFile: path.join(dir, 'ca.crt'),
            }),
          ]),
        );
        expect(good.errors).toEqual([]);
        expect(good.objects.clusters).toHaveLength(3);
        const missing = await collectOne(
          collector([
            managementCluster('mc-eu', {
              caData: undefined,
              caFile: path.join(dir, 'absent.crt'),
            }),
          ]),
        );
        expect(missing.errors).toEqual([
          expect.objectContaining({
            operation: `read caFile ${path.join(dir, 'absent.crt')}`,
            code: 'ENOENT',
          }),
        ]);
      } finally {
        fs.rmSync(dir, { recursive: true, force: true });
      }
    });

    it('skips the certificate check only when skipTLSVerify is set', async () => {
      const mc = await collectOne(
        collector([
          managementCluster('mc-eu', {
            caData: undefined,
            skipTLSVerify: true,
          }),
        ]),
      );
      expect(mc.errors).toEqual([]);
      expect(mc.objects.clusters).toHaveLength(3);
    });

    it('reports a rejected token as Unauthorized', async () => {
      const mc = await collectOne(
        collector([
          managementCluster('mc-eu', { serviceAccountToken: 'wrong' }),
        ]),
      );
      expect(mc.errors).toEqual([
        expect.objectContaining({
          operation: 'discover API groups',
          code: 'Unauthorized',
        }),
      ]);
      expect(server.requests.map(r => r.authorization)).toEqual([
        'Bearer wrong',
      ]);
    });

    it('signs in to an EKS management cluster with a token made from the account credentials', async () => {
      const getCredentialProvider = jest.fn<
        ReturnType<EksCredentialsSource['getCredentialProvider']>,
        [{ accountId: string }]
      >(async () => ({
        sdkCredentialProvider: async () => ({
          accessKeyId: 'AKIAIOSFODNN7EXAMPLE',
          secretAccessKey: 'wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY',
        }),
        stsRegion: 'eu-central-1',
      }));
      server.token = authorization =>
        Boolean(authorization?.startsWith(`Bearer ${EKS_TOKEN_PREFIX}`));
      const c = collector(
        [
          managementCluster('mc-eks', {
            authProvider: 'aws',
            eksClusterName: 'mc-eks-cluster',
            serviceAccountToken: undefined,
          }),
        ],
        { credentials: { getCredentialProvider } },
      );
      const mc = await collectOne(c);
      expect(mc.errors).toEqual([]);
      expect(mc.objects.clusters).toHaveLength(3);
      expect(getCredentialProvider).toHaveBeenCalledWith({
        accountId: '123456789012',
      });
      const tokens = new Set(server.requests.map(r => r.authorization));
      expect(tokens.size).toBe(1);
      const token = [...tokens][0]!.slice('Bearer '.length);
      const url = new URL(
        Buffer.from(token.slice(EKS_TOKEN_PREFIX.length), 'base64url').toString(
          'utf8',
        ),
      );
      expect(url.host).toBe('sts.eu-central-1.amazonaws.com');
      expect(url.searchParams.get('Action')).toBe('GetCallerIdentity');
      expect(url.searchParams.get('X-Amz-Credential')).toMatch(
        /^AKIAIOSFODNN7EXAMPLE\/\d{8}\/eu-central-1\/sts\/aws4_request$/,
      );
      expect(url.searchParams.get('X-Amz-SignedHeaders')).toBe(
        'host;x-k8s-aws-id',
      );
    });

    it('reports missing AWS credentials for an EKS management cluster without calling it', async () => {
      const c = collector(
        [
          managementCluster('mc-eks', {
            authProvider: 'aws',
            eksClusterName: 'mc-eks-cluster',
            serviceAccountToken: undefined,
          }),
        ],
        {
          credentials: {
            getCredentialProvider: async () => {
              throw Object.assign(
                new Error('No role to assume for account 123456789012'),
                { name: 'CredentialsProviderError' },
              );
            },
          },
        },
      );
      const mc = await collectOne(c);
      expect(mc.errors).toEqual([
        expect.objectContaining({
          operation: 'get EKS token for mc-eks-cluster in account 123456789012',
          code: 'CredentialsProviderError',
          message: 'No role to assume for account 123456789012',
        }),
      ]);
      expect(server.requests).toEqual([]);
    });
  });

  describe('failures of single calls', () => {
    it('keeps a 403 on one kind beside the kinds that loaded', async () => {
      server.override = r =>
        r.path.endsWith('/awsclusterroleidentities')
          ? {
              status: 403,
              body: JSON.stringify(
                status(
                  403,
                  'Forbidden',
                  'awsclusterroleidentities.infrastructure.cluster.x-k8s.io is forbidden: User "system:serviceaccount:clusterdeck:reader" cannot list resource',
                ),
              ),
            }
          : undefined;
      const c = collector([managementCluster('mc-eu')]);
      const mc = await collectOne(c);
      expect(mc.errors).toEqual([
        {
          source: 'kubernetes:mc-eu',
          operation:
            'list awsclusterroleidentities.infrastructure.cluster.x-k8s.io',
          code: 'Forbidden',
          message: expect.stringContaining(
            'HTTP 403: awsclusterroleidentities.infrastructure.cluster.x-k8s.io is forbidden',
          ),
          at: expect.stringMatching(/^\d{4}-\d\d-\d\dT/),
        },
      ]);
      expect(mc.objects.awsClusterRoleIdentities).toEqual([]);
      for (const key of KIND_KEYS.filter(k => k !== 'awsClusterRoleIdentities'))
        expect(mc.objects[key].length).toBeGreaterThan(0);
      expect(c.lastStats!.errors).toBe(1);
    });

    it("reads Giant Swarm's releases where the management cluster serves them, and none where the list answers 404", async () => {
      server.objects['release.giantswarm.io/releases'] = [
        {
          metadata: { name: 'aws-31.1.0' },
          spec: {
            apps: [{ name: 'cilium', version: '1.2.1' }],
            components: [{ name: 'cluster-aws', version: '3.6.1' }],
            date: '2025-05-20T12:00:00Z',
            state: 'active',
          },
        },
      ];
      const served = await collectOne(collector([managementCluster('mc-eu')]));
      expect(served.errors).toEqual([]);
      expect(served.objects.releases).toEqual([
        {
          apiVersion: 'release.giantswarm.io/v1alpha1',
          kind: 'Release',
          metadata: { name: 'aws-31.1.0' },
          spec: expect.objectContaining({ state: 'active' }),
        },
      ]);
      expect(listRequests('releases')[0].path).toBe(
        '/apis/release.giantswarm.io/v1alpha1/releases',
      );

      // Discovery still lists the group, but the CRD is gone: nothing recorded, nothing failed.
      server.override = r =>
        r.path.endsWith('/releases')
          ? {
              status: 404,
              body: JSON.stringify(
                status(
                  404,
                  'NotFound',
                  'the server could not find the requested resource',
                ),
              ),
            }
          : undefined;
      const c = collector([managementCluster('mc-eu')]);
      const gone = await collectOne(c);
      expect(gone.errors).toEqual([]);
      expect(gone.objects.releases).toEqual([]);
      expect(gone.objects.clusters).toHaveLength(3);
      expect(c.lastStats!.managementClusters[0].notServed).toEqual([
        'releases',
      ]);
      expect(c.lastStats!.managementClusters[0].versions).not.toHaveProperty(
        'releases',
      );
    });

    it('reports a 500 with the server text', async () => {
      server.override = r =>
        r.path.endsWith('/machinepools')
          ? {
              status: 500,
              body: 'etcdserver: request timed out',
              contentType: 'text/plain',
            }
          : undefined;
      const mc = await collectOne(collector([managementCluster('mc-eu')]));
      expect(mc.errors).toEqual([
        expect.objectContaining({
          operation: 'list machinepools.cluster.x-k8s.io',
          code: 'InternalServerError',
          message:
            'HTTP 500 Internal Server Error: etcdserver: request timed out',
        }),
      ]);
      expect(mc.objects.awsMachinePools).toHaveLength(2);
    });

    it('gives up on a call that gets no answer after callTimeoutMs', async () => {
      const stuck: Record<string, 'hang' | 'stall'> = {
        '/awsclusters': 'hang',
        '/awsmachinepools': 'stall',
      };
      server.override = r =>
        Object.entries(stuck).find(([suffix]) => r.path.endsWith(suffix))?.[1];
      const started = Date.now();
      const c = collector([managementCluster('mc-eu')], {
        limits: { callTimeoutMs: 300 },
      });
      const mc = await collectOne(c);
      const elapsed = Date.now() - started;
      expect(elapsed).toBeGreaterThanOrEqual(290);
      expect(elapsed).toBeLessThan(1500);
      expect(mc.errors.map(e => [e.operation, e.code]).sort()).toEqual([
        ['list awsclusters.infrastructure.cluster.x-k8s.io', 'TimeoutError'],
        [
          'list awsmachinepools.infrastructure.cluster.x-k8s.io',
          'TimeoutError',
        ],
      ]);
      expect(mc.errors[0].message).toMatch(/within 300 ms/);
      expect(mc.objects.clusters).toHaveLength(3);
      // The requests were cancelled, not left open.
      await new Promise(resolve => setTimeout(resolve, 50));
      expect(server.inFlight).toBe(0);
    });

    it('reports an answer that is not JSON, or not a list', async () => {
      server.override = r => {
        if (r.path.endsWith('/awsmanagedcontrolplanes'))
          return {
            status: 200,
            body: '{"kind":"AWSManagedControlPlaneList","items":[',
          };
        if (r.path.endsWith('/organizations'))
          return {
            status: 200,
            body: JSON.stringify({ kind: 'Status', status: 'Success' }),
          };
        return undefined;
      };
      const mc = await collectOne(collector([managementCluster('mc-eu')]));
      expect(mc.errors.map(e => [e.operation, e.code]).sort()).toEqual([
        [
          'list awsmanagedcontrolplanes.controlplane.cluster.x-k8s.io',
          'InvalidResponse',
        ],
        ['list organizations.security.giantswarm.io', 'InvalidResponse'],
      ]);
      expect(mc.objects.clusters).toHaveLength(3);
    });

    it('reports a failed discovery of one group version and reads the other groups', async () => {
      server.override = r =>
        r.path === '/apis/infrastructure.cluster.x-k8s.io/v1beta2'
          ? { status: 503, body: '{}' }
          : undefined;
      const mc = await collectOne(collector([managementCluster('mc-eu')]));
      expect(mc.errors).toEqual([
        expect.objectContaining({
          operation: 'discover infrastructure.cluster.x-k8s.io/v1beta2',
          code: 'ServiceUnavailable',
        }),
      ]);
      expect(mc.objects.awsClusters).toEqual([]);
      expect(mc.objects.clusters).toHaveLength(3);
      expect(mc.objects.organizations).toHaveLength(4);
    });
  });

  it('keeps to the concurrency cap of each management cluster', async () => {
    server.delayMs = 40;
    const two = collector([managementCluster('mc-eu')], {
      limits: { concurrencyPerManagementCluster: 2 },
    });
    expect((await collectOne(two)).errors).toEqual([]);
    expect(server.maxInFlight).toBe(2);

    server.reset();
    server.delayMs = 20;
    const one = collector([managementCluster('mc-eu')], {
      limits: { concurrencyPerManagementCluster: 1 },
    });
    expect((await collectOne(one)).errors).toEqual([]);
    expect(server.maxInFlight).toBe(1);
  });

  it('reads every management cluster even when one is unreachable, and never rejects', async () => {
    const closed = await FakeKubeApiServer.start(tls);
    const unreachableUrl = closed.url;
    await closed.close();
    const c = collector([
      managementCluster('mc-down', { url: unreachableUrl }),
      managementCluster('mc-up'),
    ]);
    const result = await c.collect();
    const [down, up] = result.managementClusters!;
    expect(down.name).toBe('mc-down');
    expect(down.errors).toEqual([
      expect.objectContaining({
        source: 'kubernetes:mc-down',
        operation: 'discover API groups',
        code: 'ECONNREFUSED',
      }),
    ]);
    expect(KIND_KEYS.every(key => down.objects[key].length === 0)).toBe(true);
    expect(up.errors).toEqual([]);
    for (const key of KIND_KEYS)
      expect(up.objects[key].length).toBeGreaterThan(0);
  });

  it('stops calling when the collection is aborted', async () => {
    server.delayMs = 50;
    const controller = new AbortController();
    const c = collector([managementCluster('mc-eu')], {
      limits: { concurrencyPerManagementCluster: 1 },
    });
    const pending = c.collect({ signal: controller.signal });
    setTimeout(() => controller.abort(), 120);
    const mc = (await pending).managementClusters![0];
    expect(mc.errors.length).toBeGreaterThan(0);
    expect(mc.errors.every(e => e.code === 'AbortError')).toBe(true);
    expect(server.requests.length).toBeLessThan(5);
  });

  it('records calls, errors, versions and durations in lastStats', async () => {
    server.delayMs = 5;
    server.objects = fixtureObjectsByResource({ clusters: 5 });
    server.override = r =>
      r.path.endsWith('/organizations')
        ? { status: 500, body: '{}' }
        : undefined;
    const c = collector(
      [managementCluster('mc-eu'), managementCluster('mc-us')],
      { pageSize: 2 },
    );
    await c.collect();
    const stats = c.lastStats!;
    expect(stats.managementClusters.map(s => s.name)).toEqual([
      'mc-eu',
      'mc-us',
    ]);
    // Per cluster: /apis, six group versions, nine single-page lists, three pages of clusters.
    const perCluster = 1 + 6 + 9 + 3;
    expect(stats.managementClusters.map(s => s.calls)).toEqual([
      perCluster,
      perCluster,
    ]);
    expect(stats.calls).toBe(server.requests.length);
    expect(stats.errors).toBe(2);
    expect(stats.managementClusters[0]).toMatchObject({
      errors: 1,
      objects: 5 + 8 * 2,
      notServed: [],
      versions: expect.objectContaining({
        clusters: 'cluster.x-k8s.io/v1beta2',
        karpenterMachinePools: 'infrastructure.cluster.x-k8s.io/v1alpha1',
      }),
    });
    for (const s of stats.managementClusters) {
      expect(s.durationMs).toBeGreaterThanOrEqual(5);
      expect(s.durationMs).toBeLessThanOrEqual(stats.durationMs);
    }
    expect(Date.parse(stats.startedAt)).not.toBeNaN();
  });

  describe('configuration', () => {
    it('names every bad field', () => {
      const bad = [
        managementCluster('a', {
          caData: Buffer.from('not a certificate').toString('base64'),
        }),
        managementCluster('b', { serviceAccountToken: undefined }),
        managementCluster('c', { url: 'http://127.0.0.1:1' }),
        managementCluster('d', {
          authProvider: 'aws',
          eksClusterName: undefined,
        }),
        managementCluster('d'),
      ];
      expect(() => collector(bad)).toThrow(InputError);
      let message = '';
      try {
        collector(bad);
      } catch (error) {
        message = (error as Error).message;
      }
      expect(message).toContain(
        'clusterdeck.managementClusters[0].kubernetes.caData: must be a base64-encoded PEM certificate',
      );
      expect(message).toContain(
        'clusterdeck.managementClusters[1].kubernetes.serviceAccountToken: required when authProvider is serviceAccount',
      );
      expect(message).toContain(
        'clusterdeck.managementClusters[2].kubernetes.url: plain http is only allowed together with skipTLSVerify: true',
      );
      expect(message).toContain(
        'clusterdeck.managementClusters[3].kubernetes.eksClusterName: required when authProvider is aws',
      );
      expect(message).toContain(
        'clusterdeck.managementClusters[3].kubernetes.authProvider: aws needs AWS credentials',
      );
      expect(message).toContain(
        'clusterdeck.managementClusters: names must be unique, repeated: d',
      );
      expect(() =>
        collector([managementCluster('a')], {
          limits: { concurrencyPerManagementCluster: 0 },
        }),
      ).toThrow(/limits.concurrencyPerManagementCluster/);
    });

    it('reads the management clusters and limits from the clusterdeck configuration', async () => {
      const config = new ConfigReader({
        clusterdeck: {
          managementClusters: [
            { name: 'mc-eu', region: 'eu-west-1', accountId: '123456789012' },
            {
              name: 'mc-us',
              region: 'us-east-1',
              accountId: '123456789012',
              kubernetes: {
                url: server.url,
                caData: Buffer.from(tls.ca).toString('base64'),
                serviceAccountToken: TOKEN,
              },
            },
          ],
          limits: { concurrencyPerManagementCluster: 1, callTimeoutMs: 300 },
        },
      });
      server.override = r =>
        r.path.endsWith('/clusters') ? 'hang' : undefined;
      const c = KubernetesCollector.fromConfig(config);
      const result = await c.collect();
      // The cluster without a kubernetes block is left out.
      expect(result.managementClusters!.map(m => m.name)).toEqual(['mc-us']);
      expect(result.managementClusters![0].errors).toEqual([
        expect.objectContaining({ code: 'TimeoutError' }),
      ]);
      expect(server.maxInFlight).toBe(1);
    });
  });
});
