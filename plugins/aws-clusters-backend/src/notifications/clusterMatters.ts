import type { ProvisioningTimeline } from '@clusterdeck/plugin-aws-clusters-common';
import type { StoredClusterRequest } from '../database/ClusterdeckDatabase';
import type { ClusterRecord } from '../fleet/buildFleetModel';
import { provisioningTimeline } from '../fleet/provisioningTimeline';
import { isoTime } from '../fleet/tags';
import type { NotificationKind } from './notificationsConfig';

/** Something about a cluster worth a notification, for as long as it holds. */
export interface ClusterMatter {
  kind: NotificationKind;
  /** The ledger's key within the cluster: the kind, or `<kind>:<pool>` for a pool's matter. */
  key: string;
  /** What the matter is about (a step, an activity); a different state is a new matter. */
  state: string;
  title: string;
  description: string;
}

/** What a cluster's current state says. */
export interface ClusterAssessment {
  /** Still on its way to ready: neither every step done nor being deleted. */
  provisioning: boolean;
  /** Matters that hold now; `ready` only when every provisioning step is done. */
  matters: ClusterMatter[];
}

function duration(ms: number): string {
  const minutes = Math.round(ms / 60_000);
  if (minutes < 1) return `${Math.max(1, Math.round(ms / 1000))} seconds`;
  if (minutes < 120) return `${minutes} minute${minutes === 1 ? '' : 's'}`;
  return `${Math.round(minutes / 60)} hours`;
}

function blockingText(timeline: ProvisioningTimeline): string {
  const b = timeline.blocking;
  if (!b) return '';
  return `${b.title}${b.reason ? ` (${b.reason})` : ''}${
    b.message ? `: ${b.message}` : ''
  }`;
}

/** Pools' matters: at their maximum, or their newest scaling activity failed. */
function poolMatters(record: ClusterRecord): ClusterMatter[] {
  const matters: ClusterMatter[] = [];
  for (const pool of record.pools) {
    const s = pool.state;
    if (
      pool.kind !== 'karpenter' &&
      s.max > 0 &&
      s.desired >= s.max &&
      s.group?.state !== 'missing'
    ) {
      matters.push({
        kind: 'poolAtMaximum',
        key: `poolAtMaximum:${pool.name}`,
        state: String(s.max),
        title: `Node pool ${pool.name} of ${record.name} is at its maximum`,
        description: `${record.ref}: node pool ${pool.name} runs at its maximum of ${s.max} nodes; pending pods cannot get new nodes.`,
      });
    }
    const failed = s.failedActivity;
    if (failed) {
      const at = isoTime(failed.StartTime);
      matters.push({
        kind: 'launchesFailing',
        key: `launchesFailing:${pool.name}`,
        state: failed.ActivityId ?? at ?? 'failed',
        title: `Node pool ${pool.name} of ${record.name} cannot scale`,
        description: `${record.ref}: the scaling activity${
          at ? ` of ${at}` : ''
        } failed: ${
          failed.StatusMessage ??
          failed.Cause ??
          failed.Description ??
          'no reason given'
        }`,
      });
    }
  }
  return matters;
}

/**
 * What a cluster's state says now: whether it is still provisioning, and the matters that hold
 * (ready once every step of its timeline is done, stuck when no step advanced for
 * `stuckAfterMs`, failed, degraded once past provisioning, pools at their maximum or failing to
 * launch). Pure: the ledger decides what is new.
 */
export function assessCluster(input: {
  record: ClusterRecord;
  request?: StoredClusterRequest;
  now: Date;
  stuckAfterMs: number;
  /** Whether the cluster was seen provisioning: its timeline then decides when it is ready. */
  seenProvisioning?: boolean;
}): ClusterAssessment {
  const { record, request, now, stuckAfterMs } = input;
  const matters = poolMatters(record);
  if (record.status === 'deleting') return { provisioning: false, matters };
  // A ready cluster with nothing pending needs no timeline; this keeps a fleet-wide pass cheap.
  const settled =
    record.status === 'ready' &&
    record.pools.every(p => p.state.ready >= p.state.desired);
  const timeline =
    settled && !input.seenProvisioning
      ? undefined
      : provisioningTimeline({ ref: record.ref, record, request, now });
  const phase = timeline?.phase ?? 'ready';
  // Still on its way: being created, or seen so and not through every step yet. A long-ready
  // cluster whose pool lacks nodes is not provisioning; its status says what is wrong.
  const provisioning =
    record.status === 'creating' ||
    (Boolean(input.seenProvisioning) &&
      (phase === 'provisioning' || phase === 'failed'));
  const clusterFailed =
    record.cluster.status?.phase === 'Failed' ||
    Boolean(
      record.cluster.status?.failureMessage ??
        record.cluster.status?.deprecated?.v1beta1?.failureMessage,
    );
  const failed =
    timeline && phase === 'failed' && (provisioning || clusterFailed);
  if (failed) {
    matters.push({
      kind: 'failed',
      key: 'failed',
      state: timeline.blocking?.stepId ?? 'cluster',
      title: `Cluster ${record.name} failed${
        provisioning && timeline.direction === 'create' ? ' to provision' : ''
      }`,
      description: `${record.ref}: ${
        blockingText(timeline) || record.statusReason || 'the cluster failed'
      }`,
    });
  } else if (
    provisioning &&
    timeline &&
    phase === 'provisioning' &&
    timeline.blocking &&
    timeline.blocking.forMs >= stuckAfterMs
  ) {
    matters.push({
      kind: 'stuck',
      key: 'stuck',
      state: timeline.blocking.stepId,
      title: `Cluster ${record.name} is stuck provisioning`,
      description: `${record.ref}: no step advanced for ${duration(
        timeline.blocking.forMs,
      )}; waiting for ${blockingText(timeline)}`,
    });
  }
  if (phase === 'ready' && record.status === 'ready') {
    const started =
      request?.createdAt ?? record.cluster.metadata.creationTimestamp;
    const took = started ? now.getTime() - Date.parse(started) : NaN;
    matters.push({
      kind: 'ready',
      key: 'ready',
      state: record.cluster.metadata.uid ?? '',
      title: `Cluster ${record.name} is ready`,
      description: `${record.ref} is provisioned${
        Number.isFinite(took) && took > 0 ? ` after ${duration(took)}` : ''
      }: every step is done and its node pools are ready.`,
    });
  }
  if (record.status === 'degraded' && !provisioning && !failed) {
    matters.push({
      kind: 'degraded',
      key: 'degraded',
      state: '',
      title: `Cluster ${record.name} is degraded`,
      description: `${record.ref}: ${record.statusReason ?? 'degraded'}`,
    });
  }
  return { provisioning, matters };
}
