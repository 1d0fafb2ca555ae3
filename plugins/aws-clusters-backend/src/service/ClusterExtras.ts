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

/** What others than administrators read in place of AWS's answer to a failed Cost Explorer read. */
export const COST_FAILURE_HIDDEN =
  'the error is shown to administrators only; ask the platform team';

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

  /**
   * A cluster's cost, month by month; undefined when cost is not configured. AWS's own words
   * when a read failed name the payer account and roles: a cluster's view never carries them
   * (administrators read them in `GET /costs`).
   */
  costView(
    summary: Pick<ClusterSummary, 'name' | 'accountId'>,
  ): ClusterCostView | undefined {
    if (!this.costs) return undefined;
    const index = this.costs.current();
    const view = clusterCostView(index, summary);
    const failure = index.state.failure;
    return failure && view.message?.includes(failure)
      ? {
          ...view,
          message: view.message.split(failure).join(COST_FAILURE_HIDDEN),
        }
      : view;
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
