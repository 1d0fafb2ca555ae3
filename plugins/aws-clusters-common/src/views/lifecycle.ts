/*
 * What the cluster page shows about a cluster's life after it was requested: EKS's upgrade
 * insights, how to connect to it, and what it costs.
 */

/** @public An EKS upgrade insight's verdict, as EKS names it. */
export type UpgradeInsightStatus = 'PASSING' | 'WARNING' | 'ERROR' | 'UNKNOWN';

/** @public A Kubernetes API the cluster still uses that a coming version stops serving (from the insight's deprecation details). */
export interface UpgradeInsightDeprecation {
  /** The deprecated API, e.g. `/apis/flowcontrol.apiserver.k8s.io/v1beta3/flowschemas`. */
  usage: string;
  replacedWith?: string;
  /** The Kubernetes minor that stops serving it. */
  stopServingVersion?: string;
  /** Requests to it in the last 30 days, summed over the clients EKS saw. */
  requestsLast30Days?: number;
  /** The user agents that made them. */
  clients: string[];
}

/** @public One EKS upgrade insight (`ListInsights` / `DescribeInsight`, category `UPGRADE_READINESS`). */
export interface UpgradeInsight {
  id: string;
  name: string;
  status: UpgradeInsightStatus;
  /** EKS's explanation of the status. */
  reason?: string;
  /** The Kubernetes minor the insight checks readiness for. */
  kubernetesVersion?: string;
  description?: string;
  /** What EKS recommends; present once the insight was described. */
  recommendation?: string;
  deprecations: UpgradeInsightDeprecation[];
  /** When EKS last evaluated it (it does so about once a day). */
  lastRefreshTime?: string;
}

/** @public A command shown to copy. */
export interface ConnectCommand {
  label: string;
  command: string;
}

/**
 * @public How to reach a cluster's API, from `clusterdeck.connect`: nothing secret, only the
 * commands a member of the owning team runs with their own credentials.
 */
export interface ConnectView {
  flavor: 'ec2' | 'eks';
  commands: ConnectCommand[];
  /** What is missing when no command can be given (no access role for the team, no login command configured). */
  missing?: string;
  documentationUrl?: string;
}

/**
 * @public Whether cost figures exist: `ok`; `tag-not-active` when Cost Explorer groups no cost
 * under any value of the tag (the cost-allocation tag is not activated in the payer account, or
 * no resource carries it); `no-data` when Cost Explorer has no data for the period or nothing
 * carries this cluster's tag value; `not-read` before the first successful read.
 */
export type CostStatus = 'ok' | 'tag-not-active' | 'no-data' | 'not-read';

/** @public What a cluster or team cost in one calendar month (UTC). */
export interface MonthlyCost {
  /** `2026-11`. */
  month: string;
  amount: number;
  /** Cost Explorer's unit, e.g. `USD`. */
  unit: string;
  /** Cost Explorer marks the figures of a month not closed yet as estimated. */
  estimated: boolean;
}

/** @public A cluster's cost in the fleet row: this month so far and last month. */
export interface ClusterCostSummary {
  status: CostStatus;
  thisMonth?: MonthlyCost;
  lastMonth?: MonthlyCost;
}

/** @public A cluster's cost as the Cost card shows it. */
export interface ClusterCostView extends ClusterCostSummary {
  /** The cost-allocation tag and the value that names this cluster. */
  tagKey: string;
  tagValue: string;
  /** Cost Explorer's metric, e.g. `UnblendedCost`. */
  metric: string;
  /** Every month read, oldest first (the current one last, so far). */
  months: MonthlyCost[];
  /** When Cost Explorer was read, and through which day the current month's figure runs. */
  readAt?: string;
  /** Why figures are missing, or the last read's failure (the figures shown are then older). */
  message?: string;
  /**
   * This month at the pace so far: the month-to-date figure spread over the whole month, and its
   * change against last month (0.1 is 10 % more).
   */
  trend?: { projected: number; changeFromLastMonth?: number };
}

/** @public A team's cost per month: the sum over its clusters that have figures. */
export interface TeamCost {
  owner: string;
  months: MonthlyCost[];
  /** How many of the team's clusters the figures cover, and how many it has. */
  clustersWithCost: number;
  clusters: number;
}

/** @public The answer of `GET /costs`: per cluster and per team, for the clusters the caller may read. */
export interface CostsResponse {
  status: CostStatus;
  tagKey?: string;
  metric?: string;
  readAt?: string;
  message?: string;
  clusters: Array<ClusterCostView & { cluster: string; owner: string }>;
  teams: TeamCost[];
}
