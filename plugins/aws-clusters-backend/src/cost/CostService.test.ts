import {
  CostExplorerClient,
  GetCostAndUsageCommand,
  type GetCostAndUsageCommandOutput,
} from '@aws-sdk/client-cost-explorer';
import { ConfigReader } from '@backstage/config';
import { mockServices } from '@backstage/backend-test-utils';
import { readClusterdeckConfig } from '@clusterdeck/plugin-aws-clusters-node';
import { mockClient } from 'aws-sdk-client-mock';
import { databasesUnderTest } from '../__testUtils__/localServices';
import {
  ClusterdeckDatabase,
  migrateDownAll,
  migrateUp,
} from '../database/ClusterdeckDatabase';
import { CostService } from './CostService';
import { clusterCostView, teamCosts } from './costViews';

jest.setTimeout(60_000);

const { ids, databases } = databasesUnderTest('CostService');

const TAG = 'giantswarm.io/cluster';
const NOW = new Date('2026-11-15T06:30:00Z');

/*
 * GetCostAndUsage answers as the Cost Explorer API reference shows them: monthly results by
 * time, each group keyed by the GroupBy order (`<tag key>$<value>`, then the linked account),
 * amounts as decimal strings; the month not closed yet `Estimated`; `NextPageToken` on every
 * page but the last.
 */
function group(value: string, account: string, amount: string) {
  return {
    Keys: [`${TAG}$${value}`, account],
    Metrics: { UnblendedCost: { Amount: amount, Unit: 'USD' } },
  };
}
const PAGE_1: GetCostAndUsageCommandOutput = {
  $metadata: {},
  GroupDefinitions: [
    { Type: 'TAG', Key: TAG },
    { Type: 'DIMENSION', Key: 'LINKED_ACCOUNT' },
  ],
  ResultsByTime: [
    {
      TimePeriod: { Start: '2026-08-01', End: '2026-09-01' },
      Total: {},
      Groups: [
        group('pay-prod', '123456789012', '1204.5531'),
        group('', '123456789012', '88.10'),
      ],
      Estimated: false,
    },
    {
      TimePeriod: { Start: '2026-09-01', End: '2026-10-01' },
      Total: {},
      Groups: [group('pay-prod', '123456789012', '1310.2')],
      Estimated: false,
    },
  ],
  NextPageToken: 'page-2',
};
const PAGE_2: GetCostAndUsageCommandOutput = {
  $metadata: {},
  ResultsByTime: [
    {
      TimePeriod: { Start: '2026-10-01', End: '2026-11-01' },
      Total: {},
      Groups: [
        group('pay-prod', '123456789012', '1240'),
        group('web-dev', '444455556666', '310.0'),
        // A cluster of the same name in another account is another cluster.
        group('web-dev', '123456789012', '5.00'),
      ],
      Estimated: false,
    },
    {
      TimePeriod: { Start: '2026-11-01', End: '2026-11-15' },
      Total: {},
      Groups: [
        group('pay-prod', '123456789012', '750.00'),
        group('web-dev', '444455556666', '150'),
      ],
      Estimated: true,
    },
  ],
};

const config = readClusterdeckConfig(
  new ConfigReader({
    clusterdeck: { cost: { payerAccountId: '111122223333' } },
  }),
);
// The payer account's own keys, as the `aws` integration configuration gives them.
const rootConfig = new ConfigReader({
  aws: {
    accounts: [
      {
        accountId: '111122223333',
        accessKeyId: 'AKIDEXAMPLE',
        secretAccessKey: 'example-secret',
      },
    ],
  },
});

describe.each(ids)('CostService on %s', id => {
  const ce = mockClient(CostExplorerClient);
  let now = NOW;

  async function service() {
    const knex = await databases.init(id);
    await ClusterdeckDatabase.create({ getClient: async () => knex } as any);
    return {
      knex,
      costs: CostService.create({
        config,
        rootConfig,
        knex,
        logger: mockServices.logger.mock(),
        sources: [],
        now: () => now,
      })!,
    };
  }

  beforeEach(() => {
    ce.reset();
    now = NOW;
  });

  it('reads every page, stores the figures and serves them per cluster and team', async () => {
    ce.on(GetCostAndUsageCommand).resolvesOnce(PAGE_1).resolvesOnce(PAGE_2);
    const { costs } = await service();
    await costs.refresh();

    const calls = ce.commandCalls(GetCostAndUsageCommand);
    expect(calls.map(c => c.args[0].input)).toEqual([
      {
        TimePeriod: { Start: '2026-08-01', End: '2026-11-15' },
        Granularity: 'MONTHLY',
        Metrics: ['UnblendedCost'],
        GroupBy: [
          { Type: 'TAG', Key: TAG },
          { Type: 'DIMENSION', Key: 'LINKED_ACCOUNT' },
        ],
      },
      expect.objectContaining({ NextPageToken: 'page-2' }),
    ]);

    const pay = clusterCostView(costs.current(), {
      name: 'pay-prod',
      accountId: '123456789012',
    });
    expect(pay).toEqual({
      status: 'ok',
      tagKey: TAG,
      tagValue: 'pay-prod',
      metric: 'UnblendedCost',
      readAt: NOW.toISOString(),
      months: [
        { month: '2026-08', amount: 1204.55, unit: 'USD', estimated: false },
        { month: '2026-09', amount: 1310.2, unit: 'USD', estimated: false },
        { month: '2026-10', amount: 1240, unit: 'USD', estimated: false },
        { month: '2026-11', amount: 750, unit: 'USD', estimated: true },
      ],
      thisMonth: {
        month: '2026-11',
        amount: 750,
        unit: 'USD',
        estimated: true,
      },
      lastMonth: {
        month: '2026-10',
        amount: 1240,
        unit: 'USD',
        estimated: false,
      },
      // Read on the 15th, the figures run through the 14th: 750 in 14 days of a 30-day month
      // is 1607.14 at that pace, 29.6 % above October.
      trend: { projected: 1607.14, changeFromLastMonth: 0.296 },
    });
    const web = clusterCostView(costs.current(), {
      name: 'web-dev',
      accountId: '444455556666',
    });
    expect(web.months.map(m => m.amount)).toEqual([310, 150]);
    const gone = clusterCostView(costs.current(), {
      name: 'web-prod',
      accountId: '444455556666',
    });
    expect(gone).toEqual(
      expect.objectContaining({
        status: 'no-data',
        months: [],
        message: `No cost carries ${TAG}=web-prod in account 444455556666 in the months read.`,
      }),
    );
    expect(
      teamCosts([
        { owner: 'group:default/payments', view: pay },
        { owner: 'group:default/web', view: web },
        { owner: 'group:default/web', view: gone },
      ]),
    ).toEqual([
      expect.objectContaining({
        owner: 'group:default/payments',
        clustersWithCost: 1,
        clusters: 1,
      }),
      {
        owner: 'group:default/web',
        months: [
          { month: '2026-10', amount: 310, unit: 'USD', estimated: false },
          { month: '2026-11', amount: 150, unit: 'USD', estimated: true },
        ],
        clustersWithCost: 1,
        clusters: 2,
      },
    ]);
  });

  it('reads once per frequency: a restart or a second replica finds the stored figures', async () => {
    ce.on(GetCostAndUsageCommand).resolves(PAGE_2);
    const first = await service();
    await first.costs.refresh();
    expect(ce.commandCalls(GetCostAndUsageCommand)).toHaveLength(1);
    now = new Date(NOW.getTime() + 3_600_000);
    const replica = CostService.create({
      config,
      rootConfig,
      knex: first.knex,
      logger: mockServices.logger.mock(),
      sources: [],
      now: () => now,
    })!;
    await replica.refresh();
    expect(ce.commandCalls(GetCostAndUsageCommand)).toHaveLength(1);
    expect(
      clusterCostView(replica.current(), {
        name: 'web-dev',
        accountId: '444455556666',
      }).thisMonth?.amount,
    ).toBe(150);
    now = new Date(NOW.getTime() + 25 * 3_600_000);
    await replica.refresh();
    expect(ce.commandCalls(GetCostAndUsageCommand)).toHaveLength(2);
  });

  it('says when Cost Explorer has no data, and when the tag carries no cost', async () => {
    const unavailable = Object.assign(
      new Error('Data is not available. Please try to adjust the time period.'),
      { name: 'DataUnavailableException' },
    );
    ce.on(GetCostAndUsageCommand).rejects(unavailable);
    const { costs } = await service();
    await costs.refresh();
    const view = clusterCostView(costs.current(), {
      name: 'pay-prod',
      accountId: '123456789012',
    });
    expect(view.status).toBe('no-data');
    expect(view.message).toMatch(/Cost Explorer has no data for 2026-08-01/);

    // Only untagged cost: the tag is not activated for cost allocation.
    ce.reset();
    ce.on(GetCostAndUsageCommand).resolves({
      $metadata: {},
      ResultsByTime: [
        {
          TimePeriod: { Start: '2026-11-01', End: '2026-11-15' },
          Groups: [group('', '123456789012', '2210.40')],
          Estimated: true,
        },
      ],
    });
    await costs.refresh({ force: true });
    const untagged = clusterCostView(costs.current(), {
      name: 'pay-prod',
      accountId: '123456789012',
    });
    expect(untagged.status).toBe('tag-not-active');
    expect(untagged.message).toMatch(
      /none under a value of giantswarm.io\/cluster: activate it as a cost-allocation tag/,
    );

    // No groups at all.
    ce.reset();
    ce.on(GetCostAndUsageCommand).resolves({
      $metadata: {},
      ResultsByTime: [
        {
          TimePeriod: { Start: '2026-11-01', End: '2026-11-15' },
          Groups: [],
          Total: {},
          Estimated: true,
        },
      ],
    });
    await costs.refresh({ force: true });
    expect(clusterCostView(costs.current(), { name: 'pay-prod' }).status).toBe(
      'no-data',
    );
  });

  it('keeps the stored figures when Cost Explorer throttles past the retries, and says so', async () => {
    ce.on(GetCostAndUsageCommand).resolves(PAGE_2);
    const { costs } = await service();
    await costs.refresh();
    ce.reset();
    ce.on(GetCostAndUsageCommand).rejects(
      Object.assign(new Error('Rate exceeded'), {
        name: 'LimitExceededException',
      }),
    );
    now = new Date(NOW.getTime() + 25 * 3_600_000);
    await costs.refresh();
    const view = clusterCostView(costs.current(), {
      name: 'web-dev',
      accountId: '444455556666',
    });
    expect(view.status).toBe('ok');
    expect(view.thisMonth?.amount).toBe(150);
    expect(view.message).toBe(
      `The last read failed (LimitExceededException: Rate exceeded); these figures are from ${NOW.toISOString()}.`,
    );
  });

  it('refuses a page token answered twice instead of reading forever', async () => {
    ce.on(GetCostAndUsageCommand).resolves({
      $metadata: {},
      ResultsByTime: [],
      NextPageToken: 'same',
    });
    const { costs } = await service();
    await costs.refresh();
    expect(ce.commandCalls(GetCostAndUsageCommand)).toHaveLength(2);
    const view = clusterCostView(costs.current(), { name: 'pay-prod' });
    expect(view.status).toBe('not-read');
    expect(view.message).toMatch(/answered the page token same twice/);
  });

  it('migrates the cost tables down and up again', async () => {
    const { knex } = await service();
    expect(await knex.schema.hasTable('aws_clusters_costs')).toBe(true);
    await migrateDownAll(knex);
    expect(await knex.schema.hasTable('aws_clusters_costs')).toBe(false);
    expect(await knex.schema.hasTable('aws_clusters_cost_reads')).toBe(false);
    await migrateUp(knex);
    expect(await knex.schema.hasTable('aws_clusters_cost_reads')).toBe(true);
  });
});
