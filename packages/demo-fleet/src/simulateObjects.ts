import type { KubeObject } from '@clusterdeck/plugin-aws-clusters-node';
import type { FleetRoleIdentity } from './fleetDefinition';
import type { ControlPlaneOutcome } from './simulateControlPlane';
import type { ClusterNetwork } from './simulateNetwork';
import type { PoolOutcome } from './simulateNodePools';
import { ClusterPlan, SimulationContext } from './simulationContext';

/** Everything AWS says about one cluster that its management-cluster objects report back. */
export interface ClusterOutcome {
  plan: ClusterPlan;
  network: ClusterNetwork;
  controlPlane: ControlPlaneOutcome;
  pools: PoolOutcome[];
}

/** Kubernetes timestamps have whole seconds. */
export function kubeTime(ms: number): string {
  return new Date(Math.floor(ms / 1000) * 1000)
    .toISOString()
    .replace('.000Z', 'Z');
}

/** A metav1.Condition, as CAPI v1beta2 writes them (reason and message always present). */
/** A cluster whose infrastructure stands: provisioned, or being deleted. */
function isUp(plan: ClusterPlan): boolean {
  return plan.state === 'provisioned' || plan.state === 'deleting';
}

function condition(
  type: string,
  status: boolean | 'Unknown',
  reason: string,
  at: number,
  message = '',
) {
  const value = ({ true: 'True', false: 'False', Unknown: 'Unknown' } as const)[
    String(status) as 'true' | 'false' | 'Unknown'
  ];
  return {
    type,
    status: value,
    observedGeneration: 1,
    lastTransitionTime: kubeTime(at),
    reason,
    message,
  };
}

/** A CAPA (v1beta1-style) condition: true ones carry no reason, false ones a reason and severity. */
function capaCondition(
  type: string,
  ok: boolean,
  at: number,
  why?: {
    reason: string;
    severity: 'Error' | 'Warning' | 'Info';
    message?: string;
  },
) {
  return {
    type,
    status: ok ? 'True' : 'False',
    lastTransitionTime: kubeTime(at),
    ...(ok || !why
      ? {}
      : {
          reason: why.reason,
          severity: why.severity,
          ...(why.message ? { message: why.message } : {}),
        }),
  };
}

const DEFAULT_FAILURE =
  'failed to create one or more IP addresses for NAT gateways: AddressLimitExceeded: The maximum number of addresses has been reached.';

function failureOf(plan: ClusterPlan): string {
  return plan.scenario.failureMessage ?? DEFAULT_FAILURE;
}

/** The moment the cluster became ready (or the snapshot, for clusters that never did). */
function readyAt(ctx: SimulationContext, plan: ClusterPlan): number {
  return Math.min(plan.createdAt + 18 * 60_000, ctx.now);
}

/** What a pool's objects are made from: the fleet, the cluster's outcome and the pool's. */
interface PoolObjectSite {
  ctx: SimulationContext;
  outcome: ClusterOutcome;
  pool: PoolOutcome;
}

function withMetadata(
  ctx: SimulationContext,
  outcome: ClusterOutcome,
  object: KubeObject,
  owner?: KubeObject,
): KubeObject {
  const { plan } = outcome;
  const deleting =
    plan.state === 'deleting' &&
    [
      'Cluster',
      'MachinePool',
      'AWSMachinePool',
      'AWSManagedMachinePool',
      'KarpenterMachinePool',
    ].includes(object.kind);
  return {
    ...object,
    metadata: {
      ...object.metadata,
      uid: ctx.ids.uuid(`${plan.key}/${object.kind}/${object.metadata.name}`),
      creationTimestamp: kubeTime(plan.createdAt),
      ...(deleting
        ? { deletionTimestamp: kubeTime(ctx.now - 9 * 60_000) }
        : {}),
      ...(owner
        ? {
            ownerReferences: [
              {
                apiVersion: owner.apiVersion,
                kind: owner.kind,
                name: owner.metadata.name,
                uid: owner.metadata.uid,
              },
            ],
          }
        : {}),
    },
  };
}

function scalingUpMessage(pools: PoolOutcome[]): string {
  return pools
    .filter(p => p.instances.length < p.pool.desired)
    .map(
      p =>
        `* MachinePool ${p.pool.objectName} is scaling up to ${p.pool.desired} replicas`,
    )
    .join('\n');
}

function clusterConditions(ctx: SimulationContext, outcome: ClusterOutcome) {
  const { plan } = outcome;
  const at = readyAt(ctx, plan);
  const infraKind =
    plan.flavor === 'eks' ? 'AWSManagedControlPlane' : 'AWSCluster';
  const scaling = scalingUpMessage(outcome.pools);
  const common = [
    condition('RollingOut', false, 'NotRollingOut', at),
    condition(
      'ScalingUp',
      !!scaling,
      scaling ? 'ScalingUp' : 'NotScalingUp',
      scaling ? ctx.now - 20 * 60_000 : at,
      scaling,
    ),
    condition('Paused', false, 'NotPaused', plan.createdAt),
  ];
  switch (plan.state) {
    case 'provisioning': {
      const waiting =
        plan.flavor === 'eks'
          ? '* EKSControlPlaneReady: EKS control plane is being created'
          : '* NatGatewaysReady: NAT gateways are being created';
      return [
        condition(
          'Available',
          false,
          'NotAvailable',
          plan.createdAt,
          `* InfrastructureReady: ${waiting.slice(2)}`,
        ),
        condition(
          'InfrastructureReady',
          false,
          'NotReady',
          plan.createdAt,
          waiting,
        ),
        condition(
          'ControlPlaneInitialized',
          false,
          'NotInitialized',
          plan.createdAt,
          'Control plane not yet initialized',
        ),
        condition(
          'ControlPlaneAvailable',
          false,
          'NotAvailable',
          plan.createdAt,
          `${infraKind} infrastructure is not provisioned yet`,
        ),
        condition(
          'WorkersAvailable',
          'Unknown',
          'NotAvailable',
          plan.createdAt,
          'Waiting for the control plane to be initialized',
        ),
        condition(
          'RemoteConnectionProbe',
          false,
          'ProbeFailed',
          plan.createdAt,
          'Remote connection not established yet',
        ),
        condition('Deleting', false, 'NotDeleting', plan.createdAt),
        ...common,
      ];
    }
    case 'failed': {
      const failure = `* NatGatewaysReady: ${failureOf(plan)}`;
      return [
        condition(
          'Available',
          false,
          'NotAvailable',
          at,
          `* InfrastructureReady:\n  ${failure}`,
        ),
        condition('InfrastructureReady', false, 'NotReady', at, failure),
        condition(
          'ControlPlaneInitialized',
          false,
          'NotInitialized',
          at,
          'Control plane not yet initialized',
        ),
        condition(
          'ControlPlaneAvailable',
          false,
          'NotAvailable',
          at,
          `${infraKind} infrastructure is not provisioned`,
        ),
        condition(
          'WorkersAvailable',
          'Unknown',
          'NotAvailable',
          at,
          'Waiting for the control plane to be initialized',
        ),
        condition(
          'RemoteConnectionProbe',
          false,
          'ProbeFailed',
          at,
          'Remote connection not established yet',
        ),
        condition('Deleting', false, 'NotDeleting', plan.createdAt),
        ...common,
      ];
    }
    default: {
      const deleting = plan.state === 'deleting';
      const pools = outcome.pools.map(p => p.pool.objectName).join(', ');
      return [
        deleting
          ? condition(
              'Available',
              false,
              'NotAvailable',
              ctx.now - 9 * 60_000,
              '* Deleting: Cluster is being deleted',
            )
          : condition('Available', true, 'Available', at),
        condition('InfrastructureReady', true, 'Ready', at),
        condition('ControlPlaneInitialized', true, 'Initialized', at),
        condition('ControlPlaneAvailable', true, 'Available', at),
        condition('WorkersAvailable', true, 'Available', at),
        condition('RemoteConnectionProbe', true, 'ProbeSucceeded', at),
        deleting
          ? condition(
              'Deleting',
              true,
              'WaitingForWorkersDeletion',
              ctx.now - 9 * 60_000,
              `* MachinePools: ${pools}`,
            )
          : condition('Deleting', false, 'NotDeleting', plan.createdAt),
        ...common,
      ];
    }
  }
}

function replicaCounts(pools: PoolOutcome[]) {
  const sum = (f: (p: PoolOutcome) => number) =>
    pools.reduce((total, p) => total + f(p), 0);
  return {
    desiredReplicas: sum(p =>
      p.pool.spec.type === 'karpenter' ? p.instances.length : p.pool.desired,
    ),
    replicas: sum(p => p.instances.length),
    readyReplicas: sum(
      p => p.instances.filter(i => i.phase === 'running').length,
    ),
    availableReplicas: sum(
      p => p.instances.filter(i => i.phase === 'running').length,
    ),
    upToDateReplicas: sum(p => p.instances.length),
  };
}

function clusterStatus(ctx: SimulationContext, outcome: ClusterOutcome) {
  const { plan, controlPlane } = outcome;
  const up = isUp(plan);
  const phase = {
    provisioned: 'Provisioned',
    provisioning: 'Provisioning',
    deleting: 'Deleting',
    failed: 'Failed',
  }[plan.state];
  const cpMachines = controlPlane.instances.length;
  const cpReady = controlPlane.instances.filter(
    i => i.phase === 'running',
  ).length;
  return {
    observedGeneration: 1,
    phase,
    initialization: {
      infrastructureProvisioned: up,
      controlPlaneInitialized: up,
    },
    ...(plan.flavor === 'ec2'
      ? {
          controlPlane: {
            desiredReplicas: 3,
            replicas: cpMachines,
            readyReplicas: cpReady,
            availableReplicas: cpReady,
            upToDateReplicas: cpMachines,
          },
        }
      : {}),
    workers: replicaCounts(outcome.pools),
    ...(up
      ? {
          failureDomains: plan.resolved.availabilityZones.map(name => ({
            name,
            controlPlane: plan.flavor === 'ec2',
          })),
        }
      : {}),
    conditions: clusterConditions(ctx, outcome),
    deprecated: {
      v1beta1: {
        conditions: ['Ready', 'ControlPlaneReady', 'InfrastructureReady'].map(
          type =>
            up
              ? {
                  type,
                  status: 'True',
                  lastTransitionTime: kubeTime(readyAt(ctx, plan)),
                }
              : {
                  type,
                  status: 'False',
                  severity: plan.state === 'failed' ? 'Error' : 'Info',
                  reason:
                    plan.state === 'failed'
                      ? 'NatGatewaysReconciliationFailed'
                      : 'WaitingForInfrastructure',
                  lastTransitionTime: kubeTime(plan.createdAt),
                },
        ),
        ...(plan.state === 'failed'
          ? { failureReason: 'CreateError', failureMessage: failureOf(plan) }
          : {}),
      },
    },
  };
}

function clusterObject(
  ctx: SimulationContext,
  outcome: ClusterOutcome,
  rendered: KubeObject,
): KubeObject {
  const endpoint = outcome.controlPlane.endpoint;
  return {
    ...withMetadata(ctx, outcome, rendered),
    spec: {
      ...rendered.spec,
      ...(endpoint ? { controlPlaneEndpoint: endpoint } : {}),
    },
    status: clusterStatus(ctx, outcome),
  };
}

/** The network spec with what CAPA writes back once the resources exist: ids, tables, gateways. */
function networkWithIds(outcome: ClusterOutcome, network: any) {
  const { network: net, plan } = outcome;
  if (plan.state === 'provisioning') return network;
  return {
    ...network,
    vpc: {
      ...network.vpc,
      id: net.vpc.id,
      cidrBlock: network.vpc.cidrBlock ?? net.vpc.cidrs[0],
      ...(net.vpc.internetGatewayId && net.created
        ? { internetGatewayId: net.vpc.internetGatewayId }
        : {}),
    },
    subnets: network.subnets.map((subnet: any, i: number) => {
      const facts = net.subnets[i];
      return {
        ...subnet,
        resourceID: facts.id,
        cidrBlock: subnet.cidrBlock ?? facts.cidr,
        ...(facts.routeTableId ? { routeTableId: facts.routeTableId } : {}),
        ...(facts.natGatewayId ? { natGatewayId: facts.natGatewayId } : {}),
      };
    }),
  };
}

function networkStatus(outcome: ClusterOutcome) {
  const { controlPlane, network } = outcome;
  const groups = Object.fromEntries(
    Object.entries(controlPlane.securityGroups).map(([role, id]) => [
      role,
      { id, name: `${outcome.plan.name}-${role}` },
    ]),
  );
  const lb = controlPlane.apiLoadBalancer;
  return {
    ...(lb
      ? {
          apiServerElb: {
            name: lb.name,
            arn: lb.arn,
            dnsName: lb.dnsName,
            scheme: lb.scheme,
            loadBalancerType: 'nlb',
            availabilityZones: lb.subnets.map(s => s.zone),
            subnetIds: lb.subnets.map(s => s.id),
            securityGroupIds: [controlPlane.securityGroups['apiserver-lb']],
          },
        }
      : {}),
    natGatewaysIPs: network.vpc.natGateways.map(n => n.publicIp),
    securityGroups: groups,
  };
}

/** CAPA's network conditions for the cluster's state. */
function networkConditions(
  ctx: SimulationContext,
  plan: ClusterPlan,
  extra: string[],
) {
  const at = readyAt(ctx, plan);
  const all = [
    'VpcReady',
    'SubnetsReady',
    'InternetGatewayReady',
    'NatGatewaysReady',
    'RouteTablesReady',
    'ClusterSecurityGroupsReady',
    'PrincipalCredentialRetrieved',
    'PrincipalUsageAllowed',
    ...extra,
  ];
  let failing: Record<
    string,
    { reason: string; severity: 'Error' | 'Info'; message?: string }
  > = {};
  if (plan.state === 'failed') {
    failing = {
      NatGatewaysReady: {
        reason: 'NatGatewaysReconciliationFailed',
        severity: 'Error',
        message: failureOf(plan),
      },
    };
  } else if (plan.state === 'provisioning') {
    failing = {
      NatGatewaysReady: {
        reason: 'NatGatewaysCreationStarted',
        severity: 'Info',
      },
      LoadBalancerReady: { reason: 'WaitForDNSName', severity: 'Info' },
      EKSControlPlaneReady: {
        reason: 'EKSControlPlaneCreating',
        severity: 'Info',
        message: 'EKS control plane is being created',
      },
      EKSAddonsConfigured: {
        reason: 'WaitingForEKSControlPlane',
        severity: 'Info',
      },
    };
  }
  const conditions = all.map(type =>
    capaCondition(
      type,
      !failing[type],
      failing[type] ? plan.createdAt : at,
      failing[type],
    ),
  );
  const firstFailure = all.map(type => failing[type]).find(Boolean);
  return [
    ...conditions,
    capaCondition(
      'Ready',
      !firstFailure,
      firstFailure ? plan.createdAt : at,
      firstFailure,
    ),
  ];
}

/** The rendered spec with the network's ids and the API endpoint, as CAPA writes them back. */
function specWithNetwork(outcome: ClusterOutcome, rendered: KubeObject) {
  const { controlPlane } = outcome;
  return {
    ...rendered.spec,
    network: networkWithIds(outcome, rendered.spec.network),
    ...(controlPlane.endpoint
      ? { controlPlaneEndpoint: controlPlane.endpoint }
      : {}),
  };
}

/** The cluster's zones as CAPA reports them once it is up, for control planes or not. */
function failureDomains(plan: ClusterPlan, controlPlane: boolean) {
  if (!isUp(plan)) return {};
  return {
    failureDomains: Object.fromEntries(
      plan.resolved.availabilityZones.map(zone => [zone, { controlPlane }]),
    ),
  };
}

function awsClusterObject(
  ctx: SimulationContext,
  outcome: ClusterOutcome,
  rendered: KubeObject,
  owner: KubeObject,
): KubeObject {
  const { plan } = outcome;
  return {
    ...withMetadata(ctx, outcome, rendered, owner),
    spec: specWithNetwork(outcome, rendered),
    status: {
      ready: isUp(plan),
      ...failureDomains(plan, true),
      networkStatus: networkStatus(outcome),
      conditions: networkConditions(ctx, plan, ['LoadBalancerReady']),
    },
  };
}

function managedControlPlaneObject(
  ctx: SimulationContext,
  outcome: ClusterOutcome,
  rendered: KubeObject,
  owner: KubeObject,
): KubeObject {
  const { plan, controlPlane } = outcome;
  const up = isUp(plan);
  const issuer = controlPlane.eks?.oidcIssuer;
  return {
    ...withMetadata(ctx, outcome, rendered, owner),
    spec: specWithNetwork(outcome, rendered),
    status: {
      ready: up,
      initialized: up,
      externalManagedControlPlane: true,
      ...(up ? { version: plan.kubernetesVersion } : {}),
      ...failureDomains(plan, false),
      ...(issuer
        ? {
            oidcProvider: {
              arn: `arn:aws:iam::${
                plan.accountId
              }:oidc-provider/${issuer.replace('https://', '')}`,
            },
          }
        : {}),
      networkStatus: networkStatus(outcome),
      conditions: networkConditions(ctx, plan, [
        'IAMControlPlaneRolesReady',
        'EKSControlPlaneReady',
        'EKSAddonsConfigured',
      ]),
    },
  };
}

function poolPhase(plan: ClusterPlan, outcome: PoolOutcome): string {
  if (plan.state === 'deleting') return 'Deleting';
  if (plan.state !== 'provisioned' || !outcome.pool.groupCreated)
    return plan.state === 'failed' ? 'Failed' : 'Provisioning';
  return outcome.instances.length < outcome.pool.desired
    ? 'ScalingUp'
    : 'Running';
}

function machinePoolObject(
  site: PoolObjectSite,
  rendered: KubeObject,
  owner: KubeObject,
): KubeObject {
  const { ctx, outcome, pool } = site;
  const { plan } = outcome;
  const up = isUp(plan) && pool.pool.groupCreated;
  const ready = pool.instances.filter(i => i.phase === 'running').length;
  const at = readyAt(ctx, plan);
  const scaling =
    pool.instances.length < pool.pool.desired && plan.state === 'provisioned';
  const karpenter = pool.pool.spec.type === 'karpenter';
  return {
    ...withMetadata(ctx, outcome, rendered, owner),
    spec: {
      ...rendered.spec,
      // Karpenter sizes its pools itself; the others' replicas are what the autoscaler last set.
      ...(karpenter ? {} : { replicas: pool.pool.desired }),
      ...(pool.instances.length
        ? {
            providerIDList: pool.instances.map(i => `aws:///${i.zone}/${i.id}`),
          }
        : {}),
    },
    status: {
      observedGeneration: 1,
      phase: poolPhase(plan, pool),
      replicas: pool.instances.length,
      readyReplicas: ready,
      availableReplicas: ready,
      upToDateReplicas: pool.instances.length,
      initialization: {
        bootstrapDataSecretCreated: up,
        infrastructureProvisioned: up,
      },
      conditions: [
        condition(
          'Available',
          up && (ready > 0 || pool.pool.desired === 0),
          up ? 'Available' : 'NotAvailable',
          at,
        ),
        condition('BootstrapConfigReady', up, up ? 'Ready' : 'NotReady', at),
        condition(
          'InfrastructureReady',
          up,
          up ? 'Ready' : 'NotReady',
          at,
          up ? '' : 'Waiting for the cluster infrastructure',
        ),
        condition(
          'ScalingUp',
          scaling,
          scaling ? 'ScalingUp' : 'NotScalingUp',
          scaling ? ctx.now - 20 * 60_000 : at,
          scaling
            ? `Scaling up from ${pool.instances.length} to ${pool.pool.desired} replicas`
            : '',
        ),
        condition('Paused', false, 'NotPaused', plan.createdAt),
      ],
    },
  };
}

function poolInfraStatus(
  ctx: SimulationContext,
  outcome: ClusterOutcome,
  pool: PoolOutcome,
) {
  const { plan } = outcome;
  const up = isUp(plan) && pool.pool.groupCreated;
  const at = readyAt(ctx, plan);
  // A pool added to a running cluster waits for its group, not for the cluster.
  const waiting =
    pool.pool.groupCreated || plan.state !== 'provisioned'
      ? { reason: 'WaitingForClusterInfrastructure', severity: 'Info' as const }
      : {
          reason: 'ASGNotFound',
          severity: 'Info' as const,
          message: 'the Auto Scaling group is being created',
        };
  switch (pool.pool.spec.type) {
    case 'asg':
      return {
        ready: up,
        replicas: pool.instances.length,
        ...(pool.instances.length
          ? {
              instances: pool.instances.map(i => ({
                instanceID: i.id,
                version: plan.kubernetesVersion,
              })),
            }
          : {}),
        ...(pool.launchTemplateId
          ? {
              launchTemplateID: pool.launchTemplateId,
              launchTemplateVersion: '1',
            }
          : {}),
        ...(plan.state === 'deleting'
          ? { asgStatus: 'Delete in progress' }
          : {}),
        conditions: ['ASGReady', 'LaunchTemplateReady', 'Ready'].map(type =>
          capaCondition(type, up, up ? at : plan.createdAt, waiting),
        ),
      };
    case 'managed': {
      const issue = pool.pool.launchesFailing;
      const degraded = {
        reason: 'EKSNodegroupReconciliationFailed',
        severity: 'Warning' as const,
        message: 'node group is DEGRADED: AsgInstanceLaunchFailures',
      };
      return {
        ready: up,
        replicas: pool.instances.length,
        conditions: [
          capaCondition('IAMNodegroupRolesReady', up, at, waiting),
          capaCondition(
            'EKSNodegroupReady',
            up && !issue,
            up ? ctx.now - 30 * 60_000 : plan.createdAt,
            up ? degraded : waiting,
          ),
          capaCondition(
            'Ready',
            up && !issue,
            up ? ctx.now - 30 * 60_000 : plan.createdAt,
            up ? degraded : waiting,
          ),
        ],
      };
    }
    default:
      return {
        ready: up,
        replicas: pool.instances.length,
        conditions: [
          capaCondition('Ready', up, up ? at : plan.createdAt, waiting),
        ],
      };
  }
}

function poolInfraObject(
  site: PoolObjectSite,
  rendered: KubeObject,
  owner: KubeObject,
): KubeObject {
  const { ctx, outcome, pool } = site;
  return {
    ...withMetadata(ctx, outcome, rendered, owner),
    spec: {
      ...rendered.spec,
      ...(pool.instances.length
        ? {
            providerIDList: pool.instances.map(i => `aws:///${i.zone}/${i.id}`),
          }
        : {}),
    },
    status: poolInfraStatus(ctx, outcome, pool),
  };
}

/** Kinds the management-cluster snapshot keeps (`MANAGEMENT_CLUSTER_KINDS`); the rest stay behind. */
const POOL_INFRA_KINDS = new Set([
  'AWSMachinePool',
  'AWSManagedMachinePool',
  'KarpenterMachinePool',
]);

/**
 * The management-cluster objects of one cluster as CAPA leaves them: the rendered manifests with
 * uids, owners, timestamps, the ids CAPA writes back into specs, and status.
 */
export function simulateClusterObjects(
  ctx: SimulationContext,
  outcome: ClusterOutcome,
): KubeObject[] {
  const { plan } = outcome;
  const manifests = plan.manifests as KubeObject[];
  const renderedCluster = manifests.find(m => m.kind === 'Cluster')!;
  const cluster = clusterObject(ctx, outcome, renderedCluster);
  const objects: KubeObject[] = [cluster];
  for (const rendered of manifests) {
    if (rendered.kind === 'AWSCluster')
      objects.push(awsClusterObject(ctx, outcome, rendered, cluster));
    if (rendered.kind === 'AWSManagedControlPlane')
      objects.push(managedControlPlaneObject(ctx, outcome, rendered, cluster));
  }
  for (const pool of outcome.pools) {
    const renderedPool = manifests.find(
      m => m.kind === 'MachinePool' && m.metadata.name === pool.pool.objectName,
    )!;
    const site = { ctx, outcome, pool };
    const machinePool = machinePoolObject(site, renderedPool, cluster);
    const renderedInfra = manifests.find(
      m =>
        POOL_INFRA_KINDS.has(m.kind) &&
        m.metadata.name === pool.pool.objectName,
    )!;
    objects.push(
      machinePool,
      poolInfraObject(site, renderedInfra, machinePool),
    );
  }
  return objects;
}

/** The AWSClusterRoleIdentity that lets CAPA on a management cluster act in an account. */
export function roleIdentityObject(
  ctx: SimulationContext,
  mc: string,
  identity: FleetRoleIdentity,
  createdAt: number,
): KubeObject {
  return {
    apiVersion: 'infrastructure.cluster.x-k8s.io/v1beta2',
    kind: 'AWSClusterRoleIdentity',
    metadata: {
      name: identity.name,
      uid: ctx.ids.uuid(`${mc}/AWSClusterRoleIdentity/${identity.name}`),
      creationTimestamp: kubeTime(createdAt),
      labels: { 'app.kubernetes.io/managed-by': 'clusterdeck' },
    },
    spec: {
      roleARN: `arn:aws:iam::${identity.accountId}:role/${
        identity.roleName ?? identity.name
      }`,
      // Role identities chain from the controller's own identity (CAPA's default).
      sourceIdentityRef: {
        kind: 'AWSClusterControllerIdentity',
        name: 'default',
      },
      allowedNamespaces: identity.allowedNamespaces
        ? { list: identity.allowedNamespaces }
        : {},
      durationSeconds: 900,
    },
  };
}

/** A Giant Swarm Organization; its clusters live in the namespace its status names. */
export function organizationObject(
  ctx: SimulationContext,
  mc: string,
  name: string,
  createdAt: number,
): KubeObject {
  return {
    apiVersion: 'security.giantswarm.io/v1alpha1',
    kind: 'Organization',
    metadata: {
      name,
      uid: ctx.ids.uuid(`${mc}/Organization/${name}`),
      creationTimestamp: kubeTime(createdAt),
    },
    spec: {},
    status: { namespace: `org-${name}` },
  };
}
