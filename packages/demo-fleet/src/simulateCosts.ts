import type {
  CostAndUsagePage,
  FleetSnapshot,
} from '@clusterdeck/plugin-aws-clusters-node';

/** The cost-allocation tag the demo's clusters carry (cluster-aws sets it on what CAPA creates). */
const COST_TAG = 'giantswarm.io/cluster';

/**
 * Approximate on-demand list prices (USD per hour, Linux, eu-west-1) of the instance types the
 * demo runs, and of an EKS control plane and a NAT gateway: enough for figures of a plausible size.
 */
const HOURLY_USD: Record<string, number> = {
  'c5.xlarge': 0.192,
  'c6a.xlarge': 0.1728,
  'c6i.large': 0.096,
  'c6i.xlarge': 0.192,
  'c6i.2xlarge': 0.384,
  'c6i.4xlarge': 0.768,
  'c7g.xlarge': 0.1632,
  'g5.2xlarge': 1.361,
  'm5.2xlarge': 0.428,
  'm6a.xlarge': 0.1926,
  'm6a.2xlarge': 0.3852,
  'm6i.large': 0.107,
  'm6i.xlarge': 0.214,
  'm6i.2xlarge': 0.428,
  'm6i.4xlarge': 0.856,
  'm7g.2xlarge': 0.3648,
  'r6i.xlarge': 0.282,
  'r6i.2xlarge': 0.564,
  'r7i.2xlarge': 0.5922,
  'r7i.4xlarge': 1.1844,
};
const DEFAULT_INSTANCE_USD = 0.2;
const EKS_CONTROL_PLANE_USD = 0.1;
const NAT_GATEWAY_USD = 0.048;

const HOUR = 3_600_000;
const DAY = 24 * HOUR;

/** Months read before the current one, as `clusterdeck.cost.months` defaults to. */
const MONTHS = 3;

type Tags = Array<{ Key?: string; Value?: string }> | undefined;

function tagOf(tags: Tags): string {
  return tags?.find(t => t.Key === COST_TAG)?.Value ?? '';
}

function time(value: unknown): number {
  return value ? new Date(value as string).getTime() : Number.NaN;
}

/**
 * What Cost Explorer's `GetCostAndUsage` would answer for the demo fleet on its recording day:
 * monthly cost from yesterday's month three months back, grouped by `giantswarm.io/cluster` and
 * linked account, from the hours each running instance, EKS control plane and NAT gateway has
 * run in each month (before the fleet's moment); NAT gateways carry only CAPA's tags, so their
 * cost is the untagged group. Two months a page, each page but the last with a `NextPageToken`.
 */
export function simulateCosts(
  snapshot: FleetSnapshot,
  now: number,
): CostAndUsagePage[] {
  // As the backend asks: through yesterday, from three months before yesterday's month.
  const today = Math.floor(now / DAY) * DAY;
  const yesterday = new Date(today - DAY);
  const months = Array.from({ length: MONTHS + 1 }, (_, i) => {
    const start = Date.UTC(
      yesterday.getUTCFullYear(),
      yesterday.getUTCMonth() - MONTHS + i,
      1,
    );
    const next = Date.UTC(
      yesterday.getUTCFullYear(),
      yesterday.getUTCMonth() - MONTHS + i + 1,
      1,
    );
    return { start, end: Math.min(next, today) };
  });
  const sums = months.map(() => new Map<string, number>());
  const add = (account: string, tag: string, since: number, usd: number) => {
    months.forEach((m, i) => {
      const from = Math.max(m.start, Number.isNaN(since) ? m.start : since);
      const to = Math.min(m.end, now);
      if (to <= from) return;
      const key = `${tag}\u0000${account}`;
      sums[i].set(key, (sums[i].get(key) ?? 0) + ((to - from) / HOUR) * usd);
    });
  };
  for (const region of snapshot.aws) {
    for (const instance of region.instances) {
      if (instance.State?.Name !== 'running') continue;
      add(
        region.accountId,
        tagOf(instance.Tags),
        time(instance.LaunchTime),
        HOURLY_USD[instance.InstanceType ?? ''] ?? DEFAULT_INSTANCE_USD,
      );
    }
    for (const cluster of region.eksClusters) {
      if (cluster.status !== 'ACTIVE') continue;
      add(
        region.accountId,
        cluster.tags?.[COST_TAG] ?? '',
        time(cluster.createdAt),
        EKS_CONTROL_PLANE_USD,
      );
    }
    for (const nat of region.natGateways) {
      if (nat.State !== 'available') continue;
      add(
        region.accountId,
        tagOf(nat.Tags),
        time(nat.CreateTime),
        NAT_GATEWAY_USD,
      );
    }
  }
  const day = (ms: number) => new Date(ms).toISOString().slice(0, 10);
  const results = months.map((m, i) => ({
    TimePeriod: { Start: day(m.start), End: day(m.end) },
    Total: {},
    Groups: [...sums[i].entries()]
      .sort(([a], [b]) => a.localeCompare(b))
      .map(([key, usd]) => {
        const [tag, account] = key.split('\u0000');
        return {
          Keys: [`${COST_TAG}$${tag}`, account],
          Metrics: {
            UnblendedCost: { Amount: usd.toFixed(10), Unit: 'USD' },
          },
        };
      }),
    Estimated: i === months.length - 1,
  }));
  const pages: CostAndUsagePage[] = [];
  for (let i = 0; i < results.length; i += 2) {
    pages.push({
      ...(i === 0
        ? {
            GroupDefinitions: [
              { Type: 'TAG', Key: COST_TAG },
              { Type: 'DIMENSION', Key: 'LINKED_ACCOUNT' },
            ],
          }
        : {}),
      ResultsByTime: results.slice(i, i + 2),
      ...(i + 2 < results.length ? { NextPageToken: `page-${i / 2 + 2}` } : {}),
    });
  }
  return pages;
}
