import {
  coreServices,
  createServiceFactory,
} from '@backstage/backend-plugin-api';
import {
  mockCredentials,
  mockServices,
  startTestBackend,
} from '@backstage/backend-test-utils';
import {
  AuthorizeResult,
  PolicyDecision,
} from '@backstage/plugin-permission-common';
import scaffolderPlugin from '@backstage/plugin-scaffolder-backend';
import awsClustersModuleSnapshot from '@clusterdeck/plugin-aws-clusters-backend-module-snapshot';
import awsClustersPlugin, {
  ClusterdeckPermissionPolicy,
} from '@clusterdeck/plugin-aws-clusters-backend';
import { scaffolderModuleAwsClusters } from '@clusterdeck/plugin-scaffolder-backend-module-aws-clusters';
import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import yaml from 'yaml';

/*
 * The example templates, dry-run through the scaffolder backend with Clusterdeck's actions and
 * the fleet backend serving the demo fleet, as the portal runs them: Clusterdeck's permission
 * policy decides who may do what, each template's parameters reach the actions in the shapes they
 * expect, and a request that breaks a guardrail stops at validation naming the field.
 */

jest.setTimeout(120_000);

const ROOT = path.resolve(__dirname, '../../..');
const TEMPLATES = path.join(ROOT, 'examples/templates');
const LEAD = 'user:default/amara.okafor';
const GROUPS: Record<string, string[]> = {
  [LEAD]: [LEAD, 'group:default/payments'],
  'user:default/liam.walsh': ['user:default/liam.walsh', 'group:default/web'],
  'user:default/nora.lind': [
    'user:default/nora.lind',
    'group:default/platform',
  ],
};

const userInfo = createServiceFactory({
  service: coreServices.userInfo,
  deps: {},
  factory: () => ({
    async getUserInfo(credentials: any) {
      const userEntityRef = credentials.principal.userEntityRef;
      return {
        userEntityRef,
        ownershipEntityRefs: GROUPS[userEntityRef] ?? [userEntityRef],
      };
    },
  }),
});

/**
 * The permission framework as the portal's backend answers it with Clusterdeck's policy installed:
 * users by the policy, service principals allowed, as Backstage's ServerPermissionClient allows
 * them. (The permission backend itself refuses the test backend's on-behalf-of tokens, which
 * carry no actor.)
 */
const permissions = createServiceFactory({
  service: coreServices.permissions,
  deps: {},
  factory: () => {
    const policy = new ClusterdeckPermissionPolicy(['group:default/platform']);
    const decide = (
      permission: any,
      credentials: any,
    ): Promise<PolicyDecision> => {
      const principal = credentials.principal;
      if (principal.type === 'service')
        return Promise.resolve({ result: AuthorizeResult.ALLOW });
      const user =
        principal.type === 'user'
          ? {
              credentials,
              info: {
                userEntityRef: principal.userEntityRef,
                ownershipEntityRefs: GROUPS[principal.userEntityRef] ?? [
                  principal.userEntityRef,
                ],
              },
            }
          : undefined;
      return policy.handle({ permission }, user);
    };
    return {
      async authorize(requests: any[], options: any) {
        return Promise.all(
          requests.map(async r => ({
            result:
              (await decide(r.permission, options.credentials)).result ===
              AuthorizeResult.ALLOW
                ? AuthorizeResult.ALLOW
                : AuthorizeResult.DENY,
          })),
        ) as any;
      },
      async authorizeConditional(requests: any[], options: any) {
        return Promise.all(
          requests.map(r => decide(r.permission, options.credentials)),
        ) as any;
      },
    };
  },
});

async function appConfigClusterdeck(gitopsDir: string) {
  const config = yaml.parse(
    await fs.readFile(path.join(ROOT, 'app-config.yaml'), 'utf8'),
  );
  const clusterdeck = config.clusterdeck;
  return {
    ...clusterdeck,
    snapshot: { directory: path.join(ROOT, 'examples/demo-fleet') },
    gitops: {
      ...clusterdeck.gitops,
      localRepository: gitopsDir,
      seedDirectory: path.join(ROOT, 'examples/demo-fleet/gitops'),
    },
  };
}

describe('the example templates, dry-run against the demo fleet', () => {
  let baseUrl: string;
  let stop: () => Promise<void>;
  let dir: string;

  beforeAll(async () => {
    dir = await fs.mkdtemp(path.join(os.tmpdir(), 'clusterdeck-templates-'));
    const scheduler = mockServices.scheduler.mock();
    const backend = await startTestBackend({
      features: [
        scheduler.factory,
        scaffolderPlugin,
        scaffolderModuleAwsClusters,
        awsClustersPlugin,
        awsClustersModuleSnapshot,
        permissions,
        userInfo,
        mockServices.rootConfig.factory({
          data: {
            backend: { baseUrl: 'http://localhost:7007' },
            clusterdeck: await appConfigClusterdeck(path.join(dir, 'gitops')),
          },
        }),
      ],
    });
    baseUrl = `http://127.0.0.1:${(backend.server.address() as any).port}`;
    stop = () => backend.stop();
    // Run the fleet backend's scheduled refresh once, as the scheduler would.
    const refresh = scheduler.scheduleTask.mock.calls.find(
      ([task]) => task.id === 'aws-clusters:refresh',
    );
    if (!refresh) throw new Error('the fleet backend scheduled no refresh');
    await refresh[0].fn(new AbortController().signal);
    const res = await fetch(`${baseUrl}/api/aws-clusters/clusters`, {
      headers: { Authorization: mockCredentials.user.header(LEAD) },
    });
    const listed = await res.json();
    if (!(listed.items?.length > 0))
      throw new Error(
        `the fleet backend lists no demo cluster for ${LEAD}: ${JSON.stringify(
          listed,
        ).slice(0, 500)}`,
      );
  });

  afterAll(async () => {
    await stop?.();
    await fs.rm(dir, { recursive: true, force: true });
  });

  async function dryRun(
    name: string,
    values: Record<string, unknown>,
    user = LEAD,
  ) {
    const template = yaml.parse(
      await fs.readFile(path.join(TEMPLATES, name, 'template.yaml'), 'utf8'),
    );
    const res = await fetch(`${baseUrl}/api/scaffolder/v2/dry-run`, {
      method: 'POST',
      headers: {
        'Content-Type': 'application/json',
        Authorization: mockCredentials.user.header(user),
      },
      body: JSON.stringify({
        template,
        values,
        secrets: {},
        directoryContents: [],
      }),
    });
    const body = await res.json();
    const log = (body.log ?? [])
      .map((l: any) => l.body?.message ?? '')
      .join('\n');
    return {
      status: res.status,
      body,
      log,
      steps: body.steps as Array<{ id: string; status?: string }>,
    };
  }

  const requestValues = {
    name: 'pay-new',
    owner: 'group:default/payments',
    managementCluster: 'mc-eu-prod',
    accountId: '123456789012',
    roleIdentity: 'payments-prod',
    flavor: 'ec2',
    region: 'eu-west-1',
    availabilityZones: ['eu-west-1a', 'eu-west-1b', 'eu-west-1c'],
    release: '31.1.0',
    apiMode: 'private',
    transitGatewayId: 'tgw-0123456789abcdef0',
    cidrPool: 'workloads',
    cni: 'overlay',
    nodePools: [
      {
        name: 'def00',
        type: 'asg',
        instanceType: 'm6i.xlarge',
        minSize: 2,
        maxSize: 6,
      },
    ],
    publish: 'branch',
  };

  it('request-cluster: validates, previews the CIDR, renders, plans the commit and the registration', async () => {
    const { status, body, log } = await dryRun(
      'request-cluster',
      requestValues,
    );
    expect({ status, error: body.error }).toEqual({
      status: 200,
      error: undefined,
    });
    const files = body.directoryContents.map((f: any) => f.path);
    const dirPath =
      'management-clusters/mc-eu-prod/organizations/payments/workload-clusters/pay-new';
    expect(files).toEqual(
      expect.arrayContaining([
        `${dirPath}/clusterrequest.yaml`,
        `${dirPath}/cluster.yaml`,
      ]),
    );
    expect(log).toMatch(
      /would commit \d+ files onto clusterdeck\/payments\/pay-new\/request/i,
    );
    expect(log).toMatch(
      /Would record the request of mc-eu-prod\/org-payments\/pay-new/,
    );
    const request = yaml.parse(
      Buffer.from(
        body.directoryContents.find(
          (f: any) => f.path === `${dirPath}/clusterrequest.yaml`,
        ).base64Content,
        'base64',
      ).toString(),
    );
    expect(request.metadata).toMatchObject({
      name: 'pay-new',
      organization: 'payments',
      owner: 'group:default/payments',
    });
    expect(request.spec.network.vpc.cidr).toMatch(/^10\.\d+\.0\.0\/16$/);
  });

  /** The values a form starts with: every parameter's default, including those of the dependencies chosen by them. */
  async function formDefaults(name: string): Promise<Record<string, unknown>> {
    const template = yaml.parse(
      await fs.readFile(path.join(TEMPLATES, name, 'template.yaml'), 'utf8'),
    );
    const values: Record<string, unknown> = {};
    for (const step of template.spec.parameters) {
      for (const [key, property] of Object.entries<any>(
        step.properties ?? {},
      )) {
        if (property.default !== undefined) values[key] = property.default;
      }
      for (const [key, dependency] of Object.entries<any>(
        step.dependencies ?? {},
      )) {
        const branch = dependency.oneOf?.find(
          (b: any) => b.properties?.[key]?.const === values[key],
        );
        for (const [k, property] of Object.entries<any>(
          branch?.properties ?? {},
        )) {
          if (property.default !== undefined) values[k] = property.default;
        }
      }
    }
    return values;
  }

  it("request-cluster: the form's defaults with the fields a user must type pass every step", async () => {
    const values = {
      ...(await formDefaults('request-cluster')),
      name: 'pay-defaults',
      owner: 'group:default/payments',
      managementCluster: 'mc-eu-prod',
      accountId: '123456789012',
      roleIdentity: 'payments-prod',
      region: 'eu-west-1',
      // The zones picker chooses the region's first three zones to begin with; the release is picked.
      availabilityZones: ['eu-west-1a', 'eu-west-1b', 'eu-west-1c'],
      release: '31.1.0',
      // Required by the form when the API is private (the default).
      transitGatewayId: 'tgw-0123456789abcdef0',
    };
    const { status, body } = await dryRun('request-cluster', values);
    expect({ status, error: body.error }).toEqual({
      status: 200,
      error: undefined,
    });
  });

  it('request-cluster: a request that breaks a guardrail stops at validation, naming the field', async () => {
    const { status, body } = await dryRun('request-cluster', {
      ...requestValues,
      availabilityZones: ['eu-west-1a'],
    });
    expect(status).toBe(400);
    expect(body.error.message).toMatch(
      /spec\.network\.availabilityZones: .*at least 2/,
    );
  });

  describe('request-cluster: a request naming a reference that does not hold', () => {
    const api = (p: string, user = LEAD) =>
      fetch(`${baseUrl}/api/aws-clusters${p}`, {
        headers: { Authorization: mockCredentials.user.header(user) },
      }).then(r => r.json());
    const gitBranches = () => {
      const repo = path.join(dir, 'gitops');
      return existsSync(repo)
        ? execFileSync('git', ['-C', repo, 'branch', '--list'], {
            encoding: 'utf8',
          })
        : '';
    };
    // The issue's case: the production account's identity named for a cluster in the development account.
    const inDevelopment = {
      accountId: '444455556666',
      region: 'eu-central-1',
      availabilityZones: ['eu-central-1a', 'eu-central-1b'],
      transitGatewayId: 'tgw-0fedcba9876543210',
    };

    it.each([
      [
        "another account's identity",
        { ...inDevelopment, roleIdentity: 'payments-prod' },
        /spec\.account\.roleIdentity: payments-prod assumes a role in account production \(123456789012, production\), not in the requested account development \(444455556666, development\)/,
      ],
      [
        'a missing identity',
        { roleIdentity: 'no-such-identity' },
        /spec\.account\.roleIdentity: mc-eu-prod has no AWSClusterRoleIdentity named no-such-identity/,
      ],
      [
        'an identity not admitting the namespace',
        { roleIdentity: 'search-prod' },
        // The references a team reads leave out the identities that do not admit it.
        /spec\.account\.roleIdentity: mc-eu-prod has no AWSClusterRoleIdentity named search-prod/,
      ],
      [
        'an unknown release',
        { release: '29.0.0' },
        /spec\.release: mc-eu-prod does not offer release 29\.0\.0; it offers 32\.0\.0, 31\.1\.0, 30\.2\.0/,
      ],
      [
        'a zone of another region',
        { availabilityZones: ['eu-west-1a', 'eu-central-1b'] },
        /spec\.network\.availabilityZones\[1\]: "eu-central-1b" is not an availability zone of eu-west-1/,
      ],
      [
        'a zone the region does not have',
        { availabilityZones: ['eu-west-1a', 'eu-west-1d'] },
        /spec\.network\.availabilityZones\[1\]: eu-west-1d is not an availability zone of eu-west-1; its zones: eu-west-1a, eu-west-1b, eu-west-1c/,
      ],
      [
        'a transit gateway of an unrelated account',
        { transitGatewayId: 'tgw-0aaaaaaaaaaaaaaaa' },
        /spec\.network\.topology\.transitGatewayId: transit gateway tgw-0aaaaaaaaaaaaaaaa is not shared with account 123456789012/,
      ],
    ])(
      'refuses %s at validation, naming the field, with nothing reserved, committed or recorded',
      async (_what, change, message) => {
        const name = 'pay-wrong';
        const allocationsBefore = (await api('/cidr-allocations')).items;
        const branchesBefore = gitBranches();
        const { status, body, log } = await dryRun('request-cluster', {
          ...requestValues,
          ...change,
          name,
        });
        expect(status).toBe(400);
        expect(body.error.message).toMatch(message);
        expect(log).not.toMatch(/would commit|Would record|Reserved/i);
        expect(body.directoryContents ?? []).toEqual([]);
        expect((await api('/cidr-allocations')).items).toEqual(
          allocationsBefore,
        );
        expect(
          (await api('/clusters')).items.map((c: any) => c.name),
        ).not.toContain(name);
        expect(gitBranches()).toBe(branchesBefore);
      },
    );
  });

  it('change-node-pool: changes a pool of a demo cluster and plans the commit', async () => {
    const { status, body, log } = await dryRun('change-node-pool', {
      cluster: 'mc-eu-prod/org-payments/pay-prod',
      pool: 'def00',
      maxSize: 12,
    });
    expect({ status, error: body.error }).toEqual({
      status: 200,
      error: undefined,
    });
    expect(log).toMatch(/def00: maxSize 10 → 12/);
    expect(log).toMatch(
      /would commit \d+ files onto clusterdeck\/payments\/pay-prod\/change-node-pool-def00/i,
    );
  });

  it('add-node-pool: adds a tainted spot pool to a demo cluster', async () => {
    const { status, body, log } = await dryRun('add-node-pool', {
      cluster: 'mc-eu-prod/org-payments/pay-prod',
      name: 'batch0',
      type: 'asg',
      instanceType: 'c6i.2xlarge',
      minSize: 0,
      maxSize: 8,
      spot: true,
      taint: 'example.com/batch=true',
    });
    expect({ status, error: body.error }).toEqual({
      status: 200,
      error: undefined,
    });
    expect(log).toMatch(/batch0/);
    expect(log).toMatch(/would commit/i);
  });

  it('add-node-pool: runs the pool in the chosen zones of the cluster, and refuses a zone the cluster does not have', async () => {
    const pool = {
      cluster: 'mc-eu-prod/org-payments/pay-prod',
      name: 'zoned0',
      type: 'asg',
      instanceType: 'm6i.xlarge',
      minSize: 0,
      maxSize: 4,
      spot: false,
    };
    const inTwo = await dryRun('add-node-pool', {
      ...pool,
      availabilityZones: ['eu-west-1a', 'eu-west-1b'],
    });
    expect({ status: inTwo.status, error: inTwo.body.error }).toEqual({
      status: 200,
      error: undefined,
    });
    expect(inTwo.log).toMatch(/zoned0/);
    const outside = await dryRun('add-node-pool', {
      ...pool,
      availabilityZones: ['eu-central-1a'],
    });
    expect(outside.status).toBe(400);
    expect(outside.body.error.message).toMatch(
      /availabilityZones\[0\]: "eu-central-1a" is not one of the cluster's availability zones \(eu-west-1a, eu-west-1b, eu-west-1c\)/,
    );
  });

  it('upgrade-cluster: moves a demo cluster to the next offered release and shows the diff', async () => {
    const { status, body, log } = await dryRun('upgrade-cluster', {
      cluster: 'mc-eu-prod/org-payments/pay-prod',
      target: '32.0.0',
    });
    expect({ status, error: body.error }).toEqual({
      status: 200,
      error: undefined,
    });
    const text = JSON.stringify(body.output ?? {});
    expect(text).toMatch(/Upgrade pay-prod to release 32.0.0/);
    expect(text).toMatch(/-\s+version: 31\.1\.0/);
    expect(text).toMatch(/\+\s+version: 32\.0\.0/);
    expect(log).toMatch(
      /would commit \d+ files onto clusterdeck\/payments\/pay-prod\/upgrade-32-0-0/i,
    );
  });

  it.each([
    [
      '31.1.0',
      /target: 31\.1\.0 is not newer than the cluster's release 31\.1\.0/,
    ],
    ['34.0.0', /target: 34\.0\.0 is not a release the platform team offers/],
  ])(
    'upgrade-cluster: %s is refused, naming the target',
    async (target, message) => {
      const { status, body } = await dryRun('upgrade-cluster', {
        cluster: 'mc-eu-prod/org-payments/pay-prod',
        target,
      });
      expect(status).toBe(400);
      expect(body.error.message).toMatch(message);
    },
  );

  it('upgrade-cluster: a chart-managed EKS cluster is upgraded by release, not by a Kubernetes version', async () => {
    const { status, body } = await dryRun(
      'upgrade-cluster',
      { cluster: 'mc-eu-dev/org-web/web-eks', target: '1.34' },
      'user:default/liam.walsh',
    );
    expect(status).toBe(400);
    expect(body.error.message).toMatch(
      /target: "1\.34" is not a release version such as 31\.1\.0: the cluster's chart takes its Kubernetes version from its release/,
    );
  });

  it('retire-cluster: a production cluster needs its name typed again', async () => {
    const { status, body } = await dryRun('retire-cluster', {
      cluster: 'mc-eu-prod/org-payments/pay-prod',
    });
    expect(status).toBe(400);
    expect(body.error.message).toMatch(
      /confirmName: type the cluster's name \(pay-prod\)/,
    );
  });

  it('retire-cluster: with the name typed again, plans the removal of its files', async () => {
    const { status, body, log } = await dryRun('retire-cluster', {
      cluster: 'mc-eu-prod/org-payments/pay-prod',
      confirmName: 'pay-prod',
      reason: 'replaced',
    });
    expect({ status, error: body.error }).toEqual({
      status: 200,
      error: undefined,
    });
    expect(log).toMatch(
      /would commit \d+ files onto clusterdeck\/payments\/pay-prod\/retire/i,
    );
    expect(log).toMatch(
      /workload-clusters\/pay-prod\/cluster\.yaml \(deleted\)/,
    );
    expect(JSON.stringify(body.output ?? {})).toMatch(/deleted file mode/);
  });

  const accountValues = {
    name: 'payments-staging',
    email: 'aws+payments-staging@example.com',
    organizationalUnit: 'ou-ab12-payments1',
    environment: 'staging',
    owner: 'group:default/payments',
    accessModel: 'audited-no-access',
    regions: ['eu-west-1'],
    managementCluster: 'mc-eu-prod',
  };

  it('provision-account: the platform team previews the account, its CAPA role and the role identity', async () => {
    const { status, body, log } = await dryRun(
      'provision-account',
      accountValues,
      'user:default/nora.lind',
    );
    expect({ status, error: body.error }).toEqual({
      status: 200,
      error: undefined,
    });
    expect(log).toMatch(
      /would create account payments-staging <aws\+payments-staging@example\.com> in ou-ab12-payments1/,
    );
    expect(log).toMatch(
      /role arn:aws:iam::new-account:role\/giantswarm-mc-eu-prod-capa-controller/,
    );
    expect(log).toMatch(
      /would commit 2 files onto clusterdeck\/payments\/account-payments-staging/i,
    );
    const identity = body.directoryContents.find(
      (f: any) =>
        f.path ===
        'gitops/management-clusters/mc-eu-prod/role-identities/payments-staging.yaml',
    );
    expect(
      yaml.parse(Buffer.from(identity.base64Content, 'base64').toString()).spec
        .allowedNamespaces,
    ).toEqual({ list: ['org-payments'] });
  });

  it('provision-account: a team lead may not provision accounts', async () => {
    const { status, body } = await dryRun('provision-account', accountValues);
    expect(status).toBe(403);
    expect(body.error.message).toMatch(
      /may not create AWS accounts \(aws-clusters\.account\.create\)/,
    );
  });

  it("change-node-pool: another team's cluster is refused, answered as one that does not exist", async () => {
    const { status, body } = await dryRun(
      'change-node-pool',
      {
        cluster: 'mc-eu-prod/org-payments/pay-prod',
        pool: 'def00',
        maxSize: 12,
      },
      'user:default/liam.walsh',
    );
    // The fleet backend answers a cluster the caller may not see as it answers one that does not exist.
    expect(status).toBe(404);
    expect(body.error.message).toMatch(
      /has no cluster mc-eu-prod\/org-payments\/pay-prod/,
    );
    expect(body.directoryContents ?? []).toEqual([]);
  });
});
