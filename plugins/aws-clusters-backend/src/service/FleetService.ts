import { LoggerService } from '@backstage/backend-plugin-api';
import type { SourceStatus } from '@clusterdeck/plugin-aws-clusters-common';
import type {
  ClusterdeckConfig,
  FleetSnapshot,
  FleetSource,
  ManagementClusterSnapshot,
} from '@clusterdeck/plugin-aws-clusters-node';
import { buildFleetModel, FleetModel } from '../fleet/buildFleetModel';
import { ClusterdeckDatabase } from '../database/ClusterdeckDatabase';
import { mergeSnapshots } from './mergeStale';

/** The stored fleet's row: its statuses, its last refresh and how many parts hold its snapshot. */
const SNAPSHOT_KEY = 'fleet';
/** Rows of the stored fleet's snapshot, `fleet-part:<n>`. */
const PART_PREFIX = 'fleet-part:';
/**
 * Account regions per stored part. The snapshot of 10,000 clusters is longer as JSON than the
 * longest string V8 makes (about 512 MiB): it is stored in parts of a few tens of MiB, and each
 * management cluster in a part of its own.
 */
const REGIONS_PER_PART = 250;
/** Rows of management clusters the watching replica stored since the last refresh. */
const WATCHED_PREFIX = 'mc:';

/** @public A change of the fleet model: the clusters whose objects or status changed. */
export interface FleetChange {
  refs: string[];
  model: FleetModel;
  /** `watch` for a management cluster's change, `refresh` for a whole refresh, `reload` from another replica. */
  cause: 'watch' | 'refresh' | 'reload';
}

const rv = (o: { metadata: object } | undefined) =>
  (o?.metadata as { resourceVersion?: string } | undefined)?.resourceVersion;

/** What decides whether a cluster changed: its objects' versions, status and pool figures. */
function signature(record: FleetModel['clusters'][number]): string {
  return JSON.stringify([
    rv(record.cluster),
    record.cluster.status,
    rv(record.infrastructure),
    record.infrastructure?.status?.conditions,
    record.status,
    record.statusReason,
    record.pools.map(p => [
      rv(p.machinePool),
      p.machinePool.status,
      p.infrastructure?.status?.conditions,
      p.state.desired,
      p.state.ready,
    ]),
  ]);
}

/** Each record's signature, made once: a model is compared as the new one, then as the old. */
const signatures = new WeakMap<FleetModel['clusters'][number], string>();
function signatureOf(record: FleetModel['clusters'][number]): string {
  let made = signatures.get(record);
  if (made === undefined) {
    made = signature(record);
    signatures.set(record, made);
  }
  return made;
}

/** The refs that differ between two models: added, removed or changed. */
export function changedRefs(before: FleetModel, after: FleetModel): string[] {
  const changed: string[] = [];
  for (const record of after.clusters) {
    const old = before.byRef.get(record.ref);
    if (!old || signatureOf(old) !== signatureOf(record))
      changed.push(record.ref);
  }
  for (const record of before.clusters)
    if (!after.byRef.has(record.ref)) changed.push(record.ref);
  return changed;
}

interface StoredFleet {
  snapshot: FleetSnapshot;
  statuses: SourceStatus[];
  refresh: RefreshReport;
}

/** The fleet's row: a stored fleet without its snapshot, which its parts hold. */
interface StoredManifest extends Omit<StoredFleet, 'snapshot'> {
  /** The write the parts belong to (its time). */
  generation: string;
  parts: number;
}

/** One part of a stored fleet's snapshot. */
interface StoredPart extends FleetSnapshot {
  generation: string;
  index: number;
}

/** The stored fleet in parts, none too long for one string. */
function partsOf(snapshot: FleetSnapshot, generation: string): StoredPart[] {
  const parts: StoredPart[] = [];
  for (let i = 0; i < snapshot.aws.length; i += REGIONS_PER_PART)
    parts.push({
      generation,
      index: parts.length,
      aws: snapshot.aws.slice(i, i + REGIONS_PER_PART),
      managementClusters: [],
    });
  for (const mc of snapshot.managementClusters)
    parts.push({
      generation,
      index: parts.length,
      aws: [],
      managementClusters: [mc],
    });
  return parts;
}

/** How the last refresh went. */
export interface RefreshReport {
  startedAt: string;
  durationMs: number;
  sources: Array<{ name: string; durationMs: number; error?: string }>;
}

/**
 * Holds the joined fleet in memory. A refresh collects every source, serves the last good data
 * where a source failed, and stores the raw result so that a restart or another replica serves
 * it at once. Requests only ever read memory.
 */
export class FleetService {
  private model: FleetModel;
  private raw?: StoredFleet;
  private loadedAt?: string;
  private watchedLoadedAt?: string;
  private readonly listeners = new Set<(change: FleetChange) => void>();
  /** Management clusters as the watching replica last stored them, by name. */
  private readonly watched = new Map<
    string,
    { snapshot: ManagementClusterSnapshot; at: string }
  >();

  private constructor(
    private readonly config: ClusterdeckConfig,
    private readonly sources: FleetSource[],
    private readonly db: ClusterdeckDatabase,
    private readonly logger: LoggerService,
  ) {
    this.model = buildFleetModel(
      { aws: [], managementClusters: [] },
      config,
      [],
    );
  }

  static create(options: {
    config: ClusterdeckConfig;
    sources: FleetSource[];
    db: ClusterdeckDatabase;
    logger: LoggerService;
  }) {
    return new FleetService(
      options.config,
      options.sources,
      options.db,
      options.logger,
    );
  }

  /** The sources a refresh collects. */
  get sourceList(): readonly FleetSource[] {
    return this.sources;
  }

  /** Calls `listener` after every change of the model with the refs that changed. */
  onChange(listener: (change: FleetChange) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /**
   * Applies a watched management cluster's current state: the model is joined again with it in
   * place of the management cluster's previous state, and stored (when `store`) so that other
   * replicas apply it too. A snapshot with errors keeps the objects it carries and marks the
   * management cluster's clusters stale with the reason.
   */
  async applyManagementCluster(
    snapshot: ManagementClusterSnapshot,
    options: { store: boolean; cause?: FleetChange['cause'] } = {
      store: true,
    },
  ): Promise<string[]> {
    const raw = this.raw ?? {
      snapshot: { aws: [], managementClusters: [] },
      statuses: [],
      refresh: { startedAt: snapshot.fetchedAt, durationMs: 0, sources: [] },
    };
    const source = `kubernetes:${snapshot.name}`;
    const previous = raw.snapshot.managementClusters.find(
      m => m.name === snapshot.name,
    );
    const merged = mergeSnapshots(
      { aws: [], managementClusters: [snapshot] },
      previous ? { aws: [], managementClusters: [previous] } : undefined,
    );
    const next: StoredFleet = {
      ...raw,
      snapshot: {
        aws: raw.snapshot.aws,
        managementClusters: [
          ...raw.snapshot.managementClusters.filter(
            m => m.name !== snapshot.name,
          ),
          merged.snapshot.managementClusters[0],
        ],
      },
      statuses: [
        ...raw.statuses.filter(s => s.source !== source),
        ...merged.statuses,
      ],
    };
    const at = new Date().toISOString();
    this.watched.set(snapshot.name, { snapshot, at });
    const refs = this.install(next, options.cause ?? 'watch');
    if (options.store) {
      try {
        await this.db.saveSnapshot(
          `${WATCHED_PREFIX}${snapshot.name}`,
          snapshot,
          at,
        );
      } catch (error) {
        this.logger.warn(
          `Could not store management cluster ${snapshot.name}: ${
            (error as Error).message
          }`,
        );
      }
    }
    return refs;
  }

  /** A management cluster as the watching replica stored it, when stored since `notBefore`. */
  watchedSnapshot(
    name: string,
    notBefore: number,
  ): ManagementClusterSnapshot | undefined {
    const entry = this.watched.get(name);
    return entry && Date.parse(entry.at) >= notBefore
      ? entry.snapshot
      : undefined;
  }

  /** The fleet as last joined. */
  current(): FleetModel {
    return this.model;
  }

  /** The raw state the current model was joined from. */
  snapshot(): FleetSnapshot {
    return this.raw?.snapshot ?? { aws: [], managementClusters: [] };
  }

  /** How the last refresh went, and how fresh each source is. */
  health(): {
    refresh?: RefreshReport;
    sources: SourceStatus[];
    loadedAt?: string;
  } {
    return {
      refresh: this.raw?.refresh,
      sources: this.model.sources,
      loadedAt: this.loadedAt,
    };
  }

  /** Collects every source and joins the result. Never throws for a failing source. */
  async refresh(signal?: AbortSignal): Promise<RefreshReport> {
    const started = Date.now();
    const collected: FleetSnapshot = { aws: [], managementClusters: [] };
    const sources = await Promise.all(
      this.sources.map(async source => {
        const t0 = Date.now();
        try {
          const part = await source.collect({ signal });
          collected.aws.push(...(part.aws ?? []));
          collected.managementClusters.push(...(part.managementClusters ?? []));
          return { name: source.name, durationMs: Date.now() - t0 };
        } catch (error) {
          this.logger.warn(
            `Source ${source.name} failed: ${(error as Error).message}`,
          );
          return {
            name: source.name,
            durationMs: Date.now() - t0,
            error: (error as Error).message,
          };
        }
      }),
    );
    // A source that failed outright keeps its whole previous contribution.
    const failed = new Set(sources.filter(s => s.error).map(s => s.name));
    if (failed.size > 0 && this.raw) {
      const seenAws = new Set(
        collected.aws.map(s => `${s.accountId}/${s.region}`),
      );
      const seenMcs = new Set(collected.managementClusters.map(s => s.name));
      collected.aws.push(
        ...this.raw.snapshot.aws.filter(
          s => !seenAws.has(`${s.accountId}/${s.region}`),
        ),
      );
      collected.managementClusters.push(
        ...this.raw.snapshot.managementClusters.filter(
          s => !seenMcs.has(s.name),
        ),
      );
    }
    const { snapshot, statuses } = mergeSnapshots(
      collected,
      this.raw?.snapshot,
    );
    for (const s of sources.filter(x => x.error)) {
      statuses.push({ source: s.name, error: s.error, stale: true });
    }
    const refresh: RefreshReport = {
      startedAt: new Date(started).toISOString(),
      durationMs: Date.now() - started,
      sources,
    };
    this.install({ snapshot, statuses, refresh }, 'refresh');
    const updatedAt = new Date().toISOString();
    try {
      await this.store(this.raw!, updatedAt);
      this.loadedAt = updatedAt;
    } catch (error) {
      this.logger.warn(
        `Could not store the fleet snapshot: ${(error as Error).message}`,
      );
    }
    this.logger.info(
      `Fleet refreshed in ${refresh.durationMs} ms: ${
        this.model.clusters.length
      } clusters, ${statuses.filter(s => s.stale).length} stale sources`,
    );
    return refresh;
  }

  /** Stores the fleet: its parts first, then the row that names them, so that a reader never sees half. */
  private async store(raw: StoredFleet, updatedAt: string) {
    const parts = partsOf(raw.snapshot, updatedAt);
    for (const part of parts)
      await this.db.saveSnapshot(
        `${PART_PREFIX}${part.index}`,
        part,
        updatedAt,
      );
    const manifest: StoredManifest = {
      statuses: raw.statuses,
      refresh: raw.refresh,
      generation: updatedAt,
      parts: parts.length,
    };
    await this.db.saveSnapshot(SNAPSHOT_KEY, manifest, updatedAt);
  }

  /**
   * The stored fleet, if newer than the one held: the fleet's row, then its parts. Undefined too
   * while another replica is writing a newer one over the parts (the next reload reads it).
   */
  private async loadNewer(): Promise<
    { fleet: StoredFleet; updatedAt: string } | undefined
  > {
    const stored = await this.db.loadSnapshot<StoredManifest | StoredFleet>(
      SNAPSHOT_KEY,
      this.loadedAt,
    );
    if (!stored) return undefined;
    // A fleet stored in one row, as before parts.
    if ('snapshot' in stored.data)
      return { fleet: stored.data, updatedAt: stored.updatedAt };
    const { generation, parts, ...rest } = stored.data;
    // One part at a time, so that parsing them holds the event loop a part's length at most.
    const mine: StoredPart[] = [];
    for (let index = 0; index < parts; index++) {
      const part = await this.db.loadSnapshot<StoredPart>(
        `${PART_PREFIX}${index}`,
      );
      if (part?.data.generation !== generation) return undefined;
      mine.push(part.data);
    }
    return {
      fleet: {
        ...rest,
        snapshot: {
          aws: mine.flatMap(p => p.aws),
          managementClusters: mine.flatMap(p => p.managementClusters),
        },
      },
      updatedAt: stored.updatedAt,
    };
  }

  /** Loads the stored fleet if another replica (or an earlier run) stored a newer one. */
  async loadStored(): Promise<boolean> {
    const stored = await this.loadNewer();
    if (stored) {
      this.install(stored.fleet, 'reload');
      this.loadedAt = stored.updatedAt;
    }
    // Then what the watching replica stored since: newer than the fleet it refreshed.
    const since = [this.watchedLoadedAt, this.loadedAt]
      .filter((t): t is string => Boolean(t))
      .sort()
      .pop();
    const watched =
      await this.db.loadSnapshotsByPrefix<ManagementClusterSnapshot>(
        WATCHED_PREFIX,
        since,
      );
    for (const row of watched.sort((a, b) =>
      a.updatedAt.localeCompare(b.updatedAt),
    )) {
      await this.applyManagementCluster(row.data, {
        store: false,
        cause: 'reload',
      });
      this.watched.set(row.data.name, {
        snapshot: row.data,
        at: row.updatedAt,
      });
      this.watchedLoadedAt = row.updatedAt;
    }
    return Boolean(stored) || watched.length > 0;
  }

  private install(raw: StoredFleet, cause: FleetChange['cause']): string[] {
    const before = this.model;
    this.raw = raw;
    this.model = buildFleetModel(raw.snapshot, this.config, raw.statuses);
    const refs = changedRefs(before, this.model);
    if (refs.length > 0 && this.listeners.size > 0) {
      const change = { refs, model: this.model, cause };
      for (const listener of this.listeners) {
        try {
          listener(change);
        } catch (error) {
          this.logger.warn(`A fleet change listener failed: ${error}`);
        }
      }
    }
    return refs;
  }
}
