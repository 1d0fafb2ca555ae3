import { DatabaseService } from '@backstage/backend-plugin-api';
import { ConflictError, NotFoundError } from '@backstage/errors';
import type { CidrAllocationView } from '@clusterdeck/plugin-aws-clusters-common';
import { Knex } from 'knex';
import { randomUUID } from 'node:crypto';

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
  return e?.code === '23505' || e?.code === 'SQLITE_CONSTRAINT_UNIQUE' || /UNIQUE constraint failed/.test(e?.message ?? '');
}

/** What the plugin keeps in its database: the last good raw fleet, CIDR allocations and requested clusters. */
export class ClusterdeckDatabase {
  private constructor(private readonly knex: Knex) {}

  /** Connects and creates the tables on first use. */
  static async create(database: DatabaseService): Promise<ClusterdeckDatabase> {
    const knex = await database.getClient();
    const db = new ClusterdeckDatabase(knex);
    await db.ensureTables();
    return db;
  }

  private async ensureTables() {
    // Two replicas may start together: a table the other one just made is no error.
    const tolerate = async (fn: () => Promise<unknown>) => {
      try {
        await fn();
      } catch (error) {
        if (!/already exists/i.test(String((error as Error).message))) throw error;
      }
    };
    if (!(await this.knex.schema.hasTable(SNAPSHOTS))) {
      await tolerate(() =>
        this.knex.schema.createTable(SNAPSHOTS, table => {
          table.string('key').primary();
          table.text('data', 'longtext').notNullable();
          table.string('updated_at').notNullable();
        }),
      );
    }
    if (!(await this.knex.schema.hasTable(ALLOCATIONS))) {
      await tolerate(() =>
        this.knex.schema.createTable(ALLOCATIONS, table => {
          table.string('id').primary();
          table.string('pool').notNullable();
          table.string('cidr').notNullable();
          table.string('cluster');
          table.string('owner').notNullable();
          table.string('created_by').notNullable();
          table.string('created_at').notNullable();
          // One block per pool: pools hand out aligned blocks of one size, so equal means overlapping.
          table.unique(['pool', 'cidr']);
        }),
      );
    }
    if (!(await this.knex.schema.hasTable(REQUESTS))) {
      await tolerate(() =>
        this.knex.schema.createTable(REQUESTS, table => {
          table.string('ref').primary();
          table.string('owner').notNullable();
          table.text('request', 'longtext').notNullable();
          table.string('created_by').notNullable();
          table.string('created_at').notNullable();
        }),
      );
    }
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
      if (isUniqueViolation(error)) throw new ConflictError(`cluster ${request.ref} has already been requested`);
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
  async saveSnapshot(key: string, data: unknown, updatedAt: string): Promise<void> {
    await this.knex(SNAPSHOTS)
      .insert({ key, data: JSON.stringify(data), updated_at: updatedAt })
      .onConflict('key')
      .merge();
  }

  /** The stored raw fleet, if newer than `after`. */
  async loadSnapshot<T>(key: string, after?: string): Promise<{ data: T; updatedAt: string } | undefined> {
    const row = await this.knex(SNAPSHOTS).where({ key }).first();
    if (!row || (after && row.updated_at <= after)) return undefined;
    return { data: JSON.parse(row.data) as T, updatedAt: row.updated_at };
  }

  /** When the stored raw fleet was written. */
  async snapshotUpdatedAt(key: string): Promise<string | undefined> {
    const row = await this.knex(SNAPSHOTS).where({ key }).select('updated_at').first();
    return row?.updated_at;
  }

  /** All allocations of a pool, or of every pool. */
  async listAllocations(pool?: string): Promise<CidrAllocation[]> {
    const rows = await this.knex(ALLOCATIONS)
      .modify(q => (pool ? q.where({ pool }) : q))
      .orderBy('created_at');
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
      if (!cidr) throw new ConflictError(`CIDR pool ${input.pool} has no free block left`);
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
    throw new ConflictError(`CIDR pool ${input.pool} is too contended; try again`);
  }

  /** Releases a block. */
  async release(id: string): Promise<void> {
    const deleted = await this.knex(ALLOCATIONS).where({ id }).delete();
    if (!deleted) throw new NotFoundError(`no CIDR allocation ${id}`);
  }

  /** Releases the blocks of clusters that no longer exist, keeping recent ones for clusters being created. */
  async releaseForClusters(clusterRefs: string[]): Promise<number> {
    if (clusterRefs.length === 0) return 0;
    return this.knex(ALLOCATIONS).whereIn('cluster', clusterRefs).delete();
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
  };
}
