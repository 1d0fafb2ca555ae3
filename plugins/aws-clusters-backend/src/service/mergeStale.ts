import type { SourceStatus } from '@clusterdeck/plugin-aws-clusters-common';
import { AWS_LIST_KEYS } from '@clusterdeck/plugin-aws-clusters-node';
import type {
  FleetSnapshot,
  ManagementClusterSnapshot,
  SourceError,
} from '@clusterdeck/plugin-aws-clusters-node';

/**
 * Where a refresh failed, serve the last good data: a list that came back empty from a snapshot
 * with errors is taken from the previous snapshot, which keeps its own fetch time. A snapshot
 * without errors replaces the previous one whole.
 */
function mergeLists<T extends object>(
  next: T,
  previous: T | undefined,
  errors: SourceError[],
  listKeys: ReadonlyArray<keyof T>,
): T {
  if (!previous || errors.length === 0) return next;
  const merged = { ...next };
  for (const key of listKeys) {
    const value = next[key] as unknown;
    const before = previous[key] as unknown;
    if (
      Array.isArray(value) &&
      value.length === 0 &&
      Array.isArray(before) &&
      before.length > 0
    ) {
      merged[key] = before as T[keyof T];
    }
  }
  return merged;
}

function mergeMc(
  next: ManagementClusterSnapshot,
  previous: ManagementClusterSnapshot | undefined,
): ManagementClusterSnapshot {
  if (!previous || next.errors.length === 0) return next;
  const objects = mergeLists(
    next.objects,
    previous.objects,
    next.errors,
    Object.keys(next.objects) as Array<keyof typeof next.objects>,
  );
  return { ...next, objects };
}

function describe(errors: SourceError[]): string | undefined {
  if (errors.length === 0) return undefined;
  const first = errors[0];
  const more = errors.length > 1 ? ` (and ${errors.length - 1} more)` : '';
  return `${first.operation}: ${first.code ? `${first.code}: ` : ''}${
    first.message
  }${more}`;
}

/** Merges a new raw fleet over the previous one and says how fresh each source is. */
export function mergeSnapshots(
  next: FleetSnapshot,
  previous: FleetSnapshot | undefined,
): { snapshot: FleetSnapshot; statuses: SourceStatus[] } {
  const previousAws = new Map(
    (previous?.aws ?? []).map(s => [`${s.accountId}/${s.region}`, s]),
  );
  const previousMcs = new Map(
    (previous?.managementClusters ?? []).map(s => [s.name, s]),
  );
  const aws = next.aws.map(s =>
    mergeLists(
      s,
      previousAws.get(`${s.accountId}/${s.region}`),
      s.errors,
      AWS_LIST_KEYS,
    ),
  );
  const managementClusters = next.managementClusters.map(s =>
    mergeMc(s, previousMcs.get(s.name)),
  );
  const statuses: SourceStatus[] = [
    ...next.aws.map(s => ({
      source: `aws:${s.accountId}:${s.region}`,
      fetchedAt: s.errors.length
        ? previousAws.get(`${s.accountId}/${s.region}`)?.fetchedAt ??
          s.fetchedAt
        : s.fetchedAt,
      error: describe(s.errors),
      stale: s.errors.length > 0,
    })),
    ...next.managementClusters.map(s => ({
      source: `kubernetes:${s.name}`,
      fetchedAt: s.errors.length
        ? previousMcs.get(s.name)?.fetchedAt ?? s.fetchedAt
        : s.fetchedAt,
      error: describe(s.errors),
      stale: s.errors.length > 0,
    })),
  ];
  return { snapshot: { aws, managementClusters }, statuses };
}
