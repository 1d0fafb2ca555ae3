import type {
  ClusterSummary,
  IsolationFinding,
} from '@clusterdeck/plugin-aws-clusters-common';
import {
  costRange,
  fleetHasCost,
  supportStatus,
  supportStatusText,
} from './lifecycleColumns';

/** The fields the cluster tables filter by, as they are named in the URL's query. */
export const FILTERS = [
  { key: 'status', title: 'Status' },
  { key: 'version', title: 'Kubernetes version' },
  { key: 'support', title: 'Version support' },
  { key: 'cost', title: 'Cost' },
  { key: 'flavor', title: 'Flavor' },
  { key: 'environment', title: 'Environment' },
  { key: 'account', title: 'Account' },
  { key: 'region', title: 'Region' },
  { key: 'managementCluster', title: 'Management cluster' },
] as const;

/** One of {@link FILTERS}' keys. */
export type FilterKey = (typeof FILTERS)[number]['key'];

/** The values chosen per filter; a filter with none admits every cluster. */
export type ClusterFilters = Partial<Record<FilterKey, string[]>>;

/** A cluster's value for a filter; clusters without one have `unknown`. */
export function filterValue(c: ClusterSummary, key: FilterKey): string {
  switch (key) {
    case 'account':
      return c.accountId
        ? `${c.accountName ? `${c.accountName} ` : ''}(${c.accountId})`
        : 'unknown';
    case 'version':
      return c.kubernetesVersion
        ? c.kubernetesVersion.split('.').slice(0, 2).join('.')
        : 'unknown';
    case 'support':
      return supportStatus(c);
    case 'cost':
      return costRange(c);
    default:
      return c[key] ?? 'unknown';
  }
}

/** A filter's value as people read it: version support statuses in words, the rest as they are. */
export function filterValueText(
  key: FilterKey,
  value: string,
  warnDays?: number,
): string {
  return key === 'support' ? supportStatusText(value, warnDays) : value;
}

/** The filters that tell the clusters apart: cost only where the fleet has cost figures. */
export function filtersFor(
  clusters: ClusterSummary[],
): Array<(typeof FILTERS)[number]> {
  const withCost = fleetHasCost(clusters);
  return FILTERS.filter(f => f.key !== 'cost' || withCost);
}

/** The filters a URL query names (`?status=degraded&status=creating&flavor=eks`). */
export function filtersFromQuery(query: URLSearchParams): ClusterFilters {
  const filters: ClusterFilters = {};
  for (const { key } of FILTERS) {
    const values = query.getAll(key).filter(Boolean);
    if (values.length) filters[key] = values;
  }
  return filters;
}

/** The query with one filter's values replaced; the other parameters are kept. */
export function withFilter(
  query: URLSearchParams,
  key: FilterKey,
  values: string[],
): URLSearchParams {
  const next = new URLSearchParams(query);
  next.delete(key);
  for (const v of values) next.append(key, v);
  return next;
}

/** The clusters every chosen filter admits. */
export function applyFilters(
  clusters: ClusterSummary[],
  filters: ClusterFilters,
): ClusterSummary[] {
  const active = Object.entries(filters).filter(
    (e): e is [FilterKey, string[]] => !!e[1]?.length,
  );
  if (active.length === 0) return clusters;
  return clusters.filter(c =>
    active.every(([key, values]) => values.includes(filterValue(c, key))),
  );
}

/** Each filter's values among the clusters with how many clusters have each, most first. */
export function countBy(
  clusters: ClusterSummary[],
  key: FilterKey,
): Array<[string, number]> {
  const counts = new Map<string, number>();
  for (const c of clusters) {
    const v = filterValue(c, key);
    counts.set(v, (counts.get(v) ?? 0) + 1);
  }
  return [...counts].sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]));
}

/** The findings that name each cluster (by ref) that the platform team has not accepted. */
export function findingsByCluster(
  findings: IsolationFinding[],
): Map<string, IsolationFinding[]> {
  const map = new Map<string, IsolationFinding[]>();
  for (const f of findings) {
    if (f.accepted) continue;
    for (const subject of f.subjects) {
      map.set(subject, [...(map.get(subject) ?? []), f]);
    }
  }
  return map;
}

const DAY = 86_400_000;

/** A cluster's age in whole days, hours or minutes; `—` when its creation time is not known. */
export function ageText(createdAt: string | undefined, now: number): string {
  const created = createdAt ? Date.parse(createdAt) : NaN;
  if (Number.isNaN(created)) return '—';
  const ms = Math.max(0, now - created);
  if (ms >= DAY) return `${Math.floor(ms / DAY)} d`;
  if (ms >= 3_600_000) return `${Math.floor(ms / 3_600_000)} h`;
  return `${Math.floor(ms / 60_000)} min`;
}
