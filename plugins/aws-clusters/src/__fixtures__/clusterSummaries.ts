import type {
  ClusterSummary,
  IsolationFinding,
} from '@clusterdeck/plugin-aws-clusters-common';

const base: ClusterSummary = {
  ref: 'mc-prod/org-payments/pay-prod',
  name: 'pay-prod',
  namespace: 'org-payments',
  managementCluster: 'mc-prod',
  owner: 'group:default/payments',
  ownerSource: 'annotation',
  accountId: '123456789012',
  accountName: 'production',
  environment: 'production',
  region: 'eu-west-1',
  flavor: 'ec2',
  kubernetesVersion: '1.31.4',
  status: 'ready',
  apiMode: 'private',
  nodes: { desired: 6, ready: 6, min: 3, max: 10 },
  nodePools: 2,
  createdAt: '2026-10-01T00:00:00Z',
  // Judged on 2026-08-01 against EKS's calendar (1.31: extended support through 2026-11-26).
  versionSupport: {
    status: 'extended',
    kubernetes: {
      kind: 'kubernetes',
      version: '1.31',
      status: 'extended',
      phase: 'extended',
      endsOn: '2026-11-26',
      daysLeft: 117,
    },
  },
  cost: {
    status: 'ok',
    thisMonth: {
      month: '2026-08',
      amount: 1240.5,
      unit: 'USD',
      estimated: true,
    },
    lastMonth: {
      month: '2026-07',
      amount: 2980,
      unit: 'USD',
      estimated: false,
    },
  },
};

/** Four clusters of two teams over two accounts, management clusters, flavors and versions. */
export const clusterSummaries: ClusterSummary[] = [
  base,
  {
    ...base,
    ref: 'mc-dev/org-payments/pay-dev',
    name: 'pay-dev',
    namespace: 'org-payments',
    managementCluster: 'mc-dev',
    accountId: '444455556666',
    accountName: 'development',
    environment: 'development',
    flavor: 'eks',
    kubernetesVersion: '1.9',
    status: 'degraded',
    statusReason: 'pool spot0 is 3 short of its desired 20',
    nodes: { desired: 20, ready: 17, min: 0, max: 20 },
    nodePools: 1,
    createdAt: '2026-11-20T00:00:00Z',
    versionSupport: {
      status: 'unknown',
      kubernetes: {
        kind: 'kubernetes',
        version: '1.9',
        status: 'unknown',
        phase: 'none',
      },
    },
    cost: {
      status: 'ok',
      lastMonth: {
        month: '2026-07',
        amount: 80,
        unit: 'USD',
        estimated: false,
      },
    },
  },
  {
    ...base,
    ref: 'mc-prod/org-web/web-prod',
    name: 'web-prod',
    namespace: 'org-web',
    owner: 'group:default/web',
    kubernetesVersion: '1.30.2',
    status: 'creating',
    statusReason: 'control plane not initialized',
    nodes: { desired: 3, ready: 0, min: 3, max: 6 },
    nodePools: 4,
    createdAt: '2026-11-25T00:00:00Z',
    // EKS's 1.30 left extended support after 2026-07-23.
    versionSupport: {
      status: 'unsupported',
      kubernetes: {
        kind: 'kubernetes',
        version: '1.30',
        status: 'unsupported',
        phase: 'none',
        endsOn: '2026-07-23',
        daysLeft: -9,
      },
    },
    cost: { status: 'tag-not-active' },
  },
  {
    ...base,
    ref: 'mc-dev/org-web/web-dev, "lab"',
    name: 'web-dev, "lab"',
    namespace: 'org-web',
    managementCluster: 'mc-dev',
    owner: 'group:default/web',
    accountId: undefined,
    accountName: undefined,
    environment: undefined,
    region: undefined,
    kubernetesVersion: undefined,
    status: 'requested',
    nodes: { desired: 0, ready: 0, min: 1, max: 3 },
    nodePools: 1,
    createdAt: undefined,
    description: '=HYPERLINK("http://evil")',
    release: '32.0.0',
    versionSupport: {
      status: 'ending-soon',
      release: {
        kind: 'release',
        version: '32.0.0',
        status: 'ending-soon',
        phase: 'standard',
        endsOn: '2026-09-30',
        daysLeft: 60,
      },
    },
    cost: undefined,
  },
];

/** A critical finding on pay-prod and an accepted one on pay-dev. */
export const clusterFindings: IsolationFinding[] = [
  {
    severity: 'critical',
    code: 'public-production-api',
    title: 'Production API reachable from anywhere',
    explanation: '…',
    subjects: ['mc-prod/org-payments/pay-prod', '123456789012'],
  },
  {
    severity: 'warning',
    code: 'teams-share-account',
    title: '2 teams have clusters in account production',
    explanation: '…',
    subjects: ['mc-prod/org-payments/pay-prod', 'mc-prod/org-web/web-prod'],
  },
  {
    severity: 'info',
    code: 'mixed-environments-in-account',
    title: 'accepted',
    explanation: '…',
    subjects: ['mc-dev/org-payments/pay-dev'],
    accepted: { severity: 'warning', reason: 'lab account' },
  },
];
