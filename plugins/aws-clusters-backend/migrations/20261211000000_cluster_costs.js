// @ts-check

/**
 * What Cost Explorer reported, read once a day: cost per account, value of the cost-allocation
 * tag and month, and how the last read went.
 *
 * @param {import('knex').Knex} knex
 */
exports.up = async function up(knex) {
  await knex.schema.createTable('aws_clusters_costs', table => {
    table.string('account_id', 12).notNullable();
    table.string('tag_value', 256).notNullable();
    table.string('month', 7).notNullable();
    table.double('amount').notNullable();
    table.string('unit', 16).notNullable();
    table.boolean('estimated').notNullable();
    table.primary(['account_id', 'tag_value', 'month']);
  });
  await knex.schema.createTable('aws_clusters_cost_reads', table => {
    table.string('id', 32).primary();
    table.string('status', 32).notNullable();
    table.string('tag_key', 128).notNullable();
    table.string('metric', 32).notNullable();
    table.text('message').nullable();
    // The last successful read, and the day its current month's figures run through.
    table.string('read_at').nullable();
    table.string('through', 10).nullable();
    // The last failed read: the figures stored are then the earlier ones.
    table.string('failed_at').nullable();
    table.text('failure').nullable();
  });
};

/** @param {import('knex').Knex} knex */
exports.down = async function down(knex) {
  await knex.schema.dropTable('aws_clusters_cost_reads');
  await knex.schema.dropTable('aws_clusters_costs');
};
