import type { Knex } from 'knex';
import type { CostReading, CostRecord } from './readCostAndUsage';

const COSTS = 'aws_clusters_costs';
const READS = 'aws_clusters_cost_reads';
const READ_ID = 'cost-explorer';

/** How the last reads of Cost Explorer went. */
export interface CostReadState {
  status: CostReading['status'] | 'not-read';
  tagKey: string;
  metric: string;
  message?: string;
  /** The last successful read, and the last day its figures cover. */
  readAt?: string;
  through?: string;
  /** A read that failed after it: the figures are then those of `readAt`. */
  failedAt?: string;
  failure?: string;
}

/** Cost Explorer's figures as last read, in the plugin's database (tables of the cost migration). */
export class CostStore {
  constructor(private readonly knex: Knex) {}

  /** Replaces every figure with a new reading, in one transaction. */
  async saveReading(
    reading: CostReading,
    meta: { tagKey: string; metric: string; readAt: string },
  ): Promise<void> {
    await this.knex.transaction(async tx => {
      await tx(COSTS).delete();
      const rows = reading.records.map(r => ({
        account_id: r.accountId,
        tag_value: r.tagValue,
        month: r.month,
        amount: r.amount,
        unit: r.unit,
        estimated: r.estimated,
      }));
      // SQLite caps the variables of one statement; 100 rows of 6 stay well under it.
      for (let i = 0; i < rows.length; i += 100)
        await tx(COSTS).insert(rows.slice(i, i + 100));
      await tx(READS)
        .insert({
          id: READ_ID,
          status: reading.status,
          tag_key: meta.tagKey,
          metric: meta.metric,
          message: reading.message ?? null,
          read_at: meta.readAt,
          through: reading.through,
          failed_at: null,
          failure: null,
        })
        .onConflict('id')
        .merge();
    });
  }

  /** Records a failed read; the figures stored stay. */
  async saveFailure(meta: {
    tagKey: string;
    metric: string;
    failedAt: string;
    failure: string;
  }): Promise<void> {
    const updated = await this.knex(READS)
      .where({ id: READ_ID })
      .update({ failed_at: meta.failedAt, failure: meta.failure });
    if (updated === 0)
      await this.knex(READS)
        .insert({
          id: READ_ID,
          status: 'not-read',
          tag_key: meta.tagKey,
          metric: meta.metric,
          failed_at: meta.failedAt,
          failure: meta.failure,
        })
        .onConflict('id')
        .merge(['failed_at', 'failure']);
  }

  /** How the reads went; undefined before the first. */
  async readState(): Promise<CostReadState | undefined> {
    const row = await this.knex(READS).where({ id: READ_ID }).first();
    if (!row) return undefined;
    return {
      status: row.status,
      tagKey: row.tag_key,
      metric: row.metric,
      ...(row.message ? { message: row.message } : {}),
      ...(row.read_at ? { readAt: row.read_at } : {}),
      ...(row.through ? { through: row.through } : {}),
      ...(row.failed_at ? { failedAt: row.failed_at } : {}),
      ...(row.failure ? { failure: row.failure } : {}),
    };
  }

  /** Every figure stored. */
  async records(): Promise<CostRecord[]> {
    const rows = await this.knex(COSTS).select();
    return rows.map(row => ({
      accountId: row.account_id,
      tagValue: row.tag_value,
      month: row.month,
      amount: Number(row.amount),
      unit: row.unit,
      estimated: Boolean(row.estimated),
    }));
  }
}
