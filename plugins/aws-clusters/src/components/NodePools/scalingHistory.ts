import type {
  NodePoolScaling,
  ScalingActivity,
} from '@clusterdeck/plugin-aws-clusters-common';

/** A pool's size at a moment, as far as its scaling activities tell. */
export interface SizePoint {
  time: number;
  desired?: number;
  current?: number;
}

// The phrases of EC2 Auto Scaling's activity causes that carry sizes.
const CAPACITY =
  /(increasing|decreasing|shrinking) the capacity from (\d+) to (\d+)/;
const DESIRED = /changing the desired capacity from (\d+) to (\d+)/;

/**
 * The pool's desired and current size over time, read from the causes of its scaling activities
 * (`…changing the desired capacity from 17 to 20…`, `…increasing the capacity from 3 to 4.`) and
 * ending with its sizes now. Sizes no activity states are left out, never guessed.
 */
export function sizeHistory(pool: NodePoolScaling, now: number): SizePoint[] {
  const points: Array<SizePoint & { from?: number }> = [];
  for (const a of pool.activities) {
    const time = Date.parse(a.time);
    if (Number.isNaN(time) || !a.cause) continue;
    const desired = DESIRED.exec(a.cause);
    const capacity =
      a.status === 'successful' ? CAPACITY.exec(a.cause) : undefined;
    if (!desired && !capacity) continue;
    points.push({
      time,
      ...(desired ? { desired: Number(desired[2]) } : {}),
      ...(capacity
        ? { current: Number(capacity[3]), from: Number(capacity[2]) }
        : {}),
    });
  }
  if (points.length === 0) return [];
  points.sort((a, b) => a.time - b.time);
  // The size before the first change: where the line of current sizes starts.
  const first = points.find(p => p.from !== undefined);
  const history: SizePoint[] = points.map(({ from: _from, ...p }) => p);
  if (first) history.unshift({ time: first.time - 1, current: first.from });
  history.sort((a, b) => a.time - b.time);
  history.push({ time: now, desired: pool.desired, current: pool.current });
  return history;
}

/** The activities with failed ones first, then newest first. */
export function orderedActivities(
  activities: ScalingActivity[],
): ScalingActivity[] {
  const rank = (a: ScalingActivity) => (a.status === 'failed' ? 0 : 1);
  return [...activities].sort(
    (a, b) => rank(a) - rank(b) || Date.parse(b.time) - Date.parse(a.time) || 0,
  );
}

/** Why a pool does not grow, or grows less than asked. */
export interface ScalingBlocker {
  severity: 'error' | 'warning' | 'info';
  title: string;
  detail?: string;
}

const CAPACITY_ERROR =
  /InsufficientInstanceCapacity|Spot capacity|capacity-not-available|UnfulfillableCapacity|MaxSpotInstanceCountExceeded|VcpuLimitExceeded|InstanceLimitExceeded/i;

/**
 * What keeps a pool from scaling, from what the API serves: at its maximum, AWS short of capacity
 * (failed launches with their cause), fewer instances in service than desired, a group that does
 * not exist or is being deleted, and a Karpenter pool's resource limits.
 */
export function scalingBlockers(pool: NodePoolScaling): ScalingBlocker[] {
  const blockers: ScalingBlocker[] = [];
  if (pool.group?.state === 'missing')
    blockers.push({
      severity: 'warning',
      title: `The ${
        pool.kind === 'managed' ? 'EKS node group' : 'Auto Scaling group'
      } does not exist yet`,
      detail: 'Sizes are those asked for; no nodes are counted.',
    });
  if (pool.group?.state === 'deleting')
    blockers.push({
      severity: 'warning',
      title: 'Being deleted',
      detail: pool.group.status,
    });
  if (pool.kind !== 'karpenter' && pool.max > 0 && pool.desired >= pool.max)
    blockers.push({
      severity: 'warning',
      title: `At its maximum of ${pool.max} nodes`,
      detail:
        'The autoscaler cannot add nodes: pending pods wait until the maximum is raised or other pods leave.',
    });
  const failed = pool.activities.filter(
    a => a.status === 'failed' && a.cause && CAPACITY_ERROR.test(a.cause),
  );
  if (failed.length > 0) {
    const latest = orderedActivities(failed)[0];
    blockers.push({
      severity: 'error',
      title: `AWS could not launch instances (${failed.length} failed launch${
        failed.length === 1 ? '' : 'es'
      })`,
      detail: `${latest.cause} (latest ${latest.time})`,
    });
  }
  if (
    pool.kind !== 'karpenter' &&
    pool.group?.state !== 'missing' &&
    pool.current < pool.desired
  )
    blockers.push({
      severity: 'warning',
      title: `${pool.current} of ${pool.desired} desired instances in service`,
    });
  if (
    pool.kind === 'karpenter' &&
    pool.limits &&
    Object.keys(pool.limits).length
  )
    blockers.push({
      severity: 'info',
      title: `Karpenter limits: ${Object.entries(pool.limits)
        .map(([k, v]) => `${k} ${v}`)
        .join(', ')}`,
      detail:
        'Karpenter launches no node that would take the pool past them; how much of them the pool uses is not reported.',
    });
  return blockers;
}
