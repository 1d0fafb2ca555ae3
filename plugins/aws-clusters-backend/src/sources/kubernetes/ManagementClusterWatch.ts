import type { LoggerService } from '@backstage/backend-plugin-api';
import {
  ConfiguredManagementCluster,
  emptyManagementClusterObjects,
  KubeObject,
  MANAGEMENT_CLUSTER_KIND_KEYS,
  MANAGEMENT_CLUSTER_KINDS,
  ManagementClusterKind,
  ManagementClusterSnapshot,
  SourceError,
} from '@clusterdeck/plugin-aws-clusters-node';
import { KubeApiClient, KubeApiError, KubeWatchEvent } from './KubeApiClient';
import {
  ClusterReading,
  errorCode,
  KubernetesCollector,
  trim,
} from './KubernetesCollector';

/** @public How a {@link ManagementClusterWatch} behaves. */
export interface ManagementClusterWatchOptions {
  /** Called with the whole state of the management cluster after changes, coalesced. */
  onUpdate: (snapshot: ManagementClusterSnapshot) => void | Promise<void>;
  /** First wait before reconnecting after a failure; doubled up to `maxBackoffMs` (default 1 000). */
  initialBackoffMs?: number;
  /** Longest wait between reconnection attempts (default 30 000). */
  maxBackoffMs?: number;
  /** Changes within this time are reported together (default 100). */
  coalesceMs?: number;
  /** Objects held at most for one management cluster; beyond it the watch fails over to polling (default 100 000). */
  maxObjects?: number;
  /** The server closes a watch after this many seconds and it is resumed from its resourceVersion (default 300). */
  watchTimeoutSeconds?: number;
  logger?: LoggerService;
}

/** @public What one watch did, for health and benchmarks. */
export interface ManagementClusterWatchStats {
  lists: number;
  watches: number;
  events: number;
  bookmarks: number;
  relists: number;
  reconnects: number;
  updates: number;
}

const sleep = (ms: number, signal: AbortSignal) =>
  new Promise<void>(resolve => {
    const timer = setTimeout(resolve, ms);
    signal.addEventListener(
      'abort',
      () => {
        clearTimeout(timer);
        resolve();
      },
      { once: true },
    );
  });

/** An empty reading that collects its failures in `errors`. */
function newReading(errors: unknown[]): ClusterReading {
  return {
    objects: emptyManagementClusterObjects(),
    versions: {},
    notServed: [],
    resourceVersions: {},
    fail: (_operation, error) => errors.push(error),
  };
}

const keyOf = (o: KubeObject) =>
  `${o.metadata?.namespace ?? ''}/${o.metadata?.name}`;

/**
 * Keeps one management cluster's objects current: one list per kind, then a watch per kind from
 * the list's resourceVersion with bookmarks. A watch the server ends is resumed from the last
 * resourceVersion seen without listing again; one answered 410 Gone (the version was compacted)
 * lists its kind again. A cluster that cannot be reached is reported with the error, its last
 * objects kept, and tried again with exponential backoff and jitter until it answers.
 * @public
 */
export class ManagementClusterWatch {
  readonly stats: ManagementClusterWatchStats = {
    lists: 0,
    watches: 0,
    events: 0,
    bookmarks: 0,
    relists: 0,
    reconnects: 0,
    updates: 0,
  };
  /** Whether the objects are current (listed and watched). */
  live = false;
  private readonly objects = new Map<
    ManagementClusterKind,
    Map<string, KubeObject>
  >();
  private readonly versions: Partial<Record<ManagementClusterKind, string>> =
    {};
  private readonly resourceVersions: Partial<
    Record<ManagementClusterKind, string>
  > = {};
  private synced = false;
  private backoffMs = 0;
  private error?: SourceError;
  private client?: KubeApiClient;
  private readonly stopping = new AbortController();
  private running?: Promise<void>;
  private emitTimer?: NodeJS.Timeout;
  private emitting?: Promise<void>;
  private emitAgain = false;
  private readonly options: Required<
    Omit<ManagementClusterWatchOptions, 'logger'>
  > &
    Pick<ManagementClusterWatchOptions, 'logger'>;

  constructor(
    private readonly collector: KubernetesCollector,
    readonly managementCluster: ConfiguredManagementCluster,
    options: ManagementClusterWatchOptions,
  ) {
    this.options = {
      initialBackoffMs: 1_000,
      maxBackoffMs: 30_000,
      coalesceMs: 100,
      maxObjects: 100_000,
      watchTimeoutSeconds: 300,
      ...options,
    };
    for (const key of MANAGEMENT_CLUSTER_KIND_KEYS)
      this.objects.set(key, new Map());
  }

  /** Starts listing and watching in the background. */
  start(): this {
    this.running ??= this.run();
    return this;
  }

  /** Stops every watch and waits for the loop to end. */
  async stop(): Promise<void> {
    this.stopping.abort();
    if (this.emitTimer) clearTimeout(this.emitTimer);
    await this.running;
    await this.emitting;
  }

  /** The management cluster as it stands: objects, and the error while it cannot be reached. */
  snapshot(): ManagementClusterSnapshot {
    const objects = emptyManagementClusterObjects();
    for (const key of MANAGEMENT_CLUSTER_KIND_KEYS)
      objects[key] = [...this.objects.get(key)!.values()];
    return {
      name: this.managementCluster.name,
      fetchedAt: new Date().toISOString(),
      objects,
      errors: this.error ? [this.error] : [],
    };
  }

  private async run() {
    const signal = this.stopping.signal;
    this.backoffMs = this.options.initialBackoffMs;
    while (!signal.aborted) {
      const attempt = new AbortController();
      const stop = () => attempt.abort();
      signal.addEventListener('abort', stop, { once: true });
      try {
        if (!this.client) {
          let failure: unknown;
          this.client = await this.collector.connect(
            this.managementCluster,
            attempt.signal,
            (_operation, error) => {
              failure = error;
            },
          );
          if (!this.client) throw failure ?? new Error('could not connect');
        }
        if (!this.synced) await this.listAll(attempt.signal);
        await this.watchAll(attempt.signal);
      } catch (error) {
        attempt.abort();
        if (signal.aborted) break;
        this.fail(error);
        this.stats.reconnects += 1;
        // Full jitter keeps many replicas or clusters from reconnecting in step.
        const wait = this.backoffMs;
        await sleep(wait / 2 + Math.random() * (wait / 2), signal);
        this.backoffMs = Math.min(wait * 2, this.options.maxBackoffMs);
      } finally {
        signal.removeEventListener('abort', stop);
      }
    }
  }

  private fail(error: unknown) {
    const message = (error as Error)?.message ?? String(error);
    this.live = false;
    this.error = {
      source: `kubernetes:${this.managementCluster.name}`,
      operation: 'watch',
      code: errorCode(error),
      message,
      at: new Date().toISOString(),
    };
    this.options.logger?.warn(
      `Management cluster ${this.managementCluster.name}: watch failed, retrying: ${message}`,
    );
    this.scheduleEmit(0);
  }

  /** Lists every kind as the collector does, keeping the resourceVersions. */
  private async listAll(signal: AbortSignal) {
    const errors: unknown[] = [];
    const reading = newReading(errors);
    const before = this.client!.calls;
    await this.collector.readCluster(this.client!, signal, reading);
    this.stats.lists += this.client!.calls - before;
    if (errors.length) throw errors[0];
    for (const key of MANAGEMENT_CLUSTER_KIND_KEYS) {
      this.objects.set(
        key,
        new Map(reading.objects[key].map(o => [keyOf(o), o])),
      );
    }
    Object.assign(this.versions, reading.versions);
    Object.assign(this.resourceVersions, reading.resourceVersions);
    this.checkCap();
    this.synced = true;
  }

  private checkCap() {
    let total = 0;
    for (const map of this.objects.values()) total += map.size;
    if (total > this.options.maxObjects) {
      this.synced = false;
      throw new KubeApiError(
        'TooManyObjects',
        `${total} objects exceed the cap of ${this.options.maxObjects} per management cluster`,
      );
    }
  }

  /** Watches every served kind; returns only by throwing when one watch fails. */
  private async watchAll(signal: AbortSignal) {
    const kinds = MANAGEMENT_CLUSTER_KIND_KEYS.filter(
      key => this.versions[key],
    );
    await new Promise<void>((resolve, reject) => {
      signal.addEventListener('abort', () => resolve(), { once: true });
      const state = { open: 0, failed: false };
      const allOpen = () => {
        const recovered = !this.live;
        this.live = true;
        this.error = undefined;
        this.backoffMs = this.options.initialBackoffMs;
        if (recovered) this.scheduleEmit(0);
      };
      kinds.forEach(key => {
        this.watchKind(key, signal, () => {
          state.open += 1;
          if (state.open === kinds.length) allOpen();
        }).catch(error => {
          if (!state.failed) {
            state.failed = true;
            reject(error);
          }
        });
      });
      if (kinds.length === 0) allOpen();
    });
  }

  /** One kind's watch, resumed when the server ends it and listed again on 410 Gone. */
  private async watchKind(
    key: ManagementClusterKind,
    signal: AbortSignal,
    opened: () => void,
  ) {
    const { group, plural, kind } = MANAGEMENT_CLUSTER_KINDS[key];
    const version = this.versions[key]!.split('/').pop()!;
    const apiVersion = `${group}/${version}`;
    let first = true;
    while (!signal.aborted) {
      let gone = false;
      let failure: KubeApiError | undefined;
      const local = new AbortController();
      const stop = () => local.abort();
      signal.addEventListener('abort', stop, { once: true });
      this.stats.watches += 1;
      const { ended } = await this.client!.watch(
        {
          group,
          version,
          plural,
          resourceVersion: this.resourceVersions[key],
          timeoutSeconds: this.options.watchTimeoutSeconds,
        },
        (event: KubeWatchEvent) => {
          if (gone || failure) return;
          if (event.type === 'ERROR') {
            // The server says so in the stream: 410 Expired when the version was compacted.
            if (Number(event.object?.code) === 410) gone = true;
            else
              failure = new KubeApiError(
                String(event.object?.reason ?? 'WatchError'),
                String(event.object?.message ?? 'the watch reported an error'),
                Number(event.object?.code) || undefined,
              );
            local.abort();
            return;
          }
          const rv = event.object?.metadata?.resourceVersion;
          if (typeof rv === 'string' && rv) this.resourceVersions[key] = rv;
          if (event.type === 'BOOKMARK') {
            this.stats.bookmarks += 1;
            return;
          }
          this.stats.events += 1;
          const map = this.objects.get(key)!;
          const object = trim(event.object, apiVersion, kind);
          if (event.type === 'DELETED') map.delete(keyOf(object));
          else map.set(keyOf(object), object);
          this.scheduleEmit(this.options.coalesceMs);
        },
        local.signal,
      );
      const immediate = await Promise.race([
        ended,
        new Promise<'open'>(resolve => setImmediate(() => resolve('open'))),
      ]);
      if (immediate === 'open' && first) {
        first = false;
        opened();
      }
      const error = immediate === 'open' ? await ended : immediate;
      signal.removeEventListener('abort', stop);
      if (signal.aborted) return;
      if (gone || error?.status === 410) {
        await this.relist(key, version, signal);
        continue;
      }
      if (failure) throw failure;
      if (error) throw error;
      // The server ended the watch (its timeout): resume from the last version seen.
    }
  }

  private async relist(
    key: ManagementClusterKind,
    version: string,
    signal: AbortSignal,
  ) {
    this.stats.relists += 1;
    const errors: unknown[] = [];
    const reading = newReading(errors);
    const before = this.client!.calls;
    await this.collector.listKind(this.client!, key, version, signal, reading);
    this.stats.lists += this.client!.calls - before;
    if (errors.length) throw errors[0];
    this.objects.set(
      key,
      new Map(reading.objects[key].map(o => [keyOf(o), o])),
    );
    this.resourceVersions[key] = reading.resourceVersions?.[key];
    this.checkCap();
    this.scheduleEmit(0);
  }

  /**
   * Reports the state after `delayMs`, coalescing what changes meanwhile. A consumer slower than
   * the changes gets the latest state once it is done, never a queue of old ones.
   */
  private scheduleEmit(delayMs: number) {
    if (this.stopping.signal.aborted) return;
    if (this.emitting) {
      this.emitAgain = true;
      return;
    }
    if (this.emitTimer) return;
    this.emitTimer = setTimeout(() => {
      this.emitTimer = undefined;
      this.emitting = (async () => {
        try {
          this.stats.updates += 1;
          await this.options.onUpdate(this.snapshot());
        } catch (error) {
          this.options.logger?.warn(
            `Management cluster ${this.managementCluster.name}: applying a change failed: ${error}`,
          );
        } finally {
          this.emitting = undefined;
          if (this.emitAgain) {
            this.emitAgain = false;
            this.scheduleEmit(this.options.coalesceMs);
          }
        }
      })();
    }, delayMs);
  }
}
