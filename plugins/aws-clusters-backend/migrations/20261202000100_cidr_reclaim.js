// @ts-check

/**
 * When a reservation's cluster was last seen requested or reported: reservations no cluster
 * ever used expire, and those of clusters gone from the fleet are released after a grace period.
 *
 * @param {import('knex').Knex} knex
 */
exports.up = async function up(knex) {
  await knex.schema.alterTable('aws_clusters_cidr_allocations', table => {
    table.string('attached_at').nullable();
    table.index(
      ['pool', 'owner'],
      'aws_clusters_cidr_allocations_pool_owner_idx',
    );
  });
};

/** @param {import('knex').Knex} knex */
exports.down = async function down(knex) {
  await knex.schema.alterTable('aws_clusters_cidr_allocations', table => {
    table.dropIndex(
      ['pool', 'owner'],
      'aws_clusters_cidr_allocations_pool_owner_idx',
    );
    table.dropColumn('attached_at');
  });
};
