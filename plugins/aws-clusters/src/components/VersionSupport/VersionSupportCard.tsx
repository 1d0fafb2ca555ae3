import { Chip, Typography } from '@material-ui/core';
import type {
  UpgradeInsight,
  VersionSupport,
} from '@clusterdeck/plugin-aws-clusters-common';
import type { ClusterDetailResponse } from '../../api';
import { ClusterCardFrame } from '../common/ClusterCardFrame';
import { useLayout } from '../common/layout';
import {
  describeVersionSupport,
  VersionSupportBadge,
} from './VersionSupportBadge';

const INSIGHT_COLORS: Record<UpgradeInsight['status'], string> = {
  ERROR: '#b71c1c',
  WARNING: '#bf360c',
  UNKNOWN: '#616161',
  PASSING: '#1b5e20',
};

function VersionLine(props: { support?: VersionSupport }) {
  if (!props.support) return null;
  return (
    <Typography variant="body2">
      {describeVersionSupport(props.support)}
    </Typography>
  );
}

function Insight(props: { insight: UpgradeInsight }) {
  const { insight } = props;
  const layout = useLayout();
  return (
    <div className={layout.mt1}>
      <Typography variant="body2">
        <Chip
          size="small"
          label={insight.status}
          style={{
            color: INSIGHT_COLORS[insight.status],
            borderColor: INSIGHT_COLORS[insight.status],
          }}
          variant="outlined"
        />{' '}
        <strong>{insight.name}</strong>
        {insight.kubernetesVersion
          ? ` (for Kubernetes ${insight.kubernetesVersion})`
          : ''}
      </Typography>
      {insight.reason ? (
        <Typography variant="body2" color="textSecondary">
          {insight.reason}
        </Typography>
      ) : null}
      {insight.recommendation ? (
        <Typography variant="body2">{insight.recommendation}</Typography>
      ) : null}
      {insight.deprecations.length > 0 ? (
        <ul style={{ margin: 0 }}>
          {insight.deprecations.map(d => (
            <li key={d.usage}>
              <Typography variant="body2" component="span">
                <code>{d.usage}</code>
                {d.replacedWith ? (
                  <>
                    {' '}
                    → <code>{d.replacedWith}</code>
                  </>
                ) : null}
                {d.stopServingVersion
                  ? `, removed in ${d.stopServingVersion}`
                  : ''}
                {d.requestsLast30Days !== undefined
                  ? `, ${d.requestsLast30Days} requests in 30 days`
                  : ''}
                {d.clients.length ? ` by ${d.clients.join(', ')}` : ''}
              </Typography>
            </li>
          ))}
        </ul>
      ) : null}
    </div>
  );
}

function VersionSupportBody(props: { detail: ClusterDetailResponse }) {
  const { detail } = props;
  const layout = useLayout();
  const support = detail.cluster.versionSupport!;
  const insights = detail.upgradeInsights ?? [];
  const failing = insights.filter(i => i.status !== 'PASSING');
  return (
    <>
      <div className={layout.mb1}>
        <VersionSupportBadge support={support} />
      </div>
      <VersionLine support={support.kubernetes} />
      <VersionLine support={support.release} />
      {detail.cluster.flavor === 'eks' ? (
        <div className={layout.mt2}>
          <Typography variant="subtitle2">EKS upgrade insights</Typography>
          {insights.length === 0 ? (
            <Typography variant="body2" color="textSecondary">
              AWS reports no upgrade insights for this cluster yet.
            </Typography>
          ) : (
            <>
              <Typography variant="body2" color="textSecondary">
                {failing.length === 0
                  ? `All ${insights.length} checks pass.`
                  : `${failing.length} of ${insights.length} checks need attention.`}
              </Typography>
              {insights.map(i => (
                <Insight key={i.id} insight={i} />
              ))}
            </>
          )}
        </div>
      ) : null}
    </>
  );
}

/**
 * A cluster entity's versions: the support badge, each version's end of support and days left,
 * and for EKS clusters the upgrade insights AWS reports.
 * @public
 */
export function EntityVersionSupportCard() {
  return (
    <ClusterCardFrame
      title="Version support"
      emptyTitle="No version reported"
      emptyDescription="Neither Cluster API nor AWS report a Kubernetes version or release for this cluster yet."
      isEmpty={d =>
        !d.cluster.versionSupport?.kubernetes &&
        !d.cluster.versionSupport?.release
      }
    >
      {detail => <VersionSupportBody detail={detail} />}
    </ClusterCardFrame>
  );
}
