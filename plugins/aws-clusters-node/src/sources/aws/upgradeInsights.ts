import type { Insight, InsightSummary } from '@aws-sdk/client-eks';
import type { EksInsight } from '../types';

/**
 * A cluster's upgrade insights from `ListInsights`' summaries: those passing as listed, the
 * others as `describe` (`DescribeInsight`) details them with their recommendation and deprecated
 * APIs, each with the cluster's name. One rule for every source that reads insights.
 * @public
 */
export function describeUpgradeInsights(
  clusterName: string,
  summaries: InsightSummary[],
  describe: (id: string) => Promise<Insight | undefined>,
): Promise<EksInsight[]> {
  return Promise.all(
    summaries.map(async summary => {
      if (!summary.id || summary.insightStatus?.status === 'PASSING')
        return { ...summary, clusterName };
      return { ...((await describe(summary.id)) ?? summary), clusterName };
    }),
  );
}
