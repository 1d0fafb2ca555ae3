import { findFreeCidr } from '@clusterdeck/plugin-aws-clusters-common';
import type {
  ClusterdeckConfig,
  ConfiguredCidrPool,
} from '@clusterdeck/plugin-aws-clusters-node';
import {
  Attachment,
  CidrAllocation,
  ClusterdeckDatabase,
  StoredClusterRequest,
} from '../database/ClusterdeckDatabase';
import type { FleetModel } from '../fleet/buildFleetModel';

const HOUR_MS = 3_600_000;

/** @public An owner holds as many unattached reservations of a pool as it may. */
export class ReservationQuotaError extends Error {
  name = 'ReservationQuotaError';
}

/** @public Blocks of a pool one cluster holds that count as used by it, unless configured. */
export const DEFAULT_MAX_PER_CLUSTER = 2;
/** @public Hours a requested cluster that is never reported holds its blocks, unless configured. */
export const DEFAULT_REQUEST_EXPIRY_HOURS = 24 * 7;

/** A cluster reservations may be attached to: its owner, and whether the fleet reports it or it is only requested. */
export interface AttachableCluster {
  owner: string;
  attachment: Attachment;
}

/** Clusters reservations may be attached to, by reference. */
export type AttachableClusters = ReadonlyMap<string, AttachableCluster>;

/**
 * Reservations of CIDR blocks and their limits. A reservation is *attached* while the cluster it
 * names is requested or reported by the fleet *for the reservation's owner*, and only the first
 * few reservations of a pool per cluster are. An owner may hold only a few unattached ones per
 * pool, unattached ones expire, requested clusters that are never reported stop holding blocks,
 * and those of clusters gone from the fleet are released after a grace period, so that no team
 * can drain a shared pool. A reservation naming another owner's cluster or one that does not exist
 * is treated exactly like one naming no cluster, so that answers never tell whether it exists.
 */
export class CidrReservations {
  private constructor(
    private readonly db: ClusterdeckDatabase,
    private readonly config: Pick<
      ClusterdeckConfig,
      'cidrPools' | 'cidrReservations'
    >,
  ) {}

  static create(options: {
    db: ClusterdeckDatabase;
    config: Pick<ClusterdeckConfig, 'cidrPools' | 'cidrReservations'>;
  }) {
    return new CidrReservations(options.db, options.config);
  }

  /**
   * The clusters reservations may be attached to, with their owners: reported ones, and
   * requests younger than `requestExpiryHours` that no management cluster reports yet.
   */
  attachableClusters(
    model: FleetModel,
    requests: ReadonlyArray<
      Pick<StoredClusterRequest, 'ref' | 'owner' | 'createdAt' | 'reportedAt'>
    >,
    now = new Date(),
  ): AttachableClusters {
    const hours =
      this.config.cidrReservations.requestExpiryHours ??
      DEFAULT_REQUEST_EXPIRY_HOURS;
    const since = now.getTime() - hours * HOUR_MS;
    const clusters = new Map<string, AttachableCluster>();
    for (const r of requests) {
      if (!r.reportedAt && Date.parse(r.createdAt) >= since)
        clusters.set(r.ref, { owner: r.owner, attachment: 'requested' });
    }
    for (const [ref, cluster] of model.byRef) {
      if (cluster.owner)
        clusters.set(ref, { owner: cluster.owner, attachment: 'reported' });
    }
    return clusters;
  }

  capOf(pool: ConfiguredCidrPool): number {
    return (
      pool.maxUnattachedPerOwner ??
      this.config.cidrReservations.maxUnattachedPerOwner
    );
  }

  /** How many blocks of the pool one cluster holds that count as used by it. */
  perClusterOf(pool: Pick<ConfiguredCidrPool, 'maxPerCluster'> | undefined) {
    return (
      pool?.maxPerCluster ??
      this.config.cidrReservations.maxPerCluster ??
      DEFAULT_MAX_PER_CLUSTER
    );
  }

  /**
   * Which reservations are attached, and how: those naming a cluster of their own owner, the
   * oldest {@link perClusterOf} per pool and cluster. `allocations` are oldest first.
   */
  attached(
    allocations: ReadonlyArray<CidrAllocation>,
    clusters: AttachableClusters,
  ): Map<string, Attachment> {
    const attached = new Map<string, Attachment>();
    const held = new Map<string, number>();
    for (const a of allocations) {
      const cluster = a.cluster ? clusters.get(a.cluster) : undefined;
      if (!cluster || cluster.owner !== a.owner) continue;
      const key = `${a.pool}\n${a.cluster}`;
      const count = held.get(key) ?? 0;
      const pool = this.config.cidrPools.find(p => p.name === a.pool);
      if (count >= this.perClusterOf(pool)) continue;
      held.set(key, count + 1);
      attached.set(a.id, cluster.attachment);
    }
    return attached;
  }

  /** When a reservation is released unless a cluster uses it by then; undefined while attached. */
  releasedAfter(
    allocation: CidrAllocation,
    attached: ReadonlyMap<string, Attachment>,
  ): string | undefined {
    if (attached.has(allocation.id)) return undefined;
    const { unattachedExpiryHours, releaseAfterGoneHours } =
      this.config.cidrReservations;
    const from = allocation.attachedAt ?? allocation.createdAt;
    const hours = allocation.attachedAt
      ? releaseAfterGoneHours
      : unattachedExpiryHours;
    return new Date(Date.parse(from) + hours * HOUR_MS).toISOString();
  }

  /**
   * Reserves a block of a pool for an owner, unless the owner holds its cap of unattached
   * reservations of that pool. The cap is checked again after the insert, so that concurrent
   * reservations can never end above it (a loser gives its block back and is refused). The
   * refusal is the same whichever cluster the reservation names.
   */
  async reserve(
    input: {
      pool: ConfiguredCidrPool;
      owner: string;
      cluster?: string;
      createdBy: string;
    },
    clusters: AttachableClusters,
    inUse: string[],
  ): Promise<CidrAllocation> {
    const { pool, owner } = input;
    const cap = this.capOf(pool);
    const unattached = async () => {
      const all = await this.db.listAllocations(pool.name);
      const attached = this.attached(all, clusters);
      return all.filter(a => a.owner === owner && !attached.has(a.id));
    };
    const refuse = (held: CidrAllocation[]) =>
      new ReservationQuotaError(
        `${owner} already holds ${held.length} reservations of the pool ${pool.name} that no requested or reported cluster of ${owner} uses ` +
          `(at most ${cap}; a cluster uses at most ${this.perClusterOf(
            pool,
          )} blocks of the pool). Release one with DELETE /api/aws-clusters/cidr-allocations/<id> (${held
            .slice(0, 5)
            .map(a => `${a.id}: ${a.cidr}`)
            .join(
              ', ',
            )}), request the cluster it was reserved for, or wait until it expires ` +
          `${this.config.cidrReservations.unattachedExpiryHours} hours after it was made.`,
      );
    // A reservation for a cluster of the owner's that holds fewer blocks than it may counts against nothing.
    const cluster = input.cluster ? clusters.get(input.cluster) : undefined;
    const mayAttach = async () => {
      if (!cluster || cluster.owner !== owner) return false;
      const all = await this.db.listAllocations(pool.name);
      const attached = this.attached(all, clusters);
      const ofCluster = all.filter(
        a => a.cluster === input.cluster && attached.has(a.id),
      );
      return ofCluster.length < this.perClusterOf(pool);
    };
    if (!(await mayAttach())) {
      const held = await unattached();
      if (held.length >= cap) throw refuse(held);
    }
    const allocation = await this.db.allocate(
      {
        pool: pool.name,
        cluster: input.cluster,
        owner,
        createdBy: input.createdBy,
      },
      taken => findFreeCidr(pool.cidr, pool.prefixLength, [...taken, ...inUse]),
    );
    const held = await unattached();
    if (held.length > cap) {
      // Of the reservations over the cap, the newest ones give way: keep the cap's oldest.
      const over = held.slice(cap).map(a => a.id);
      if (over.includes(allocation.id)) {
        await this.db.release(allocation.id);
        throw refuse(held.filter(a => a.id !== allocation.id));
      }
    }
    return allocation;
  }

  /** Releases expired reservations and those of clusters gone for longer than the grace period. */
  async reclaim(
    clusters: AttachableClusters,
    now = new Date(),
  ): Promise<CidrAllocation[]> {
    const { unattachedExpiryHours, releaseAfterGoneHours } =
      this.config.cidrReservations;
    return this.db.reclaim({
      attached: allocations => this.attached(allocations, clusters),
      now: now.toISOString(),
      unattachedBefore: new Date(
        now.getTime() - unattachedExpiryHours * HOUR_MS,
      ).toISOString(),
      goneBefore: new Date(
        now.getTime() - releaseAfterGoneHours * HOUR_MS,
      ).toISOString(),
    });
  }
}
