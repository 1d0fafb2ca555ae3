import { Typography } from '@material-ui/core';
import { Alert } from '@material-ui/lab';
import type {
  ClusterCostView,
  CostStatus,
  MonthlyCost,
} from '@clusterdeck/plugin-aws-clusters-common';
import { ClusterPartCard } from '../common/ClusterCardFrame';
import { useLayout } from '../common/layout';
import { relativeTime } from '../common/StaleDataWarning';
import { formatAmount, formatMonth } from './formatCost';

/** Why a cluster or team has no figures, in words. */
export const COST_MISSING: Record<Exclude<CostStatus, 'ok'>, string> = {
  'tag-not-active': 'The cost-allocation tag is not active',
  'no-data': 'No cost data for this cluster',
  'not-read': 'Cost Explorer has not been read yet',
};

/** The months as bars, the current one (so far) hatched by opacity. */
function MonthBars(props: { months: MonthlyCost[]; current?: string }) {
  const max = Math.max(...props.months.map(m => m.amount), 1);
  return (
    <svg
      width="100%"
      height="64"
      role="img"
      aria-label={`cost per month: ${props.months
        .map(m => `${formatMonth(m.month)} ${formatAmount(m.amount, m.unit)}`)
        .join(', ')}`}
    >
      {props.months.map((m, i) => {
        const width = 100 / props.months.length;
        const height = (m.amount / max) * 44;
        return (
          <g key={m.month}>
            <rect
              x={`${i * width + width * 0.15}%`}
              y={48 - height}
              width={`${width * 0.7}%`}
              height={height}
              fill="#1565c0"
              opacity={m.month === props.current ? 0.5 : 1}
            />
            <text
              x={`${i * width + width / 2}%`}
              y={62}
              textAnchor="middle"
              fontSize="10"
            >
              {formatMonth(m.month)}
            </text>
          </g>
        );
      })}
    </svg>
  );
}

function Figure(props: { label: string; cost?: MonthlyCost }) {
  const layout = useLayout();
  return (
    <div className={layout.mr4}>
      <Typography variant="caption" color="textSecondary">
        {props.label}
      </Typography>
      <Typography variant="h6">
        {props.cost ? formatAmount(props.cost.amount, props.cost.unit) : '—'}
      </Typography>
    </div>
  );
}

function Trend(props: { cost: ClusterCostView }) {
  const { trend, thisMonth } = props.cost;
  if (!trend || !thisMonth) return null;
  const change = trend.changeFromLastMonth;
  const words =
    change === undefined
      ? ''
      : `, ${Math.abs(Math.round(change * 100))} % ${
          change >= 0 ? 'more' : 'less'
        } than last month`;
  return (
    <Typography variant="body2">
      At this month’s pace: {formatAmount(trend.projected, thisMonth.unit)}
      {words}.
    </Typography>
  );
}

/**
 * A cluster entity's Cost card, from AWS Cost Explorer: this month so far, last month, the
 * months read as bars and the pace of this month against last; says so plainly when the
 * cost-allocation tag is not active or there are no figures.
 * @public
 */
export function EntityClusterCostCard() {
  const layout = useLayout();
  return (
    <ClusterPartCard part="cost">
      {cost => {
        const tag = (
          <code>
            {cost.tagKey}={cost.tagValue}
          </code>
        );
        if (cost.status !== 'ok')
          return (
            <Alert severity="info">
              <strong>{COST_MISSING[cost.status]}.</strong> {cost.message}
              <Typography variant="body2">
                Figures come from Cost Explorer, grouped by {tag}.
              </Typography>
            </Alert>
          );
        return (
          <>
            {cost.message ? (
              <Alert severity="warning">{cost.message}</Alert>
            ) : null}
            <div className={layout.mb1} style={{ display: 'flex' }}>
              <Figure
                label={
                  cost.thisMonth
                    ? `${formatMonth(cost.thisMonth.month)} so far`
                    : 'This month so far'
                }
                cost={cost.thisMonth}
              />
              <Figure
                label={
                  cost.lastMonth
                    ? formatMonth(cost.lastMonth.month)
                    : 'Last month'
                }
                cost={cost.lastMonth}
              />
            </div>
            <Trend cost={cost} />
            <MonthBars months={cost.months} current={cost.thisMonth?.month} />
            <Typography variant="caption" color="textSecondary">
              AWS Cost Explorer, {cost.metric} of resources tagged {tag}
              {cost.readAt ? `, read ${relativeTime(cost.readAt)}` : ''}.
              Figures of an open month are estimates.
            </Typography>
          </>
        );
      }}
    </ClusterPartCard>
  );
}
