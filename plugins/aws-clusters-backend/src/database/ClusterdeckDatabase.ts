import type { DatabaseService } from '@backstage/backend-plugin-api';
import { ConflictError, NotFoundError } from '@backstage/errors';
import type { CidrAllocationView } from '@clusterdeck/plugin-aws-clusters-common';
import { Knex } from 'knex';
import { randomUUID } from 'node:crypto';
import { resolvePackagePath } from '@backstage/backend-plugin-api';

const MIGRATIONS_TABLE = 'aws_clusters__knex_migrations';

function migrationsDirectory(): string {
  return resolvePackagePath(
    '@clusterdeck/plugin-aws-clusters-backend',
    'migrations',
  );
}

/**
 * Applies every migration not applied yet. Replicas starting together race to create knex's own
 * bookkeeping tables (on PostgreSQL the loser fails on a unique index of pg_type) and then to
 * take its lock: the loser tries again once the winner is done.
 */
export async function migrateUp(knex: Knex, attempts = 20): Promise<void> {
  for (let attempt = 1; ; attempt++) {
    try {
      await knex.migrate.latest({
        directory: migrationsDirectory(),
        tableName: MIGRATIONS_TABLE,
      });
      return;
    } catch (error) {
      const racing =
        isUniqueViolation(error) ||
        /already exists|already locked/i.test(
          String((error as Error)?.message),
        );
      if (!racing || attempt >= attempts) throw error;
      await new Promise(resolve => setTimeout(resolve, 100 * attempt));
    }
  }
}

/** The advisory lock replicas of this plugin take, one at a time, for work they must not do together. */
const REPLICA_LOCK = 0x636c7573; // 'clus'

/**
 * Runs `work` while holding a PostgreSQL advisory lock, so that replicas starting together do it
 * one after the other; elsewhere (SQLite: one process) just runs it. Backstage's scheduler creates
 * its tables on a plugin's first global task, and two replicas creating them at once fail on
 * PostgreSQL (a unique index of pg_type) with the failure kept for good.
 */
export async function oneReplicaAtATime<T>(
  knex: Knex,
  work: () => Promise<T>,
): Promise<T> {
  if (!/^(pg|postgres)/.test(String(knex.client.config.client))) return work();
  return knex.transaction(async trx => {
    await trx.raw('select pg_advisory_xact_lock(?)', [REPLICA_LOCK]);
    return work();
  });
}

/** Reverts every migration (tests of the down migrations). */
export async function migrateDownAll(knex: Knex): Promise<void> {
  await knex.migrate.rollback(
    { directory: migrationsDirectory(), tableName: MIGRATIONS_TABLE },
    true,
  );
}

const SNAPSHOTS = 'aws_clusters_snapshots';
const ALLOCATIONS = 'aws_clusters_cidr_allocations';
const REQUESTS = 'aws_clusters_cluster_requests';
const LEASES = 'aws_clusters_leases';
const NOTIFICATIONS = 'aws_clusters_notifications';

/** A cluster requested through a template that its management cluster has not reported yet. */
export interface StoredClusterRequest {
  /** `<managementCluster>/<namespace>/<name>`. */
  ref: string;
  owner: string;
  /** The validated ClusterRequest, with defaults applied. */
  request: unknown;
  createdBy: string;
  createdAt: string;
  /** The GitOps branch the change was proposed on. */
  branch?: string;
  /** The pull request or change that carries it. */
  changeUrl?: string;
  /** When its management cluster first reported the cluster; the record stays for its timeline. */
  reportedAt?: string;
}

/** A notification sent and not yet resolved, for one cluster and kind. */
export interface SentNotification {
  ref: string;
  kind: string;
  sentAt: string;
  /** What the notification was about (e.g. the step that was stuck), to see when it changes. */
  state?: string;
}

/** A reserved CIDR block. */
export type CidrAllocation = CidrAllocationView;

/** How a reservation is attached: to a cluster the fleet reports, or to one only requested. */
export type Attachment = 'reported' | 'requested';

function isUniqueViolation(error: unknown): boolean {
  const e = error as { code?: string; message?: string };
  return (
    e?.code === '23505' ||
    e?.code === 'SQLITE_CONSTRAINT_UNIQUE' ||
    /UNIQUE constraint failed/.test(e?.message ?? '')
  );
}

/** What the plugin keeps in its database: the last good raw fleet, CIDR allocations and requested clusters. */
export class ClusterdeckDatabase {
  private constructor(private readonly knex: Knex) {}

  /** Connects and brings the tables up to date (unless the backend skips migrations). */
  static async create(
    database: Pick<DatabaseService, 'getClient'> & {
      migrations?: { skip?: boolean };
    },
  ): Promise<ClusterdeckDatabase> {
    const knex = await database.getClient();
    if (!database.migrations?.skip) await migrateUp(knex);
    return new ClusterdeckDatabase(knex);
  }

  /** Records a requested cluster; a second request for the same cluster is a ConflictError. */
  async saveRequest(request: StoredClusterRequest): Promise<void> {
    try {
      await this.knex(REQUESTS).insert({
        ref: request.ref,
        owner: request.owner,
        request: JSON.stringify(request.request),
        created_by: request.createdBy,
        created_at: request.createdAt,
        branch: request.branch ?? null,
        change_url: request.changeUrl ?? null,
      });
    } catch (error) {
      if (isUniqueViolation(error))
        throw new ConflictError(
          `cluster ${request.ref} has already been requested`,
        );
      throw error;
    }
  }

  /** Every requested cluster, oldest first. */
  async listRequests(): Promise<StoredClusterRequest[]> {
    const rows = await this.knex(REQUESTS).orderBy('created_at');
    return rows.map(row => ({
      ref: row.ref,
      owner: row.owner,
      request: JSON.parse(row.request),
      createdBy: row.created_by,
      createdAt: row.created_at,
      ...(row.branch ? { branch: row.branch } : {}),
      ...(row.change_url ? { changeUrl: row.change_url } : {}),
      ...(row.reported_at ? { reportedAt: row.reported_at } : {}),
    }));
  }

  /** Marks requested clusters as reported by their management cluster. */
  async markRequestsReported(refs: string[], at: string): Promise<number> {
    let marked = 0;
    for (let i = 0; i < refs.length; i += 500) {
      marked += await this.knex(REQUESTS)
        .whereIn('ref', refs.slice(i, i + 500))
        .whereNull('reported_at')
        .update({ reported_at: at });
    }
    return marked;
  }

  /**
   * Takes or renews a lease for `ttlMs` when it is free, expired or already this holder's.
   * Returns whether the holder has it now.
   */
  async acquireLease(
    name: string,
    holder: string,
    ttlMs: number,
    now = Date.now(),
  ): Promise<boolean> {
    const expiresAt = now + ttlMs;
    const updated = await this.knex(LEASES)
      .where({ name })
      .andWhere(q => q.where({ holder }).orWhere('expires_at', '<', now))
      .update({ holder, expires_at: expiresAt });
    if (updated > 0) return true;
    try {
      await this.knex(LEASES).insert({ name, holder, expires_at: expiresAt });
      return true;
    } catch (error) {
      if (isUniqueViolation(error) || /duplicate key/i.test(String(error)))
        return false;
      throw error;
    }
  }

  /** Gives a lease up, if this holder has it. */
  async releaseLease(name: string, holder: string): Promise<void> {
    await this.knex(LEASES).where({ name, holder }).delete();
  }

  /** Who holds a lease that has not expired. */
  async leaseHolder(
    name: string,
    now = Date.now(),
  ): Promise<string | undefined> {
    const row = await this.knex(LEASES)
      .where({ name })
      .andWhere('expires_at', '>=', now)
      .first();
    return row?.holder;
  }

  /** Notifications sent and not resolved yet. */
  async listSentNotifications(): Promise<SentNotification[]> {
    const rows = await this.knex(NOTIFICATIONS).select();
    return rows.map(row => ({
      ref: row.ref,
      kind: row.kind,
      sentAt: row.sent_at,
      ...(row.state !== null && row.state !== undefined
        ? { state: row.state }
        : {}),
    }));
  }

  /**
   * Records that a notification is about to be sent; false when one for the cluster and kind is
   * already recorded (by this replica or another), so that it is sent once.
   */
  async claimNotification(sent: SentNotification): Promise<boolean> {
    try {
      await this.knex(NOTIFICATIONS).insert({
        ref: sent.ref,
        kind: sent.kind,
        sent_at: sent.sentAt,
        state: sent.state ?? null,
      });
      return true;
    } catch (error) {
      if (isUniqueViolation(error) || /duplicate key/i.test(String(error)))
        return false;
      throw error;
    }
  }

  /** Forgets notifications whose matter is resolved, so that a recurrence is sent again. */
  async resolveNotifications(
    resolved: Array<{ ref: string; kind: string }>,
  ): Promise<void> {
    for (const { ref, kind } of resolved) {
      await this.knex(NOTIFICATIONS).where({ ref, kind }).delete();
    }
  }

  /** Stored raw snapshots whose key starts with `prefix`, written after `after`. */
  async loadSnapshotsByPrefix<T>(
    prefix: string,
    after?: string,
  ): Promise<Array<{ key: string; data: T; updatedAt: string }>> {
    const rows = await this.knex(SNAPSHOTS)
      .where('key', 'like', `${prefix}%`)
      .modify(q => (after ? q.where('updated_at', '>', after) : q));
    return rows.map((row: any) => ({
      key: row.key,
      data: JSON.parse(row.data) as T,
      updatedAt: row.updated_at,
    }));
  }

  /** Forgets requested clusters; returns how many there were. */
  async deleteRequests(refs: string[]): Promise<number> {
    if (refs.length === 0) return 0;
    return this.knex(REQUESTS).whereIn('ref', refs).delete();
  }

  /** Stores the raw fleet so that a restart or another replica serves at once. */
  async saveSnapshot(
    key: string,
    data: unknown,
    updatedAt: string,
  ): Promise<void> {
    await this.knex(SNAPSHOTS)
      .insert({ key, data: JSON.stringify(data), updated_at: updatedAt })
      .onConflict('key')
      .merge();
  }

  /** The stored raw fleet, if newer than `after`. */
  async loadSnapshot<T>(
    key: string,
    after?: string,
  ): Promise<{ data: T; updatedAt: string } | undefined> {
    // Only a newer row is read: replicas ask every two seconds, and the row is the whole fleet.
    const row = await this.knex(SNAPSHOTS)
      .where({ key })
      .modify(q => (after ? q.where('updated_at', '>', after) : q))
      .first();
    if (!row) return undefined;
    return { data: JSON.parse(row.data) as T, updatedAt: row.updated_at };
  }

  /** When the stored raw fleet was written. */
  async snapshotUpdatedAt(key: string): Promise<string | undefined> {
    const row = await this.knex(SNAPSHOTS)
      .where({ key })
      .select('updated_at')
      .first();
    return row?.updated_at;
  }

  /** All allocations of a pool, or of every pool. */
  async listAllocations(pool?: string): Promise<CidrAllocation[]> {
    const rows = await this.knex(ALLOCATIONS)
      .modify(q => (pool ? q.where({ pool }) : q))
      .orderBy([{ column: 'created_at' }, { column: 'id' }]);
    return rows.map(toAllocation);
  }

  /** One allocation, or a NotFoundError. */
  async getAllocation(id: string): Promise<CidrAllocation> {
    const row = await this.knex(ALLOCATIONS).where({ id }).first();
    if (!row) throw new NotFoundError(`no CIDR allocation ${id}`);
    return toAllocation(row);
  }

  /**
   * Reserves a block: `choose` picks a free block given the taken ones; a concurrent insert of
   * the same block fails the unique constraint and the choice is made again.
   */
  async allocate(
    input: { pool: string; cluster?: string; owner: string; createdBy: string },
    choose: (taken: string[]) => string | undefined,
    attempts = 50,
  ): Promise<CidrAllocation> {
    for (let attempt = 0; attempt < attempts; attempt++) {
      const taken = (await this.listAllocations(input.pool)).map(a => a.cidr);
      const cidr = choose(taken);
      if (!cidr)
        throw new ConflictError(
          `CIDR pool ${input.pool} has no free block left`,
        );
      const row = {
        id: randomUUID(),
        pool: input.pool,
        cidr,
        cluster: input.cluster ?? null,
        owner: input.owner,
        created_by: input.createdBy,
        created_at: new Date().toISOString(),
      };
      try {
        await this.knex(ALLOCATIONS).insert(row);
        return toAllocation(row);
      } catch (error) {
        if (!isUniqueViolation(error)) throw error;
      }
    }
    throw new ConflictError(
      `CIDR pool ${input.pool} is too contended; try again`,
    );
  }

  /** Releases a block. */
  async release(id: string): Promise<void> {
    const deleted = await this.knex(ALLOCATIONS).where({ id }).delete();
    if (!deleted) throw new NotFoundError(`no CIDR allocation ${id}`);
  }

  /**
   * Marks the reservations attached to a cluster the fleet reports now, then releases the
   * unattached ones: those never attached to a reported cluster once older than
   * `unattachedBefore`, and the others once last attached before `goneBefore`. `attached` tells
   * which reservations are attached (given every reservation, oldest first). Returns what was
   * released.
   */
  async reclaim(options: {
    attached: (
      allocations: CidrAllocation[],
    ) => ReadonlyMap<string, Attachment>;
    now: string;
    unattachedBefore: string;
    goneBefore: string;
  }): Promise<CidrAllocation[]> {
    const allocations = await this.listAllocations();
    const attached = options.attached(allocations);
    const reported = allocations
      .filter(a => attached.get(a.id) === 'reported')
      .map(a => a.id);
    for (let i = 0; i < reported.length; i += 500) {
      await this.knex(ALLOCATIONS)
        .whereIn('id', reported.slice(i, i + 500))
        .update({ attached_at: options.now });
    }
    const released = allocations.filter(
      a =>
        !attached.has(a.id) &&
        (a.attachedAt
          ? a.attachedAt < options.goneBefore
          : a.createdAt < options.unattachedBefore),
    );
    for (let i = 0; i < released.length; i += 500) {
      await this.knex(ALLOCATIONS)
        .whereIn(
          'id',
          released.slice(i, i + 500).map(a => a.id),
        )
        .delete();
    }
    return released;
  }
}

function toAllocation(row: any): CidrAllocation {
  return {
    id: row.id,
    pool: row.pool,
    cidr: row.cidr,
    ...(row.cluster ? { cluster: row.cluster } : {}),
    owner: row.owner,
    createdBy: row.created_by,
    createdAt: row.created_at,
    ...(row.attached_at ? { attachedAt: row.attached_at } : {}),
  };
}
