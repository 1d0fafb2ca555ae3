// @ts-check

/**
 * The plugin's first tables. Backends that ran before migrations existed made the same tables
 * themselves, so each one is created only when it is missing.
 *
 * @param {import('knex').Knex} knex
 */
exports.up = async function up(knex) {
  if (!(await knex.schema.hasTable('aws_clusters_snapshots'))) {
    await knex.schema.createTable('aws_clusters_snapshots', table => {
      table.comment(
        'The last good raw fleet, so that a restart or another replica serves at once',
      );
      table.string('key').primary();
      table.text('data', 'longtext').notNullable();
      table.string('updated_at').notNullable();
    });
  }
  if (!(await knex.schema.hasTable('aws_clusters_cidr_allocations'))) {
    await knex.schema.createTable('aws_clusters_cidr_allocations', table => {
      table.comment('CIDR blocks reserved from the configured pools');
      table.string('id').primary();
      table.string('pool').notNullable();
      table.string('cidr').notNullable();
      table.string('cluster');
      table.string('owner').notNullable();
      table.string('created_by').notNullable();
      table.string('created_at').notNullable();
      // Pools hand out aligned blocks of one size, so equal means overlapping.
      table.unique(['pool', 'cidr']);
    });
  }
  if (!(await knex.schema.hasTable('aws_clusters_cluster_requests'))) {
    await knex.schema.createTable('aws_clusters_cluster_requests', table => {
      table.comment(
        'Clusters requested through templates that no management cluster reports yet',
      );
      table.string('ref').primary();
      table.string('owner').notNullable();
      table.text('request', 'longtext').notNullable();
      table.string('created_by').notNullable();
      table.string('created_at').notNullable();
    });
  }
};

/** @param {import('knex').Knex} knex */
exports.down = async function down(knex) {
  await knex.schema.dropTableIfExists('aws_clusters_cluster_requests');
  await knex.schema.dropTableIfExists('aws_clusters_cidr_allocations');
  await knex.schema.dropTableIfExists('aws_clusters_snapshots');
};
