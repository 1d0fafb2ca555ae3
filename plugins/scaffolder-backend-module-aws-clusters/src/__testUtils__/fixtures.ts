import { AuditorService } from '@backstage/backend-plugin-api';
import { mockServices } from '@backstage/backend-test-utils';
import type { JsonObject } from '@backstage/types';
import { buildFleetReferences } from '@clusterdeck/plugin-aws-clusters-common';
import type {
  AccountView,
  ClusterSummary,
  FleetReferences,
} from '@clusterdeck/plugin-aws-clusters-common';
import {
  ClusterdeckAuthorizer,
  ClusterdeckConfig,
  FleetApiClient,
  ServiceGrant,
} from '@clusterdeck/plugin-aws-clusters-node';
import {
  parseScaffolderModuleConfig,
  ScaffolderModuleConfig,
} from '../config/moduleConfig';
import { AccessPolicy } from '../lib/access';
import { StepAudit } from '../lib/stepAudit';
import type { FakeFleetApi, FakeFleetState } from './fakeFleetApi';
import { policyPermissions } from './permissions';

/**
 * The example organization's people: a platform admin, a payments lead, a web developer, and the
 * lead of a group of another catalog namespace that happens to be called payments too.
 */
export const USERS = {
  admin: 'user:default/nora.lind',
  payments: 'user:default/amara.okafor',
  web: 'user:default/liam.walsh',
  teamxPayments: 'user:default/tariq.haddad',
} as const;

export const GROUPS: Record<string, string[]> = {
  [USERS.admin]: [USERS.admin, 'group:default/platform'],
  [USERS.payments]: [USERS.payments, 'group:default/payments'],
  [USERS.web]: [USERS.web, 'group:default/web'],
  [USERS.teamxPayments]: [USERS.teamxPayments, 'group:teamx/payments'],
};

/** The base configuration the fleet backend reads (`readClusterdeckConfig`'s output). */
export const BASE_CONFIG: ClusterdeckConfig = {
  adminGroups: ['group:default/platform'],
  permissions: {
    services: [
      { subject: 'plugin:catalog', allow: ['aws-clusters.cluster.read'] },
      {
        subject: 'plugin:scaffolder',
        allow: [
          'aws-clusters.cluster.read',
          'aws-clusters.cidr-allocation.read',
        ],
      },
    ],
  },
  cidrReservations: {
    maxUnattachedPerOwner: 3,
    unattachedExpiryHours: 24,
    releaseAfterGoneHours: 168,
  },
  sources: { aws: true, kubernetes: true },
  accounts: [
    {
      id: '123456789012',
      name: 'payments-prod',
      environment: 'production',
      owners: ['group:default/payments'],
      accessModel: 'audited-no-access',
      regions: ['eu-west-1'],
    },
    {
      id: '444455556666',
      name: 'development',
      environment: 'development',
      owners: ['group:default/web', 'group:default/payments'],
      accessModel: 'developer-debug',
      regions: ['eu-west-1', 'eu-central-1'],
    },
  ],
  managementClusters: [
    {
      name: 'mc-eu-prod',
      region: 'eu-west-1',
      accountId: '111122223333',
      baseDomain: 'eu-prod.example.com',
    },
    {
      name: 'mc-eu-dev',
      region: 'eu-central-1',
      accountId: '111122223333',
      baseDomain: 'eu-dev.example.com',
    },
  ],
  organizations: {
    payments: 'group:default/payments',
    web: 'group:default/web',
    platform: 'group:default/platform',
  },
  cidrPools: [],
  refresh: { frequency: { minutes: 5 }, timeout: { minutes: 3 } },
  limits: {
    concurrency: 16,
    concurrencyPerAccount: 4,
    concurrencyPerManagementCluster: 4,
    callTimeoutMs: 20_000,
  },
};

/** The module's own configuration with the guardrails the tests exercise. */
export const MODULE_CONFIG: ScaffolderModuleConfig =
  parseScaffolderModuleConfig({
    guardrails: {
      defaults: { maxNodesPerPool: 50, maxNodesPerCluster: 120 },
      environments: {
        production: {
          regions: ['eu-west-1'],
          instanceTypes: ['m6i.*', 'm7i.*', 'r6i.*', 'c6i.*'],
          maxNodesPerPool: 20,
        },
        development: {
          regions: ['eu-west-1', 'eu-central-1'],
          maxNodesPerPool: 10,
        },
      },
    },
    organizationAccess: {
      managementAccountId: '111111111111',
      pollIntervalSeconds: 0.001,
      creationTimeoutMinutes: 1,
    },
    accountBootstrap: {
      managementClusters: {
        'mc-eu-prod': {
          controllerPrincipalArn:
            'arn:aws:iam::111122223333:role/mc-eu-prod-capa-controller',
          oidcProvider: 'oidc.eks.eu-west-1.amazonaws.com/id/ABCDEF0123456789',
        },
        'mc-eu-dev': {
          controllerPrincipalArn:
            'arn:aws:iam::111122223333:role/mc-eu-dev-capa-controller',
        },
      },
    },
  });

const usage = (
  region: string,
  over: Partial<AccountView['usage'][number]> = {},
) => ({
  region,
  vpcs: 1,
  elasticIps: 1,
  runningVcpus: 40,
  quotas: { vpcs: 5, elasticIps: 5, onDemandVcpus: 256 },
  ...over,
});

/** An `AWSClusterRoleIdentity` as a management cluster serves it. */
export function roleIdentity(
  name: string,
  accountId: string,
  allowedNamespaces?: unknown,
) {
  return {
    apiVersion: 'infrastructure.cluster.x-k8s.io/v1beta2',
    kind: 'AWSClusterRoleIdentity',
    metadata: { name },
    spec: {
      roleARN: `arn:aws:iam::${accountId}:role/${name}`,
      sourceIdentityRef: {
        kind: 'AWSClusterControllerIdentity',
        name: 'default',
      },
      ...(allowedNamespaces !== undefined ? { allowedNamespaces } : {}),
    },
  };
}

/**
 * What requests may name in the example organization: on both management clusters the payments
 * team's production identity and the development identity of payments and web; the shared
 * transit gateway of the management clusters' account, shared with the production account.
 */
export function fleetReferences(): FleetReferences {
  const identities = [
    roleIdentity('payments-prod', '123456789012', { list: ['org-payments'] }),
    roleIdentity('dev', '444455556666', { list: ['org-payments', 'org-web'] }),
  ];
  const attached = (accountId: string, region: string) => ({
    accountId,
    region,
    transitGatewayAttachments: [
      {
        TransitGatewayId: 'tgw-0123456789abcdef0',
        TransitGatewayOwnerId: '111122223333',
        State: 'available',
      },
    ],
  });
  return buildFleetReferences({
    accounts: BASE_CONFIG.accounts,
    managementClusters: BASE_CONFIG.managementClusters,
    snapshot: {
      aws: [
        attached('111122223333', 'eu-west-1'),
        attached('123456789012', 'eu-west-1'),
      ],
      managementClusters: BASE_CONFIG.managementClusters.map(mc => ({
        name: mc.name,
        objects: { awsClusterRoleIdentities: identities },
      })),
    },
  });
}

/** The fleet the fake backend serves by default. */
export function fleetState(): Partial<FakeFleetState> {
  const clusters: ClusterSummary[] = [
    summary({
      name: 'pay-prod',
      namespace: 'org-payments',
      managementCluster: 'mc-eu-prod',
      owner: 'group:default/payments',
      accountId: '123456789012',
    }),
    summary({
      name: 'web-dev',
      namespace: 'org-web',
      managementCluster: 'mc-eu-dev',
      owner: 'group:default/web',
      accountId: '444455556666',
    }),
  ];
  return {
    users: GROUPS,
    adminGroups: ['group:default/platform'],
    accounts: BASE_CONFIG.accounts.map(a => ({
      ...a,
      clusterCount: 1,
      usage: a.regions.map(r => usage(r)),
    })),
    clusters,
    pools: [
      { name: 'tgw-routed', cidr: '10.0.0.0/8', prefixLength: 16 },
      { name: 'eni-pods', cidr: '100.64.0.0/10', prefixLength: 16 },
    ],
    allocations: [],
    vpcCidrs: ['10.0.0.0/16', '10.1.0.0/16'],
  };
}

/** A fleet row. */
export function summary(c: {
  name: string;
  namespace: string;
  managementCluster: string;
  owner: string;
  accountId?: string;
  status?: ClusterSummary['status'];
}): ClusterSummary {
  return {
    ref: `${c.managementCluster}/${c.namespace}/${c.name}`,
    name: c.name,
    namespace: c.namespace,
    managementCluster: c.managementCluster,
    owner: c.owner,
    ownerSource: 'annotation',
    accountId: c.accountId,
    flavor: 'ec2',
    status: c.status ?? 'ready',
    apiMode: 'public',
    nodes: { desired: 3, ready: 3, min: 3, max: 6 },
    nodePools: 1,
  };
}

/** A valid production request of the payments team, as the Request-a-cluster form builds it. */
export function paymentsRequest(
  over: { name?: string; spec?: Record<string, unknown> } = {},
): Record<string, any> {
  return {
    apiVersion: 'clusterdeck.io/v1alpha1',
    kind: 'ClusterRequest',
    metadata: {
      name: over.name ?? 'pay-new',
      organization: 'payments',
      owner: 'group:default/payments',
      description: 'New payments cluster',
    },
    spec: {
      managementCluster: 'mc-eu-prod',
      release: '31.1.0',
      kubernetesVersion: '1.33.4',
      flavor: 'ec2',
      region: 'eu-west-1',
      account: { id: '123456789012', roleIdentity: 'payments-prod' },
      controlPlane: { apiMode: 'public', allowedCidrs: ['203.0.113.0/24'] },
      network: { vpc: { mode: 'create' }, availabilityZones: 3 },
      nodePools: [
        {
          name: 'system',
          type: 'asg',
          instanceType: 'm6i.xlarge',
          minSize: 3,
          maxSize: 6,
        },
      ],
      ...over.spec,
    },
  };
}

/** The payments team's new cluster with its VPC block allocated: a request that renders. */
export function renderablePaymentsRequest(): Record<string, any> {
  return paymentsRequest({
    spec: {
      network: {
        vpc: { mode: 'create', cidr: '10.0.0.0/16' },
        availabilityZones: 3,
      },
    },
  });
}

/** The services the actions are built from, wired to a fake fleet backend. */
export function testServices(fake: FakeFleetApi) {
  const fleet = FleetApiClient.create({
    discovery: { getBaseUrl: async () => fake.url },
    auth: mockServices.auth(),
  });
  const { audit, events } = testAudit();
  return {
    fleet,
    access: testAccessPolicy(),
    audit,
    events,
    config: BASE_CONFIG,
    moduleConfig: MODULE_CONFIG,
  };
}

/**
 * The access policy of the example organization: the permission framework deciding with
 * Clusterdeck's policy ({@link GROUPS}, the platform team as admins), and `serviceGrants` for
 * service principals (by default none); `withheld` permissions are denied to users who are not
 * admins, as a platform team's own policy might.
 */
export function testAccessPolicy(
  serviceGrants: ServiceGrant[] = [],
  withheld: string[] = [],
) {
  const authorizer = ClusterdeckAuthorizer.create({
    permissions: policyPermissions({
      adminGroups: BASE_CONFIG.adminGroups,
      groups: GROUPS,
      withheld,
    }),
    auth: mockServices.auth(),
    serviceGrants,
  });
  return AccessPolicy.create({ authorizer, accounts: BASE_CONFIG.accounts });
}

/** An audit event as the tests' auditor kept it. */
export interface RecordedAuditEvent {
  eventId: string;
  severityLevel?: string;
  meta?: JsonObject;
  outcome?: 'succeeded' | 'failed';
  error?: string;
  finalMeta?: JsonObject;
}

/** A step audit whose auditor keeps every event in `events`. */
export function testAudit(): {
  audit: StepAudit;
  events: RecordedAuditEvent[];
} {
  const access = testAccessPolicy();
  const events: RecordedAuditEvent[] = [];
  const auditor: Pick<AuditorService, 'createEvent'> = {
    async createEvent(options) {
      const event: RecordedAuditEvent = {
        eventId: options.eventId,
        severityLevel: options.severityLevel,
        meta: options.meta,
      };
      events.push(event);
      return {
        async success(done) {
          Object.assign(event, { outcome: 'succeeded', finalMeta: done?.meta });
        },
        async fail(failed) {
          Object.assign(event, {
            outcome: 'failed',
            error: failed.error.message,
            finalMeta: failed.meta,
          });
        },
      };
    },
  };
  return {
    audit: StepAudit.create({
      auditor,
      nameOf: credentials => access.nameOf(credentials),
    }),
    events,
  };
}

/** Every action the module registers; templates and GitOps examples refer to these ids. */
export const ACTION_IDS = [
  'clusterdeck:cluster:validate',
  'clusterdeck:cidr:allocate',
  'clusterdeck:cluster:render',
  'clusterdeck:cluster:register',
  'clusterdeck:nodePool:update',
  'clusterdeck:cluster:upgrade',
  'clusterdeck:cluster:retire',
  'clusterdeck:gitops:fetch',
  'clusterdeck:gitops:commit',
  'clusterdeck:manifests:apply',
  'clusterdeck:account:create',
  'clusterdeck:account:bootstrap',
];
