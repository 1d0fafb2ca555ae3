import type {
  KubeObject,
  ManagementClusterSnapshot,
} from '@clusterdeck/plugin-aws-clusters-node';

/*
 * How an EC2 cluster provisions, as Cluster API's and CAPA's documentation describe it, step by
 * step. CAPA's AWSCluster controller reconciles the network in order (VPC, subnets, internet
 * gateway, NAT gateways, route tables), then the security groups and the API load balancer,
 * setting each condition True when done; where CAPA reports work in progress, the condition is
 * False with an Info reason first (VpcCreationStarted, NatGatewaysCreationStarted, and
 * WaitForDNSName while the load balancer's DNS name is not there). Cluster API then marks the
 * Cluster InfrastructureReady (phase Provisioned once the control plane is initialized); the
 * first control-plane machine initializes the control plane and makes it available; then each
 * MachinePool's infrastructure gets its launch template and Auto Scaling group, and its
 * replicas join and become ready.
 */

/** One network or load-balancer condition of the AWSCluster, with its in-progress report. */
interface InfraStep {
  type: string;
  /** CAPA's False condition while it works on it; absent where CAPA sets only True. */
  progress?: { reason: string; message: string };
}

const INFRASTRUCTURE: InfraStep[] = [
  {
    type: 'VpcReady',
    progress: { reason: 'VpcCreationStarted', message: 'VPC is being created' },
  },
  { type: 'SubnetsReady' },
  { type: 'InternetGatewayReady' },
  {
    type: 'NatGatewaysReady',
    progress: {
      reason: 'NatGatewaysCreationStarted',
      message: 'NAT gateways are being created',
    },
  },
  { type: 'RouteTablesReady' },
  { type: 'ClusterSecurityGroupsReady' },
  {
    type: 'LoadBalancerReady',
    progress: {
      reason: 'WaitForDNSName',
      message: "the API load balancer's DNS name is not available yet",
    },
  },
];

/** The kinds a recorded cluster's pools are kept under. */
const POOL_INFRASTRUCTURE = [
  'awsMachinePools',
  'karpenterMachinePools',
  'awsManagedMachinePools',
] as const;

/** The objects of one cluster as recorded: what the replay ends in. */
export interface RecordedCluster {
  cluster: KubeObject;
  awsCluster: KubeObject;
  machinePools: KubeObject[];
  /** Each pool's infrastructure object, by its MachinePool's name. */
  poolInfrastructure: Map<string, { kind: string; object: KubeObject }>;
}

/** Finds a cluster's objects in a management cluster's snapshot; throws naming what is missing. */
export function recordedCluster(
  snapshot: ManagementClusterSnapshot,
  namespace: string,
  name: string,
): RecordedCluster {
  const here = (o: KubeObject) => o.metadata.namespace === namespace;
  const cluster = snapshot.objects.clusters.find(
    o => here(o) && o.metadata.name === name,
  );
  if (!cluster)
    throw new Error(
      `clusterdeck.snapshot.replayProvisioning.cluster: ${snapshot.name} has no Cluster ${namespace}/${name}`,
    );
  const infraRef = cluster.spec?.infrastructureRef;
  const awsCluster = snapshot.objects.awsClusters.find(
    o => here(o) && o.metadata.name === infraRef?.name,
  );
  if (infraRef?.kind !== 'AWSCluster' || !awsCluster)
    throw new Error(
      `clusterdeck.snapshot.replayProvisioning.cluster: ${namespace}/${name} is not an EC2 cluster with an AWSCluster; only those are replayed`,
    );
  const machinePools = snapshot.objects.machinePools.filter(
    o =>
      here(o) &&
      (o.spec?.clusterName === name ||
        o.metadata.labels?.['cluster.x-k8s.io/cluster-name'] === name),
  );
  const poolInfrastructure = new Map<
    string,
    { kind: string; object: KubeObject }
  >();
  for (const pool of machinePools) {
    const ref = pool.spec?.template?.spec?.infrastructureRef;
    for (const kind of POOL_INFRASTRUCTURE) {
      const object = snapshot.objects[kind].find(
        o => here(o) && o.metadata.name === ref?.name,
      );
      if (object) poolInfrastructure.set(pool.metadata.name, { kind, object });
    }
  }
  return { cluster, awsCluster, machinePools, poolInfrastructure };
}

type Condition = {
  type: string;
  status: 'True' | 'False';
  lastTransitionTime: string;
  reason?: string;
  message?: string;
  severity?: string;
};

/** Conditions of `types` set to what the replay says, the object's others kept. */
function withConditions(
  object: KubeObject,
  types: string[],
  set: Condition[],
): Condition[] {
  const kept = ((object.status?.conditions ?? []) as Condition[]).filter(
    c => !types.includes(c.type),
  );
  return [...set, ...kept];
}

const done = (type: string, at: string): Condition => ({
  type,
  status: 'True',
  lastTransitionTime: at,
});
const waiting = (
  type: string,
  at: string,
  reason: string,
  message = '',
): Condition => ({
  type,
  status: 'False',
  lastTransitionTime: at,
  reason,
  message,
  severity: 'Info',
});

/** How many steps a replay of `recorded` has; step `count - 1` is the cluster as recorded. */
export function frameCount(recorded: RecordedCluster): number {
  // Network and load balancer, then infrastructure ready, then the control plane, then two per pool.
  return INFRASTRUCTURE.length + 2 + recorded.machinePools.length * 2 + 1;
}

/**
 * The cluster's objects at `step` of its replay: a new Cluster (`uid`, created at `startedAt`),
 * each step's conditions true from the time of their step (`timeOf`), the objects as recorded
 * (with the replay's times) at the last step.
 */
export function provisioningFrame(
  recorded: RecordedCluster,
  step: number,
  options: { uid: string; startedAt: string; timeOf: (step: number) => string },
): RecordedCluster {
  const { uid, startedAt, timeOf } = options;
  const clone = <T>(o: T): T => JSON.parse(JSON.stringify(o));
  const cluster = clone(recorded.cluster);
  const awsCluster = clone(recorded.awsCluster);
  cluster.metadata.uid = uid;
  cluster.metadata.creationTimestamp = startedAt;
  awsCluster.metadata.creationTimestamp = startedAt;

  const infraDone = Math.min(step, INFRASTRUCTURE.length);
  const infraConditions: Condition[] = INFRASTRUCTURE.slice(0, infraDone).map(
    (s, i) => done(s.type, timeOf(i + 1)),
  );
  const current = INFRASTRUCTURE[infraDone];
  if (current?.progress)
    infraConditions.push(
      waiting(
        current.type,
        timeOf(infraDone),
        current.progress.reason,
        current.progress.message,
      ),
    );
  const infrastructureReady = step > INFRASTRUCTURE.length;
  const readyAt = timeOf(INFRASTRUCTURE.length + 1);
  infraConditions.push(
    infrastructureReady
      ? done('Ready', readyAt)
      : waiting('Ready', startedAt, 'NotReady'),
  );
  awsCluster.status = {
    ...awsCluster.status,
    ready: infrastructureReady,
    conditions: withConditions(
      awsCluster,
      [...INFRASTRUCTURE.map(s => s.type), 'Ready'],
      infraConditions,
    ),
  };

  const controlPlaneStep = INFRASTRUCTURE.length + 2;
  const initialized = step >= controlPlaneStep;
  const cpAt = timeOf(controlPlaneStep);
  const poolsStart = controlPlaneStep + 1;
  const workersReady =
    step >= poolsStart + recorded.machinePools.length * 2 - 1;
  cluster.status = {
    ...cluster.status,
    phase: initialized ? 'Provisioned' : 'Provisioning',
    initialization: {
      infrastructureProvisioned: infrastructureReady,
      controlPlaneInitialized: initialized,
    },
    conditions: withConditions(
      cluster,
      [
        'InfrastructureReady',
        'ControlPlaneInitialized',
        'ControlPlaneAvailable',
        'RemoteConnectionProbe',
        'WorkersAvailable',
        'Available',
      ],
      [
        infrastructureReady
          ? done('InfrastructureReady', readyAt)
          : waiting(
              'InfrastructureReady',
              startedAt,
              'NotReady',
              current
                ? `* ${current.type}: ${
                    current.progress?.message ?? 'not ready'
                  }`
                : '',
            ),
        initialized
          ? done('ControlPlaneInitialized', cpAt)
          : waiting(
              'ControlPlaneInitialized',
              startedAt,
              'NotInitialized',
              'Control plane not yet initialized',
            ),
        // kubeadm's first control-plane machine makes the control plane available and reachable.
        initialized
          ? done('ControlPlaneAvailable', cpAt)
          : waiting('ControlPlaneAvailable', startedAt, 'NotAvailable'),
        initialized
          ? done('RemoteConnectionProbe', cpAt)
          : waiting('RemoteConnectionProbe', startedAt, 'ProbeFailed'),
        workersReady
          ? done('WorkersAvailable', timeOf(step))
          : waiting('WorkersAvailable', startedAt, 'NotAvailable'),
        workersReady
          ? done('Available', timeOf(step))
          : waiting('Available', startedAt, 'NotAvailable'),
      ],
    ),
  };

  const machinePools: KubeObject[] = [];
  const poolInfrastructure = new Map<
    string,
    { kind: string; object: KubeObject }
  >();
  recorded.machinePools.forEach((recordedPool, i) => {
    const pool = clone(recordedPool);
    pool.metadata.creationTimestamp = startedAt;
    // A pool's template is made at its first step; its nodes are ready at its second.
    const launched = step >= poolsStart + i * 2;
    const ready = step >= poolsStart + i * 2 + 1;
    const launchedAt = timeOf(poolsStart + i * 2);
    const readyAt2 = timeOf(poolsStart + i * 2 + 1);
    const replicas: number = pool.spec?.replicas ?? pool.status?.replicas ?? 0;
    pool.status = {
      ...pool.status,
      phase: ready ? 'Running' : 'Provisioning',
      replicas: launched ? replicas : 0,
      readyReplicas: ready ? replicas : 0,
      availableReplicas: ready ? replicas : 0,
      conditions: withConditions(
        pool,
        ['InfrastructureReady', 'Available'],
        [
          launched
            ? done('InfrastructureReady', launchedAt)
            : waiting(
                'InfrastructureReady',
                startedAt,
                'NotReady',
                'Waiting for the cluster infrastructure',
              ),
          ready
            ? done('Available', readyAt2)
            : waiting('Available', startedAt, 'NotAvailable'),
        ],
      ),
    };
    machinePools.push(pool);
    const infra = recorded.poolInfrastructure.get(recordedPool.metadata.name);
    if (!infra) return;
    const object = clone(infra.object);
    object.metadata.creationTimestamp = startedAt;
    const types = ((object.status?.conditions ?? []) as Condition[]).map(
      c => c.type,
    );
    object.status = {
      ...object.status,
      ready,
      conditions: types.map(type =>
        launched && (type !== 'Ready' || ready)
          ? done(type, type === 'Ready' ? readyAt2 : launchedAt)
          : waiting(type, startedAt, 'WaitingForClusterInfrastructure'),
      ),
    };
    poolInfrastructure.set(recordedPool.metadata.name, {
      kind: infra.kind,
      object,
    });
  });
  return { cluster, awsCluster, machinePools, poolInfrastructure };
}

/**
 * The management cluster's snapshot with the cluster's objects (`recorded`, as found in this
 * snapshot) replaced by a frame's.
 */
export function withFrame(
  snapshot: ManagementClusterSnapshot,
  recorded: RecordedCluster,
  frame: RecordedCluster,
): ManagementClusterSnapshot {
  const replace = (list: KubeObject[], from: KubeObject[], to: KubeObject[]) =>
    list.map(o => {
      const i = from.indexOf(o);
      return i >= 0 ? to[i] : o;
    });
  const objects = { ...snapshot.objects };
  objects.clusters = replace(
    objects.clusters,
    [recorded.cluster],
    [frame.cluster],
  );
  objects.awsClusters = replace(
    objects.awsClusters,
    [recorded.awsCluster],
    [frame.awsCluster],
  );
  objects.machinePools = replace(
    objects.machinePools,
    recorded.machinePools,
    frame.machinePools,
  );
  for (const kind of POOL_INFRASTRUCTURE) {
    const from: KubeObject[] = [];
    const to: KubeObject[] = [];
    for (const [name, infra] of recorded.poolInfrastructure) {
      const replaced = frame.poolInfrastructure.get(name);
      if (infra.kind === kind && replaced) {
        from.push(infra.object);
        to.push(replaced.object);
      }
    }
    objects[kind] = replace(objects[kind], from, to);
  }
  return { ...snapshot, objects };
}
