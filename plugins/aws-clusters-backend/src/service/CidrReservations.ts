import { findFreeCidr } from '@clusterdeck/plugin-aws-clusters-common';
import type {
  ClusterdeckConfig,
  ConfiguredCidrPool,
} from '@clusterdeck/plugin-aws-clusters-node';
import {
  CidrAllocation,
  ClusterdeckDatabase,
} from '../database/ClusterdeckDatabase';
import type { FleetModel } from '../fleet/buildFleetModel';

const HOUR_MS = 3_600_000;

/** @public An owner holds as many unattached reservations of a pool as it may. */
export class ReservationQuotaError extends Error {
  name = 'ReservationQuotaError';
}

/**
 * Reservations of CIDR blocks and their limits. A reservation is *attached* while its cluster
 * is requested or reported by the fleet. An owner may hold only a few unattached ones per pool,
 * unattached ones expire, and those of clusters gone from the fleet are released after a grace
 * period, so that no team can drain a shared pool.
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

  /** The clusters reservations may be attached to: reported ones and pending requests. */
  static attachedClusters(
    model: FleetModel,
    requestRefs: Iterable<string>,
  ): Set<string> {
    return new Set([...model.byRef.keys(), ...requestRefs]);
  }

  capOf(pool: ConfiguredCidrPool): number {
    return (
      pool.maxUnattachedPerOwner ??
      this.config.cidrReservations.maxUnattachedPerOwner
    );
  }

  /** When a reservation is released unless a cluster uses it by then; undefined while attached. */
  releasedAfter(
    allocation: CidrAllocation,
    attached: ReadonlySet<string>,
  ): string | undefined {
    if (allocation.cluster && attached.has(allocation.cluster))
      return undefined;
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
   * reservations can never end above it (a loser gives its block back and is refused).
   */
  async reserve(
    input: {
      pool: ConfiguredCidrPool;
      owner: string;
      cluster?: string;
      createdBy: string;
    },
    attached: ReadonlySet<string>,
    inUse: string[],
  ): Promise<CidrAllocation> {
    const { pool, owner } = input;
    const cap = this.capOf(pool);
    const unattached = async () =>
      (await this.db.listAllocations(pool.name)).filter(
        a => a.owner === owner && !(a.cluster && attached.has(a.cluster)),
      );
    const refuse = (held: CidrAllocation[]) =>
      new ReservationQuotaError(
        `${owner} already holds ${held.length} reservations of the pool ${pool.name} that no requested or reported cluster uses ` +
          `(at most ${cap}). Release one with DELETE /api/aws-clusters/cidr-allocations/<id> (${held
            .slice(0, 5)
            .map(a => `${a.id}: ${a.cidr}`)
            .join(
              ', ',
            )}), request the cluster it was reserved for, or wait until it expires ` +
          `${this.config.cidrReservations.unattachedExpiryHours} hours after it was made.`,
      );
    // A reservation for a cluster already requested or reported counts against nothing.
    const counts = !(input.cluster && attached.has(input.cluster));
    if (counts) {
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
    if (counts) {
      const held = await unattached();
      if (held.length > cap) {
        // Of the reservations over the cap, the newest ones give way: keep the cap's oldest.
        const keep = new Set(held.slice(0, cap).map(a => a.id));
        if (!keep.has(allocation.id)) {
          await this.db.release(allocation.id);
          throw refuse(held.filter(a => a.id !== allocation.id));
        }
      }
    }
    return allocation;
  }

  /** Releases expired reservations and those of clusters gone for longer than the grace period. */
  async reclaim(
    attached: ReadonlySet<string>,
    now = new Date(),
  ): Promise<CidrAllocation[]> {
    const { unattachedExpiryHours, releaseAfterGoneHours } =
      this.config.cidrReservations;
    return this.db.reclaim({
      attachedClusters: attached,
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
