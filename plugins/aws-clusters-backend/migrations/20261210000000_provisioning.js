// @ts-check

/**
 * Provisioning people can watch: a requested cluster's record stays (marked reported) while its
 * cluster exists, with the branch or change it was proposed in; one replica holds the lease to
 * watch the management clusters; notifications sent are remembered per cluster and kind until
 * what they said is resolved.
 *
 * @param {import('knex').Knex} knex
 */
exports.up = async function up(knex) {
  await knex.schema.alterTable('aws_clusters_cluster_requests', table => {
    table.string('branch').nullable();
    table.string('change_url', 1024).nullable();
    table.string('reported_at').nullable();
  });
  await knex.schema.createTable('aws_clusters_leases', table => {
    table.string('name').primary();
    table.string('holder').notNullable();
    table.bigInteger('expires_at').notNullable();
  });
  await knex.schema.createTable('aws_clusters_notifications', table => {
    table.string('ref').notNullable();
    table.string('kind').notNullable();
    table.string('sent_at').notNullable();
    table.text('state').nullable();
    table.primary(['ref', 'kind']);
  });
};

/** @param {import('knex').Knex} knex */
exports.down = async function down(knex) {
  await knex.schema.dropTable('aws_clusters_notifications');
  await knex.schema.dropTable('aws_clusters_leases');
  await knex.schema.alterTable('aws_clusters_cluster_requests', table => {
    table.dropColumn('reported_at');
    table.dropColumn('change_url');
    table.dropColumn('branch');
  });
};
