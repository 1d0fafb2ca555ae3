import type { NodePoolScaling, ScalingActivity } from '@clusterdeck/plugin-aws-clusters-common';
import type { ClusterRecord, PoolRecord } from './buildFleetModel';
import { poolSizes } from './summaryView';
import { isoTime, KARPENTER_NODEPOOL_TAG, tagMap } from './tags';

const ACTIVITY_STATUS: Record<string, ScalingActivity['status']> = {
  Successful: 'successful',
  Failed: 'failed',
  Cancelled: 'cancelled',
};

function instanceTypes(cluster: ClusterRecord, pool: PoolRecord): string[] {
  const spec = pool.infrastructure?.spec ?? {};
  if (pool.kind === 'karpenter') {
    const running = (cluster.region_?.instancesByCluster.get(cluster.name) ?? [])
      .filter(i => tagMap(i.Tags)[KARPENTER_NODEPOOL_TAG] === pool.infrastructure?.metadata.name)
      .map(i => i.InstanceType ?? '');
    const allowed = (spec.nodePool?.template?.spec?.requirements ?? [])
      .filter((r: any) => r.key === 'node.kubernetes.io/instance-type' && r.operator === 'In')
      .flatMap((r: any) => r.values ?? []);
    return [...new Set([...running, ...allowed].filter(Boolean))];
  }
  if (pool.kind === 'managed') {
    const group = cluster.region_?.nodegroups.get(`${cluster.controlPlane?.spec?.eksClusterName ?? cluster.name}/${spec.eksNodegroupName}`);
    return group?.instanceTypes ?? (spec.instanceType ? [spec.instanceType] : []);
  }
  const overrides = (spec.mixedInstancesPolicy?.overrides ?? []).map((o: any) => o.instanceType);
  return [...new Set([spec.awsLaunchTemplate?.instanceType, ...overrides].filter(Boolean))] as string[];
}

function isSpot(pool: PoolRecord): boolean {
  const spec = pool.infrastructure?.spec ?? {};
  if (pool.kind === 'managed') return spec.capacityType === 'spot';
  if (pool.kind === 'karpenter') {
    return (spec.nodePool?.template?.spec?.requirements ?? []).some(
      (r: any) => r.key === 'karpenter.sh/capacity-type' && (r.values ?? []).includes('spot'),
    );
  }
  return !!spec.awsLaunchTemplate?.spotMarketOptions || (spec.mixedInstancesPolicy?.instancesDistribution?.onDemandPercentageAboveBaseCapacity ?? 100) < 100;
}

/** The size, spread, recent activity and warnings of every node pool of a cluster. */
export function scalingView(cluster: ClusterRecord): NodePoolScaling[] {
  return cluster.pools.map(pool => {
    const sizes = poolSizes(cluster, pool);
    const groupName = `${cluster.name}-${pool.name}`;
    const group = cluster.region_?.autoScalingGroups.get(groupName);
    const karpenterInstances =
      pool.kind === 'karpenter'
        ? (cluster.region_?.instancesByCluster.get(cluster.name) ?? []).filter(
            i => tagMap(i.Tags)[KARPENTER_NODEPOOL_TAG] === pool.infrastructure?.metadata.name && i.State?.Name === 'running',
          )
        : [];
    const spread: Record<string, number> = {};
    for (const zone of [...(group?.Instances ?? []).map(i => i.AvailabilityZone), ...karpenterInstances.map(i => i.Placement?.AvailabilityZone)]) {
      if (zone) spread[zone] = (spread[zone] ?? 0) + 1;
    }
    const current = group ? group.Instances?.length ?? 0 : pool.kind === 'karpenter' ? karpenterInstances.length : sizes.desired;
    const ready = pool.kind === 'karpenter' ? karpenterInstances.length : sizes.ready;
    const activities: ScalingActivity[] = (cluster.region_?.activitiesByGroup.get(group?.AutoScalingGroupName ?? groupName) ?? [])
      .map(a => ({
        time: isoTime(a.StartTime) ?? '',
        description: a.Description ?? '',
        status: ACTIVITY_STATUS[a.StatusCode ?? ''] ?? 'in-progress',
        cause: a.StatusMessage ?? a.Cause,
      }))
      .sort((a, b) => b.time.localeCompare(a.time))
      .slice(0, 20);
    const warnings: string[] = [];
    if (pool.kind !== 'karpenter' && sizes.max > 0 && sizes.desired >= sizes.max) {
      warnings.push(`at its maximum of ${sizes.max} nodes: pending pods cannot get new nodes`);
    }
    if (pool.kind !== 'karpenter' && sizes.desired <= sizes.min && activities.some(a => a.status === 'failed')) {
      warnings.push('at its minimum with failed scale-ups');
    }
    const unhealthy = (group?.Instances ?? []).filter(i => i.HealthStatus && i.HealthStatus !== 'Healthy').length;
    if (unhealthy > 0) warnings.push(`${unhealthy} unhealthy instance${unhealthy > 1 ? 's' : ''}`);
    const nodegroup = cluster.region_?.nodegroups.get(`${cluster.controlPlane?.spec?.eksClusterName ?? cluster.name}/${pool.infrastructure?.spec?.eksNodegroupName}`);
    for (const issue of nodegroup?.health?.issues ?? []) warnings.push(`${issue.code}: ${issue.message}`);
    if (pool.kind !== 'karpenter' && ready < current) warnings.push(`${current - ready} of ${current} nodes not ready`);
    return {
      name: pool.name,
      kind: pool.kind,
      instanceTypes: instanceTypes(cluster, pool),
      spot: isSpot(pool),
      availabilityZones: pool.infrastructure?.spec?.availabilityZones ?? group?.AvailabilityZones ?? Object.keys(spread),
      spread,
      min: sizes.min,
      desired: pool.kind === 'karpenter' ? current : sizes.desired,
      current,
      ready,
      max: sizes.max,
      ...(pool.kind === 'karpenter' ? { limits: pool.infrastructure?.spec?.nodePool?.limits ?? {} } : {}),
      activities,
      warnings,
    };
  });
}
