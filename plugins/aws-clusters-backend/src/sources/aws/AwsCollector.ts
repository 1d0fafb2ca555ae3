import {
  Activity,
  AutoScalingClient,
  AutoScalingGroup,
} from '@aws-sdk/client-auto-scaling';
import {
  EC2Client,
  paginateDescribeSecurityGroups,
  SecurityGroup,
} from '@aws-sdk/client-ec2';
import {
  Cluster as EksCluster,
  EKSClient,
  InsightSummary,
  Nodegroup,
} from '@aws-sdk/client-eks';
import {
  DescribeTagsCommand as DescribeClassicTagsCommand,
  ElasticLoadBalancingClient,
  LoadBalancerDescription,
  paginateDescribeLoadBalancers as paginateDescribeClassicLoadBalancers,
} from '@aws-sdk/client-elastic-load-balancing';
import {
  DescribeTagsCommand,
  ElasticLoadBalancingV2Client,
  LoadBalancer,
  paginateDescribeLoadBalancers,
} from '@aws-sdk/client-elastic-load-balancing-v2';
import type { LoggerService } from '@backstage/backend-plugin-api';
import type { Config } from '@backstage/config';
import { InputError } from '@backstage/errors';
import { DefaultAwsCredentialsManager } from '@backstage/integration-aws-node';
import pLimit from 'p-limit';
import {
  AccountCredentials,
  answerItems,
  AWS_PAGE_SIZES,
  AwsCredentialsProvider,
  AwsCredentialsSource,
  AwsReadClients,
  AwsRegionSnapshot,
  ClusterdeckConfig,
  ConfiguredAccount,
  DEFAULT_AWS_LIMITS,
  describeEksCluster,
  describeEksNodegroup,
  describeEksUpgradeInsights,
  EksInsight,
  emptyAwsRegionSnapshot,
  FleetSnapshot,
  fillInstanceTypes,
  FleetSource,
  InstanceTypeCache,
  listEksUpgradeInsights,
  namedError,
  readAutoScalingGroups,
  readEksClusterNames,
  readEksClusterVersions,
  readEksNodegroupNames,
  readInstanceTypes,
  readPages,
  readScalingActivities,
  REGION_LIST_READS,
  RegionListKey,
  SourceError,
  Tagged,
} from '@clusterdeck/plugin-aws-clusters-node';

/** @public The SDK clients of one account in one region: those of the region reads, and both load balancer APIs'. */
export interface AwsRegionClients extends AwsReadClients {
  elb: ElasticLoadBalancingClient;
  elbv2: ElasticLoadBalancingV2Client;
}

/** @public The client configuration {@link AwsCollector} asks for. */
export interface AwsClientConfig {
  region: string;
  credentials: AwsCredentialsProvider;
  maxAttempts: number;
  retryMode: 'adaptive';
  /** Options of the SDK's default Node.js request handler: the per-request timeout. */
  requestHandler: { requestTimeout: number; connectionTimeout: number };
}

/** @public Makes the clients of one account in one region. */
export type AwsClientFactory = (config: AwsClientConfig) => AwsRegionClients;

/** @public How an {@link AwsCollector} is set up. */
export interface AwsCollectorOptions {
  /** The accounts to read, each in its regions. */
  accounts: ConfiguredAccount[];
  limits?: {
    /** Concurrent AWS calls in all (default `DEFAULT_AWS_LIMITS.concurrency`). */
    concurrency?: number;
    /** Concurrent AWS calls per account (default `DEFAULT_AWS_LIMITS.concurrencyPerAccount`). */
    concurrencyPerAccount?: number;
    /** Time allowed for one call, retries included (default 20 000 ms). */
    callTimeoutMs?: number;
  };
  /** Attempts per call, for the SDK's adaptive retry mode (default 3). */
  maxAttempts?: number;
  /** Credentials of the main account and of accounts without `roleArn`. */
  credentials: AwsCredentialsSource;
  /** Makes the STS client for AssumeRole (tests). */
  stsClientFactory?: ConstructorParameters<
    typeof AccountCredentials
  >[0]['stsClientFactory'];
  /** Makes the service clients (tests); the SDK's clients when absent. */
  clientFactory?: AwsClientFactory;
  /** Who the calls are made for, set as STS `SourceIdentity` on assumed roles (default `clusterdeck`). */
  sourceIdentity?: string;
  /** Scaling activities kept per Auto Scaling group, newest first (default 10). */
  scalingActivitiesPerGroup?: number;
  /** Pages of region-wide scaling activities read at most, 100 each, newest first (default 10). */
  scalingActivityPages?: number;
  /** How long an EKS cluster's describes are reused while nothing signals a change (default 30 minutes). */
  eksCacheTtlMs?: number;
  /** How long instance types read with DescribeInstanceTypes are reused (default a day). */
  instanceTypeCacheTtlMs?: number;
  logger?: LoggerService;
  now?: () => number;
}

/** @public How one account in one region was read in the last collection. */
export interface AwsRegionCollectStats {
  accountId: string;
  region: string;
  /** Calls sent, one per page, by operation (`elb:` and `elbv2:` mark the two load balancer APIs). */
  calls: Record<string, number>;
  errors: number;
  durationMs: number;
  /** EKS clusters whose cached describes were reused. */
  eksCacheHits: number;
}

/** @public How the last collection went, for benchmarks and health. */
export interface AwsCollectStats {
  startedAt: string;
  durationMs: number;
  calls: number;
  errors: number;
  /** The most calls in flight at once. */
  maxInFlight: number;
  regions: AwsRegionCollectStats[];
}

/** Tags per DescribeTags call, the most both load balancer APIs take. */
export const ELB_TAG_BATCH = 20;
/** Security group ids per DescribeSecurityGroups call, as values of one `group-id` filter (EC2 takes up to 200). */
export const SECURITY_GROUP_BATCH = 200;
const EKS_CLUSTER_TAG = 'eks:cluster-name';
const EKS_NODEGROUP_TAG = 'eks:nodegroup-name';

interface EksCacheEntry {
  at: number;
  signal: string | undefined;
  cluster: EksCluster;
  nodegroups: Nodegroup[];
  /** Its upgrade insights; read again while a read failed. */
  insights?: EksInsight[];
}

/** What the reading of one account in one region fills in. */
interface RegionReading {
  source: string;
  calls: Record<string, number>;
  errors: SourceError[];
  eksCacheHits: number;
}

/** One account region as read, with its clients while they could be made. */
interface RegionResult {
  snapshot: AwsRegionSnapshot;
  stats: AwsRegionCollectStats;
  reading: RegionReading;
  clients?: AwsRegionClients;
}

function errorCode(error: unknown): string {
  const e = error as { name?: string; Code?: string; code?: string };
  return (
    e?.Code ??
    (e?.name && e.name !== 'Error' ? e.name : undefined) ??
    e?.code ??
    'Error'
  );
}

function chunks<T>(list: T[], size: number): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < list.length; i += size) out.push(list.slice(i, i + size));
  return out;
}

function time(value: Date | string | undefined): number {
  return value ? new Date(value).getTime() : 0;
}

/** A fingerprint of an EKS cluster's Auto Scaling groups: it changes when a node group is added, removed or resized. */
function eksChangeSignal(
  groups: AutoScalingGroup[] | undefined,
  clusterName: string,
): string | undefined {
  if (!groups) return undefined;
  return groups
    .filter(g =>
      g.Tags?.some(t => t.Key === EKS_CLUSTER_TAG && t.Value === clusterName),
    )
    .map(
      g =>
        `${g.AutoScalingGroupName}:${g.MinSize}:${g.MaxSize}:${g.DesiredCapacity}`,
    )
    .sort()
    .join(',');
}

/**
 * The node groups of an EKS cluster as its Auto Scaling groups name them (EKS tags the group of
 * each managed node group with the cluster and node group names), or undefined when they cannot
 * tell: the groups did not load, the cluster has none, or one of its groups lacks the name tag.
 */
function eksNodegroupNames(
  groups: AutoScalingGroup[] | undefined,
  clusterName: string,
): string[] | undefined {
  const own = groups?.filter(g =>
    g.Tags?.some(t => t.Key === EKS_CLUSTER_TAG && t.Value === clusterName),
  );
  if (!own?.length) return undefined;
  const names = own.map(
    g => g.Tags?.find(t => t.Key === EKS_NODEGROUP_TAG)?.Value,
  );
  if (names.some(n => !n)) return undefined;
  return [...new Set(names as string[])].sort();
}

/** @public The SDK clients of one account and region, as the collector makes them unless given a factory. */
export function createRegionClients(config: AwsClientConfig): AwsRegionClients {
  return {
    ec2: new EC2Client(config),
    elb: new ElasticLoadBalancingClient(config),
    elbv2: new ElasticLoadBalancingV2Client(config),
    autoScaling: new AutoScalingClient(config),
    eks: new EKSClient(config),
  };
}

function positiveInteger(value: number, field: string) {
  if (!Number.isInteger(value) || value < 1)
    throw new InputError(`${field}: must be a whole number of at least 1`);
}

/**
 * Reads the AWS side of the fleet: for every configured account and region the network
 * (VPCs, subnets, route tables, gateways, attachments, peerings), the load balancers with their
 * tags and security groups, the Auto Scaling groups with their recent activities, the instances of clusters, the
 * EKS clusters with their node groups, and what a cluster request may name there: the
 * availability zones and the transit gateways the account owns or is shared; once per refresh,
 * the Kubernetes versions EKS offers, and the instance types the node pools use (kept a day). Every list is read page by page with the largest page
 * size the API takes, tags in batches of 20, scaling activities region-wide in one paginated
 * list (none where the region has no Auto Scaling groups), EKS node group names from the tags
 * of their Auto Scaling groups, and EKS describes are reused until they expire or the cluster's
 * Auto Scaling groups change, so the calls per refresh depend on accounts × regions, not on the
 * number of clusters.
 * Calls use the SDK's adaptive retries, a timeout each, and caps on the calls in flight in all
 * and per account. A failing call becomes a `SourceError` beside the lists that loaded.
 * @public
 */
export class AwsCollector implements FleetSource {
  readonly name = 'aws';
  /** How the last `collect` went. */
  lastStats?: AwsCollectStats;

  private readonly limit: pLimit.Limit;
  private readonly accountLimits = new Map<string, pLimit.Limit>();
  private readonly clients = new Map<string, Promise<AwsRegionClients>>();
  private readonly eksCache = new Map<string, EksCacheEntry>();
  private readonly instanceTypes: InstanceTypeCache;
  private readonly credentials: AccountCredentials;
  private readonly timeoutMs: number;
  private readonly perAccount: number;
  private readonly maxAttempts: number;
  private readonly now: () => number;
  private inFlight = 0;
  private maxInFlight = 0;

  constructor(private readonly options: AwsCollectorOptions) {
    const concurrency =
      options.limits?.concurrency ?? DEFAULT_AWS_LIMITS.concurrency;
    this.perAccount =
      options.limits?.concurrencyPerAccount ??
      DEFAULT_AWS_LIMITS.concurrencyPerAccount;
    this.timeoutMs = options.limits?.callTimeoutMs ?? 20_000;
    this.maxAttempts = options.maxAttempts ?? 3;
    positiveInteger(concurrency, 'limits.concurrency');
    positiveInteger(this.perAccount, 'limits.concurrencyPerAccount');
    positiveInteger(this.maxAttempts, 'maxAttempts');
    positiveInteger(
      options.scalingActivitiesPerGroup ?? 10,
      'scalingActivitiesPerGroup',
    );
    positiveInteger(options.scalingActivityPages ?? 10, 'scalingActivityPages');
    if (!(this.timeoutMs > 0))
      throw new InputError('limits.callTimeoutMs: must be more than 0');
    const ids = options.accounts.map(a => a.id);
    const repeated = ids.filter((id, i) => ids.indexOf(id) !== i);
    if (repeated.length)
      throw new InputError(
        `clusterdeck.accounts: ids must be unique, repeated: ${[
          ...new Set(repeated),
        ].join(', ')}`,
      );
    this.limit = pLimit(concurrency);
    this.now = options.now ?? Date.now;
    this.instanceTypes = new InstanceTypeCache({
      ttlMs: options.instanceTypeCacheTtlMs,
      now: this.now,
    });
    this.credentials = new AccountCredentials({
      source: options.credentials,
      stsClientFactory: options.stsClientFactory,
      now: this.now,
    });
  }

  /**
   * Reads the checked `clusterdeck` configuration; credentials come from Backstage's `aws`
   * integration configuration (`aws.mainAccount`, `aws.accounts`) in `rootConfig`.
   */
  static fromConfig(options: {
    config: ClusterdeckConfig;
    rootConfig: Config;
    logger?: LoggerService;
  }) {
    return new AwsCollector({
      accounts: options.config.accounts,
      limits: options.config.limits,
      credentials: DefaultAwsCredentialsManager.fromConfig(
        options.rootConfig,
      ) as AwsCredentialsSource,
      logger: options.logger,
    });
  }

  async collect(options?: {
    signal?: AbortSignal;
  }): Promise<Partial<FleetSnapshot>> {
    const started = this.now();
    this.maxInFlight = 0;
    const work = this.options.accounts.flatMap(account =>
      account.regions.map(region => ({ account, region })),
    );
    const results = await Promise.all(
      work.map(({ account, region }) =>
        this.collectRegion(account, region, options?.signal),
      ),
    );
    await Promise.all([
      this.readEksVersions(results),
      this.readInstanceTypes(results),
    ]);
    for (const { reading, snapshot, stats } of results) {
      stats.errors = reading.errors.length;
      if (reading.errors.length) {
        const [first] = reading.errors;
        this.options.logger?.warn(
          `AWS account ${snapshot.accountId} in ${snapshot.region}: ${reading.errors.length} failed calls, first ${first.operation}: ${first.code}: ${first.message}`,
        );
      }
    }
    const regions = results.map(r => r.stats);
    this.lastStats = {
      startedAt: new Date(started).toISOString(),
      durationMs: this.now() - started,
      calls: regions.reduce(
        (n, s) => n + Object.values(s.calls).reduce((a, b) => a + b, 0),
        0,
      ),
      errors: regions.reduce((n, s) => n + s.errors, 0),
      maxInFlight: this.maxInFlight,
      regions,
    };
    return { aws: results.map(r => r.snapshot) };
  }

  /**
   * The Kubernetes versions EKS offers, once per refresh: the list is the same for every account,
   * so it is read in the first region (in configured order) that has EKS clusters, else in the
   * first region whose clients could be made, and recorded there; a failure is that region's error.
   */
  private async readEksVersions(results: RegionResult[]) {
    const readable = results.filter(r => r.clients);
    const target =
      readable.find(r => r.snapshot.eksClusters.length > 0) ?? readable[0];
    if (!target?.clients) return;
    const started = this.now();
    target.snapshot.eksClusterVersions = await this.attempt(
      target.reading,
      'DescribeClusterVersions',
      [],
      () => readEksClusterVersions(target.clients!),
    );
    target.stats.durationMs += this.now() - started;
  }

  /**
   * The instance types the regions' node pools use, with their vCPUs, memory and architectures.
   * Their figures are the same everywhere, so each type not in the cache is asked for once per
   * refresh, in the first region (in configured order) that uses it (a type is offered only in
   * some regions), 100 a call; each region records the types it uses, and a failed call is the
   * error of the region that made it.
   */
  private async readInstanceTypes(results: RegionResult[]) {
    await fillInstanceTypes(
      results.filter(r => r.clients),
      this.instanceTypes,
      async (result, types) => {
        const started = this.now();
        const read = await this.attempt(
          result.reading,
          'DescribeInstanceTypes',
          [],
          () => readInstanceTypes(types)(result.clients!),
        );
        result.stats.durationMs += this.now() - started;
        return read;
      },
    );
  }

  private accountLimit(accountId: string): pLimit.Limit {
    let limit = this.accountLimits.get(accountId);
    if (!limit) {
      limit = pLimit(this.perAccount);
      this.accountLimits.set(accountId, limit);
    }
    return limit;
  }

  /** The clients of one account in one region, kept so that the adaptive retry state carries over. */
  private regionClients(
    account: ConfiguredAccount,
    region: string,
  ): Promise<AwsRegionClients> {
    const key = `${account.id}/${region}`;
    let clients = this.clients.get(key);
    if (!clients) {
      clients = (async () => {
        const credentials = await this.credentials.forAccount(account, {
          sourceIdentity: this.options.sourceIdentity,
        });
        return (this.options.clientFactory ?? createRegionClients)({
          region,
          credentials,
          maxAttempts: this.maxAttempts,
          retryMode: 'adaptive',
          requestHandler: {
            requestTimeout: this.timeoutMs,
            connectionTimeout: Math.min(this.timeoutMs, 5_000),
          },
        });
      })();
      this.clients.set(key, clients);
      clients.catch(() => {
        if (this.clients.get(key) === clients) this.clients.delete(key);
      });
    }
    return clients;
  }

  /**
   * A view of `client` whose `send` counts the call, waits for a slot under both caps, and
   * gives up after the call timeout. It keeps the client's prototype, which the SDK's
   * paginators check.
   */
  private guard<C extends { send: (...args: any[]) => Promise<any> }>(
    client: C,
    prefix: string,
    accountId: string,
    reading: RegionReading,
    signal: AbortSignal | undefined,
  ): C {
    const guarded = Object.create(client) as C;
    const send = (command: { constructor: { name: string } }) => {
      const operation = `${prefix}${command.constructor.name.replace(
        /Command$/,
        '',
      )}`;
      return this.accountLimit(accountId)(() =>
        this.limit(async () => {
          if (signal?.aborted)
            throw namedError('AbortError', 'The collection was aborted');
          reading.calls[operation] = (reading.calls[operation] ?? 0) + 1;
          const controller = new AbortController();
          const onAbort = () =>
            controller.abort(
              namedError('AbortError', 'The collection was aborted'),
            );
          signal?.addEventListener('abort', onAbort);
          let timer: NodeJS.Timeout | undefined;
          const timeout = new Promise<never>((_, reject) => {
            timer = setTimeout(() => {
              const error = namedError(
                'TimeoutError',
                `${operation} did not answer within ${this.timeoutMs} ms`,
              );
              controller.abort(error);
              reject(error);
            }, this.timeoutMs);
          });
          this.inFlight += 1;
          this.maxInFlight = Math.max(this.maxInFlight, this.inFlight);
          try {
            return await Promise.race([
              client.send(command, { abortSignal: controller.signal }),
              timeout,
            ]);
          } finally {
            this.inFlight -= 1;
            clearTimeout(timer);
            signal?.removeEventListener('abort', onAbort);
          }
        }),
      );
    };
    (guarded as { send: unknown }).send = send;
    return guarded;
  }

  private async collectRegion(
    account: ConfiguredAccount,
    region: string,
    signal: AbortSignal | undefined,
  ): Promise<RegionResult> {
    const started = this.now();
    const reading: RegionReading = {
      source: `aws:${account.id}:${region}`,
      calls: {},
      errors: [],
      eksCacheHits: 0,
    };
    const snapshot = emptyAwsRegionSnapshot(
      account.id,
      region,
      new Date(started).toISOString(),
      reading.errors,
    );
    let clients: AwsRegionClients | undefined;
    try {
      const raw = await this.regionClients(account, region);
      clients = {
        ec2: this.guard(raw.ec2, '', account.id, reading, signal),
        elb: this.guard(raw.elb, 'elb:', account.id, reading, signal),
        elbv2: this.guard(raw.elbv2, 'elbv2:', account.id, reading, signal),
        autoScaling: this.guard(
          raw.autoScaling,
          '',
          account.id,
          reading,
          signal,
        ),
        eks: this.guard(raw.eks, '', account.id, reading, signal),
      };
    } catch (error) {
      this.fail(reading, 'GetCredentials', error);
    }
    try {
      if (clients)
        await this.readRegion(account.id, clients, snapshot, reading);
    } catch (error) {
      // Whatever slipped past the per-list handling still belongs to this region only.
      this.fail(reading, 'collect', error);
    }
    return {
      snapshot,
      reading,
      clients,
      stats: {
        accountId: account.id,
        region,
        calls: reading.calls,
        errors: reading.errors.length,
        durationMs: this.now() - started,
        eksCacheHits: reading.eksCacheHits,
      },
    };
  }

  private fail(reading: RegionReading, operation: string, error: unknown) {
    reading.errors.push({
      source: reading.source,
      operation,
      code: errorCode(error),
      message: (error as Error)?.message ?? String(error),
      at: new Date(this.now()).toISOString(),
    });
  }

  /** Runs one list; a failure is recorded under `operation` and leaves `fallback`. */
  private async attempt<T>(
    reading: RegionReading,
    operation: string,
    fallback: T,
    read: () => Promise<T>,
  ): Promise<T> {
    try {
      return await read();
    } catch (error) {
      this.fail(reading, operation, error);
      return fallback;
    }
  }

  private async readRegion(
    accountId: string,
    c: AwsRegionClients,
    out: AwsRegionSnapshot,
    reading: RegionReading,
  ) {
    /** Reads one list into the snapshot; a failure is recorded under its operation and leaves it empty. */
    const fill = <K extends RegionListKey>(list: K) => {
      const { operation, read } = REGION_LIST_READS[list];
      return this.attempt(
        reading,
        operation,
        [] as unknown as AwsRegionSnapshot[K],
        () => read(c),
      ).then(v => {
        out[list] = v;
      });
    };
    const groups = this.attempt<AutoScalingGroup[] | undefined>(
      reading,
      'DescribeAutoScalingGroups',
      undefined,
      () => readAutoScalingGroups()(c),
    );

    await Promise.all([
      ...(Object.keys(REGION_LIST_READS) as RegionListKey[]).map(fill),
      Promise.all([
        this.readLoadBalancers(c, reading),
        this.readClassicLoadBalancers(c, reading),
      ]).then(async ([v2, classic]) => {
        out.loadBalancers = v2;
        out.classicLoadBalancers = classic;
        out.securityGroups = await this.readSecurityGroups(
          c,
          reading,
          [...v2, ...classic].flatMap(lb => lb.SecurityGroups ?? []),
        );
      }),
      groups.then(v => {
        out.autoScalingGroups = v ?? [];
      }),
      this.readScalingActivities(c, reading, groups).then(v => {
        out.scalingActivities = v;
      }),
      this.readEks(accountId, out.region, c, reading, groups).then(v => {
        out.eksClusters = v.clusters;
        out.eksNodegroups = v.nodegroups;
        out.eksInsights = v.insights;
      }),
    ]);
  }

  private async readLoadBalancers(
    c: AwsRegionClients,
    reading: RegionReading,
  ): Promise<Array<Tagged<LoadBalancer>>> {
    const lbs = await this.attempt(
      reading,
      'elbv2:DescribeLoadBalancers',
      [] as LoadBalancer[],
      () =>
        readPages(
          'elbv2:DescribeLoadBalancers',
          'LoadBalancers',
          paginateDescribeLoadBalancers(
            { client: c.elbv2, pageSize: AWS_PAGE_SIZES.loadBalancers },
            {},
          ),
        ),
    );
    const arns = lbs
      .map(lb => lb.LoadBalancerArn)
      .filter((arn): arn is string => Boolean(arn));
    const tags = await this.tagsInBatches(
      reading,
      'elbv2:DescribeTags',
      arns,
      async batch => {
        const response = await c.elbv2.send(
          new DescribeTagsCommand({ ResourceArns: batch }),
        );
        return answerItems<{
          ResourceArn?: string;
          Tags?: Tagged<LoadBalancer>['Tags'];
        }>(response, 'TagDescriptions', 'elbv2:DescribeTags').map(d => [
          d.ResourceArn,
          d.Tags,
        ]);
      },
    );
    return lbs.map(lb =>
      tags.has(lb.LoadBalancerArn ?? '')
        ? { ...lb, Tags: tags.get(lb.LoadBalancerArn!) }
        : lb,
    );
  }

  /**
   * The security groups of the load balancers, by id, in batches of `SECURITY_GROUP_BATCH`:
   * what AWS lets reach each balancer (the API server's above all), rather than every group of
   * the region.
   */
  private async readSecurityGroups(
    c: AwsRegionClients,
    reading: RegionReading,
    ids: string[],
  ): Promise<SecurityGroup[]> {
    const unique = [...new Set(ids)].sort();
    if (unique.length === 0) return [];
    return this.attempt(
      reading,
      'DescribeSecurityGroups',
      [] as SecurityGroup[],
      async () => {
        const batches = await Promise.all(
          chunks(unique, SECURITY_GROUP_BATCH).map(batch =>
            readPages<SecurityGroup>(
              'DescribeSecurityGroups',
              'SecurityGroups',
              paginateDescribeSecurityGroups(
                { client: c.ec2, pageSize: AWS_PAGE_SIZES.ec2 },
                { Filters: [{ Name: 'group-id', Values: batch }] },
              ),
            ),
          ),
        );
        return batches.flat();
      },
    );
  }

  /**
   * Tags of load balancers, read in batches of `ELB_TAG_BATCH` (the most both ELB APIs take
   * per call). Tags that fail to load leave the load balancers listed without them; the error says so.
   */
  private async tagsInBatches(
    reading: RegionReading,
    operation: string,
    keys: string[],
    read: (
      batch: string[],
    ) => Promise<
      Array<
        [
          string | undefined,
          Array<{ Key?: string; Value?: string }> | undefined,
        ]
      >
    >,
  ): Promise<Map<string, Array<{ Key?: string; Value?: string }>>> {
    const tags = new Map<string, Array<{ Key?: string; Value?: string }>>();
    await this.attempt(reading, operation, undefined, async () => {
      await Promise.all(
        chunks(keys, ELB_TAG_BATCH).map(async batch => {
          for (const [key, value] of await read(batch))
            if (key) tags.set(key, value ?? []);
        }),
      );
    });
    return tags;
  }

  private async readClassicLoadBalancers(
    c: AwsRegionClients,
    reading: RegionReading,
  ): Promise<Array<Tagged<LoadBalancerDescription>>> {
    const lbs = await this.attempt(
      reading,
      'elb:DescribeLoadBalancers',
      [] as LoadBalancerDescription[],
      () =>
        readPages(
          'elb:DescribeLoadBalancers',
          'LoadBalancerDescriptions',
          paginateDescribeClassicLoadBalancers(
            { client: c.elb, pageSize: AWS_PAGE_SIZES.loadBalancers },
            {},
          ),
        ),
    );
    const names = lbs
      .map(lb => lb.LoadBalancerName)
      .filter((name): name is string => Boolean(name));
    const tags = await this.tagsInBatches(
      reading,
      'elb:DescribeTags',
      names,
      async batch => {
        const response = await c.elb.send(
          new DescribeClassicTagsCommand({ LoadBalancerNames: batch }),
        );
        return answerItems<{
          LoadBalancerName?: string;
          Tags?: Tagged<LoadBalancerDescription>['Tags'];
        }>(response, 'TagDescriptions', 'elb:DescribeTags').map(d => [
          d.LoadBalancerName,
          d.Tags,
        ]);
      },
    );
    return lbs.map(lb =>
      tags.has(lb.LoadBalancerName ?? '')
        ? { ...lb, Tags: tags.get(lb.LoadBalancerName!) }
        : lb,
    );
  }

  /**
   * The newest activities of each group, from one region-wide list (newest first) read for a
   * bounded number of pages, rather than one call per group.
   */
  private async readScalingActivities(
    c: AwsRegionClients,
    reading: RegionReading,
    groups: Promise<AutoScalingGroup[] | undefined>,
  ): Promise<Activity[]> {
    const perGroup = this.options.scalingActivitiesPerGroup ?? 10;
    const maxPages = this.options.scalingActivityPages ?? 10;
    // A region without Auto Scaling groups has no activities of a group to show.
    if ((await groups)?.length === 0) return [];
    const activities = await this.attempt(
      reading,
      'DescribeScalingActivities',
      [] as Activity[],
      () => readScalingActivities(maxPages)(c),
    );
    const known = await groups;
    const names = known
      ? new Set(known.map(g => g.AutoScalingGroupName))
      : undefined;
    const kept = new Map<string, number>();
    return activities
      .filter(a => !names || names.has(a.AutoScalingGroupName))
      .sort((a, b) => time(b.StartTime) - time(a.StartTime))
      .filter(a => {
        const name = a.AutoScalingGroupName ?? '';
        const n = kept.get(name) ?? 0;
        kept.set(name, n + 1);
        return n < perGroup;
      });
  }

  /**
   * EKS clusters and node groups. The cluster names are listed every time; a cluster is
   * described again (with its node groups) only when it is new, its cached describes are older
   * than the cache time, or its Auto Scaling groups changed.
   */
  private async readEks(
    accountId: string,
    region: string,
    c: AwsRegionClients,
    reading: RegionReading,
    groups: Promise<AutoScalingGroup[] | undefined>,
  ): Promise<{
    clusters: EksCluster[];
    nodegroups: Nodegroup[];
    insights: EksInsight[];
  }> {
    const names = await this.attempt(
      reading,
      'ListClusters',
      undefined as string[] | undefined,
      () => readEksClusterNames(c),
    );
    if (!names) return { clusters: [], nodegroups: [], insights: [] };
    const known = await groups;
    const ttl = this.options.eksCacheTtlMs ?? 30 * 60_000;
    const prefix = `${accountId}/${region}/`;
    for (const key of this.eksCache.keys()) {
      if (key.startsWith(prefix) && !names.includes(key.slice(prefix.length)))
        this.eksCache.delete(key);
    }
    const entries = await Promise.all(
      names.map(async name => {
        const key = `${prefix}${name}`;
        const signal = eksChangeSignal(known, name);
        const cached = this.eksCache.get(key);
        // An unknown signal (the groups failed to load) is no reason to describe again.
        const changed =
          cached &&
          signal !== undefined &&
          cached.signal !== undefined &&
          signal !== cached.signal;
        if (cached && !changed && this.now() - cached.at < ttl) {
          reading.eksCacheHits += 1;
          return cached;
        }
        return this.attempt(
          reading,
          'DescribeCluster',
          undefined as EksCacheEntry | undefined,
          async () => {
            const cluster = await describeEksCluster(name)(c);
            const nodegroups = await this.describeNodegroups(
              c,
              reading,
              name,
              eksNodegroupNames(known, name),
            );
            if (!nodegroups) return undefined;
            const entry: EksCacheEntry = {
              at: this.now(),
              signal,
              cluster,
              nodegroups,
            };
            this.eksCache.set(key, entry);
            return entry;
          },
        );
      }),
    );
    const found = entries.filter((e): e is EksCacheEntry => Boolean(e));
    await Promise.all(
      found
        .filter(e => !e.insights && e.cluster.name)
        .map(async e => {
          e.insights = await this.readInsights(c, reading, e.cluster.name!);
        }),
    );
    return {
      clusters: found.map(e => e.cluster),
      nodegroups: found.flatMap(e => e.nodegroups),
      insights: found.flatMap(e => e.insights ?? []),
    };
  }

  /**
   * A cluster's upgrade insights: listed (category `UPGRADE_READINESS`), and those not passing
   * described for their recommendation and deprecated APIs. EKS evaluates them about once a day,
   * so they are kept as long as the cluster's describes; undefined when a call failed.
   */
  private async readInsights(
    c: AwsRegionClients,
    reading: RegionReading,
    clusterName: string,
  ): Promise<EksInsight[] | undefined> {
    const summaries = await this.attempt(
      reading,
      'ListInsights',
      undefined as InsightSummary[] | undefined,
      () => listEksUpgradeInsights(clusterName)(c),
    );
    if (!summaries) return undefined;
    return this.attempt(
      reading,
      'DescribeInsight',
      undefined as EksInsight[] | undefined,
      () => describeEksUpgradeInsights(clusterName, summaries)(c),
    );
  }

  /**
   * All node groups of a cluster, or undefined (and an error) when any of them cannot be read.
   * Their names come from the cluster's Auto Scaling groups when those name them all, else from
   * ListNodegroups. A node group still being created has no Auto Scaling group yet; when it gets
   * one, the cluster's change signal changes and the cluster is described again. A name from a
   * group that outlived its node group is not found: then EKS is asked for the names.
   */
  private async describeNodegroups(
    c: AwsRegionClients,
    reading: RegionReading,
    clusterName: string,
    fromGroups?: string[],
  ) {
    const describeAll = (names: string[]) =>
      Promise.all(
        names.map(nodegroupName =>
          describeEksNodegroup(clusterName, nodegroupName)(c),
        ),
      );
    if (fromGroups) {
      try {
        return await describeAll(fromGroups);
      } catch (error) {
        if (errorCode(error) !== 'ResourceNotFoundException') {
          this.fail(reading, 'DescribeNodegroup', error);
          return undefined;
        }
      }
    }
    const names = await this.attempt(
      reading,
      'ListNodegroups',
      undefined as string[] | undefined,
      () => readEksNodegroupNames(clusterName)(c),
    );
    if (!names) return undefined;
    return this.attempt(
      reading,
      'DescribeNodegroup',
      undefined as Nodegroup[] | undefined,
      () => describeAll(names),
    );
  }
}
