import { LoggerService } from '@backstage/backend-plugin-api';
import type { SourceStatus } from '@clusterdeck/plugin-aws-clusters-common';
import type {
  ClusterdeckConfig,
  FleetSnapshot,
  FleetSource,
} from '@clusterdeck/plugin-aws-clusters-node';
import { buildFleetModel, FleetModel } from '../fleet/buildFleetModel';
import { ClusterdeckDatabase } from '../database/ClusterdeckDatabase';
import { mergeSnapshots } from './mergeStale';

const SNAPSHOT_KEY = 'fleet';

interface StoredFleet {
  snapshot: FleetSnapshot;
  statuses: SourceStatus[];
  refresh: RefreshReport;
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
    this.install({ snapshot, statuses, refresh });
    const updatedAt = new Date().toISOString();
    try {
      await this.db.saveSnapshot(SNAPSHOT_KEY, this.raw, updatedAt);
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

  /** Loads the stored fleet if another replica (or an earlier run) stored a newer one. */
  async loadStored(): Promise<boolean> {
    const stored = await this.db.loadSnapshot<StoredFleet>(
      SNAPSHOT_KEY,
      this.loadedAt,
    );
    if (!stored) return false;
    this.install(stored.data);
    this.loadedAt = stored.updatedAt;
    return true;
  }

  private install(raw: StoredFleet) {
    this.raw = raw;
    this.model = buildFleetModel(raw.snapshot, this.config, raw.statuses);
  }
}
