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

/** A cluster requested through a template that its management cluster has not reported yet. */
export interface StoredClusterRequest {
  /** `<managementCluster>/<namespace>/<name>`. */
  ref: string;
  owner: string;
  /** The validated ClusterRequest, with defaults applied. */
  request: unknown;
  createdBy: string;
  createdAt: string;
}

/** A reserved CIDR block. */
export type CidrAllocation = CidrAllocationView;

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
    const row = await this.knex(SNAPSHOTS).where({ key }).first();
    if (!row || (after && row.updated_at <= after)) return undefined;
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
   * Marks the reservations whose cluster is requested or reported now, then releases those no
   * cluster ever used once older than `unattachedBefore`, and those whose cluster was last seen
   * before `goneBefore`. Returns what was released.
   */
  async reclaim(options: {
    attachedClusters: ReadonlySet<string>;
    now: string;
    unattachedBefore: string;
    goneBefore: string;
  }): Promise<CidrAllocation[]> {
    const rows = (await this.knex(ALLOCATIONS).select()).map(row => ({
      row,
      allocation: toAllocation(row),
    }));
    const attached = rows.filter(
      ({ allocation }) =>
        allocation.cluster && options.attachedClusters.has(allocation.cluster),
    );
    for (let i = 0; i < attached.length; i += 500) {
      const ids = attached
        .slice(i, i + 500)
        .map(({ allocation }) => allocation.id);
      await this.knex(ALLOCATIONS)
        .whereIn('id', ids)
        .update({ attached_at: options.now });
    }
    const released = rows
      .filter(
        ({ allocation }) =>
          !(
            allocation.cluster &&
            options.attachedClusters.has(allocation.cluster)
          ),
      )
      .filter(({ row }) =>
        row.attached_at
          ? row.attached_at < options.goneBefore
          : row.created_at < options.unattachedBefore,
      )
      .map(({ allocation }) => allocation);
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
