import type {
  UpgradeInsight,
  UpgradeInsightStatus,
} from '@clusterdeck/plugin-aws-clusters-common';
import type { ClusterRecord } from './buildFleetModel';

const STATUSES = new Set<UpgradeInsightStatus>([
  'PASSING',
  'WARNING',
  'ERROR',
  'UNKNOWN',
]);

const ORDER: Record<UpgradeInsightStatus, number> = {
  ERROR: 0,
  WARNING: 1,
  UNKNOWN: 2,
  PASSING: 3,
};

function iso(value: Date | string | undefined): string | undefined {
  if (!value) return undefined;
  const date = new Date(value);
  return Number.isNaN(date.getTime()) ? undefined : date.toISOString();
}

/**
 * The upgrade-readiness insights EKS reports for an EKS cluster, failing ones first. Empty for
 * EC2 clusters and for EKS clusters EKS has not evaluated.
 */
export function upgradeInsightsView(cluster: ClusterRecord): UpgradeInsight[] {
  if (cluster.flavor !== 'eks' || !cluster.eksClusterName) return [];
  const insights = (cluster.region_?.snapshot.eksInsights ?? []).filter(
    i =>
      i.clusterName === cluster.eksClusterName &&
      (!i.category || i.category === 'UPGRADE_READINESS') &&
      i.id,
  );
  return insights
    .map(i => {
      const raw = i.insightStatus?.status as UpgradeInsightStatus | undefined;
      const status: UpgradeInsightStatus =
        raw && STATUSES.has(raw) ? raw : 'UNKNOWN';
      const deprecations = (
        i.categorySpecificSummary?.deprecationDetails ?? []
      ).map(d => {
        const stats = d.clientStats ?? [];
        return {
          usage: d.usage ?? '',
          ...(d.replacedWith ? { replacedWith: d.replacedWith } : {}),
          ...(d.stopServingVersion
            ? { stopServingVersion: d.stopServingVersion }
            : {}),
          ...(stats.length
            ? {
                requestsLast30Days: stats.reduce(
                  (n, s) => n + (s.numberOfRequestsLast30Days ?? 0),
                  0,
                ),
              }
            : {}),
          clients: stats.flatMap(s => (s.userAgent ? [s.userAgent] : [])),
        };
      });
      const lastRefreshTime = iso(i.lastRefreshTime);
      return {
        id: i.id!,
        name: i.name ?? i.id!,
        status,
        ...(i.insightStatus?.reason ? { reason: i.insightStatus.reason } : {}),
        ...(i.kubernetesVersion
          ? { kubernetesVersion: i.kubernetesVersion }
          : {}),
        ...(i.description ? { description: i.description } : {}),
        ...(i.recommendation ? { recommendation: i.recommendation } : {}),
        deprecations,
        ...(lastRefreshTime ? { lastRefreshTime } : {}),
      };
    })
    .sort(
      (a, b) =>
        ORDER[a.status] - ORDER[b.status] || a.name.localeCompare(b.name),
    );
}
