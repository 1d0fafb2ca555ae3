import type { AutoScalingGroup } from '@aws-sdk/client-auto-scaling';
import {
  ConfigServiceClient,
  DescribeConfigurationAggregatorSourcesStatusCommand,
  SelectAggregateResourceConfigCommand,
  type AggregatedSourceStatus,
} from '@aws-sdk/client-config-service';
import type { LoggerService } from '@backstage/backend-plugin-api';
import {
  AccountCredentials,
  AwsCredentialsSource,
  AwsRead,
  AwsRegionSnapshot,
  CLUSTER_TAG_PREFIXES,
  ConfiguredAccount,
  DEFAULT_AWS_LIMITS,
  EksInsight,
  emptyAwsRegionSnapshot,
  fillInstanceTypes,
  FleetSnapshot,
  FleetSource,
  InstanceTypeCache,
  LIVE_INSTANCE_STATES,
  readAutoScalingGroups,
  readEksClusterVersions,
  readInstanceTypes,
  readScalingActivities,
  REGION_LIST_READS,
  SourceError,
} from '@clusterdeck/plugin-aws-clusters-node';
import pLimit from 'p-limit';
import {
  CONFIG_RESOURCE_TYPES,
  ConfigResourceType,
  readResult,
  ReadResult,
} from './configurationItems';
import {
  createDirectClients,
  DIRECT_LIST_READS,
  DirectClientConfig,
  DirectClients,
  DirectListKey,
  readEksInsights,
  readEksNodegroups,
} from './directReads';

/** @public Where the aggregator lives and how to reach it. */
export interface AwsConfigAggregator {
  name: string;
  accountId: string;
  region: string;
  roleArn?: string;
  externalId?: string;
}

/** @public How an {@link AwsConfigSource} is set up. */
export interface AwsConfigSourceOptions {
  aggregator: AwsConfigAggregator;
  /** The accounts of the fleet, each in its regions: only these are read. */
  accounts: ConfiguredAccount[];
  /** Credentials of the main account and of accounts without `roleArn`. */
  credentials: AwsCredentialsSource;
  stsClientFactory?: ConstructorParameters<
    typeof AccountCredentials
  >[0]['stsClientFactory'];
  /** Makes the AWS Config client (tests); the SDK's when absent. */
  configClientFactory?: (config: DirectClientConfig) => ConfigServiceClient;
  /** Makes the clients of the direct reads (tests); the SDK's when absent. */
  directClientFactory?: (config: DirectClientConfig) => DirectClients;
  limits?: {
    /** Concurrent calls in all (queries and direct reads). */
    concurrency?: number;
    /** Concurrent direct calls per account. */
    concurrencyPerAccount?: number;
    /** Time allowed for one call. */
    callTimeoutMs?: number;
  };
  /** Minutes after which an account region the aggregator has not collected from is stale (default 60). */
  maxLagMinutes?: number;
  /** `short`: scaling activities only where a group is below its desired capacity (default); `all`: wherever there are groups. */
  scalingActivities?: 'short' | 'all';
  /** Account ids named per query (default 200; a query may be at most 4,096 characters). */
  accountsPerQuery?: number;
  /** Pages of region-wide scaling activities read at most, 100 each (default 10). */
  scalingActivityPages?: number;
  /** Scaling activities kept per group, newest first (default 10). */
  scalingActivitiesPerGroup?: number;
  /**
   * Minutes between full queries (default 360). In between, a refresh queries only the items
   * Config recorded since the last query, and applies them to what it holds.
   */
  fullQueryMinutes?: number;
  /**
   * Minutes a changes query reaches back before the last query, or before the aggregator's oldest
   * collection then, for items an account delivered to Config late (default 30).
   */
  changesOverlapMinutes?: number;
  logger?: LoggerService;
  now?: () => number;
}

/** @public How the last collection went. */
export interface AwsConfigCollectStats {
  startedAt: string;
  durationMs: number;
  /** All AWS calls: the queries, the aggregator's status and the direct reads. */
  calls: number;
  /** `full`: every recorded resource was queried; `changes`: only what Config recorded since the last query. */
  query: 'full' | 'changes';
  /** Items a changes query answered (changed and deleted resources). */
  changes?: number;
  /** Calls by operation (`config:SelectAggregateResourceConfig`, `ec2:DescribeSubnets`, ...). */
  callsByOperation: Record<string, number>;
  /** Account regions that hold clusters, where direct reads may run. */
  clusterRegions: number;
  /** Lists read directly because Config held none where other items show they exist, as `<list> in <account>/<region>`. */
  notRecorded: string[];
  errors: number;
  maxInFlight: number;
}

/** @public The query's page size: the most `SelectAggregateResourceConfig` returns. */
export const QUERY_PAGE_SIZE = 100;
/** @public Security group ids per query, which keeps a query within AWS Config's 4,096 characters. */
export const SECURITY_GROUPS_PER_QUERY = 150;
const SELECT =
  'SELECT resourceId, resourceType, accountId, awsRegion, configuration, tags, configurationItemCaptureTime, configurationItemStatus';
const EKS_CLUSTER_TAG = 'eks:cluster-name';
const EKS_NODEGROUP_TAG = 'eks:nodegroup-name';
const ASG_TAG = 'aws:autoscaling:groupName';

function quote(values: string[]) {
  return values.map(v => `'${v.replace(/'/g, "''")}'`).join(', ');
}

function chunks<T>(list: T[], size: number): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < list.length; i += size) out.push(list.slice(i, i + size));
  return out;
}

/** The most characters AWS Config accepts in a query's expression. */
const EXPRESSION_MAX_LENGTH = 4096;

/** The values in groups that each fit `head` + the group quoted + `tail` within an expression's length. */
function withinLength(head: string, values: string[], tail: string) {
  const room = EXPRESSION_MAX_LENGTH - head.length - tail.length;
  const groups: string[][] = [];
  let group: string[] = [];
  let length = 0;
  for (const value of values) {
    const more = quote([value]).length + (group.length ? 2 : 0);
    if (group.length && length + more > room) {
      groups.push(group);
      group = [];
      length = 0;
    }
    group.push(value);
    length += group.length === 1 ? quote([value]).length : more;
  }
  if (group.length) groups.push(group);
  return groups;
}

function itemKey(item: {
  accountId: string;
  awsRegion: string;
  resourceType: string;
  resourceId: string;
}) {
  return `${item.accountId}/${item.awsRegion}/${item.resourceType}/${item.resourceId}`;
}

function errorCode(error: unknown): string {
  const e = error as { name?: string; Code?: string };
  return e?.Code ?? (e?.name && e.name !== 'Error' ? e.name : 'Error');
}

function tagKeys(resource: { Tags?: Array<{ Key?: string }> }) {
  return (resource.Tags ?? []).map(t => t.Key ?? '');
}

function tagValue(
  resource: { Tags?: Array<{ Key?: string; Value?: string }> },
  key: string,
) {
  return resource.Tags?.find(t => t.Key === key)?.Value;
}

function inService(group: AutoScalingGroup) {
  return (group.Instances ?? []).filter(i => i.LifecycleState === 'InService')
    .length;
}

function ofCluster(resource: { Tags?: Array<{ Key?: string }> }) {
  return tagKeys(resource).some(k =>
    CLUSTER_TAG_PREFIXES.some(p => k.startsWith(p)),
  );
}

/**
 * How long a cluster's EKS upgrade insights are kept before they are read again.
 * @public
 */
export const INSIGHTS_MAX_AGE_MS = 60 * 60 * 1000;

/**
 * How long an EKS node group's description is kept while its Auto Scaling group keeps its sizes
 * and is not short (the AWS collector's EKS cache keeps them as long).
 * @public
 */
export const NODEGROUPS_MAX_AGE_MS = 30 * 60 * 1000;

interface Region {
  account: ConfiguredAccount;
  snapshot: AwsRegionSnapshot;
}

/** What the queries answered, kept between refreshes and brought up to date with what changed. */
interface Held {
  /** Each recorded resource by account, region, type and id. */
  items: Map<string, ReadResult>;
  /** When the last full query began. */
  fullAt: number;
  /** The capture time the next refresh asks for changes after; none after a failed full query. */
  since?: number;
}

/**
 * Reads the AWS side of the fleet from an AWS Config aggregator: one paginated
 * `SelectAggregateResourceConfig` query per resource type, region and group of accounts, turned
 * into the snapshots the AWS collector records, so that the join and the views read them
 * unchanged. The items are kept; until the next full query (every `fullQueryMinutes`), a refresh
 * asks only for the items Config recorded since the last query (`configurationItemCaptureTime`),
 * and applies them: a changed resource's item replaces the one held, a deleted one's removes it.
 * Direct calls are made only for what Config does not record, and only in account regions that hold clusters: EKS node groups (which advanced queries do not cover, named by
 * their Auto Scaling groups' tags and kept while their groups' sizes hold), EKS upgrade insights,
 * scaling activities (where a group is short of its desired size, unless configured for all),
 * and a list Config holds nothing of where other items show it exists (a route to a NAT gateway
 * Config has no record of: NAT gateways are not recorded there). Availability zones are read once
 * per region and the EKS versions once per refresh. The aggregator's last collection from each
 * account region is its data's time; one older than the allowed lag, or a failed collection,
 * marks the region stale with the reason.
 * @public
 */
export class AwsConfigSource implements FleetSource {
  readonly name = 'aws-config';
  /** How the last `collect` went. */
  lastStats?: AwsConfigCollectStats;

  private readonly credentials: AccountCredentials;
  private readonly limit: pLimit.Limit;
  private readonly accountLimits = new Map<string, pLimit.Limit>();
  private readonly clients = new Map<string, Promise<DirectClients>>();
  /** EKS upgrade insights per account, region and cluster, kept while fresh. */
  private readonly insights = new Map<
    string,
    { version: string; at: number; insights: EksInsight[] }
  >();
  /** EKS node groups per account, region, cluster and node group, with their group's sizes. */
  private readonly nodegroups = new Map<
    string,
    {
      at: number;
      signal: string;
      nodegroup: AwsRegionSnapshot['eksNodegroups'][number];
    }
  >();
  private readonly instanceTypes = new InstanceTypeCache({
    now: () => this.now(),
  });
  private held?: Held;
  private configClient?: Promise<ConfigServiceClient>;
  private readonly timeoutMs: number;
  private readonly now: () => number;
  private calls: Record<string, number> = {};
  private inFlight = 0;
  private maxInFlight = 0;

  constructor(private readonly options: AwsConfigSourceOptions) {
    this.credentials = new AccountCredentials({
      source: options.credentials,
      stsClientFactory: options.stsClientFactory,
    });
    this.limit = pLimit(
      options.limits?.concurrency ?? DEFAULT_AWS_LIMITS.concurrency,
    );
    this.timeoutMs =
      options.limits?.callTimeoutMs ?? DEFAULT_AWS_LIMITS.callTimeoutMs;
    this.now = options.now ?? Date.now;
  }

  async collect(options?: {
    signal?: AbortSignal;
  }): Promise<Partial<FleetSnapshot>> {
    const started = this.now();
    this.calls = {};
    this.maxInFlight = 0;
    const at = new Date(started).toISOString();
    const regions = new Map<string, Region>();
    for (const account of this.options.accounts) {
      for (const region of account.regions) {
        regions.set(`${account.id}/${region}`, {
          account,
          snapshot: emptyAwsRegionSnapshot(account.id, region, at, []),
        });
      }
    }
    const notRecorded: string[] = [];
    const signal = options?.signal;

    const held = this.changesDue();
    const kind = held ? 'changes' : 'full';
    const [statuses, queried] = await Promise.all([
      this.aggregatorStatus(regions, signal),
      held
        ? this.queryChanges(regions, held, signal)
        : this.queryAll(regions, signal),
    ]);
    this.place(regions, queried.items);
    await this.querySecurityGroups(regions, queried.items, signal);
    this.applyStatuses(regions, statuses);
    const since = queried.complete
      ? this.nextSince(started, regions, statuses)
      : undefined;
    if (!held) this.held = { items: queried.items, fullAt: started, since };
    else if (since !== undefined) held.since = since;

    const clusterRegions = [...regions.values()].filter(r =>
      this.holdsClusters(r.snapshot),
    );
    await Promise.all(
      clusterRegions.map(r => this.readDirectly(r, notRecorded, signal)),
    );
    await this.readZones(regions, clusterRegions, signal);
    await this.readEksVersions([...regions.values()], clusterRegions, signal);
    // Instance types, which Config does not record: each once a day, where first used.
    await fillInstanceTypes(
      clusterRegions,
      this.instanceTypes,
      async (region, types) =>
        (await this.direct(
          region,
          'DescribeInstanceTypes',
          readInstanceTypes(types),
          signal,
        )) ?? [],
    );

    const snapshots = [...regions.values()].map(r => r.snapshot);
    this.lastStats = {
      startedAt: at,
      durationMs: this.now() - started,
      query: kind,
      ...(queried.changes !== undefined ? { changes: queried.changes } : {}),
      calls: Object.values(this.calls).reduce((a, b) => a + b, 0),
      callsByOperation: { ...this.calls },
      clusterRegions: clusterRegions.length,
      notRecorded,
      errors: snapshots.reduce((n, s) => n + s.errors.length, 0),
      maxInFlight: this.maxInFlight,
    };
    this.options.logger?.info(
      `AWS Config (${kind} query): ${snapshots.length} account regions, ${clusterRegions.length} with clusters, ${this.lastStats.calls} calls in ${this.lastStats.durationMs} ms`,
    );
    return { aws: snapshots };
  }

  /** Counts the call, waits for a slot (and the account's, for direct reads) and runs it. */
  private run<T>(
    operation: string,
    accountId: string | undefined,
    signal: AbortSignal | undefined,
    call: () => Promise<T>,
  ): Promise<T> {
    const inner = () =>
      this.limit(async () => {
        if (signal?.aborted) {
          const error = new Error('The collection was aborted');
          error.name = 'AbortError';
          throw error;
        }
        this.calls[operation] = (this.calls[operation] ?? 0) + 1;
        this.inFlight += 1;
        this.maxInFlight = Math.max(this.maxInFlight, this.inFlight);
        try {
          return await call();
        } finally {
          this.inFlight -= 1;
        }
      });
    if (!accountId) return inner();
    let limit = this.accountLimits.get(accountId);
    if (!limit) {
      limit = pLimit(
        this.options.limits?.concurrencyPerAccount ??
          DEFAULT_AWS_LIMITS.concurrencyPerAccount,
      );
      this.accountLimits.set(accountId, limit);
    }
    return limit(inner);
  }

  private clientConfig(
    region: string,
    credentials: DirectClientConfig['credentials'],
  ): DirectClientConfig {
    return {
      region,
      credentials,
      maxAttempts: 3,
      retryMode: 'adaptive',
      requestHandler: {
        requestTimeout: this.timeoutMs,
        connectionTimeout: Math.min(this.timeoutMs, 5_000),
      },
    };
  }

  private config(): Promise<ConfigServiceClient> {
    if (!this.configClient) {
      const { aggregator } = this.options;
      this.configClient = (async () => {
        const credentials = await this.credentials.forAccount({
          id: aggregator.accountId,
          roleArn: aggregator.roleArn,
          externalId: aggregator.externalId,
        });
        const config = this.clientConfig(aggregator.region, credentials);
        return (
          this.options.configClientFactory?.(config) ??
          new ConfigServiceClient(config)
        );
      })();
      this.configClient.catch(() => {
        this.configClient = undefined;
      });
    }
    return this.configClient;
  }

  /** Runs one query to its last page. */
  private async select(
    expression: string,
    signal: AbortSignal | undefined,
  ): Promise<ReadResult[]> {
    const client = await this.config();
    const items: ReadResult[] = [];
    let token: string | undefined;
    do {
      const nextToken: string | undefined = token;
      const page = await this.run(
        'config:SelectAggregateResourceConfig',
        undefined,
        signal,
        () =>
          client.send(
            new SelectAggregateResourceConfigCommand({
              Expression: expression,
              ConfigurationAggregatorName: this.options.aggregator.name,
              Limit: QUERY_PAGE_SIZE,
              NextToken: nextToken,
            }),
            { abortSignal: signal },
          ),
      );
      for (const result of page.Results ?? []) {
        const item = readResult(result);
        if (item) items.push(item);
      }
      token = page.NextToken;
    } while (token);
    return items;
  }

  /** The account groups of each region, for the full queries' `accountId IN (...)`. */
  private partitions(regions: Map<string, Region>) {
    const byRegion = new Map<string, string[]>();
    for (const r of regions.values()) {
      const list = byRegion.get(r.snapshot.region) ?? [];
      list.push(r.account.id);
      byRegion.set(r.snapshot.region, list);
    }
    const size = this.options.accountsPerQuery ?? 200;
    return [...byRegion].flatMap(([region, accounts]) =>
      chunks([...new Set(accounts)].sort(), size).map(group => ({
        region,
        accounts: group,
      })),
    );
  }

  private fail(
    region: Region,
    operation: string,
    error: unknown,
    code = errorCode(error),
  ) {
    const r = region.snapshot;
    const entry: SourceError = {
      source: `aws:${r.accountId}:${r.region}`,
      operation,
      code,
      message: (error as Error)?.message ?? String(error),
      at: new Date(this.now()).toISOString(),
    };
    r.errors.push(entry);
  }

  /** What is held, when this refresh asks only for what changed since; else a full query is due. */
  private changesDue(): Held | undefined {
    const held = this.held;
    if (!held || held.since === undefined) return undefined;
    const everyMs = (this.options.fullQueryMinutes ?? 360) * 60_000;
    return this.now() - held.fullAt >= everyMs ? undefined : held;
  }

  /** Keeps one item (a later state replaces the held one; a deleted resource's item removes it). */
  private hold(items: Map<string, ReadResult>, item: ReadResult) {
    if (item.resourceType === 'AWS::EC2::Instance' && !item.deleted) {
      // Only instances of clusters are kept; one losing its cluster tags is let go.
      if (!ofCluster(item.resource as { Tags?: Array<{ Key?: string }> })) {
        items.delete(itemKey(item));
        return;
      }
    }
    if (item.deleted) items.delete(itemKey(item));
    else items.set(itemKey(item), item);
  }

  /**
   * Every recorded resource of the configured accounts and regions: one query per resource type,
   * region and group of accounts. A failed query marks its account regions with the error; the
   * next refresh then queries everything again.
   */
  private async queryAll(
    regions: Map<string, Region>,
    signal: AbortSignal | undefined,
  ): Promise<{
    items: Map<string, ReadResult>;
    complete: boolean;
    changes?: number;
  }> {
    const items = new Map<string, ReadResult>();
    let complete = true;
    const types = (
      Object.keys(CONFIG_RESOURCE_TYPES) as ConfigResourceType[]
    ).filter(t => t !== 'AWS::EC2::SecurityGroup');
    await Promise.all(
      this.partitions(regions).flatMap(({ region, accounts }) =>
        types.map(async type => {
          const expression = `${SELECT} WHERE resourceType = '${type}' AND awsRegion = '${region}' AND accountId IN (${quote(
            accounts,
          )})`;
          try {
            for (const item of await this.select(expression, signal))
              if (!item.deleted) this.hold(items, item);
          } catch (error) {
            complete = false;
            for (const id of accounts) {
              const r = regions.get(`${id}/${region}`);
              if (r)
                this.fail(r, `SelectAggregateResourceConfig ${type}`, error);
            }
          }
        }),
      ),
    );
    return { items, complete };
  }

  /**
   * The items recorded since `since` in the configured accounts (all resource types in one query
   * per group of accounts, each query within Config's 4,096 characters), applied to what is held:
   * a changed resource replaces its item, a deleted one's item removes it. A failed query leaves
   * what is held as it was, marks the group's account regions with the error and is asked again,
   * from the same time, on the next refresh.
   */
  private async queryChanges(
    regions: Map<string, Region>,
    held: Held,
    signal: AbortSignal | undefined,
  ): Promise<{
    items: Map<string, ReadResult>;
    complete: boolean;
    changes: number;
  }> {
    const items = held.items;
    const changed: ReadResult[] = [];
    let complete = true;
    const types = Object.keys(CONFIG_RESOURCE_TYPES) as ConfigResourceType[];
    const head = `${SELECT} WHERE resourceType IN (${quote(
      types,
    )}) AND configurationItemCaptureTime > '${new Date(
      held.since!,
    ).toISOString()}' AND accountId IN (`;
    const accounts = [...new Set(this.options.accounts.map(a => a.id))].sort();
    await Promise.all(
      withinLength(head, accounts, ')').map(async group => {
        try {
          changed.push(
            ...(await this.select(`${head}${quote(group)})`, signal)),
          );
        } catch (error) {
          complete = false;
          const named = new Set(group);
          for (const r of regions.values())
            if (named.has(r.account.id))
              this.fail(r, 'SelectAggregateResourceConfig changes', error);
        }
      }),
    );
    // Oldest first, so that the latest state of a resource recorded twice is the one kept.
    changed.sort((a, b) =>
      (a.capturedAt ?? '').localeCompare(b.capturedAt ?? ''),
    );
    for (const item of changed) {
      // Security groups are kept by the ids the load balancers name; others are not held.
      if (
        item.resourceType === 'AWS::EC2::SecurityGroup' &&
        !items.has(itemKey(item))
      )
        continue;
      this.hold(items, item);
    }
    return { items, complete, changes: changed.length };
  }

  /** The held items placed in their account regions' snapshots, as the AWS collector keeps them. */
  private place(regions: Map<string, Region>, items: Map<string, ReadResult>) {
    for (const item of items.values()) {
      const region = regions.get(`${item.accountId}/${item.awsRegion}`);
      const key =
        CONFIG_RESOURCE_TYPES[item.resourceType as ConfigResourceType];
      if (!region || !key || item.resourceType === 'AWS::EC2::SecurityGroup')
        continue;
      (region.snapshot[key] as unknown[]).push(item.resource);
    }
    for (const r of regions.values()) {
      const s = r.snapshot;
      s.instances = s.instances.filter(i =>
        LIVE_INSTANCE_STATES.includes(i.State?.Name ?? ''),
      );
      // Config's transit gateway items carry no state; a deleted one is no longer answered.
      s.transitGateways = s.transitGateways.filter(
        t => t.State === undefined || t.State === 'available',
      );
    }
  }

  /**
   * The security groups of the load balancers, by id, as the AWS collector keeps them: those not
   * held are queried by id; held ones no load balancer names any more are let go.
   */
  private async querySecurityGroups(
    regions: Map<string, Region>,
    items: Map<string, ReadResult>,
    signal: AbortSignal | undefined,
  ) {
    const named = new Set<string>();
    const byRegion = new Map<string, { ids: Set<string>; within: Region[] }>();
    for (const r of regions.values()) {
      const s = r.snapshot;
      const ids = [...s.loadBalancers, ...s.classicLoadBalancers].flatMap(
        lb => lb.SecurityGroups ?? [],
      );
      if (ids.length === 0) continue;
      const entry = byRegion.get(s.region) ?? { ids: new Set(), within: [] };
      for (const id of ids) {
        const key = `${s.accountId}/${s.region}/AWS::EC2::SecurityGroup/${id}`;
        named.add(key);
        if (!items.has(key)) entry.ids.add(id);
      }
      entry.within.push(r);
      byRegion.set(s.region, entry);
    }
    for (const [key, item] of items)
      if (item.resourceType === 'AWS::EC2::SecurityGroup' && !named.has(key))
        items.delete(key);
    await Promise.all(
      [...byRegion].flatMap(([region, { ids, within }]) =>
        chunks([...ids].sort(), SECURITY_GROUPS_PER_QUERY).map(async batch => {
          const expression = `${SELECT} WHERE resourceType = 'AWS::EC2::SecurityGroup' AND awsRegion = '${region}' AND resourceId IN (${quote(
            batch,
          )})`;
          try {
            for (const item of await this.select(expression, signal))
              if (!item.deleted && named.has(itemKey(item)))
                items.set(itemKey(item), item);
          } catch (error) {
            for (const r of within)
              this.fail(
                r,
                'SelectAggregateResourceConfig AWS::EC2::SecurityGroup',
                error,
              );
          }
        }),
      ),
    );
    for (const item of items.values()) {
      if (item.resourceType !== 'AWS::EC2::SecurityGroup') continue;
      const r = regions.get(`${item.accountId}/${item.awsRegion}`);
      r?.snapshot.securityGroups.push(item.resource as never);
    }
  }

  private async aggregatorStatus(
    regions: Map<string, Region>,
    signal: AbortSignal | undefined,
  ): Promise<AggregatedSourceStatus[] | undefined> {
    try {
      const client = await this.config();
      const all: AggregatedSourceStatus[] = [];
      let token: string | undefined;
      do {
        const nextToken: string | undefined = token;
        const page = await this.run(
          'config:DescribeConfigurationAggregatorSourcesStatus',
          undefined,
          signal,
          () =>
            client.send(
              new DescribeConfigurationAggregatorSourcesStatusCommand({
                ConfigurationAggregatorName: this.options.aggregator.name,
                NextToken: nextToken,
              }),
              { abortSignal: signal },
            ),
        );
        all.push(...(page.AggregatedSourceStatusList ?? []));
        token = page.NextToken;
      } while (token);
      return all;
    } catch (error) {
      for (const r of regions.values())
        this.fail(r, 'DescribeConfigurationAggregatorSourcesStatus', error);
      return undefined;
    }
  }

  /**
   * The capture time the next changes query asks after: when this query began, or the oldest of
   * the aggregator's collections from the configured account regions within the allowed lag if
   * earlier (an item an account delivered after the aggregator's last collection from it carries
   * an earlier capture time), less the overlap. Without the aggregator's status, as far back as
   * the allowed lag.
   */
  private nextSince(
    started: number,
    regions: Map<string, Region>,
    statuses: AggregatedSourceStatus[] | undefined,
  ): number {
    const maxLagMs = (this.options.maxLagMinutes ?? 60) * 60_000;
    const overlapMs = (this.options.changesOverlapMinutes ?? 30) * 60_000;
    let from = statuses ? started : started - maxLagMs;
    for (const status of statuses ?? []) {
      if (!regions.has(`${status.SourceId}/${status.AwsRegion}`)) continue;
      const last = status.LastUpdateTime
        ? new Date(status.LastUpdateTime).getTime()
        : undefined;
      if (last !== undefined && started - last <= maxLagMs)
        from = Math.min(from, last);
    }
    return from - overlapMs;
  }

  /**
   * The data of an account region is as old as the aggregator's last collection from it: that
   * time becomes its `fetchedAt`; a failed collection, one older than the allowed lag, or an
   * account region the aggregator does not collect from is an error that marks it stale.
   */
  private applyStatuses(
    regions: Map<string, Region>,
    statuses: AggregatedSourceStatus[] | undefined,
  ) {
    if (!statuses) return;
    const byRegion = new Map<string, AggregatedSourceStatus>();
    for (const s of statuses) {
      if (s.SourceType === 'ORGANIZATION' && !s.AwsRegion) continue;
      byRegion.set(`${s.SourceId}/${s.AwsRegion}`, s);
    }
    const maxLagMs = (this.options.maxLagMinutes ?? 60) * 60_000;
    for (const [key, r] of regions) {
      const status = byRegion.get(key);
      if (!status) {
        this.fail(
          r,
          'AggregatorSource',
          new Error(
            `the aggregator ${this.options.aggregator.name} does not collect from this account region`,
          ),
          'NotAggregated',
        );
        continue;
      }
      const last = status.LastUpdateTime
        ? new Date(status.LastUpdateTime).getTime()
        : undefined;
      if (last !== undefined)
        r.snapshot.fetchedAt = new Date(last).toISOString();
      if (status.LastUpdateStatus === 'FAILED') {
        this.fail(
          r,
          'AggregatorSource',
          new Error(
            `AWS Config's last collection from this account region failed: ${
              status.LastErrorMessage ??
              status.LastErrorCode ??
              'no reason given'
            }`,
          ),
          status.LastErrorCode ?? 'AggregationFailed',
        );
      } else if (last !== undefined && this.now() - last > maxLagMs) {
        const minutes = Math.round((this.now() - last) / 60_000);
        this.fail(
          r,
          'AggregatorSource',
          new Error(
            `AWS Config last collected this account region ${minutes} minutes ago (at ${new Date(
              last,
            ).toISOString()})`,
          ),
          'ConfigDataLag',
        );
      }
    }
  }

  private holdsClusters(s: AwsRegionSnapshot): boolean {
    return (
      s.eksClusters.length > 0 ||
      s.vpcs.some(ofCluster) ||
      s.subnets.some(ofCluster) ||
      s.autoScalingGroups.some(ofCluster) ||
      s.instances.length > 0
    );
  }

  private directClients(region: Region): Promise<DirectClients> {
    const key = `${region.account.id}/${region.snapshot.region}`;
    let clients = this.clients.get(key);
    if (!clients) {
      clients = (async () => {
        const credentials = await this.credentials.forAccount(region.account);
        const config = this.clientConfig(region.snapshot.region, credentials);
        return (this.options.directClientFactory ?? createDirectClients)(
          config,
        );
      })();
      this.clients.set(key, clients);
      clients.catch(() => {
        if (this.clients.get(key) === clients) this.clients.delete(key);
      });
    }
    return clients;
  }

  /** Clients whose calls are counted under `<service>:<operation>` and wait for the caps. */
  private guarded(raw: DirectClients, accountId: string, signal?: AbortSignal) {
    const guard = <C extends { send: (...args: any[]) => Promise<any> }>(
      client: C,
      service: string,
    ): C => {
      const wrapped = Object.create(client) as C;
      (wrapped as { send: unknown }).send = (command: {
        constructor: { name: string };
      }) =>
        this.run(
          `${service}:${command.constructor.name.replace(/Command$/, '')}`,
          accountId,
          signal,
          () => client.send(command, { abortSignal: signal }),
        );
      return wrapped;
    };
    return {
      ec2: guard(raw.ec2, 'ec2'),
      autoScaling: guard(raw.autoScaling, 'autoscaling'),
      eks: guard(raw.eks, 'eks'),
    };
  }

  private async direct<T>(
    region: Region,
    operation: string,
    read: AwsRead<T>,
    signal: AbortSignal | undefined,
  ): Promise<T | undefined> {
    try {
      const clients = this.guarded(
        await this.directClients(region),
        region.account.id,
        signal,
      );
      return await read(clients);
    } catch (error) {
      this.fail(region, operation, error);
      return undefined;
    }
  }

  /** Reads one list directly into the region's snapshot; a failure is recorded and leaves the list as it was. */
  private async readList<K extends DirectListKey>(
    region: Region,
    list: K,
    signal: AbortSignal | undefined,
  ) {
    const { operation, read } = DIRECT_LIST_READS[list];
    const v = await this.direct(region, operation, read, signal);
    if (v) region.snapshot[list] = v;
  }

  /** Reads what Config does not record, and lists it did not record here, in one account region that holds clusters. */
  private async readDirectly(
    region: Region,
    notRecorded: string[],
    signal: AbortSignal | undefined,
  ) {
    const s = region.snapshot;
    const where = `${s.accountId}/${s.region}`;
    const missing = (list: keyof AwsRegionSnapshot) => {
      notRecorded.push(`${list} in ${where}`);
    };

    // Stage 1: lists the others are judged by.
    const asgEvidence = s.instances.some(i => tagValue(i, ASG_TAG));
    const stage1: Array<Promise<void>> = [];
    if (s.vpcs.length > 0 && s.subnets.length === 0) {
      missing('subnets');
      stage1.push(this.readList(region, 'subnets', signal));
    }
    if (s.vpcs.length > 0 && s.routeTables.length === 0) {
      missing('routeTables');
      stage1.push(this.readList(region, 'routeTables', signal));
    }
    // Config records each group with its instances' lifecycle state; only where a recorder left
    // the groups out while instances name theirs are they read directly.
    if (s.autoScalingGroups.length === 0 && asgEvidence) {
      missing('autoScalingGroups');
      stage1.push(
        this.direct(
          region,
          'DescribeAutoScalingGroups',
          readAutoScalingGroups(),
          signal,
        ).then(v => {
          if (v) s.autoScalingGroups = v;
        }),
      );
    }
    await Promise.all(stage1);

    // Stage 2: lists other items show to exist.
    const routes = s.routeTables.flatMap(t => t.Routes ?? []);
    const groups: AutoScalingGroup[] = s.autoScalingGroups;
    const fallbacks: Array<{ list: DirectListKey; evidence: boolean }> = [
      {
        list: 'internetGateways',
        evidence: routes.some(r => r.GatewayId?.startsWith('igw-')),
      },
      { list: 'natGateways', evidence: routes.some(r => r.NatGatewayId) },
      {
        list: 'transitGatewayAttachments',
        evidence: routes.some(r => r.TransitGatewayId),
      },
      {
        list: 'vpcPeeringConnections',
        evidence: routes.some(r => r.VpcPeeringConnectionId),
      },
      {
        list: 'instances',
        evidence: groups.some(g => (g.Instances ?? []).length > 0),
      },
      {
        list: 'eksClusters',
        evidence: [...groups, ...s.instances].some(x =>
          tagValue(x, EKS_CLUSTER_TAG),
        ),
      },
    ];
    const stage2 = fallbacks
      .filter(f => f.evidence && s[f.list].length === 0)
      .map(f => {
        missing(f.list);
        return this.readList(region, f.list, signal);
      });
    stage2.push(this.readNodegroups(region, groups, signal));
    const short = groups.some(g => inService(g) < (g.DesiredCapacity ?? 0));
    const activitiesWanted =
      groups.length > 0 && (this.options.scalingActivities === 'all' || short);
    if (activitiesWanted) {
      stage2.push(
        this.direct(
          region,
          'DescribeScalingActivities',
          readScalingActivities(this.options.scalingActivityPages ?? 10),
          signal,
        ).then(v => {
          if (v) s.scalingActivities = this.keepNewest(v, groups);
        }),
      );
    }
    await Promise.all(stage2);
    await this.readInsights(region, signal);
  }

  /**
   * EKS node groups, which advanced queries do not cover: named by their Auto Scaling groups' EKS
   * tags and described directly. A node group is described again when its group's sizes change,
   * while its group is short of its desired size (its status and health then say why), or after
   * {@link NODEGROUPS_MAX_AGE_MS}; otherwise the last answer is kept. A failed read keeps the last.
   */
  private async readNodegroups(
    region: Region,
    groups: AutoScalingGroup[],
    signal: AbortSignal | undefined,
  ) {
    const s = region.snapshot;
    const wanted: Array<{
      clusterName: string;
      nodegroupName: string;
      key: string;
      signal: string;
    }> = [];
    const kept: AwsRegionSnapshot['eksNodegroups'] = [];
    const seen = new Set<string>();
    for (const g of groups) {
      const clusterName = tagValue(g, EKS_CLUSTER_TAG);
      const nodegroupName = tagValue(g, EKS_NODEGROUP_TAG);
      if (!clusterName || !nodegroupName) continue;
      const key = `${s.accountId}/${s.region}/${clusterName}/${nodegroupName}`;
      if (seen.has(key)) continue;
      seen.add(key);
      const sizes = `${g.MinSize}:${g.MaxSize}:${g.DesiredCapacity}`;
      const cached = this.nodegroups.get(key);
      const short = inService(g) < (g.DesiredCapacity ?? 0);
      if (
        cached &&
        !short &&
        cached.signal === sizes &&
        this.now() - cached.at < NODEGROUPS_MAX_AGE_MS
      )
        kept.push(cached.nodegroup);
      else wanted.push({ clusterName, nodegroupName, key, signal: sizes });
    }
    const read =
      wanted.length > 0
        ? await this.direct(
            region,
            'DescribeNodegroup',
            readEksNodegroups(
              wanted.map(({ clusterName, nodegroupName }) => ({
                clusterName,
                nodegroupName,
              })),
            ),
            signal,
          )
        : [];
    const described = new Map(
      (read ?? []).map(n => [`${n.clusterName}/${n.nodegroupName}`, n]),
    );
    for (const w of wanted) {
      const found = described.get(`${w.clusterName}/${w.nodegroupName}`);
      if (found) {
        this.nodegroups.set(w.key, {
          at: this.now(),
          signal: w.signal,
          nodegroup: found,
        });
        kept.push(found);
      } else if (!read) {
        const last = this.nodegroups.get(w.key);
        if (last) kept.push(last.nodegroup);
      }
    }
    s.eksNodegroups = kept;
  }

  /**
   * The EKS clusters' upgrade insights, which Config does not record. EKS evaluates them about
   * once a day: a cluster's are read again after {@link INSIGHTS_MAX_AGE_MS} or when its version
   * changes; a failed read keeps the last ones.
   */
  private async readInsights(region: Region, signal: AbortSignal | undefined) {
    const s = region.snapshot;
    const found = await Promise.all(
      s.eksClusters
        .filter(c => c.name)
        .map(async c => {
          const key = `${s.accountId}/${s.region}/${c.name}`;
          const version = `${c.version}/${c.platformVersion}`;
          const kept = this.insights.get(key);
          if (
            kept &&
            kept.version === version &&
            this.now() - kept.at < INSIGHTS_MAX_AGE_MS
          )
            return kept.insights;
          const read = await this.direct(
            region,
            'ListInsights',
            readEksInsights(c.name!),
            signal,
          );
          if (!read) return kept?.insights ?? [];
          this.insights.set(key, { version, at: this.now(), insights: read });
          return read;
        }),
    );
    s.eksInsights = found.flat();
  }

  private keepNewest(
    activities: AwsRegionSnapshot['scalingActivities'],
    groups: AutoScalingGroup[],
  ) {
    const names = new Set(groups.map(g => g.AutoScalingGroupName));
    const perGroup = this.options.scalingActivitiesPerGroup ?? 10;
    const kept = new Map<string, number>();
    const time = (v: Date | string | undefined) =>
      v ? new Date(v).getTime() : 0;
    return activities
      .filter(a => names.has(a.AutoScalingGroupName))
      .sort((a, b) => time(b.StartTime) - time(a.StartTime))
      .filter(a => {
        const n = kept.get(a.AutoScalingGroupName ?? '') ?? 0;
        kept.set(a.AutoScalingGroupName ?? '', n + 1);
        return n < perGroup;
      });
  }

  /**
   * Availability zones, which Config does not record: read once per region in an account that
   * holds clusters there, and given to every account of the region by name. Zone ids are left
   * out, since each account maps names to ids its own way.
   */
  private async readZones(
    regions: Map<string, Region>,
    clusterRegions: Region[],
    signal: AbortSignal | undefined,
  ) {
    const firstByRegion = new Map<string, Region>();
    for (const r of clusterRegions)
      if (!firstByRegion.has(r.snapshot.region))
        firstByRegion.set(r.snapshot.region, r);
    await Promise.all(
      [...firstByRegion].map(async ([name, reader]) => {
        const { operation, read } = REGION_LIST_READS.availabilityZones;
        const zones = await this.direct(reader, operation, read, signal);
        if (!zones) return;
        for (const r of regions.values()) {
          if (r.snapshot.region !== name) continue;
          r.snapshot.availabilityZones =
            r === reader ? zones : zones.map(({ ZoneId: _id, ...z }) => z);
        }
      }),
    );
  }

  /** The Kubernetes versions EKS offers, once: in the first region with EKS clusters, else the first that holds clusters. */
  private async readEksVersions(
    all: Region[],
    clusterRegions: Region[],
    signal: AbortSignal | undefined,
  ) {
    const target =
      clusterRegions.find(r => r.snapshot.eksClusters.length > 0) ??
      clusterRegions[0] ??
      all[0];
    if (!target) return;
    target.snapshot.eksClusterVersions =
      (await this.direct(
        target,
        'DescribeClusterVersions',
        readEksClusterVersions,
        signal,
      )) ?? [];
  }
}
