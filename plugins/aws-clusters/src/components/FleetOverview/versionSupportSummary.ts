import type {
  ClusterSummary,
  VersionSupport,
  VersionSupportStatus,
} from '@clusterdeck/plugin-aws-clusters-common';
import { SUPPORT_ORDER, supportStatus } from '../ClusterTable';
import { decidingVersion } from '../VersionSupport/VersionSupportBadge';

/**
 * How many clusters are in each support status, in the order of urgency; the four statuses a
 * judged version can have are always listed (with 0), `unknown` only when some cluster has it.
 */
export function supportCounts(
  clusters: ClusterSummary[],
): Array<[VersionSupportStatus, number]> {
  const counts = new Map<VersionSupportStatus, number>();
  for (const c of clusters) {
    const status = supportStatus(c);
    counts.set(status, (counts.get(status) ?? 0) + 1);
  }
  return SUPPORT_ORDER.filter(s => s !== 'unknown' || counts.has(s)).map(s => [
    s,
    counts.get(s) ?? 0,
  ]);
}

/** A version near or past the end of its support, and the clusters that run it. */
export interface VersionNearEnd {
  /** The version as the calendar judged it, on the day of the fleet's answer. */
  support: VersionSupport;
  clusters: ClusterSummary[];
}

/**
 * The versions whose support ends within the warning period or has ended, each with the
 * clusters it decides (a cluster's Kubernetes minor or its `cluster-aws` release, whichever is
 * worse), fewest days left first.
 */
export function versionsNearEndOfSupport(
  clusters: ClusterSummary[],
): VersionNearEnd[] {
  const byVersion = new Map<string, VersionNearEnd>();
  for (const c of clusters) {
    const status = supportStatus(c);
    if (status !== 'ending-soon' && status !== 'unsupported') continue;
    const support = decidingVersion(c.versionSupport!);
    if (!support) continue;
    const key = `${support.kind}:${support.version}`;
    const entry = byVersion.get(key) ?? { support, clusters: [] };
    entry.clusters.push(c);
    byVersion.set(key, entry);
  }
  return [...byVersion.values()]
    .map(e => ({
      ...e,
      clusters: [...e.clusters].sort((a, b) => a.name.localeCompare(b.name)),
    }))
    .sort(
      (a, b) =>
        (a.support.daysLeft ?? 0) - (b.support.daysLeft ?? 0) ||
        a.support.version.localeCompare(b.support.version),
    );
}
