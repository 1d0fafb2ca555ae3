import type { KubeObject } from '@clusterdeck/plugin-aws-clusters-node';
import type { StoredClusterRequest } from '../database/ClusterdeckDatabase';
import type { ClusterRecord, PoolRecord } from './buildFleetModel';
import { provisioningTimeline } from './provisioningTimeline';

/*
 * Condition sequences written from Cluster API's and CAPA's documentation of how a cluster
 * provisions: CAPA's AWSCluster controller reconciles the network in order (VPC, secondary CIDRs,
 * subnets, internet gateway, NAT gateways, route tables), then the security groups, the bastion
 * and the API load balancer, setting each condition False with a `…CreationStarted` (Info) or
 * `…ReconciliationFailed` (Error) reason while it works and True when done. Cluster API then
 * marks the Cluster's InfrastructureReady, ControlPlaneInitialized and (v1beta2)
 * ControlPlaneAvailable; MachinePools report ready replicas. Deletion walks back: load balancer,
 * bastion, security groups, then route tables, NAT gateways, internet gateway, subnets and the
 * VPC, each False `Deleting` then False `Deleted`, or `DeletingFailed` (Warning) on an error.
 */

const REF = 'mc-prod/org-payments/pay-api';
const T = (minute: number) =>
  new Date(Date.UTC(2026, 10, 20, 9, minute)).toISOString();

const request: StoredClusterRequest = {
  ref: REF,
  owner: 'group:default/payments',
  request: {},
  createdBy: 'user:default/alice',
  createdAt: T(0),
  branch: 'clusterdeck/payments/pay-api/create',
};

function cond(
  type: string,
  status: 'True' | 'False',
  at: number,
  extra: { reason?: string; message?: string; severity?: string } = {},
) {
  return { type, status, lastTransitionTime: T(at), ...extra };
}

function cluster(conditions: any[], extra: Record<string, unknown> = {}) {
  return {
    apiVersion: 'cluster.x-k8s.io/v1beta2',
    kind: 'Cluster',
    metadata: {
      name: 'pay-api',
      namespace: 'org-payments',
      creationTimestamp: T(2),
      ...extra,
    },
    spec: {},
    status: { phase: 'Provisioning', conditions },
  } as KubeObject;
}

function awsCluster(conditions: any[], kind = 'AWSCluster'): KubeObject {
  return {
    apiVersion: 'infrastructure.cluster.x-k8s.io/v1beta2',
    kind,
    metadata: { name: 'pay-api', namespace: 'org-payments' },
    spec: {},
    status: { conditions },
  };
}

function pool(
  name: string,
  replicas: number,
  ready: number,
  infraConditions: any[],
  readyCondition?: any,
): PoolRecord {
  return {
    name,
    kind: 'asg',
    machinePool: {
      apiVersion: 'cluster.x-k8s.io/v1beta2',
      kind: 'MachinePool',
      metadata: { name: `pay-api-${name}`, namespace: 'org-payments' },
      spec: { replicas },
      status: {
        readyReplicas: ready,
        conditions: readyCondition ? [readyCondition] : [],
      },
    },
    infrastructure: {
      apiVersion: 'infrastructure.cluster.x-k8s.io/v1beta2',
      kind: 'AWSMachinePool',
      metadata: { name: `pay-api-${name}`, namespace: 'org-payments' },
      status: { conditions: infraConditions },
    },
    state: { desired: replicas, ready } as PoolRecord['state'],
  };
}

function record(
  c: KubeObject,
  infra: KubeObject | undefined,
  pools: PoolRecord[] = [],
  flavor: 'ec2' | 'eks' = 'ec2',
): ClusterRecord {
  return {
    ref: REF,
    name: 'pay-api',
    namespace: 'org-payments',
    managementCluster: 'mc-prod',
    flavor,
    cluster: c,
    infrastructure: infra,
    pools,
  } as unknown as ClusterRecord;
}

const NETWORK_DONE = [
  cond('VpcReady', 'True', 4),
  cond('SubnetsReady', 'True', 5),
  cond('InternetGatewayReady', 'True', 6),
  cond('NatGatewaysReady', 'True', 9),
  cond('RouteTablesReady', 'True', 10),
  cond('ClusterSecurityGroupsReady', 'True', 11),
];

describe('provisioningTimeline (EC2, CAPA AWSCluster)', () => {
  it('waits for the management cluster while only the request exists', () => {
    const t = provisioningTimeline({ ref: REF, request, now: new Date(T(7)) });
    expect(t.phase).toBe('requested');
    expect(t.steps.map(s => [s.id, s.state])).toEqual([
      ['requested', 'done'],
      ['cluster-object', 'active'],
    ]);
    expect(t.request).toEqual({
      by: 'user:default/alice',
      at: T(0),
      branch: 'clusterdeck/payments/pay-api/create',
    });
    expect(t.blocking).toMatchObject({
      stepId: 'cluster-object',
      since: T(0),
      forMs: 7 * 60_000,
    });
    expect(t.blocking?.message).toContain(
      'clusterdeck/payments/pay-api/create',
    );
  });

  it('shows the VPC being created as the blocking step with its reason', () => {
    const t = provisioningTimeline({
      ref: REF,
      request,
      record: record(
        cluster([cond('InfrastructureReady', 'False', 2)]),
        awsCluster([
          cond('VpcReady', 'False', 3, {
            reason: 'VpcCreationStarted',
            severity: 'Info',
          }),
        ]),
      ),
      now: new Date(T(4)),
    });
    expect(t.phase).toBe('provisioning');
    expect(t.steps.slice(0, 4).map(s => [s.id, s.state])).toEqual([
      ['requested', 'done'],
      ['cluster-object', 'done'],
      ['VpcReady', 'active'],
      ['SubnetsReady', 'pending'],
    ]);
    expect(t.blocking).toEqual({
      stepId: 'VpcReady',
      title: 'VPC',
      reason: 'VpcCreationStarted',
      since: T(2),
      forMs: 2 * 60_000,
    });
  });

  it('dates each done step and counts the block from the last step done', () => {
    const t = provisioningTimeline({
      ref: REF,
      request,
      record: record(
        cluster([cond('InfrastructureReady', 'False', 2)]),
        awsCluster([
          cond('VpcReady', 'True', 4),
          cond('SubnetsReady', 'True', 5),
          cond('InternetGatewayReady', 'True', 6),
          cond('NatGatewaysReady', 'False', 6, {
            reason: 'NatGatewaysCreationStarted',
            severity: 'Info',
          }),
        ]),
      ),
      now: new Date(T(8)),
    });
    const byId = Object.fromEntries(t.steps.map(s => [s.id, s]));
    expect(byId.VpcReady).toMatchObject({ state: 'done', at: T(4) });
    expect(byId.InternetGatewayReady).toMatchObject({
      state: 'done',
      at: T(6),
    });
    expect(t.blocking).toMatchObject({
      stepId: 'NatGatewaysReady',
      reason: 'NatGatewaysCreationStarted',
      since: T(6),
      forMs: 2 * 60_000,
    });
    expect(t.lastProgressAt).toBe(T(6));
    // Bastion and secondary CIDRs are optional: not listed until CAPA sets them.
    expect(byId.BastionHostReady).toBeUndefined();
    expect(byId.LoadBalancerReady.state).toBe('pending');
  });

  it('reports a reconciliation error as a failed step with its message', () => {
    const t = provisioningTimeline({
      ref: REF,
      record: record(
        cluster([]),
        awsCluster([
          cond('VpcReady', 'True', 4),
          cond('SubnetsReady', 'False', 5, {
            reason: 'SubnetsReconciliationFailed',
            severity: 'Error',
            message:
              'failed to create subnet: InvalidSubnet.Conflict: the CIDR conflicts with another subnet',
          }),
        ]),
      ),
      now: new Date(T(20)),
    });
    expect(t.phase).toBe('failed');
    expect(t.blocking).toMatchObject({
      stepId: 'SubnetsReady',
      reason: 'SubnetsReconciliationFailed',
      message:
        'failed to create subnet: InvalidSubnet.Conflict: the CIDR conflicts with another subnet',
    });
    expect(t.steps.find(s => s.id === 'SubnetsReady')?.state).toBe('failed');
    // No request record: the timeline starts at the Cluster object.
    expect(t.steps[0].id).toBe('cluster-object');
  });

  it('leaves out gateways CAPA does not manage in an adopted VPC', () => {
    // An unmanaged VPC: CAPA sets VpcReady and SubnetsReady, never the gateway conditions.
    const t = provisioningTimeline({
      ref: REF,
      record: record(
        cluster([]),
        awsCluster([
          cond('VpcReady', 'True', 3),
          cond('SubnetsReady', 'True', 3),
          cond('ClusterSecurityGroupsReady', 'True', 4),
          cond('LoadBalancerReady', 'False', 4, {
            reason: 'WaitForDNSName',
            severity: 'Info',
          }),
        ]),
      ),
      now: new Date(T(6)),
    });
    expect(t.steps.map(s => s.id)).not.toContain('NatGatewaysReady');
    expect(t.blocking).toMatchObject({
      stepId: 'LoadBalancerReady',
      reason: 'WaitForDNSName',
      since: T(4),
    });
  });

  it('walks through the control plane and the node pools to ready', () => {
    const infra = awsCluster([
      ...NETWORK_DONE,
      cond('LoadBalancerReady', 'True', 12),
    ]);
    const waitingForControlPlane = provisioningTimeline({
      ref: REF,
      request,
      record: record(
        cluster([
          cond('InfrastructureReady', 'True', 12),
          cond('ControlPlaneInitialized', 'False', 12, {
            reason: 'NotInitialized',
            message: 'Control plane not yet initialized',
          }),
          cond('ControlPlaneAvailable', 'False', 12, {
            reason: 'NotAvailable',
          }),
        ]),
        infra,
        [
          pool('def00', 3, 0, [
            cond('ASGReady', 'False', 12, { reason: 'ASGNotFound' }),
          ]),
        ],
      ),
      now: new Date(T(15)),
    });
    expect(waitingForControlPlane.blocking).toMatchObject({
      stepId: 'ControlPlaneInitialized',
      reason: 'NotInitialized',
      message: 'Control plane not yet initialized',
      since: T(12),
      forMs: 3 * 60_000,
    });

    const poolsComing = provisioningTimeline({
      ref: REF,
      request,
      record: record(
        cluster([
          cond('InfrastructureReady', 'True', 12),
          cond('ControlPlaneInitialized', 'True', 18),
          cond('ControlPlaneAvailable', 'True', 20),
        ]),
        infra,
        [
          pool(
            'def00',
            3,
            1,
            [cond('ASGReady', 'True', 21)],
            cond('Ready', 'False', 21, { reason: 'WaitingForReplicasReady' }),
          ),
        ],
      ),
      now: new Date(T(23)),
    });
    expect(poolsComing.blocking).toMatchObject({
      stepId: 'pool:def00',
      title: 'Node pool def00',
      reason: 'WaitingForReplicasReady',
      since: T(20),
    });
    expect(poolsComing.steps.find(s => s.id === 'pool:def00')?.detail).toBe(
      '1 of 3 nodes ready',
    );

    const ready = provisioningTimeline({
      ref: REF,
      request,
      record: record(
        cluster([
          cond('InfrastructureReady', 'True', 12),
          cond('ControlPlaneInitialized', 'True', 18),
          cond('ControlPlaneAvailable', 'True', 20),
        ]),
        infra,
        [
          pool(
            'def00',
            3,
            3,
            [cond('ASGReady', 'True', 21)],
            cond('Ready', 'True', 25),
          ),
        ],
      ),
      now: new Date(T(26)),
    });
    expect(ready.phase).toBe('ready');
    expect(ready.blocking).toBeUndefined();
    expect(ready.steps.every(s => s.state === 'done')).toBe(true);
    expect(ready.steps.map(s => s.id)).toEqual([
      'requested',
      'cluster-object',
      'VpcReady',
      'SubnetsReady',
      'InternetGatewayReady',
      'NatGatewaysReady',
      'RouteTablesReady',
      'ClusterSecurityGroupsReady',
      'LoadBalancerReady',
      'InfrastructureReady',
      'ControlPlaneInitialized',
      'ControlPlaneAvailable',
      'pool:def00',
    ]);
    expect(ready.lastProgressAt).toBe(T(25));
  });

  it('reads Cluster API v1beta1 clusters (ControlPlaneReady, status.controlPlaneReady)', () => {
    const c = cluster([
      cond('InfrastructureReady', 'True', 12),
      cond('ControlPlaneReady', 'False', 12, {
        reason: 'WaitingForControlPlane',
        severity: 'Info',
      }),
    ]);
    c.status.controlPlaneReady = true;
    const t = provisioningTimeline({
      ref: REF,
      record: record(
        c,
        awsCluster([...NETWORK_DONE, cond('LoadBalancerReady', 'True', 12)]),
      ),
      now: new Date(T(14)),
    });
    expect(t.steps.find(s => s.id === 'ControlPlaneInitialized')?.state).toBe(
      'done',
    );
    expect(t.blocking).toMatchObject({
      stepId: 'ControlPlaneAvailable',
      reason: 'WaitingForControlPlane',
    });
  });
});

describe('provisioningTimeline (EKS, CAPA AWSManagedControlPlane)', () => {
  it('shows the EKS control plane as the blocking step after the network', () => {
    const t = provisioningTimeline({
      ref: REF,
      record: record(
        cluster([cond('InfrastructureReady', 'False', 2)]),
        awsCluster(
          [
            ...NETWORK_DONE,
            cond('IAMControlPlaneRolesReady', 'True', 12),
            cond('EKSControlPlaneCreating', 'True', 12),
            cond('EKSControlPlaneReady', 'False', 12, {
              reason: 'EKSControlPlaneCreating',
              severity: 'Info',
            }),
          ],
          'AWSManagedControlPlane',
        ),
        [],
        'eks',
      ),
      now: new Date(T(22)),
    });
    expect(t.steps.map(s => s.id)).not.toContain('LoadBalancerReady');
    expect(t.blocking).toMatchObject({
      stepId: 'EKSControlPlaneReady',
      title: 'EKS control plane',
      reason: 'EKSControlPlaneCreating',
      since: T(12),
      forMs: 10 * 60_000,
    });
    const ids = t.steps.map(s => s.id);
    expect(ids.indexOf('IAMControlPlaneRolesReady')).toBeLessThan(
      ids.indexOf('EKSControlPlaneReady'),
    );
    expect(ids.indexOf('EKSControlPlaneReady')).toBeLessThan(
      ids.indexOf('EKSAddonsConfigured'),
    );
  });

  it('reports a managed node group that is not ready with its reason', () => {
    const managed = pool('ng1', 2, 0, [
      cond('EKSNodegroupReady', 'False', 30, {
        reason: 'EKSNodegroupReconciliationFailed',
        severity: 'Error',
        message: 'AsgInstanceLaunchFailures: insufficient capacity',
      }),
    ]);
    managed.infrastructure!.kind = 'AWSManagedMachinePool';
    const t = provisioningTimeline({
      ref: REF,
      record: record(
        cluster([
          cond('InfrastructureReady', 'True', 20),
          cond('ControlPlaneInitialized', 'True', 20),
          cond('ControlPlaneAvailable', 'True', 21),
        ]),
        awsCluster(
          [
            ...NETWORK_DONE,
            cond('IAMControlPlaneRolesReady', 'True', 12),
            cond('EKSControlPlaneReady', 'True', 20),
            cond('EKSAddonsConfigured', 'True', 20),
            cond('IAMAuthenticatorConfigured', 'True', 20),
          ],
          'AWSManagedControlPlane',
        ),
        [managed],
        'eks',
      ),
      now: new Date(T(40)),
    });
    expect(t.phase).toBe('failed');
    expect(t.blocking).toMatchObject({
      stepId: 'pool:ng1',
      reason: 'EKSNodegroupReconciliationFailed',
      message: 'AsgInstanceLaunchFailures: insufficient capacity',
    });
    expect(t.steps.find(s => s.id === 'pool:ng1')?.source).toBe(
      'AWSManagedMachinePool pay-api-ng1',
    );
  });
});

describe('provisioningTimeline (deletion)', () => {
  const deleting = (conditions: any[], pools: PoolRecord[] = []) =>
    record(
      cluster([], { deletionTimestamp: T(30) }),
      awsCluster(conditions),
      pools,
    );

  it('runs in reverse: pools, load balancer, security groups, network, VPC', () => {
    const t = provisioningTimeline({
      ref: REF,
      record: deleting([
        cond('VpcReady', 'True', 4),
        cond('SubnetsReady', 'True', 5),
        cond('InternetGatewayReady', 'True', 6),
        cond('NatGatewaysReady', 'False', 36, {
          reason: 'Deleting',
          severity: 'Info',
        }),
        cond('RouteTablesReady', 'False', 35, {
          reason: 'Deleted',
          severity: 'Info',
        }),
        cond('ClusterSecurityGroupsReady', 'False', 34, {
          reason: 'Deleted',
          severity: 'Info',
        }),
        cond('LoadBalancerReady', 'False', 33, {
          reason: 'Deleted',
          severity: 'Info',
        }),
      ]),
      now: new Date(T(38)),
    });
    expect(t.direction).toBe('delete');
    expect(t.phase).toBe('deleting');
    expect(t.steps.map(s => [s.id, s.state, s.at])).toEqual([
      ['deletion-requested', 'done', T(30)],
      ['LoadBalancerReady', 'done', T(33)],
      ['ClusterSecurityGroupsReady', 'done', T(34)],
      ['RouteTablesReady', 'done', T(35)],
      ['NatGatewaysReady', 'active', undefined],
      ['InternetGatewayReady', 'pending', undefined],
      ['SubnetsReady', 'pending', undefined],
      ['VpcReady', 'pending', undefined],
      ['cluster-object-removed', 'pending', undefined],
    ]);
    expect(t.blocking).toMatchObject({
      stepId: 'NatGatewaysReady',
      title: 'NAT gateways deleted',
      reason: 'Deleting',
      since: T(35),
      forMs: 3 * 60_000,
    });
  });

  it('waits for the node pools first and reports a failed deletion', () => {
    const withPools = provisioningTimeline({
      ref: REF,
      record: deleting(
        [cond('VpcReady', 'True', 4)],
        [pool('def00', 3, 2, [])],
      ),
      now: new Date(T(31)),
    });
    expect(withPools.blocking).toMatchObject({
      stepId: 'pool:def00',
      title: 'Node pool def00 removed',
    });

    const failed = provisioningTimeline({
      ref: REF,
      record: deleting([
        cond('VpcReady', 'False', 40, {
          reason: 'DeletingFailed',
          severity: 'Warning',
          message:
            'DependencyViolation: the vpc has dependencies and cannot be deleted',
        }),
        cond('SubnetsReady', 'False', 39, { reason: 'Deleted' }),
      ]),
      now: new Date(T(50)),
    });
    expect(failed.blocking).toMatchObject({
      stepId: 'VpcReady',
      reason: 'DeletingFailed',
      message:
        'DependencyViolation: the vpc has dependencies and cannot be deleted',
      since: T(39),
    });
    expect(failed.steps.find(s => s.id === 'VpcReady')?.state).toBe('failed');
  });
});
