import type { LoggerService } from '@backstage/backend-plugin-api';
import { randomUUID } from 'node:crypto';
import type { ClusterdeckDatabase } from '../database/ClusterdeckDatabase';
import type { KubernetesCollector } from '../sources/kubernetes/KubernetesCollector';
import type { FleetService } from './FleetService';

const LEASE = 'aws-clusters:watch';

/**
 * Runs the management-cluster watches on one replica: the one holding a lease row in the
 * plugin's database, renewed every `renewMs` and lost when not renewed within `ttlMs`. The holder
 * applies each change to its model and stores the management cluster's state; the other replicas
 * load it (FleetService.loadStored) and, while the holder lives, collect it instead of listing.
 * Polling by the scheduled refresh remains the fallback (and the only source for AWS).
 */
export class FleetWatch {
  readonly holder = randomUUID();
  private holding = false;
  private heldElsewhere = false;
  private timer?: NodeJS.Timeout;
  private ticking?: Promise<void>;

  constructor(
    private readonly options: {
      fleet: FleetService;
      db: ClusterdeckDatabase;
      collector: KubernetesCollector;
      logger: LoggerService;
      ttlMs?: number;
      renewMs?: number;
    },
  ) {
    options.collector.watchedElsewhere = name =>
      this.heldElsewhere ? options.fleet.watchedSnapshot(name, 0) : undefined;
  }

  /** Whether this replica watches now. */
  get watching(): boolean {
    return this.holding;
  }

  /** Takes part in the lease and watches while holding it. */
  start(): this {
    const renewMs = this.options.renewMs ?? 5_000;
    const tick = () => {
      this.ticking = this.tick().finally(() => {
        this.timer = setTimeout(tick, renewMs);
        this.timer.unref?.();
      });
    };
    tick();
    return this;
  }

  /** Stops watching and gives the lease up, so another replica takes over at once. */
  async stop(): Promise<void> {
    if (this.timer) clearTimeout(this.timer);
    await this.ticking;
    if (this.holding) {
      this.holding = false;
      await this.options.collector.stopWatching();
      await this.options.db
        .releaseLease(LEASE, this.holder)
        .catch(() => undefined);
    }
  }

  private async tick() {
    const { db, collector, fleet, logger } = this.options;
    let held: boolean;
    try {
      held = await db.acquireLease(
        LEASE,
        this.holder,
        this.options.ttlMs ?? 15_000,
      );
      this.heldElsewhere = !held && Boolean(await db.leaseHolder(LEASE));
    } catch (error) {
      // Without the database nobody can tell who watches: stop, and let polling serve.
      logger.warn(`Could not renew the watch lease: ${error}`);
      held = false;
      this.heldElsewhere = false;
    }
    if (held && !this.holding) {
      this.holding = true;
      logger.info('This replica watches the management clusters');
      collector.startWatching({
        logger,
        onUpdate: snapshot =>
          fleet
            .applyManagementCluster(snapshot, { store: true })
            .then(() => undefined),
      });
    } else if (!held && this.holding) {
      this.holding = false;
      logger.info('Another replica watches the management clusters now');
      await collector.stopWatching();
    }
  }
}
