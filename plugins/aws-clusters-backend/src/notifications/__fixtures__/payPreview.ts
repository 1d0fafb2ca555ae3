import type { KubeObject } from '@clusterdeck/plugin-aws-clusters-node';

/*
 * One EC2 cluster as CAPA and Cluster API report it while it provisions (conditions from CAPA's
 * AWSCluster controller: VpcReady … ClusterSecurityGroupsReady, NatGatewaysReady False with
 * NatGatewaysCreationStarted while the gateways are made, or NatGatewaysReconciliationFailed
 * (Error) when the account's Elastic IPs are used up, LoadBalancerReady; Cluster API's
 * InfrastructureReady, ControlPlaneInitialized, ControlPlaneAvailable, RemoteConnectionProbe),
 * then ready, degraded (RemoteConnectionProbe False) or being deleted.
 */

export const REF = 'mc-eu-dev/org-payments/pay-preview';
export const OWNER = 'group:default/payments';
export const T = (minute: number) => new Date(Date.UTC(2026, 11, 7, 9, minute));
export const at = (minute: number) => T(minute).toISOString();

const cond = (
  type: string,
  status: 'True' | 'False',
  minute: number,
  extra: Record<string, string> = {},
) => ({ type, status, lastTransitionTime: at(minute), ...extra });

const NETWORK = [
  cond('VpcReady', 'True', 1),
  cond('SubnetsReady', 'True', 2),
  cond('InternetGatewayReady', 'True', 3),
];
const NAT_CREATING = cond('NatGatewaysReady', 'False', 3, {
  reason: 'NatGatewaysCreationStarted',
  severity: 'Info',
  message: 'NAT gateways are being created',
});
const INFRA_DONE = [
  ...NETWORK,
  cond('NatGatewaysReady', 'True', 6),
  cond('RouteTablesReady', 'True', 7),
  cond('ClusterSecurityGroupsReady', 'True', 8),
  cond('LoadBalancerReady', 'True', 9),
];

export type Stage =
  | 'nat'
  | 'pools'
  | 'ready'
  | 'degraded'
  | 'failed'
  | 'deleting';

export function objects(stage: Stage, uid = 'uid-1') {
  const provisioned = !['nat', 'failed'].includes(stage);
  const clusterConditions = provisioned
    ? [
        cond('InfrastructureReady', 'True', 9),
        cond('ControlPlaneInitialized', 'True', 11),
        cond('ControlPlaneAvailable', 'True', 11),
        stage === 'degraded'
          ? cond('RemoteConnectionProbe', 'False', 30, {
              reason: 'ProbeFailed',
              message: 'Remote connection probe failed',
            })
          : cond('RemoteConnectionProbe', 'True', 11),
      ]
    : [
        cond('InfrastructureReady', 'False', 0, { reason: 'NotReady' }),
        cond('ControlPlaneInitialized', 'False', 0, {
          reason: 'NotInitialized',
        }),
      ];
  const infraConditions: Record<Stage, object[]> = {
    nat: [...NETWORK, NAT_CREATING],
    failed: [
      ...NETWORK,
      cond('NatGatewaysReady', 'False', 4, {
        reason: 'NatGatewaysReconciliationFailed',
        severity: 'Error',
        message:
          'failed to create one or more IP addresses for NAT gateways: AddressLimitExceeded',
      }),
    ],
    pools: INFRA_DONE,
    ready: INFRA_DONE,
    degraded: INFRA_DONE,
    deleting: INFRA_DONE,
  };
  const cluster: KubeObject = {
    apiVersion: 'cluster.x-k8s.io/v1beta2',
    kind: 'Cluster',
    metadata: {
      name: 'pay-preview',
      namespace: 'org-payments',
      uid,
      creationTimestamp: at(0),
      annotations: { 'clusterdeck.io/requested-by': 'user:default/guest' },
      ...(stage === 'deleting' ? { deletionTimestamp: at(40) } : {}),
    },
    spec: {
      controlPlaneRef: {
        apiGroup: 'controlplane.cluster.x-k8s.io',
        kind: 'KubeadmControlPlane',
        name: 'pay-preview-control-plane',
      },
      infrastructureRef: {
        apiGroup: 'infrastructure.cluster.x-k8s.io',
        kind: 'AWSCluster',
        name: 'pay-preview',
      },
    },
    status: {
      phase: provisioned ? 'Provisioned' : 'Provisioning',
      conditions: clusterConditions,
    },
  };
  const infrastructure: KubeObject = {
    apiVersion: 'infrastructure.cluster.x-k8s.io/v1beta2',
    kind: 'AWSCluster',
    metadata: { name: 'pay-preview', namespace: 'org-payments' },
    status: { ready: provisioned, conditions: infraConditions[stage] },
  };
  return { cluster, infrastructure };
}

/** The cluster's node pool as Cluster API reports it, `ready` of 2 replicas ready. */
export function machinePool(name: string, ready: number): KubeObject {
  return {
    apiVersion: 'cluster.x-k8s.io/v1beta2',
    kind: 'MachinePool',
    metadata: {
      name: `pay-preview-${name}`,
      namespace: 'org-payments',
      labels: { 'cluster.x-k8s.io/cluster-name': 'pay-preview' },
    },
    spec: { clusterName: 'pay-preview', replicas: 2 },
    status: { readyReplicas: ready },
  };
}
