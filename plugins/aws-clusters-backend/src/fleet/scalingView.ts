import type {
  InstanceTypeSize,
  NodePoolScaling,
  ScalingActivity,
} from '@clusterdeck/plugin-aws-clusters-common';
import type { ClusterRecord, PoolRecord } from './buildFleetModel';
import { clusterInstances } from './regionIndex';
import { isoTime, KARPENTER_NODEPOOL_TAG, tagValue } from './tags';

const ACTIVITY_STATUS: Record<string, ScalingActivity['status']> = {
  Successful: 'successful',
  Failed: 'failed',
  Cancelled: 'cancelled',
};

function instanceTypes(cluster: ClusterRecord, pool: PoolRecord): string[] {
  const spec = pool.infrastructure?.spec ?? {};
  if (pool.kind === 'karpenter') {
    const running = clusterInstances(cluster.region_, [
      cluster.name,
      cluster.eksClusterName,
    ])
      .filter(
        i =>
          tagValue(i.Tags, KARPENTER_NODEPOOL_TAG) ===
          pool.infrastructure?.metadata.name,
      )
      .map(i => i.InstanceType ?? '');
    const allowed = (spec.nodePool?.template?.spec?.requirements ?? [])
      .filter(
        (r: any) =>
          r.key === 'node.kubernetes.io/instance-type' && r.operator === 'In',
      )
      .flatMap((r: any) => r.values ?? []);
    return [...new Set([...running, ...allowed].filter(Boolean))];
  }
  if (pool.kind === 'managed') {
    const group = cluster.region_?.nodegroups.get(
      `${cluster.eksClusterName ?? cluster.name}/${spec.eksNodegroupName}`,
    );
    return (
      group?.instanceTypes ?? (spec.instanceType ? [spec.instanceType] : [])
    );
  }
  const group = pool.state.group?.name
    ? cluster.region_?.autoScalingGroups.get(pool.state.group.name)
    : undefined;
  if (group) {
    const allowed = (
      group.MixedInstancesPolicy?.LaunchTemplate?.Overrides ?? []
    ).map(o => o.InstanceType);
    const running = (group.Instances ?? []).map(i => i.InstanceType);
    const types = [
      ...new Set([...allowed, ...running].filter((t): t is string => !!t)),
    ];
    if (types.length) return types;
  }
  const overrides = (spec.mixedInstancesPolicy?.overrides ?? []).map(
    (o: any) => o.instanceType,
  );
  return [
    ...new Set(
      [spec.awsLaunchTemplate?.instanceType, ...overrides].filter(Boolean),
    ),
  ] as string[];
}

/** The sizes EC2 described of `types`, from the region's DescribeInstanceTypes. */
function instanceTypeSizes(
  cluster: ClusterRecord,
  types: string[],
): InstanceTypeSize[] {
  const described = cluster.region_?.snapshot.instanceTypes ?? [];
  return types.flatMap(type => {
    const info = described.find(t => t.InstanceType === type);
    if (!info) return [];
    return [
      {
        instanceType: type,
        vcpus: info.VCpuInfo?.DefaultVCpus,
        memoryMiB: info.MemoryInfo?.SizeInMiB,
        architectures: info.ProcessorInfo?.SupportedArchitectures ?? [],
      },
    ];
  });
}

/** The types a Spot pool draws from: its mixed instances policy's overrides, or its node group's types. */
function spotInstanceTypes(cluster: ClusterRecord, pool: PoolRecord): string[] {
  const spec = pool.infrastructure?.spec ?? {};
  if (pool.kind === 'karpenter') return [];
  if (pool.kind === 'managed')
    return (
      cluster.region_?.nodegroups.get(
        `${cluster.eksClusterName ?? cluster.name}/${spec.eksNodegroupName}`,
      )?.instanceTypes ?? []
    );
  const group = pool.state.group?.name
    ? cluster.region_?.autoScalingGroups.get(pool.state.group.name)
    : undefined;
  const overrides =
    group?.MixedInstancesPolicy?.LaunchTemplate?.Overrides?.map(
      o => o.InstanceType,
    ) ??
    (spec.mixedInstancesPolicy?.overrides ?? []).map(
      (o: any) => o.instanceType,
    );
  return overrides.filter((t: unknown): t is string => typeof t === 'string');
}

function isSpot(pool: PoolRecord): boolean {
  const spec = pool.infrastructure?.spec ?? {};
  if (pool.kind === 'managed') return spec.capacityType === 'spot';
  if (pool.kind === 'karpenter') {
    return (spec.nodePool?.template?.spec?.requirements ?? []).some(
      (r: any) =>
        r.key === 'karpenter.sh/capacity-type' &&
        (r.values ?? []).includes('spot'),
    );
  }
  return (
    !!spec.awsLaunchTemplate?.spotMarketOptions ||
    (spec.mixedInstancesPolicy?.instancesDistribution
      ?.onDemandPercentageAboveBaseCapacity ?? 100) < 100
  );
}

/** The size, spread, recent activity and warnings of every node pool of a cluster. */
export function scalingView(cluster: ClusterRecord): NodePoolScaling[] {
  return cluster.pools.map(pool => {
    const s = pool.state;
    const activities: ScalingActivity[] = s.activities
      .map(a => ({
        time: isoTime(a.StartTime) ?? '',
        description: a.Description ?? '',
        status: ACTIVITY_STATUS[a.StatusCode ?? ''] ?? 'in-progress',
        // StatusMessage is AWS's reason for a failure; Cause why the activity was started.
        cause: a.StatusMessage ?? a.Cause,
      }))
      .slice(0, 20);
    const warnings: string[] = [];
    if (s.group?.state === 'missing') {
      warnings.push(
        pool.kind === 'managed'
          ? 'the EKS node group does not exist yet: sizes are those asked for, no nodes are counted'
          : 'the Auto Scaling group does not exist yet: sizes are those asked for, no nodes are counted',
      );
    }
    if (s.group?.state === 'deleting')
      warnings.push(`being deleted (${s.group.status ?? 'deleting'})`);
    if (s.failedActivity) {
      const at = isoTime(s.failedActivity.StartTime);
      warnings.push(
        `scaling failed${at ? ` at ${at}` : ''}: ${
          s.failedActivity.StatusMessage ??
          s.failedActivity.Cause ??
          'no reason given'
        }`,
      );
    }
    if (
      pool.kind !== 'karpenter' &&
      s.group?.state !== 'missing' &&
      s.group?.state !== 'deleting' &&
      s.current < s.desired
    ) {
      warnings.push(
        `${s.current} of ${s.desired} desired instances in service`,
      );
    }
    if (
      pool.kind !== 'karpenter' &&
      s.max > 0 &&
      s.desired >= s.max &&
      s.group?.state !== 'missing'
    ) {
      warnings.push(
        `at its maximum of ${s.max} nodes: pending pods cannot get new nodes`,
      );
    }
    if (s.unhealthy > 0)
      warnings.push(
        `${s.unhealthy} unhealthy instance${s.unhealthy > 1 ? 's' : ''}`,
      );
    warnings.push(...s.healthIssues);
    const types = instanceTypes(cluster, pool);
    const spot = isSpot(pool);
    const spotTypes = spot ? spotInstanceTypes(cluster, pool) : [];
    return {
      name: pool.name,
      kind: pool.kind,
      instanceTypes: types,
      instanceTypeSizes: instanceTypeSizes(cluster, [
        ...new Set([...types, ...spotTypes]),
      ]),
      ...(spotTypes.length ? { spotInstanceTypes: spotTypes } : {}),
      spot,
      availabilityZones: s.zones,
      spread: s.spread,
      min: s.min,
      desired: s.desired,
      current: s.current,
      ready: s.ready,
      max: s.max,
      ...(pool.kind === 'karpenter'
        ? { limits: pool.infrastructure?.spec?.nodePool?.limits ?? {} }
        : {}),
      ...(s.group ? { group: s.group } : {}),
      sizesFrom: s.sizesFrom,
      activities,
      warnings,
    };
  });
}
