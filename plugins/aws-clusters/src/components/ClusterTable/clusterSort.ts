import type {
  ClusterStatus,
  ClusterSummary,
  IsolationFinding,
} from '@clusterdeck/plugin-aws-clusters-common';
import { compareCost, compareSupport } from './lifecycleColumns';

/** The columns a cluster table sorts by, as named in the URL's `sort` parameter. */
export type SortKey =
  | 'name'
  | 'owner'
  | 'status'
  | 'version'
  | 'support'
  | 'cost'
  | 'age'
  | 'nodes'
  | 'pools'
  | 'findings'
  | 'environment'
  | 'account'
  | 'managementCluster'
  | 'region'
  | 'flavor';

/** Worst first: what needs a look sorts to the top. */
const STATUS_ORDER: Record<ClusterStatus, number> = {
  degraded: 0,
  deleting: 1,
  creating: 2,
  requested: 3,
  ready: 4,
};

/** `1.31.4` as numbers, so that 1.9 sorts before 1.10; unknown versions last. */
function versionParts(v: string | undefined): number[] {
  return v ? v.split('.').map(p => parseInt(p, 10) || 0) : [Infinity];
}

function compareVersions(a?: string, b?: string): number {
  const x = versionParts(a);
  const y = versionParts(b);
  for (let i = 0; i < Math.max(x.length, y.length); i++) {
    const d = (x[i] ?? 0) - (y[i] ?? 0);
    if (d !== 0 && !Number.isNaN(d)) return d;
  }
  return 0;
}

const text = (a?: string, b?: string) => (a ?? '').localeCompare(b ?? '');

/** The ascending order of each sort key; `findings` counts the unaccepted findings per cluster. */
export function comparator(
  key: SortKey,
  findings: Map<string, IsolationFinding[]>,
): (a: ClusterSummary, b: ClusterSummary) => number {
  switch (key) {
    case 'status':
      return (a, b) => STATUS_ORDER[a.status] - STATUS_ORDER[b.status];
    case 'version':
      return (a, b) =>
        compareVersions(a.kubernetesVersion, b.kubernetesVersion);
    case 'support':
      return compareSupport;
    case 'cost':
      return compareCost;
    case 'age':
      // Oldest first: the earliest creation time.
      return (a, b) =>
        (a.createdAt ? Date.parse(a.createdAt) : Infinity) -
        (b.createdAt ? Date.parse(b.createdAt) : Infinity);
    case 'nodes':
      return (a, b) => a.nodes.ready - b.nodes.ready;
    case 'pools':
      return (a, b) => a.nodePools - b.nodePools;
    case 'findings':
      return (a, b) =>
        (findings.get(a.ref)?.length ?? 0) - (findings.get(b.ref)?.length ?? 0);
    case 'account':
      return (a, b) =>
        text(a.accountName ?? a.accountId, b.accountName ?? b.accountId);
    default:
      return (a, b) => text(a[key], b[key]);
  }
}

/** The clusters in the order of a column, ties by ref, so that the order is stable. */
export function sortClusters(
  clusters: ClusterSummary[],
  key: SortKey | undefined,
  direction: 'asc' | 'desc',
  findings: Map<string, IsolationFinding[]>,
): ClusterSummary[] {
  if (!key) return clusters;
  const compare = comparator(key, findings);
  const sign = direction === 'desc' ? -1 : 1;
  return [...clusters].sort(
    (a, b) => sign * compare(a, b) || a.ref.localeCompare(b.ref),
  );
}
