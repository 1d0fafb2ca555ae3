import {
  readRecordedCostAndUsage,
  type CostAndUsageQuery,
} from '@clusterdeck/plugin-aws-clusters-node';
import { buildDemoFleet, DEMO_FLEET_DIR } from './buildDemoFleet';
import { simulateCosts } from './simulateCosts';

const QUERY: CostAndUsageQuery = {
  TimePeriod: { Start: '2026-07-01', End: '2026-11-01' },
  Granularity: 'MONTHLY',
  Metrics: ['UnblendedCost'],
  GroupBy: [
    { Type: 'TAG', Key: 'giantswarm.io/cluster' },
    { Type: 'DIMENSION', Key: 'LINKED_ACCOUNT' },
  ],
};

describe('simulateCosts', () => {
  const snapshot = buildDemoFleet();
  const now = Date.parse('2026-11-01T00:00:00Z');
  const pages = simulateCosts(snapshot, now);
  const october = pages.flatMap(p => p.ResultsByTime ?? [])[3];
  const amount = (value: string, account: string) =>
    Number(
      october.Groups?.find(
        g =>
          g.Keys?.[0] === `giantswarm.io/cluster$${value}` &&
          g.Keys?.[1] === account,
      )?.Metrics?.UnblendedCost.Amount ?? Number.NaN,
    );

  it('answers four months through the day before the recording, two a page', () => {
    expect(
      pages.map(p => ({
        periods: p.ResultsByTime?.map(r => r.TimePeriod),
        token: p.NextPageToken,
      })),
    ).toEqual([
      {
        periods: [
          { Start: '2026-07-01', End: '2026-08-01' },
          { Start: '2026-08-01', End: '2026-09-01' },
        ],
        token: 'page-2',
      },
      {
        periods: [
          { Start: '2026-09-01', End: '2026-10-01' },
          { Start: '2026-10-01', End: '2026-11-01' },
        ],
        token: undefined,
      },
    ]);
    expect(october.Estimated).toBe(true);
  });

  it('prices each cluster by the hours its running instances ran, NAT gateways untagged', () => {
    // pay-prod's instances of October: every running one tagged for it, hours from its launch.
    let expected = 0;
    for (const region of snapshot.aws.filter(
      r => r.accountId === '123456789012',
    ))
      for (const i of region.instances)
        if (
          i.State?.Name === 'running' &&
          i.Tags?.some(
            t => t.Key === 'giantswarm.io/cluster' && t.Value === 'pay-prod',
          )
        ) {
          const from = Math.max(
            Date.parse('2026-10-01T00:00:00Z'),
            new Date(i.LaunchTime as unknown as string).getTime(),
          );
          const price = i.InstanceType === 'm6i.xlarge' ? 0.214 : undefined;
          if (price) expected += ((now - from) / 3_600_000) * price;
        }
    expect(expected).toBeGreaterThan(0);
    expect(amount('pay-prod', '123456789012')).toBeGreaterThanOrEqual(expected);
    expect(amount('', '123456789012')).toBeGreaterThan(0);
    // A cluster of another account under the same name would be another group.
    expect(amount('pay-prod', '444455556666')).toBeNaN();
  });

  it('is what the committed recording holds, answered page by page', async () => {
    const first = await readRecordedCostAndUsage(DEMO_FLEET_DIR, QUERY);
    const second = await readRecordedCostAndUsage(DEMO_FLEET_DIR, {
      ...QUERY,
      NextPageToken: first.NextPageToken,
    });
    expect([first, second]).toEqual(JSON.parse(JSON.stringify(pages)));
    await expect(
      readRecordedCostAndUsage(DEMO_FLEET_DIR, {
        ...QUERY,
        NextPageToken: 'unknown',
      }),
    ).rejects.toThrow(/no recorded page follows the token unknown/);
  });
});
