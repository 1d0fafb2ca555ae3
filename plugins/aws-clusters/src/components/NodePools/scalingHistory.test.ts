import type { NodePoolScaling } from '@clusterdeck/plugin-aws-clusters-common';
import { clusterDetail } from '../../__fixtures__/clusterDetail';
import {
  orderedActivities,
  scalingBlockers,
  sizeHistory,
} from './scalingHistory';

const pool = (over: Partial<NodePoolScaling>): NodePoolScaling => ({
  ...clusterDetail.nodePools[0],
  activities: [],
  ...over,
});

describe('sizeHistory', () => {
  it('reads desired and current sizes from the causes of successful activities and ends with the sizes now', () => {
    const now = Date.parse('2026-11-26T00:00:00Z');
    const points = sizeHistory(
      pool({
        desired: 4,
        current: 3,
        activities: [
          {
            time: '2026-11-25T02:00:00Z',
            description: 'Terminating EC2 instance: i-1',
            status: 'successful',
            cause:
              'At 2026-11-25T02:00:00Z a user request explicitly set group desired capacity changing the desired capacity from 5 to 4. At 2026-11-25T02:00:00Z an instance was taken out of service in response to a difference between desired and actual capacity, shrinking the capacity from 5 to 4.',
          },
          {
            time: '2026-11-25T01:00:00Z',
            description: 'Launching',
            status: 'successful',
            cause:
              'At 2026-11-25T01:00:00Z an instance was started in response to a difference between desired and actual capacity, increasing the capacity from 4 to 5.',
          },
          {
            time: '2026-11-25T03:00:00Z',
            description: 'Launching',
            status: 'failed',
            cause: 'increasing the capacity from 4 to 5',
          },
        ],
      }),
      now,
    );
    expect(points).toEqual([
      { time: Date.parse('2026-11-25T01:00:00Z') - 1, current: 4 },
      { time: Date.parse('2026-11-25T01:00:00Z'), current: 5 },
      { time: Date.parse('2026-11-25T02:00:00Z'), desired: 4, current: 4 },
      { time: now, desired: 4, current: 3 },
    ]);
  });

  it('draws nothing when no activity states a size', () => {
    expect(
      sizeHistory(
        pool({
          activities: [
            {
              time: '2026-11-25T01:00:00Z',
              description: 'x',
              status: 'successful',
              cause: 'a user request',
            },
          ],
        }),
        0,
      ),
    ).toEqual([]);
  });
});

describe('orderedActivities', () => {
  it('puts failed activities first, then the newest', () => {
    const ordered = orderedActivities([
      { time: '2026-11-25T01:00:00Z', description: 'a', status: 'successful' },
      { time: '2026-11-25T02:00:00Z', description: 'b', status: 'failed' },
      { time: '2026-11-25T03:00:00Z', description: 'c', status: 'successful' },
      { time: '2026-11-24T03:00:00Z', description: 'd', status: 'failed' },
    ]);
    expect(ordered.map(a => a.description)).toEqual(['b', 'd', 'c', 'a']);
  });
});

describe('scalingBlockers', () => {
  it('says an Auto Scaling group is at its maximum and short of desired after capacity errors', () => {
    const blockers = scalingBlockers(
      pool({
        min: 0,
        desired: 20,
        current: 17,
        max: 20,
        activities: [
          {
            time: '2026-11-25T02:00:00Z',
            description: 'Launching',
            status: 'failed',
            cause:
              'Could not launch Spot Instances. InsufficientInstanceCapacity - There is no Spot capacity available that matches your request.',
          },
        ],
      }),
    );
    expect(blockers.map(b => [b.severity, b.title])).toEqual([
      ['warning', 'At its maximum of 20 nodes'],
      ['error', 'AWS could not launch instances (1 failed launch)'],
      ['warning', '17 of 20 desired instances in service'],
    ]);
    expect(blockers[1].detail).toMatch(/^Could not launch Spot Instances/);
  });

  it('names a Karpenter pool’s limits, a missing group, and nothing for a pool with room', () => {
    expect(
      scalingBlockers(
        pool({ kind: 'karpenter', max: 0, limits: { cpu: '200' } }),
      ).map(b => b.title),
    ).toEqual(['Karpenter limits: cpu 200']);
    expect(
      scalingBlockers(
        pool({ group: { state: 'missing' }, desired: 3, current: 0 }),
      ).map(b => b.title),
    ).toEqual(['The Auto Scaling group does not exist yet']);
    expect(
      scalingBlockers(pool({ min: 1, desired: 3, current: 3, max: 10 })),
    ).toEqual([]);
  });
});
