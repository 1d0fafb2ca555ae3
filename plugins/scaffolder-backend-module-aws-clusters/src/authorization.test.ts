import { BackstageCredentials } from '@backstage/backend-plugin-api';
import { mockCredentials, mockServices } from '@backstage/backend-test-utils';
import {
  awsClusterCreatePermission,
  awsClusterDeletePermission,
  awsClusterManifestsApplyPermission,
  awsClusterNodePoolUpdatePermission,
  awsClusterReadPermission,
  awsClusterUpgradePermission,
  cidrAllocationCreatePermission,
  cidrAllocationDeletePermission,
  cidrAllocationReadPermission,
} from '@clusterdeck/plugin-aws-clusters-common';
import fs from 'node:fs';
import path from 'node:path';
import {
  bootstrapSettings,
  FakeAws,
  noSleep,
  policyFolder,
  testSessions,
} from './__testUtils__/fakeAws';
import { FakeFleetApi, startFakeFleetApi } from './__testUtils__/fakeFleetApi';
import {
  FakeKubernetesApi,
  startFakeKubernetesApi,
} from './__testUtils__/fakeKubernetes';
import {
  ACTION_IDS,
  BASE_CONFIG,
  fleetState,
  MODULE_CONFIG,
  paymentsRequest,
  RecordedAuditEvent,
  renderablePaymentsRequest,
  testAccessPolicy,
  testAudit,
  USERS,
} from './__testUtils__/fixtures';
import { createGitRepo, gitIn } from './__testUtils__/gitRepo';
import { mockContext } from './__testUtils__/mockContext';
import { writeClusterFiles } from './actions/renderCluster';
import { clusterdeckActions } from './createClusterdeckActions';
import { FleetApiClient } from '@clusterdeck/plugin-aws-clusters-node';

/*
 * Who may run which action: every action, run for real (no dry run) by every kind of initiator a
 * task can have, with the permission framework deciding users by Clusterdeck's policy and service
 * principals as Backstage's ServerPermissionClient does (allowed within their access
 * restrictions), narrowed by the grants of clusterdeck.permissions.services. A refused run must
 * do nothing: no write to the fleet backend, no Git ref changed, no call to a management cluster,
 * no call to AWS; and every mutating action records the refusal as a failed audit event.
 */

jest.setTimeout(120_000);

const PAY_PROD =
  'management-clusters/mc-eu-prod/organizations/payments/workload-clusters/pay-prod';
const PAY_NEW =
  'management-clusters/mc-eu-prod/organizations/payments/workload-clusters/pay-new';

/** The scaffolder is trusted with the cluster permissions; no service is trusted with accounts or administration. */
const GRANTS = [
  {
    subject: 'plugin:scaffolder',
    allow: [
      awsClusterReadPermission,
      awsClusterCreatePermission,
      awsClusterNodePoolUpdatePermission,
      awsClusterManifestsApplyPermission,
      awsClusterUpgradePermission,
      awsClusterDeletePermission,
      cidrAllocationReadPermission,
      cidrAllocationCreatePermission,
      cidrAllocationDeletePermission,
    ].map(p => p.name),
  },
];

const INITIATORS: Array<
  [string, BackstageCredentials, 'admin' | 'owner' | 'trusted' | 'nobody']
> = [
  [
    'an administrator (member of group:default/platform)',
    mockCredentials.user(USERS.admin),
    'admin',
  ],
  ["the owning team's lead", mockCredentials.user(USERS.payments), 'owner'],
  ['a member of another team', mockCredentials.user(USERS.web), 'nobody'],
  [
    'a user in no group',
    mockCredentials.user('user:default/drifter'),
    'nobody',
  ],
  [
    'a trusted plugin (plugin:scaffolder, granted by configuration)',
    mockCredentials.service('plugin:scaffolder'),
    'trusted',
  ],
  [
    'an untrusted plugin (plugin:other)',
    mockCredentials.service('plugin:other'),
    'nobody',
  ],
  [
    'an external-access token (external:ci)',
    mockCredentials.service('external:ci'),
    'nobody',
  ],
  ['an unauthenticated caller', mockCredentials.none(), 'nobody'],
];

const ACCOUNT_INPUT = {
  name: 'payments-staging',
  email: 'aws+payments-staging@example.com',
  organizationalUnit: 'ou-ab12-payments1',
  environment: 'staging',
  owner: 'group:default/payments',
  accessModel: 'audited-no-access',
};

/** Each action's input for the payments team, what it needs in the workspace, and whether it is about accounts. */
/** pay-prod's files as the Request-a-cluster template wrote them. */
function payProdFiles(dir: string, format: 'capi' | 'cluster-aws') {
  return writeClusterFiles({
    directory: path.join(dir, PAY_PROD),
    request: paymentsRequest({
      name: 'pay-prod',
      spec: {
        network: {
          vpc: { mode: 'create', cidr: '10.0.0.0/16' },
          availabilityZones: 3,
        },
      },
    }),
    format,
    baseDomain: 'eu-prod.example.com',
    catalogInfo: false,
  }).then(() => undefined);
}

const CASES: Record<
  string,
  {
    input: Record<string, unknown>;
    workspace?: (dir: string) => Promise<void>;
    accounts?: boolean;
    auditedAs?: string;
  }
> = {
  'clusterdeck:cluster:validate': {
    input: { request: paymentsRequest(), cidrPool: 'tgw-routed' },
  },
  'clusterdeck:cidr:allocate': {
    input: {
      clusterRef: 'mc-eu-prod/org-payments/pay-new',
      owner: 'group:default/payments',
      accountId: '123456789012',
      pool: 'tgw-routed',
    },
    auditedAs: 'cidr-allocate',
  },
  'clusterdeck:cluster:render': {
    input: {
      request: paymentsRequest(),
      format: 'cluster-aws',
      vpcCidr: '10.2.0.0/16',
    },
  },
  'clusterdeck:cluster:register': {
    input: { request: paymentsRequest(), vpcCidr: '10.2.0.0/16' },
    auditedAs: 'cluster-register',
  },
  'clusterdeck:nodePool:update': {
    input: {
      cluster: 'mc-eu-prod/org-payments/pay-prod',
      operation: 'change',
      pool: { name: 'system', maxSize: 8 },
    },
    workspace: dir =>
      writeClusterFiles({
        directory: path.join(dir, PAY_PROD),
        request: paymentsRequest({
          name: 'pay-prod',
          spec: {
            network: {
              vpc: { mode: 'create', cidr: '10.0.0.0/16' },
              availabilityZones: 3,
            },
          },
        }),
        format: 'cluster-aws',
        baseDomain: 'eu-prod.example.com',
        catalogInfo: false,
      }).then(() => undefined),
  },
  'clusterdeck:cluster:upgrade': {
    input: { cluster: 'mc-eu-prod/org-payments/pay-prod', target: '1.34.1' },
    workspace: dir => payProdFiles(dir, 'capi'),
  },
  'clusterdeck:cluster:retire': {
    input: {
      cluster: 'mc-eu-prod/org-payments/pay-prod',
      confirmName: 'pay-prod',
    },
    workspace: dir => payProdFiles(dir, 'cluster-aws'),
  },
  'clusterdeck:gitops:fetch': {
    input: { cluster: 'mc-eu-prod/org-payments/pay-prod' },
  },
  'clusterdeck:gitops:commit': {
    input: {
      owner: 'group:default/payments',
      cluster: 'pay-new',
      change: 'request',
      commitMessage: 'Request pay-new',
    },
    workspace: async dir => {
      fs.mkdirSync(path.join(dir, PAY_NEW), { recursive: true });
      fs.writeFileSync(
        path.join(dir, PAY_NEW, 'cluster.yaml'),
        'kind: Cluster\n',
      );
    },
    auditedAs: 'gitops-commit',
  },
  'clusterdeck:manifests:apply': {
    input: { managementCluster: 'mc-eu-prod', path: 'out' },
    // What clusterdeck:cluster:render writes for pay-new.
    workspace: async dir => {
      await writeClusterFiles({
        directory: path.join(dir, 'out'),
        request: renderablePaymentsRequest(),
        format: 'cluster-aws',
        baseDomain: 'eu-prod.example.com',
        catalogInfo: true,
      });
    },
    auditedAs: 'manifests-apply',
  },
  'clusterdeck:account:create': {
    input: ACCOUNT_INPUT,
    accounts: true,
    auditedAs: 'account-create',
  },
  'clusterdeck:account:bootstrap': {
    input: {
      accountId: '555555555555',
      accountName: 'payments-staging',
      managementCluster: 'mc-eu-prod',
      owner: 'group:default/payments',
      environment: 'staging',
      accessModel: 'audited-no-access',
    },
    accounts: true,
    auditedAs: 'account-bootstrap',
  },
};

describe('who may run each action', () => {
  let fake: FakeFleetApi;
  let aws: FakeAws;
  let kube: FakeKubernetesApi;
  let repo: ReturnType<typeof createGitRepo>;
  let events: RecordedAuditEvent[];
  let actions: ReturnType<typeof clusterdeckActions>;
  const policies = policyFolder();

  beforeEach(async () => {
    fake = await startFakeFleetApi(fleetState());
    fake.state.details['mc-eu-prod/org-payments/pay-prod'] = {
      cluster: fake.state.clusters[0],
      nodePools: [],
      sources: [],
    } as any;
    aws = new FakeAws();
    kube = await startFakeKubernetesApi({
      conditions: [{ type: 'InfrastructureReady', status: 'True' }],
    });
    repo = createGitRepo({ [`${PAY_PROD}/cluster.yaml`]: 'kind: Cluster\n' });
    const audit = testAudit();
    events = audit.events;
    const kubernetes = {
      url: kube.url,
      serviceAccountToken: 'read-token',
      applyServiceAccountToken: 'apply-token',
      authProvider: 'serviceAccount' as const,
      skipTLSVerify: true,
    };
    actions = clusterdeckActions({
      base: {
        ...BASE_CONFIG,
        managementClusters: BASE_CONFIG.managementClusters.map(mc =>
          mc.name === 'mc-eu-prod' ? { ...mc, kubernetes } : mc,
        ),
      },
      settings: {
        ...MODULE_CONFIG,
        gitops: { ...MODULE_CONFIG.gitops, localRepository: repo.dir },
        accountBootstrap: bootstrapSettings(policies),
      },
      fleet: FleetApiClient.create({
        discovery: { getBaseUrl: async () => fake.url },
        auth: mockServices.auth(),
      }),
      access: testAccessPolicy(GRANTS),
      audit: audit.audit,
      sessions: testSessions(),
      retry: noSleep,
      applyPollIntervalMs: 1,
    });
  });
  afterEach(async () => {
    aws.restore();
    repo.remove();
    await kube.close();
    await fake.close();
  });

  const refs = () =>
    gitIn(repo.dir, 'for-each-ref', '--format=%(refname) %(objectname)');
  const fleetWrites = () => fake.requests.filter(r => r.method !== 'GET');
  const awsCalls = () => [
    ...aws.calls('organizations'),
    ...aws.calls('iam'),
    ...aws.calls('sts'),
  ];

  it('covers every action the module registers', () => {
    expect(Object.keys(CASES).sort()).toEqual([...ACTION_IDS].sort());
  });

  const matrix = ACTION_IDS.flatMap(id =>
    INITIATORS.map(([who, credentials, role]) => {
      const allowed =
        role === 'admin' ||
        (!CASES[id].accounts && (role === 'owner' || role === 'trusted'));
      return [id, who, allowed ? 'allowed' : 'refused', credentials] as const;
    }),
  );

  /** Runs an action as an initiator; what came of it, and the audit events it recorded. */
  async function run(id: string, credentials: BackstageCredentials) {
    const action = actions.find(a => a.id === id)!;
    const ctx = mockContext({
      input: structuredClone(CASES[id].input),
      credentials,
    });
    await CASES[id].workspace?.(ctx.workspacePath);
    const outcome = await action.handler(ctx as any).then(
      () => 'allowed',
      error =>
        error.name === 'NotAllowedError'
          ? 'refused'
          : `failed: ${error.name}: ${error.message}`,
    );
    return { outcome, audited: events.map(e => [e.eventId, e.outcome]) };
  }

  it.each(matrix.filter(([, , expected]) => expected === 'allowed'))(
    '%s run by %s: %s',
    async (id, _who, expected, credentials) => {
      const { outcome, audited } = await run(id, credentials);
      expect(outcome).toBe(expected);
      expect(audited).toEqual(
        CASES[id].auditedAs ? [[CASES[id].auditedAs, 'succeeded']] : [],
      );
    },
  );

  it.each(matrix.filter(([, , expected]) => expected === 'refused'))(
    '%s run by %s: %s, doing nothing',
    async (id, _who, expected, credentials) => {
      const before = refs();
      const { outcome, audited } = await run(id, credentials);
      expect(outcome).toBe(expected);
      expect(fleetWrites()).toEqual([]);
      expect(refs()).toBe(before);
      expect(kube.requests).toEqual([]);
      expect(awsCalls()).toEqual([]);
      expect(audited).toEqual(
        CASES[id].auditedAs ? [[CASES[id].auditedAs, 'failed']] : [],
      );
    },
  );
});
