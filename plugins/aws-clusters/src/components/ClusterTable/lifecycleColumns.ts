import type {
  ClusterSummary,
  MonthlyCost,
  VersionSupportStatus,
} from '@clusterdeck/plugin-aws-clusters-common';
import { DEFAULT_SUPPORT_WARN_DAYS } from '@clusterdeck/plugin-aws-clusters-common';
import { formatAmount } from '../CostCard/formatCost';
import { decidingVersion } from '../VersionSupport/VersionSupportBadge';

/** Where the fleet's clusters stand in their support, most urgent first. */
export const SUPPORT_ORDER: VersionSupportStatus[] = [
  'unsupported',
  'ending-soon',
  'extended',
  'supported',
  'unknown',
];

/**
 * A version support status in words; `ending-soon` names the configured warning period
 * (`clusterdeck.versionSupport.warnDays`).
 */
export function supportStatusText(
  status: string,
  warnDays: number = DEFAULT_SUPPORT_WARN_DAYS,
): string {
  switch (status) {
    case 'supported':
      return 'standard support';
    case 'extended':
      return 'extended support';
    case 'ending-soon':
      return `support ending within ${warnDays} days`;
    case 'unsupported':
      return 'past end of support';
    default:
      return 'not in the support calendar';
  }
}

/** A cluster's version support status; `unknown` when the fleet did not judge it. */
export function supportStatus(c: ClusterSummary): VersionSupportStatus {
  return c.versionSupport?.status ?? 'unknown';
}

/** Most urgent first; within a status, the fewest days left first. */
export function compareSupport(a: ClusterSummary, b: ClusterSummary): number {
  const rank =
    SUPPORT_ORDER.indexOf(supportStatus(a)) -
    SUPPORT_ORDER.indexOf(supportStatus(b));
  if (rank !== 0) return rank;
  const days = (c: ClusterSummary) =>
    (c.versionSupport && decidingVersion(c.versionSupport)?.daysLeft) ??
    Number.POSITIVE_INFINITY;
  const d = days(a) - days(b);
  return Number.isNaN(d) ? 0 : d;
}

/** The figure a table shows for a cluster's cost: this month so far, else last month. */
export function costFigure(c: ClusterSummary): MonthlyCost | undefined {
  if (!c.cost || c.cost.status !== 'ok') return undefined;
  return c.cost.thisMonth ?? c.cost.lastMonth;
}

/** Cheapest first; clusters without a figure last. */
export function compareCost(a: ClusterSummary, b: ClusterSummary): number {
  const x = costFigure(a)?.amount ?? Number.POSITIVE_INFINITY;
  const y = costFigure(b)?.amount ?? Number.POSITIVE_INFINITY;
  if (x === y) return 0;
  return x < y ? -1 : 1;
}

/** The limits of the cost filter's ranges, in the figures' unit. */
const COST_RANGES = [100, 1_000, 10_000];

/**
 * A cluster's cost as a filter value: the range its figure falls in ("under $100",
 * "$100 to $1,000", "$10,000 and more") or why it has none.
 */
export function costRange(c: ClusterSummary): string {
  if (!c.cost) return 'unknown';
  if (c.cost.status === 'tag-not-active') return 'tag not active';
  if (c.cost.status === 'not-read') return 'not read yet';
  const figure = costFigure(c);
  if (!figure) return 'no data';
  const money = (n: number) =>
    formatAmount(n, figure.unit).replace(/\.00\b/, '');
  const upper = COST_RANGES.findIndex(limit => figure.amount < limit);
  if (upper === 0) return `under ${money(COST_RANGES[0])}`;
  if (upper === -1)
    return `${money(COST_RANGES[COST_RANGES.length - 1])} and more`;
  return `${money(COST_RANGES[upper - 1])} to ${money(COST_RANGES[upper])}`;
}

/** Whether any of the clusters carries cost figures or a reason for none. */
export function fleetHasCost(clusters: ClusterSummary[]): boolean {
  return clusters.some(c => c.cost !== undefined);
}
