import { Link } from '@backstage/core-components';
import { Box, Chip, Typography } from '@material-ui/core';
import { Alert } from '@material-ui/lab';
import type {
  NodePoolScaling,
  ScalingActivity,
} from '@clusterdeck/plugin-aws-clusters-common';
import { useEntity } from '@backstage/plugin-catalog-react';
import {
  clusterRefOfEntity,
  formatClusterRef,
  type ClusterRef,
} from '../../api';
import { ClusterCardFrame } from '../common/ClusterCardFrame';

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

const ACTIVITY_COLORS: Record<ScalingActivity['status'], string> = {
  successful: '#2e7d32',
  failed: '#c62828',
  'in-progress': '#1565c0',
  cancelled: '#757575',
};

/** The recent scaling activities as dots on a time axis. */
function ActivityTimeline(props: { activities: ScalingActivity[] }) {
  const times = props.activities
    .map(a => Date.parse(a.time))
    .filter(t => !Number.isNaN(t));
  if (times.length === 0)
    return <Typography variant="body2">No recent scaling activity.</Typography>;
  const first = Math.min(...times);
  const span = Math.max(Math.max(...times) - first, 1);
  return (
    <svg width="100%" height="24" role="img" aria-label="scaling activities">
      <line x1="2%" x2="98%" y1="12" y2="12" stroke="#9e9e9e" />
      {props.activities.map((a, i) => {
        const t = Date.parse(a.time);
        const x = times.length === 1 ? 50 : 2 + ((t - first) / span) * 96;
        return (
          <circle
            key={i}
            cx={`${x}%`}
            cy="12"
            r="5"
            fill={ACTIVITY_COLORS[a.status]}
          >
            <title>{`${a.time} ${a.status}: ${a.description}${
              a.cause ? ` (${a.cause})` : ''
            }`}</title>
          </circle>
        );
      })}
    </svg>
  );
}

function PoolRow(props: { pool: NodePoolScaling; cluster?: ClusterRef }) {
  const { pool, cluster } = props;
  const sizes =
    pool.kind === 'karpenter' && pool.limits
      ? `desired ${pool.desired} / current ${pool.current} (ready ${
          pool.ready
        }) · limits ${Object.entries(pool.limits)
          .map(([k, v]) => `${k} ${v}`)
          .join(', ')}`
      : `min ${pool.min} / desired ${pool.desired} / current ${pool.current} (ready ${pool.ready}) / max ${pool.max}`;
  return (
    <Box mb={3} data-testid={`pool-${pool.name}`}>
      <Box
        display="flex"
        alignItems="center"
        flexWrap="wrap"
        style={{ gap: 8 }}
      >
        <Typography variant="h6">{pool.name}</Typography>
        <Chip size="small" label={KIND_LABELS[pool.kind]} />
        {pool.spot ? (
          <Chip size="small" color="secondary" label="spot" />
        ) : null}
        <Typography variant="body2">{pool.instanceTypes.join(', ')}</Typography>
        {cluster ? (
          <Link
            to={changeNodePoolLink(cluster, pool.name)}
            aria-label={`change node pool ${pool.name}`}
          >
            Change this pool
          </Link>
        ) : null}
      </Box>
      <Typography variant="body2">{sizes}</Typography>
      <SizeBar pool={pool} />
      <Typography variant="body2">
        Zones:{' '}
        {pool.availabilityZones
          .map(az => `${az} (${pool.spread[az] ?? '?'})`)
          .join(', ')}
      </Typography>
      <ActivityTimeline activities={pool.activities} />
      {pool.warnings.map(w => (
        <Alert key={w} severity="warning">
          {w}
        </Alert>
      ))}
    </Box>
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
          <PoolRow key={pool.name} pool={pool} cluster={ref} />
        ))
      }
    </ClusterCardFrame>
  );
}
