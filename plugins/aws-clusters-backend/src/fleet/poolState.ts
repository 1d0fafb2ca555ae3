import type {
  NodePoolKind,
  NodePoolScaling,
} from '@clusterdeck/plugin-aws-clusters-common';
import type { KubeObject } from '@clusterdeck/plugin-aws-clusters-node';
import type { RegionIndex } from './regionIndex';
import { isoTime, KARPENTER_NODEPOOL_TAG, tagValue } from './tags';

type Activity = RegionIndex['snapshot']['scalingActivities'][number];
type Instance = RegionIndex['snapshot']['instances'][number];
type GroupState = NonNullable<NodePoolScaling['group']>['state'];

/** A node pool as AWS runs it: sizes, zones and instances from its group where the group exists. */
export interface PoolState {
  /** The Auto Scaling group or EKS node group; absent for Karpenter pools. */
  group?: { name?: string; state: GroupState; status?: string };
  sizesFrom: 'aws' | 'spec';
  min: number;
  max: number;
  desired: number;
  zones: string[];
  subnetIds: string[];
  /** Instances in service: InService in the Auto Scaling group, or running with the Karpenter NodePool's tag. */
  current: number;
  /** Of those, the ones AWS reports healthy. */
  ready: number;
  /** Instances in service per zone. */
  spread: Record<string, number>;
  /** Unhealthy instances in service. */
  unhealthy: number;
  /** The group's scaling activities, newest first. */
  activities: Activity[];
  /** The newest activity, when it failed: AWS gave up launching or terminating. */
  failedActivity?: Activity;
  /** Since when (epoch ms) the pool has had fewer instances in service than desired; undefined when not short or unknown. */
  shortfallSince?: number;
  /** EKS node group health issues, as `code: message`. */
  healthIssues: string[];
}

/** What the pool state needs of a pool record. */
export interface PoolInput {
  name: string;
  kind: NodePoolKind;
  machinePool: KubeObject;
  infrastructure?: KubeObject;
}

/** What the pool state needs of its cluster. */
export interface PoolContext {
  clusterName: string;
  eksClusterName?: string;
  region?: RegionIndex;
  /** The instances tagged for the cluster. */
  instances: Instance[];
}

const IN_SERVICE = 'InService';
const NODEGROUP_STATES: Record<string, GroupState> = {
  ACTIVE: 'active',
  CREATING: 'creating',
  UPDATING: 'updating',
  DELETING: 'deleting',
  DEGRADED: 'degraded',
  CREATE_FAILED: 'degraded',
  DELETE_FAILED: 'degraded',
};

function time(value: Date | string | undefined): number | undefined {
  const iso = isoTime(value);
  return iso ? Date.parse(iso) : undefined;
}

function newestFirst(activities: Activity[]): Activity[] {
  return [...activities].sort(
    (a, b) => (time(b.StartTime) ?? 0) - (time(a.StartTime) ?? 0),
  );
}

/**
 * When the current shortfall began: the start of the oldest activity in the unbroken run of
 * unsuccessful ones (launches still in progress or failed), else the end of the newest
 * activity, else when the group was made. Undefined when nothing tells.
 */
function shortfallStart(
  activities: Activity[],
  createdAt: Date | string | undefined,
): number | undefined {
  let since: number | undefined;
  for (const activity of activities) {
    if (activity.StatusCode === 'Successful') break;
    since = time(activity.StartTime) ?? since;
  }
  if (since !== undefined) return since;
  const newest = activities[0];
  if (newest) return time(newest.EndTime) ?? time(newest.StartTime);
  return time(createdAt);
}

function count<T>(
  items: T[],
  key: (item: T) => string | undefined,
): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const item of items) {
    const k = key(item);
    if (k) counts[k] = (counts[k] ?? 0) + 1;
  }
  return counts;
}

function zonesOfSubnets(
  region: RegionIndex | undefined,
  subnetIds: string[],
): string[] {
  return [
    ...new Set(
      subnetIds
        .map(id => region?.subnets.get(id)?.AvailabilityZone)
        .filter((z): z is string => !!z),
    ),
  ].sort();
}

function specSizes(pool: PoolInput) {
  const spec = pool.infrastructure?.spec ?? {};
  return {
    min: (spec.minSize ?? spec.scaling?.minSize ?? 0) as number,
    max: (spec.maxSize ?? spec.scaling?.maxSize ?? 0) as number,
    desired: (pool.machinePool.spec?.replicas ?? 0) as number,
    zones: (spec.availabilityZones ??
      pool.machinePool.spec?.failureDomains ??
      []) as string[],
  };
}

/** The pool while its group does not exist: the spec's sizes, and no instances. */
function missing(pool: PoolInput, name: string | undefined): PoolState {
  return {
    group: { ...(name ? { name } : {}), state: 'missing' },
    sizesFrom: 'spec',
    ...specSizes(pool),
    subnetIds: [],
    current: 0,
    ready: 0,
    spread: {},
    unhealthy: 0,
    activities: [],
    healthIssues: [],
  };
}

type Group = RegionIndex['snapshot']['autoScalingGroups'][number];

function fromGroups(groups: Group[], region: RegionIndex | undefined) {
  const instances = groups.flatMap(g => g.Instances ?? []);
  const inService = instances.filter(i => i.LifecycleState === IN_SERVICE);
  const activities = newestFirst(
    groups.flatMap(
      g => region?.activitiesByGroup.get(g.AutoScalingGroupName ?? '') ?? [],
    ),
  );
  return {
    current: inService.length,
    ready: inService.filter(i => i.HealthStatus === 'Healthy').length,
    unhealthy: inService.filter(
      i => i.HealthStatus && i.HealthStatus !== 'Healthy',
    ).length,
    spread: count(inService, i => i.AvailabilityZone),
    activities,
    failedActivity:
      activities[0]?.StatusCode === 'Failed' ? activities[0] : undefined,
  };
}

function asgPool(pool: PoolInput, ctx: PoolContext): PoolState {
  const names = [
    pool.infrastructure?.metadata.name,
    pool.machinePool.metadata.name,
    `${ctx.clusterName}-${pool.name}`,
  ].filter((n): n is string => !!n);
  const group = names
    .map(n => ctx.region?.autoScalingGroups.get(n))
    .find(Boolean);
  if (!group) return missing(pool, pool.infrastructure?.metadata.name);
  const subnetIds = (group.VPCZoneIdentifier ?? '')
    .split(',')
    .map(s => s.trim())
    .filter(Boolean);
  const measured = fromGroups([group], ctx.region);
  const desired = group.DesiredCapacity ?? 0;
  return {
    // AWS sets Status only while the group is being deleted ("Delete in progress").
    group: {
      name: group.AutoScalingGroupName,
      state: group.Status ? 'deleting' : 'active',
      ...(group.Status ? { status: group.Status } : {}),
    },
    sizesFrom: 'aws',
    min: group.MinSize ?? 0,
    max: group.MaxSize ?? 0,
    desired,
    zones: group.AvailabilityZones?.length
      ? [...group.AvailabilityZones].sort()
      : zonesOfSubnets(ctx.region, subnetIds),
    subnetIds,
    ...measured,
    shortfallSince:
      measured.current < desired
        ? shortfallStart(measured.activities, group.CreatedTime)
        : undefined,
    healthIssues: [],
  };
}

function managedPool(pool: PoolInput, ctx: PoolContext): PoolState {
  const spec = pool.infrastructure?.spec ?? {};
  const eksName = ctx.eksClusterName ?? ctx.clusterName;
  const names = [
    spec.eksNodegroupName,
    pool.infrastructure?.metadata.name,
  ].filter((n): n is string => !!n);
  const nodegroup = names
    .map(n => ctx.region?.nodegroups.get(`${eksName}/${n}`))
    .find(Boolean);
  if (!nodegroup) return missing(pool, spec.eksNodegroupName);
  const groups = (nodegroup.resources?.autoScalingGroups ?? [])
    .map(g => ctx.region?.autoScalingGroups.get(g.name ?? ''))
    .filter((g): g is Group => !!g);
  const subnetIds = nodegroup.subnets ?? [];
  const desired = nodegroup.scalingConfig?.desiredSize ?? 0;
  let measured: ReturnType<typeof fromGroups>;
  if (groups.length) {
    measured = fromGroups(groups, ctx.region);
  } else {
    const running = ctx.instances.filter(
      i =>
        tagValue(i.Tags, 'eks:nodegroup-name') === nodegroup.nodegroupName &&
        i.State?.Name === 'running',
    );
    measured = {
      current: running.length,
      ready: running.length,
      unhealthy: 0,
      spread: count(running, i => i.Placement?.AvailabilityZone),
      activities: [],
      failedActivity: undefined,
    };
  }
  const status = nodegroup.status ?? 'ACTIVE';
  return {
    group: {
      name: nodegroup.nodegroupName,
      state: NODEGROUP_STATES[status] ?? 'active',
      status,
    },
    sizesFrom: 'aws',
    min: nodegroup.scalingConfig?.minSize ?? 0,
    max: nodegroup.scalingConfig?.maxSize ?? 0,
    desired,
    zones: zonesOfSubnets(ctx.region, subnetIds),
    subnetIds,
    ...measured,
    shortfallSince:
      measured.current < desired
        ? shortfallStart(
            measured.activities,
            groups[0]?.CreatedTime ?? nodegroup.createdAt,
          )
        : undefined,
    healthIssues: (nodegroup.health?.issues ?? []).map(
      issue => `${issue.code}: ${issue.message}`,
    ),
  };
}

function karpenterPool(pool: PoolInput, ctx: PoolContext): PoolState {
  const nodePool =
    pool.infrastructure?.metadata.name ?? pool.machinePool.metadata.name;
  const running = ctx.instances.filter(
    i =>
      tagValue(i.Tags, KARPENTER_NODEPOOL_TAG) === nodePool &&
      i.State?.Name === 'running',
  );
  const spread = count(running, i => i.Placement?.AvailabilityZone);
  const requirements: any[] =
    pool.infrastructure?.spec?.nodePool?.template?.spec?.requirements ?? [];
  const zoneRequirement =
    requirements.find(
      r => r.key === 'topology.kubernetes.io/zone' && r.operator === 'In',
    )?.values ?? [];
  return {
    sizesFrom: 'aws',
    min: 0,
    max: 0,
    desired: running.length,
    zones: [
      ...new Set<string>([...zoneRequirement, ...Object.keys(spread)]),
    ].sort(),
    subnetIds: [...new Set(running.map(i => i.SubnetId ?? '').filter(Boolean))],
    current: running.length,
    ready: running.length,
    spread,
    unhealthy: 0,
    activities: [],
    healthIssues: [],
  };
}

/**
 * A pool as AWS runs it. Sizes and zones come from the Auto Scaling group or EKS node group
 * when it exists (the spec says what was asked, the group what is); instances count only when
 * in service, so terminating and pending ones do not. Without a group nothing is counted.
 */
export function poolState(pool: PoolInput, ctx: PoolContext): PoolState {
  switch (pool.kind) {
    case 'karpenter':
      return karpenterPool(pool, ctx);
    case 'managed':
      return managedPool(pool, ctx);
    default:
      return asgPool(pool, ctx);
  }
}
