import type {
  ClusterSummary,
  IsolationFinding,
} from '@clusterdeck/plugin-aws-clusters-common';
import {
  decidingVersion,
  describeVersionSupport,
} from '../VersionSupport/VersionSupportBadge';

/** Why a cluster needs a look, worst first. */
export interface AttentionReason {
  severity: 'critical' | 'warning';
  text: string;
}

const RANK: Record<AttentionReason['severity'], number> = {
  critical: 0,
  warning: 1,
};

/** A cluster that needs a look, with its reasons. */
export interface AttentionItem {
  cluster: ClusterSummary;
  reasons: AttentionReason[];
}

/**
 * The clusters that need a look: degraded ones (with the reason the status gives), those with
 * unaccepted warning or critical isolation findings, those whose pools are all at their
 * maximum (desired at the sum of the pools' maxima, so no pool can grow), and those running a
 * version past the end of its support (critical) or near it (warning). Critical first, then by
 * how many reasons.
 */
export function clustersNeedingAttention(
  clusters: ClusterSummary[],
  findings: Map<string, IsolationFinding[]> = new Map(),
): AttentionItem[] {
  const items: AttentionItem[] = [];
  for (const cluster of clusters) {
    const reasons: AttentionReason[] = [];
    if (cluster.status === 'degraded')
      reasons.push({
        severity: 'critical',
        text: `degraded${
          cluster.statusReason ? `: ${cluster.statusReason}` : ''
        }`,
      });
    for (const f of findings.get(cluster.ref) ?? []) {
      if (f.severity === 'info') continue;
      reasons.push({ severity: f.severity, text: f.title });
    }
    const { desired, max } = cluster.nodes;
    if (max > 0 && desired >= max && cluster.status !== 'requested')
      reasons.push({
        severity: 'warning',
        text: `every pool at its maximum (${desired} of ${max} nodes)`,
      });
    const support = cluster.versionSupport;
    const deciding = support && decidingVersion(support);
    if (
      deciding &&
      (support.status === 'unsupported' || support.status === 'ending-soon')
    )
      reasons.push({
        severity: support.status === 'unsupported' ? 'critical' : 'warning',
        text: describeVersionSupport(deciding),
      });
    if (reasons.length) {
      reasons.sort((a, b) => RANK[a.severity] - RANK[b.severity]);
      items.push({ cluster, reasons });
    }
  }
  const critical = (i: AttentionItem) =>
    i.reasons.filter(r => r.severity === 'critical').length;
  return items.sort(
    (a, b) =>
      critical(b) - critical(a) ||
      b.reasons.length - a.reasons.length ||
      a.cluster.ref.localeCompare(b.cluster.ref),
  );
}
