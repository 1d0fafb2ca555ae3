import type {
  ClusterCostSummary,
  MonthlyCost,
} from '@clusterdeck/plugin-aws-clusters-common';

/** @public An amount in its unit, e.g. "$1,240.50" or "1,240.50 EUR". */
export function formatAmount(amount: number, unit: string): string {
  try {
    return new Intl.NumberFormat('en', {
      style: 'currency',
      currency: unit,
      minimumFractionDigits: 2,
      maximumFractionDigits: 2,
    }).format(amount);
  } catch {
    return `${amount.toFixed(2)} ${unit}`;
  }
}

/** @public A month (`2026-11`) as "Nov 2026". */
export function formatMonth(month: string): string {
  const [year, m] = month.split('-').map(Number);
  return new Date(Date.UTC(year, m - 1, 1)).toLocaleString('en', {
    month: 'short',
    year: 'numeric',
    timeZone: 'UTC',
  });
}

/** @public A month's cost with its month, e.g. "$750.00 (Nov 2026, estimated)". */
export function formatMonthlyCost(cost: MonthlyCost): string {
  return `${formatAmount(cost.amount, cost.unit)} (${formatMonth(cost.month)}${
    cost.estimated ? ', estimated' : ''
  })`;
}

/**
 * @public A cluster's cost for a table cell: this month so far, or why there is no figure ("tag
 * not active", "no data", "not read yet").
 */
export function formatClusterCost(cost?: ClusterCostSummary): string {
  if (!cost) return '—';
  if (cost.status === 'tag-not-active') return 'tag not active';
  if (cost.status === 'not-read') return 'not read yet';
  if (!cost.thisMonth && !cost.lastMonth) return 'no data';
  return cost.thisMonth
    ? `${formatAmount(cost.thisMonth.amount, cost.thisMonth.unit)} so far`
    : `${formatAmount(
        cost.lastMonth!.amount,
        cost.lastMonth!.unit,
      )} last month`;
}
