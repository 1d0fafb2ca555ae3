import {
  clusterVersionSupport,
  versionSupportCalendar,
  type ClusterCostView,
  type ClusterSummary,
  type VersionSupportCalendar,
} from '@clusterdeck/plugin-aws-clusters-common';
import type { ClusterdeckConfig } from '@clusterdeck/plugin-aws-clusters-node';
import type { ClusterRecord } from '../fleet/buildFleetModel';
import { clusterSummary } from '../fleet/summaryView';
import { clusterCostSummary, clusterCostView } from '../cost/costViews';
import type { CostService } from '../cost/CostService';

/**
 * What a cluster's summary holds besides the fleet's join: its version support, judged on the
 * day of the answer, and its cost as last read. `stamp` changes when either does, so that ready
 * answers are rebuilt then and not on every request.
 */
export class ClusterExtras {
  private readonly calendar: VersionSupportCalendar;

  constructor(
    config: ClusterdeckConfig,
    private readonly costs?: CostService,
    private readonly now: () => Date = () => new Date(),
  ) {
    this.calendar = versionSupportCalendar(config.versionSupport);
  }

  /** The UTC day and the cost figures' version. */
  stamp(): string {
    return `${this.now().toISOString().slice(0, 10)}|${
      this.costs?.stamp() ?? ''
    }`;
  }

  /** The fleet row of a cluster with its version support and cost. */
  summary(cluster: ClusterRecord): ClusterSummary {
    const summary = clusterSummary(cluster);
    const cost = this.costView(summary);
    return {
      ...summary,
      versionSupport: clusterVersionSupport(summary, this.calendar, this.now()),
      ...(cost ? { cost: clusterCostSummary(cost) } : {}),
    };
  }

  /** A cluster's cost, month by month; undefined when cost is not configured. */
  costView(
    summary: Pick<ClusterSummary, 'name' | 'accountId'>,
  ): ClusterCostView | undefined {
    return this.costs
      ? clusterCostView(this.costs.current(), summary)
      : undefined;
  }

  /** Whether cost is configured. */
  get costsConfigured(): boolean {
    return Boolean(this.costs);
  }

  /** The cost service, when configured. */
  get costService(): CostService | undefined {
    return this.costs;
  }
}
