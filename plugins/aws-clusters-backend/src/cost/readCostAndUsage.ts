import type {
  CostAndUsagePage,
  CostAndUsageQuery,
} from '@clusterdeck/plugin-aws-clusters-node';

/** Cost per account, value of the cost-allocation tag and calendar month. */
export interface CostRecord {
  accountId: string;
  tagValue: string;
  /** `2026-11`. */
  month: string;
  amount: number;
  unit: string;
  estimated: boolean;
}

/** What one read of Cost Explorer found. */
export interface CostReading {
  /** `ok`: some cost carries a value of the tag; see {@link CostStatus} for the others. */
  status: 'ok' | 'tag-not-active' | 'no-data';
  records: CostRecord[];
  /** The last day the figures cover: the day before the end of the last period answered. */
  through: string;
  message?: string;
}

/** Sends one `GetCostAndUsage` request: the SDK client in the payer account, or a recording. */
export type CostAndUsageSender = (
  query: CostAndUsageQuery,
) => Promise<CostAndUsagePage>;

/** Pages followed at most, against a service that keeps answering a token. */
const MAX_PAGES = 100;

const DAY_MS = 86_400_000;

function day(ms: number): string {
  return new Date(ms).toISOString().slice(0, 10);
}

/**
 * The query for the month of yesterday so far and `months` whole months before it (UTC). The end
 * is exclusive and is today: Cost Explorer's figures for the current day are not complete yet.
 */
export function costQuery(options: {
  now: Date;
  months: number;
  tagKey: string;
  metric: string;
}): CostAndUsageQuery {
  const { now } = options;
  const today = Date.UTC(
    now.getUTCFullYear(),
    now.getUTCMonth(),
    now.getUTCDate(),
  );
  const yesterday = new Date(today - DAY_MS);
  const start = Date.UTC(
    yesterday.getUTCFullYear(),
    yesterday.getUTCMonth() - options.months,
    1,
  );
  return {
    TimePeriod: { Start: day(start), End: day(today) },
    Granularity: 'MONTHLY',
    Metrics: [options.metric],
    // The tag names the cluster, the linked account tells apart clusters of one name in two accounts.
    GroupBy: [
      { Type: 'TAG', Key: options.tagKey },
      { Type: 'DIMENSION', Key: 'LINKED_ACCOUNT' },
    ],
  };
}

function errorName(error: unknown): string | undefined {
  const e = error as { name?: string; Code?: string };
  return e?.Code ?? e?.name;
}

/**
 * Reads cost per cluster tag value, account and month, following `NextPageToken`. Groups are
 * keyed `<tagKey>$<value>` (an empty value holds the cost no resource tagged) and the account.
 * Cost Explorer's `DataUnavailableException` and an answer without groups are `no-data`; cost
 * that is only ever untagged is `tag-not-active`. Other failures (throttling past the SDK's
 * retries, access denied) are thrown: the figures stored before stay.
 */
export async function readCostAndUsage(options: {
  send: CostAndUsageSender;
  now: Date;
  months: number;
  tagKey: string;
  metric: string;
}): Promise<CostReading> {
  const query = costQuery(options);
  let through = day(Date.parse(query.TimePeriod.End) - DAY_MS);
  // The figures run through the end of the periods answered (a recording answers its own).
  let answeredEnd = '';
  const byKey = new Map<string, CostRecord>();
  let groups = 0;
  let untagged = 0;
  let token: string | undefined;
  const seen = new Set<string>();
  for (let page = 0; ; page++) {
    if (page >= MAX_PAGES)
      throw new Error(
        `GetCostAndUsage kept answering NextPageToken after ${MAX_PAGES} pages`,
      );
    let answer: CostAndUsagePage;
    try {
      answer = await options.send({
        ...query,
        ...(token ? { NextPageToken: token } : {}),
      });
    } catch (error) {
      if (errorName(error) === 'DataUnavailableException')
        return {
          status: 'no-data',
          records: [],
          through,
          message: `Cost Explorer has no data for ${
            query.TimePeriod.Start
          } to ${through}: ${(error as Error).message}`,
        };
      throw error;
    }
    for (const result of answer.ResultsByTime ?? []) {
      const month = result.TimePeriod?.Start?.slice(0, 7);
      if (!month) continue;
      const end = result.TimePeriod?.End ?? '';
      if (end > answeredEnd) answeredEnd = end;
      for (const group of result.Groups ?? []) {
        groups += 1;
        const [tag, accountId] = group.Keys ?? [];
        const metric = group.Metrics?.[options.metric];
        const amount = Number(metric?.Amount ?? 0);
        if (!tag || !accountId || !Number.isFinite(amount)) continue;
        const separator = tag.indexOf('$');
        const tagValue = separator >= 0 ? tag.slice(separator + 1) : tag;
        if (!tagValue) {
          untagged += amount;
          continue;
        }
        const key = `${accountId}\u0000${tagValue}\u0000${month}`;
        const known = byKey.get(key);
        if (known) known.amount += amount;
        else
          byKey.set(key, {
            accountId,
            tagValue,
            month,
            amount,
            unit: metric?.Unit ?? 'USD',
            estimated: result.Estimated === true,
          });
      }
    }
    token = answer.NextPageToken || undefined;
    if (!token) break;
    if (seen.has(token))
      throw new Error(`GetCostAndUsage answered the page token ${token} twice`);
    seen.add(token);
  }
  if (answeredEnd && !Number.isNaN(Date.parse(answeredEnd)))
    through = day(Date.parse(answeredEnd) - DAY_MS);
  const records = [...byKey.values()];
  if (records.length > 0) return { status: 'ok', records, through };
  if (groups === 0)
    return {
      status: 'no-data',
      records,
      through,
      message: `Cost Explorer grouped no cost by ${options.tagKey} for ${query.TimePeriod.Start} to ${through}: the tag is not activated as a cost-allocation tag, or there is no cost yet`,
    };
  return {
    status: 'tag-not-active',
    records,
    through,
    message: `Cost Explorer reports cost (${untagged.toFixed(
      2,
    )} in all) but none under a value of ${
      options.tagKey
    }: activate it as a cost-allocation tag in the payer account (figures start from the activation)`,
  };
}
