import fs from 'node:fs/promises';
import type { LoggerService } from '@backstage/backend-plugin-api';
import type { Config } from '@backstage/config';
import { InputError } from '@backstage/errors';
import { DefaultAwsCredentialsManager } from '@backstage/integration-aws-node';
import {
  ConfiguredManagementCluster,
  emptyManagementClusterObjects,
  FleetSnapshot,
  FleetSource,
  KubeObject,
  MANAGEMENT_CLUSTER_KIND_KEYS,
  MANAGEMENT_CLUSTER_KINDS,
  ManagementClusterKind,
  ManagementClusterSnapshot,
  readClusterdeckConfig,
  SourceError,
} from '@clusterdeck/plugin-aws-clusters-node';
import { createEksToken, EksTokenCredentials } from './eksToken';
import {
  ManagementClusterWatch,
  ManagementClusterWatchOptions,
} from './ManagementClusterWatch';
import {
  KubeApiClient,
  KubeApiError,
  KubeApiGroup,
  KubeApiResource,
  KubeListPage,
} from './KubeApiClient';

/** @public Objects asked for per list page unless set otherwise. */
export const LIST_PAGE_SIZE = 500;
/** Pages read at most for one kind, so that a server repeating its continue token cannot loop. */
const MAX_PAGES = 1000;
/** An EKS token is valid for 60 seconds; a new one is made once it is this old. */
const EKS_TOKEN_REUSE_MS = 40_000;

/**
 * @public Where {@link KubernetesCollector} gets AWS credentials for EKS tokens: the subset of
 * `AwsCredentialsManager` from `@backstage/integration-aws-node` it uses.
 */
export interface EksCredentialsSource {
  getCredentialProvider(options: { accountId: string }): Promise<{
    sdkCredentialProvider: EksTokenCredentials;
    stsRegion?: string;
  }>;
}

/** @public How a {@link KubernetesCollector} is set up. */
export interface KubernetesCollectorOptions {
  /** The management clusters; those without a `kubernetes` block are left out. */
  managementClusters: ConfiguredManagementCluster[];
  limits?: {
    /** Concurrent calls per management cluster (default 4). */
    concurrencyPerManagementCluster?: number;
    /** Time allowed for one call (default 20 000 ms). */
    callTimeoutMs?: number;
  };
  /** Objects asked for per list page (default `LIST_PAGE_SIZE`). */
  pageSize?: number;
  /** Credentials for management clusters with `authProvider: aws`. */
  credentials?: EksCredentialsSource;
  logger?: LoggerService;
}

/** @public How one management cluster was read in the last collection. */
export interface ManagementClusterCollectStats {
  name: string;
  calls: number;
  errors: number;
  durationMs: number;
  objects: number;
  /** The version each kind was read in, e.g. `cluster.x-k8s.io/v1beta2`. */
  versions: Partial<Record<ManagementClusterKind, string>>;
  /** Kinds the server does not serve at all: read as empty lists without an error. */
  notServed: ManagementClusterKind[];
}

/** @public How the last collection went, for benchmarks and health. */
export interface KubernetesCollectStats {
  startedAt: string;
  durationMs: number;
  calls: number;
  errors: number;
  managementClusters: ManagementClusterCollectStats[];
}

type KindKey = ManagementClusterKind;
const GROUPS = [
  ...new Set(
    MANAGEMENT_CLUSTER_KIND_KEYS.map(
      key => MANAGEMENT_CLUSTER_KINDS[key].group,
    ),
  ),
];

export function errorCode(error: unknown): string {
  if (error instanceof KubeApiError) return error.code;
  const e = error as NodeJS.ErrnoException;
  return e?.code ?? e?.name ?? 'Error';
}

function isStatus(error: unknown, status: number): boolean {
  return error instanceof KubeApiError && error.status === status;
}

/** The versions to look for a kind in: the preferred one first, then the others as served. */
function versionOrder(group: KubeApiGroup): string[] {
  const preferred = group.preferredVersion;
  return preferred
    ? [preferred, ...group.versions.filter(v => v !== preferred)]
    : group.versions;
}

/** Drops the server-side apply bookkeeping, which nothing reads and which is most of an object's size. */
export function trim(
  item: KubeObject,
  apiVersion: string,
  kind: string,
): KubeObject {
  const { managedFields: _managedFields, ...metadata } = (item.metadata ??
    {}) as KubeObject['metadata'] & {
    managedFields?: unknown;
  };
  return {
    ...item,
    apiVersion: item.apiVersion ?? apiVersion,
    kind: item.kind ?? kind,
    metadata,
  };
}

function validate(
  clusters: ConfiguredManagementCluster[],
  credentials: EksCredentialsSource | undefined,
) {
  const problems: string[] = [];
  clusters.forEach((mc, index) => {
    const k = mc.kubernetes;
    if (!k) return;
    const at = `clusterdeck.managementClusters[${index}].kubernetes`;
    if (k.caData && k.caFile)
      problems.push(`${at}: set caData or caFile, not both`);
    if (
      k.caData &&
      !Buffer.from(k.caData, 'base64')
        .toString('utf8')
        .includes('-----BEGIN CERTIFICATE-----')
    ) {
      problems.push(`${at}.caData: must be a base64-encoded PEM certificate`);
    }
    let protocol: string | undefined;
    try {
      protocol = new URL(k.url).protocol;
    } catch {
      problems.push(`${at}.url: must be a URL, got ${JSON.stringify(k.url)}`);
    }
    if (protocol === 'http:' && !k.skipTLSVerify) {
      problems.push(
        `${at}.url: plain http is only allowed together with skipTLSVerify: true`,
      );
    } else if (protocol && protocol !== 'http:' && protocol !== 'https:') {
      problems.push(`${at}.url: must be an https URL`);
    }
    if (k.authProvider === 'aws') {
      if (!k.eksClusterName)
        problems.push(
          `${at}.eksClusterName: required when authProvider is aws`,
        );
      if (!credentials)
        problems.push(
          `${at}.authProvider: aws needs AWS credentials, and none were given`,
        );
    } else if (!k.serviceAccountToken) {
      problems.push(
        `${at}.serviceAccountToken: required when authProvider is serviceAccount`,
      );
    }
  });
  const names = clusters.filter(mc => mc.kubernetes).map(mc => mc.name);
  const repeated = names.filter((name, i) => names.indexOf(name) !== i);
  if (repeated.length)
    problems.push(
      `clusterdeck.managementClusters: names must be unique, repeated: ${[
        ...new Set(repeated),
      ].join(', ')}`,
    );
  if (problems.length)
    throw new InputError(
      `Invalid management cluster configuration:\n${problems.join('\n')}`,
    );
}

/** @internal What the reading of one management cluster fills in. */
export interface ClusterReading {
  objects: Record<KindKey, KubeObject[]>;
  /** The resourceVersion of each kind's list, to watch from. */
  resourceVersions?: Partial<Record<KindKey, string>>;
  versions: Partial<Record<KindKey, string>>;
  notServed: KindKey[];
  fail: (operation: string, error: unknown) => void;
}

/**
 * Reads the Cluster API objects of every configured management cluster from its API server:
 * for each API group it asks which version the server prefers, finds each kind in it (or in the
 * group's other served versions), and lists every kind across all namespaces page by page. The
 * number of calls depends on the management clusters and kinds only, not on how many workload
 * clusters they hold. A failing call becomes a `SourceError` beside the lists that did load.
 * @public
 */
export class KubernetesCollector implements FleetSource {
  readonly name = 'kubernetes';
  /** How the last `collect` went. */
  lastStats?: KubernetesCollectStats;

  /**
   * Where another replica watches a management cluster, the state it stored: collecting reads
   * it instead of listing.
   */
  watchedElsewhere?: (name: string) => ManagementClusterSnapshot | undefined;

  private readonly clusters: ConfiguredManagementCluster[];
  private readonly watches = new Map<string, ManagementClusterWatch>();
  private readonly concurrency: number;
  private readonly timeoutMs: number;
  private readonly pageSize: number;

  constructor(private readonly options: KubernetesCollectorOptions) {
    this.clusters = options.managementClusters.filter(mc => mc.kubernetes);
    validate(options.managementClusters, options.credentials);
    this.concurrency = options.limits?.concurrencyPerManagementCluster ?? 4;
    this.timeoutMs = options.limits?.callTimeoutMs ?? 20_000;
    this.pageSize = options.pageSize ?? LIST_PAGE_SIZE;
    if (!Number.isInteger(this.concurrency) || this.concurrency < 1) {
      throw new InputError(
        'limits.concurrencyPerManagementCluster: must be a whole number of at least 1',
      );
    }
    if (!(this.timeoutMs > 0))
      throw new InputError('limits.callTimeoutMs: must be more than 0');
    if (!Number.isInteger(this.pageSize) || this.pageSize < 1) {
      throw new InputError('pageSize: must be a whole number of at least 1');
    }
  }

  /**
   * Reads the `clusterdeck` configuration. AWS credentials for EKS tokens come from the
   * `aws` integration configuration unless `credentials` is given.
   */
  static fromConfig(
    config: Config,
    options: {
      logger?: LoggerService;
      credentials?: EksCredentialsSource;
    } = {},
  ) {
    const clusterdeck = readClusterdeckConfig(config);
    const needsAws = clusterdeck.managementClusters.some(
      mc => mc.kubernetes?.authProvider === 'aws',
    );
    const credentials =
      options.credentials ??
      (needsAws
        ? (DefaultAwsCredentialsManager.fromConfig(
            config,
          ) as EksCredentialsSource)
        : undefined);
    return new KubernetesCollector({
      managementClusters: clusterdeck.managementClusters,
      limits: clusterdeck.limits,
      credentials,
      logger: options.logger,
    });
  }

  /**
   * Lists and watches every management cluster, calling `onUpdate` with a cluster's whole state
   * after its changes. While a watch is live, `collect` serves its state without listing.
   */
  startWatching(
    options: ManagementClusterWatchOptions,
  ): ManagementClusterWatch[] {
    for (const mc of this.clusters) {
      if (!this.watches.has(mc.name))
        this.watches.set(
          mc.name,
          new ManagementClusterWatch(this, mc, {
            logger: this.options.logger,
            ...options,
          }).start(),
        );
    }
    return [...this.watches.values()];
  }

  /** Stops every watch; collecting lists again. */
  async stopWatching(): Promise<void> {
    const watches = [...this.watches.values()];
    this.watches.clear();
    await Promise.all(watches.map(w => w.stop()));
  }

  /** The watches running on this replica. */
  watching(): ManagementClusterWatch[] {
    return [...this.watches.values()];
  }

  async collect(options?: {
    signal?: AbortSignal;
  }): Promise<Partial<FleetSnapshot>> {
    const started = Date.now();
    const results = await Promise.all(
      this.clusters.map(mc => {
        // A live watch (here or on another replica) is current: no list calls.
        const watch = this.watches.get(mc.name);
        const watched = watch?.live
          ? watch.snapshot()
          : this.watchedElsewhere?.(mc.name);
        if (watched) return Promise.resolve(this.watchedResult(watched));
        return this.collectCluster(mc, options?.signal);
      }),
    );
    const stats = results.map(r => r.stats);
    this.lastStats = {
      startedAt: new Date(started).toISOString(),
      durationMs: Date.now() - started,
      calls: stats.reduce((n, s) => n + s.calls, 0),
      errors: stats.reduce((n, s) => n + s.errors, 0),
      managementClusters: stats,
    };
    return { managementClusters: results.map(r => r.snapshot) };
  }

  private async collectCluster(
    mc: ConfiguredManagementCluster,
    signal: AbortSignal | undefined,
  ): Promise<{
    snapshot: ManagementClusterSnapshot;
    stats: ManagementClusterCollectStats;
  }> {
    const started = Date.now();
    const source = `kubernetes:${mc.name}`;
    const errors: SourceError[] = [];
    const reading: ClusterReading = {
      objects: emptyManagementClusterObjects(),
      versions: {},
      notServed: [],
      fail: (operation, error) => {
        errors.push({
          source,
          operation,
          code: errorCode(error),
          message: (error as Error)?.message ?? String(error),
          at: new Date().toISOString(),
        });
      },
    };

    let client: KubeApiClient | undefined;
    try {
      client = await this.connect(mc, signal, reading.fail);
      if (client) await this.readCluster(client, signal, reading);
    } catch (error) {
      // Whatever slipped past the per-call handling still belongs to this cluster only.
      reading.fail('collect', error);
    }

    const { objects, versions, notServed } = reading;
    if (notServed.length) {
      this.options.logger?.info(
        `Management cluster ${mc.name} does not serve ${notServed
          .map(
            key =>
              `${MANAGEMENT_CLUSTER_KINDS[key].plural}.${MANAGEMENT_CLUSTER_KINDS[key].group}`,
          )
          .join(', ')}; read as empty`,
      );
    }
    if (errors.length) {
      this.options.logger?.warn(
        `Management cluster ${mc.name}: ${errors.length} failed calls, first ${errors[0].operation}: ${errors[0].code}: ${errors[0].message}`,
      );
    }
    return {
      snapshot: {
        name: mc.name,
        fetchedAt: new Date(started).toISOString(),
        objects,
        errors,
      },
      stats: {
        name: mc.name,
        calls: client?.calls ?? 0,
        errors: errors.length,
        durationMs: Date.now() - started,
        objects: MANAGEMENT_CLUSTER_KIND_KEYS.reduce(
          (n, key) => n + objects[key].length,
          0,
        ),
        versions,
        notServed,
      },
    };
  }

  private watchedResult(snapshot: ManagementClusterSnapshot): {
    snapshot: ManagementClusterSnapshot;
    stats: ManagementClusterCollectStats;
  } {
    return {
      snapshot,
      stats: {
        name: snapshot.name,
        calls: 0,
        errors: snapshot.errors.length,
        durationMs: 0,
        objects: MANAGEMENT_CLUSTER_KIND_KEYS.reduce(
          (n, key) => n + snapshot.objects[key].length,
          0,
        ),
        versions: {},
        notServed: [],
      },
    };
  }

  /** Makes the client for one cluster, or records why it cannot be made. */
  /** @internal */
  async connect(
    mc: ConfiguredManagementCluster,
    signal: AbortSignal | undefined,
    fail: (operation: string, error: unknown) => void,
  ): Promise<KubeApiClient | undefined> {
    const k = mc.kubernetes!;
    let ca: string | undefined;
    try {
      if (k.caData) ca = Buffer.from(k.caData, 'base64').toString('utf8');
      else if (k.caFile) ca = await fs.readFile(k.caFile, 'utf8');
    } catch (error) {
      fail(`read caFile ${k.caFile}`, error);
      return undefined;
    }

    let tokenProvider: (() => Promise<string>) | undefined;
    if (k.authProvider === 'aws') {
      const clusterName = k.eksClusterName!;
      let provider: Awaited<
        ReturnType<EksCredentialsSource['getCredentialProvider']>
      >;
      let current: { token: Promise<string>; at: number } | undefined;
      // Calls in flight share one token; a failed one is not kept, so the next call tries again.
      tokenProvider = () => {
        if (!current || Date.now() - current.at > EKS_TOKEN_REUSE_MS) {
          const made = {
            at: Date.now(),
            token: createEksToken({
              clusterName,
              region: provider.stsRegion ?? mc.region,
              credentials: provider.sdkCredentialProvider,
            }),
          };
          made.token.catch(() => {
            if (current === made) current = undefined;
          });
          current = made;
        }
        return current.token;
      };
      try {
        if (signal?.aborted)
          throw new KubeApiError('AbortError', 'The collection was aborted');
        provider = await this.options.credentials!.getCredentialProvider({
          accountId: mc.accountId,
        });
        await tokenProvider();
      } catch (error) {
        fail(
          `get EKS token for ${clusterName} in account ${mc.accountId}`,
          error,
        );
        return undefined;
      }
    }

    return new KubeApiClient({
      name: mc.name,
      url: k.url,
      ca,
      skipTLSVerify: k.skipTLSVerify,
      token: k.serviceAccountToken,
      tokenProvider,
      timeoutMs: this.timeoutMs,
      concurrency: this.concurrency,
    });
  }

  /** Discovers the groups once, then reads every group's kinds. */
  /** @internal */
  async readCluster(
    client: KubeApiClient,
    signal: AbortSignal | undefined,
    out: ClusterReading,
  ) {
    let served: Map<string, KubeApiGroup>;
    try {
      served = new Map(
        (await client.apiGroups(signal)).map(group => [group.name, group]),
      );
    } catch (error) {
      out.fail('discover API groups', error);
      return;
    }
    await Promise.all(
      GROUPS.map(group => {
        const apiGroup = served.get(group);
        if (apiGroup) return this.readGroup(client, apiGroup, signal, out);
        out.notServed.push(
          ...MANAGEMENT_CLUSTER_KIND_KEYS.filter(
            key => MANAGEMENT_CLUSTER_KINDS[key].group === group,
          ),
        );
        return undefined;
      }),
    );
  }

  /** Finds the version of each kind of one group, the preferred one first, and lists the kinds found. */
  private async readGroup(
    client: KubeApiClient,
    apiGroup: KubeApiGroup,
    signal: AbortSignal | undefined,
    out: ClusterReading,
  ) {
    const group = apiGroup.name;
    const lists: Array<Promise<void>> = [];
    let pending = MANAGEMENT_CLUSTER_KIND_KEYS.filter(
      key => MANAGEMENT_CLUSTER_KINDS[key].group === group,
    );
    for (const version of versionOrder(apiGroup)) {
      if (pending.length === 0) break;
      let resources: KubeApiResource[];
      try {
        resources = await client.apiResources(group, version, signal);
      } catch (error) {
        // A version listed in discovery can vanish while a CRD is updated.
        if (isStatus(error, 404)) continue;
        out.fail(`discover ${group}/${version}`, error);
        pending = [];
        break;
      }
      const names = new Set(resources.map(r => r.name));
      const found = pending.filter(key =>
        names.has(MANAGEMENT_CLUSTER_KINDS[key].plural),
      );
      pending = pending.filter(key => !found.includes(key));
      for (const key of found) {
        out.versions[key] = `${group}/${version}`;
        lists.push(this.listKind(client, key, version, signal, out));
      }
    }
    out.notServed.push(...pending);
    await Promise.all(lists);
  }

  /** Lists one kind in all namespaces, page by page; a failure leaves the list empty. */
  /** @internal */
  async listKind(
    client: KubeApiClient,
    key: KindKey,
    version: string,
    signal: AbortSignal | undefined,
    out: ClusterReading,
  ) {
    const { group, plural, kind } = MANAGEMENT_CLUSTER_KINDS[key];
    const apiVersion = `${group}/${version}`;
    const items: KubeObject[] = [];
    let next: string | undefined = undefined;
    let seen = new Set<string>();
    let restarted = false;
    let resourceVersion: string | undefined;
    try {
      for (;;) {
        let page: KubeListPage;
        try {
          page = await client.listPage(
            { group, version, plural, limit: this.pageSize, continue: next },
            signal,
          );
        } catch (error) {
          // The resource is not there (its CRD was removed, or never installed although the
          // group is served): nothing to record, and nothing failed.
          if (!next && items.length === 0 && isStatus(error, 404)) {
            out.notServed.push(key);
            delete out.versions[key];
            return;
          }
          // A continue token expires after a few minutes (410 Gone): start over once.
          if (next && !restarted && isStatus(error, 410)) {
            restarted = true;
            items.length = 0;
            next = undefined;
            seen = new Set();
            continue;
          }
          throw error;
        }
        for (const item of page.items) items.push(trim(item, apiVersion, kind));
        resourceVersion = page.resourceVersion ?? resourceVersion;
        next = page.continue;
        if (!next) break;
        if (seen.has(next)) {
          throw new KubeApiError(
            'RepeatedContinueToken',
            `The server sent the same continue token twice after ${seen.size} pages`,
          );
        }
        seen.add(next);
        if (seen.size >= MAX_PAGES) {
          throw new KubeApiError(
            'TooManyPages',
            `Stopped after ${MAX_PAGES} pages of ${this.pageSize}`,
          );
        }
      }
      out.objects[key] = items;
      if (out.resourceVersions && resourceVersion)
        out.resourceVersions[key] = resourceVersion;
    } catch (error) {
      out.fail(`list ${plural}.${group}`, error);
    }
  }
}
