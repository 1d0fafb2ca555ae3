import { Link } from '@backstage/core-components';
import { Chip, Typography } from '@material-ui/core';
import { Alert, AlertTitle } from '@material-ui/lab';
import type { NodePoolScaling } from '@clusterdeck/plugin-aws-clusters-common';
import { useEntity } from '@backstage/plugin-catalog-react';
import {
  clusterRefOfEntity,
  formatClusterRef,
  type ClusterRef,
} from '../../api';
import { ClusterCardFrame } from '../common/ClusterCardFrame';
import { useLayout } from '../common/layout';
import {
  ActivityList,
  InstanceTypeList,
  scalingBlockers,
  SizeHistoryChart,
} from '../NodePools';

const KIND_LABELS: Record<NodePoolScaling['kind'], string> = {
  asg: 'ASG + cluster-autoscaler',
  karpenter: 'Karpenter',
  managed: 'EKS managed node group',
};

/** The link to the template that changes a node pool, prefilled with the cluster and the pool. */
export function changeNodePoolLink(cluster: ClusterRef, pool: string): string {
  const formData = JSON.stringify({ cluster: formatClusterRef(cluster), pool });
  return `/create/templates/default/change-node-pool?formData=${encodeURIComponent(
    formData,
  )}`;
}

/** A bar from 0 to max with min, desired and current marked. */
function SizeBar(props: { pool: NodePoolScaling }) {
  const { min, desired, current, max } = props.pool;
  const scale = Math.max(max, desired, current, 1);
  const pct = (n: number) => `${(n / scale) * 100}%`;
  return (
    <svg
      width="100%"
      height="18"
      role="img"
      aria-label={`${props.pool.name}: min ${min}, desired ${desired}, current ${current}, max ${max}`}
    >
      <rect x="0" y="5" width="100%" height="8" fill="#e0e0e0" />
      <rect
        x={pct(min)}
        y="5"
        width={pct(Math.max(max - min, 0))}
        height="8"
        fill="#90caf9"
      />
      <rect x="0" y="7" width={pct(current)} height="4" fill="#1565c0" />
      <line
        x1={pct(desired)}
        x2={pct(desired)}
        y1="1"
        y2="17"
        stroke="#e65100"
        strokeWidth="2"
      />
    </svg>
  );
}

function PoolRow(props: {
  pool: NodePoolScaling;
  cluster?: ClusterRef;
  now: number;
}) {
  const { pool, cluster, now } = props;
  const layout = useLayout();
  const blockers = scalingBlockers(pool);
  const sizes =
    pool.kind === 'karpenter' && pool.limits
      ? `desired ${pool.desired} / current ${pool.current} (ready ${
          pool.ready
        }) · limits ${Object.entries(pool.limits)
          .map(([k, v]) => `${k} ${v}`)
          .join(', ')}`
      : `min ${pool.min} / desired ${pool.desired} / current ${pool.current} (ready ${pool.ready}) / max ${pool.max}`;
  return (
    <div className={layout.mb3} data-testid={`pool-${pool.name}`}>
      <div className={layout.row}>
        <Typography variant="h6" component="h3">
          {pool.name}
        </Typography>
        <Chip size="small" label={KIND_LABELS[pool.kind]} />
        {pool.spot ? <Chip size="small" color="primary" label="spot" /> : null}
        <InstanceTypeList pool={pool} />
        {cluster ? (
          <Link
            to={changeNodePoolLink(cluster, pool.name)}
            aria-label={`Change this pool: ${pool.name}`}
          >
            Change this pool
          </Link>
        ) : null}
      </div>
      <Typography variant="body2">{sizes}</Typography>
      <SizeBar pool={pool} />
      <Typography variant="body2">
        Zones:{' '}
        {pool.availabilityZones
          .map(az => `${az} (${pool.spread[az] ?? '?'})`)
          .join(', ')}
      </Typography>
      {blockers.length > 0 && (
        <div
          className={layout.mt1}
          role="group"
          aria-label={`Why ${pool.name} is not scaling`}
        >
          {blockers.map(b => (
            <Alert key={b.title} severity={b.severity}>
              <AlertTitle>{b.title}</AlertTitle>
              {b.detail}
            </Alert>
          ))}
        </div>
      )}
      {pool.warnings
        .filter(w => !blockers.some(b => covers(b.title, w)))
        .map(w => (
          <Alert key={w} severity="warning">
            {w}
          </Alert>
        ))}
      <Typography variant="subtitle2" component="h4" style={{ marginTop: 8 }}>
        Size over time
      </Typography>
      <SizeHistoryChart pool={pool} now={now} />
      <Typography variant="subtitle2" component="h4" style={{ marginTop: 8 }}>
        Scaling activities
      </Typography>
      <ActivityList pool={pool.name} activities={pool.activities} />
    </div>
  );
}

/** Whether a backend warning says what a blocker already says (at its maximum, short of desired, failed launch). */
function covers(blocker: string, warning: string): boolean {
  return (
    (/^At its maximum/.test(blocker) && /^at its maximum/.test(warning)) ||
    (/desired instances in service$/.test(blocker) &&
      /desired instances in service$/.test(warning)) ||
    (/^AWS could not launch/.test(blocker) &&
      /^scaling failed/.test(warning)) ||
    (/does not exist yet$/.test(blocker) &&
      /does not exist yet/.test(warning)) ||
    (/^Being deleted$/.test(blocker) && /^being deleted/.test(warning))
  );
}

/** Each node pool of the current cluster entity: size, kind, spread, recent scaling and warnings. */
export function EntityNodePoolScalingCard() {
  const { entity } = useEntity();
  const ref = clusterRefOfEntity(entity);
  return (
    <ClusterCardFrame
      title="Node-pool scaling"
      emptyTitle="No node pools"
      emptyDescription="The cluster has no node pools yet."
      isEmpty={d => d.nodePools.length === 0}
    >
      {d =>
        d.nodePools.map(pool => (
          <PoolRow
            key={pool.name}
            pool={pool}
            cluster={ref}
            now={Date.parse(d.generatedAt) || Date.now()}
          />
        ))
      }
    </ClusterCardFrame>
  );
}
