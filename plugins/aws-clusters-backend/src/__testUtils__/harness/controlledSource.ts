import type {
  AwsRegionSnapshot,
  FleetSnapshot,
  FleetSource,
  ManagementClusterSnapshot,
  SourceError,
} from '@clusterdeck/plugin-aws-clusters-node';

/**
 * How a source can fail, in the ways the live collectors report failures:
 * - `calls`: some calls of some targets failed; their lists come back empty with a `SourceError`
 *   each, the rest of the snapshot is fresh (AccessDenied, a throttling storm that outlasted the
 *   retries, timeouts, a management cluster answering 500 or with a certificate that does not
 *   verify);
 * - `reject`: `collect` itself rejects (a bug, or a directory that vanished);
 * - `hang`: `collect` answers only when its signal aborts (a call that never returns);
 * - `malformed`: the answers have the wrong shape: ids that are numbers, lists that are
 *   objects, objects without metadata.
 */
export type SourceFault =
  | {
      kind: 'calls';
      /** `aws:<account>:<region>` or `kubernetes:<management cluster>`. */
      targets: string[];
      /** The operations that fail; every list of the target when absent. */
      operations?: string[];
      code: string;
      message: string;
    }
  | { kind: 'reject'; message: string }
  | { kind: 'hang' }
  | { kind: 'malformed'; targets: string[] };

const AWS_OPERATIONS: Record<string, keyof AwsRegionSnapshot> = {
  DescribeVpcs: 'vpcs',
  DescribeSubnets: 'subnets',
  DescribeRouteTables: 'routeTables',
  DescribeInternetGateways: 'internetGateways',
  DescribeNatGateways: 'natGateways',
  DescribeTransitGatewayVpcAttachments: 'transitGatewayAttachments',
  DescribeVpcPeeringConnections: 'vpcPeeringConnections',
  'elb:DescribeLoadBalancers': 'classicLoadBalancers',
  'elbv2:DescribeLoadBalancers': 'loadBalancers',
  DescribeAutoScalingGroups: 'autoScalingGroups',
  DescribeScalingActivities: 'scalingActivities',
  DescribeInstances: 'instances',
  DescribeCluster: 'eksClusters',
  DescribeNodegroup: 'eksNodegroups',
  DescribeSecurityGroups: 'securityGroups',
};

function failAws(
  region: AwsRegionSnapshot,
  fault: Extract<SourceFault, { kind: 'calls' }>,
  at: string,
): AwsRegionSnapshot {
  const source = `aws:${region.accountId}:${region.region}`;
  const operations = fault.operations ?? Object.keys(AWS_OPERATIONS);
  const failed: AwsRegionSnapshot = { ...region, fetchedAt: at, errors: [] };
  for (const operation of operations) {
    (failed as any)[AWS_OPERATIONS[operation]] = [];
    failed.errors.push({
      source,
      operation,
      code: fault.code,
      message: fault.message,
      at,
    });
  }
  return failed;
}

function failMc(
  mc: ManagementClusterSnapshot,
  fault: Extract<SourceFault, { kind: 'calls' }>,
  at: string,
): ManagementClusterSnapshot {
  const source = `kubernetes:${mc.name}`;
  const kinds = fault.operations ?? Object.keys(mc.objects);
  const objects = { ...mc.objects };
  const errors: SourceError[] = [];
  for (const kind of kinds) {
    (objects as any)[kind] = [];
    errors.push({
      source,
      operation: `list ${kind}`,
      code: fault.code,
      message: fault.message,
      at,
    });
  }
  return { ...mc, fetchedAt: at, objects, errors };
}

/**
 * Values of the wrong type in every place the join reads, within the outer shape every source
 * guarantees (and the snapshot source checks): lists of objects, and Kubernetes objects with an
 * apiVersion, a kind and a metadata name.
 */
function malformedAws(region: AwsRegionSnapshot): AwsRegionSnapshot {
  const junk: any = {
    vpcs: [
      {
        VpcId: 42,
        CidrBlock: 'not-a-cidr',
        Tags: 'owned',
        CidrBlockAssociationSet: {},
      },
      {},
    ],
    subnets: [
      {
        SubnetId: {},
        VpcId: null,
        CidrBlock: 7,
        AvailabilityZone: [],
        Tags: [{ Key: 3 }],
      },
    ],
    routeTables: [{ Routes: 'everywhere', Associations: [{}], VpcId: 1 }],
    internetGateways: [{ Attachments: {} }],
    natGateways: [{ SubnetId: 1, VpcId: [], NatGatewayAddresses: 'x' }],
    transitGatewayAttachments: [{ VpcId: ['a'], SubnetIds: 'x' }],
    vpcPeeringConnections: [{ AccepterVpcInfo: 'x', RequesterVpcInfo: 1 }],
    classicLoadBalancers: [{ LoadBalancerName: null, Tags: {}, VPCId: 3 }],
    loadBalancers: [
      { LoadBalancerArn: 5, VpcId: {}, Tags: [null], AvailabilityZones: 'x' },
    ],
    autoScalingGroups: [
      { AutoScalingGroupName: 9, Instances: 'many', MinSize: 'two', Tags: {} },
    ],
    scalingActivities: [{ AutoScalingGroupName: {}, StartTime: 'yesterday' }],
    instances: [{ InstanceId: [], Tags: 'x', State: 'running' }],
    eksClusters: [{ name: {}, resourcesVpcConfig: 'x' }],
    eksNodegroups: [{ nodegroupName: 1, scalingConfig: [] }],
  };
  return { ...region, ...junk, errors: [] };
}

function malformedMc(mc: ManagementClusterSnapshot): ManagementClusterSnapshot {
  const junk = (kind: string): any[] => [
    {
      apiVersion: 'cluster.x-k8s.io/v1beta2',
      kind,
      metadata: { name: 'bare' },
    },
    {
      apiVersion: 'cluster.x-k8s.io/v1beta2',
      kind,
      metadata: {
        name: 'odd',
        namespace: 7,
        labels: 'x',
        annotations: [],
        ownerReferences: {},
      },
      spec: {
        infrastructureRef: 'x',
        controlPlaneRef: [],
        clusterName: {},
        replicas: 'many',
        template: 5,
        network: 'x',
        identityRef: 1,
      },
      status: { phase: 3, conditions: 'x', replicas: {}, readyReplicas: [] },
    },
    {
      apiVersion: 'cluster.x-k8s.io/v1beta2',
      kind,
      metadata: { name: 'refs', namespace: 'org-x' },
      spec: {
        infrastructureRef: { kind: 'AWSCluster', name: 7 },
        controlPlaneRef: { kind: 'AWSManagedControlPlane', name: {} },
      },
      status: { conditions: [null, 'x', { type: 'Ready' }] },
    },
  ];
  const objects = Object.fromEntries(
    Object.entries(mc.objects).map(([key, list]) => [
      key,
      [...list, ...junk(list[0]?.kind ?? 'Cluster')],
    ]),
  );
  return { ...mc, objects: objects as any, errors: [] };
}

/**
 * A fleet source that serves a snapshot and fails on command, for fault tests: `fault` applies to
 * every `collect` until it is cleared. It counts its calls and notes when each one ran.
 */
export class ControlledSource implements FleetSource {
  readonly name: string;
  fault?: SourceFault;
  /** Start and end times (ms since the epoch) of every `collect`. */
  readonly runs: Array<{ start: number; end?: number }> = [];

  constructor(
    private readonly snapshot: () => FleetSnapshot,
    name = 'controlled',
  ) {
    this.name = name;
  }

  async collect(options?: {
    signal?: AbortSignal;
  }): Promise<Partial<FleetSnapshot>> {
    const run: { start: number; end?: number } = { start: Date.now() };
    this.runs.push(run);
    try {
      return await this.answer(options?.signal);
    } finally {
      run.end = Date.now();
    }
  }

  private async answer(signal?: AbortSignal): Promise<Partial<FleetSnapshot>> {
    const fault = this.fault;
    const at = new Date().toISOString();
    const fresh = this.snapshot();
    const snapshot: FleetSnapshot = {
      aws: fresh.aws.map(r => ({ ...r, fetchedAt: at })),
      managementClusters: fresh.managementClusters.map(m => ({
        ...m,
        fetchedAt: at,
      })),
    };
    if (!fault) return snapshot;
    switch (fault.kind) {
      case 'reject':
        throw new Error(fault.message);
      case 'hang':
        await new Promise<void>((_resolve, reject) => {
          if (signal?.aborted) reject(signal.reason);
          signal?.addEventListener(
            'abort',
            () => reject(signal.reason ?? new Error('aborted')),
            { once: true },
          );
        });
        return snapshot;
      case 'calls':
        return {
          aws: snapshot.aws.map(r =>
            fault.targets.includes(`aws:${r.accountId}:${r.region}`)
              ? failAws(r, fault, at)
              : r,
          ),
          managementClusters: snapshot.managementClusters.map(m =>
            fault.targets.includes(`kubernetes:${m.name}`)
              ? failMc(m, fault, at)
              : m,
          ),
        };
      case 'malformed':
        return {
          aws: snapshot.aws.map(r =>
            fault.targets.includes(`aws:${r.accountId}:${r.region}`)
              ? malformedAws(r)
              : r,
          ),
          managementClusters: snapshot.managementClusters.map(m =>
            fault.targets.includes(`kubernetes:${m.name}`) ? malformedMc(m) : m,
          ),
        };
      default:
        return snapshot;
    }
  }
}
