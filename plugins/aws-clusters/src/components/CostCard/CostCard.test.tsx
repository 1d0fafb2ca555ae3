import { screen } from '@testing-library/react';
import type { ClusterCostView } from '@clusterdeck/plugin-aws-clusters-common';
import { renderCard } from '../../__testUtils__/renderCard';
import { clusterDetailResponse } from '../../__fixtures__/clusterDetail';
import { EntityClusterCostCard } from './CostCard';
import { formatClusterCost } from './formatCost';

const base = {
  tagKey: 'giantswarm.io/cluster',
  tagValue: 'pay01',
  metric: 'UnblendedCost',
  readAt: '2026-11-15T06:30:00.000Z',
};

function withCost(cost: ClusterCostView) {
  return jest.fn().mockResolvedValue({ ...clusterDetailResponse, cost });
}

describe('EntityClusterCostCard', () => {
  it('shows this month so far, last month and the pace', async () => {
    const oct = {
      month: '2026-10',
      amount: 1240,
      unit: 'USD',
      estimated: false,
    };
    const nov = { month: '2026-11', amount: 750, unit: 'USD', estimated: true };
    await renderCard(
      <EntityClusterCostCard />,
      withCost({
        ...base,
        status: 'ok',
        months: [oct, nov],
        thisMonth: nov,
        lastMonth: oct,
        trend: { projected: 1500, changeFromLastMonth: 0.21 },
      }),
    );
    expect(await screen.findByText('$750.00')).toBeInTheDocument();
    expect(screen.getByText('$1,240.00')).toBeInTheDocument();
    expect(
      screen.getByText(
        /At this month’s pace: \$1,500.00, 21 % more than last month/,
      ),
    ).toBeInTheDocument();
    expect(
      screen.getByRole('img', {
        name: 'cost per month: Oct 2026 $1,240.00, Nov 2026 $750.00',
      }),
    ).toBeInTheDocument();
  });

  it('says plainly when the cost-allocation tag is not active', async () => {
    await renderCard(
      <EntityClusterCostCard />,
      withCost({
        ...base,
        status: 'tag-not-active',
        months: [],
        message:
          'Cost Explorer reports cost but none under a value of giantswarm.io/cluster.',
      }),
    );
    expect(
      await screen.findByText('The cost-allocation tag is not active.'),
    ).toBeInTheDocument();
    expect(screen.getByText('giantswarm.io/cluster=pay01')).toBeInTheDocument();
  });

  it('formats the table cell for each case', () => {
    expect(formatClusterCost(undefined)).toBe('—');
    expect(formatClusterCost({ status: 'tag-not-active' })).toBe(
      'tag not active',
    );
    expect(formatClusterCost({ status: 'no-data' })).toBe('no data');
    expect(
      formatClusterCost({
        status: 'ok',
        thisMonth: {
          month: '2026-11',
          amount: 12.5,
          unit: 'USD',
          estimated: true,
        },
      }),
    ).toBe('$12.50 so far');
  });
});
