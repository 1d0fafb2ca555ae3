import { screen, within } from '@testing-library/react';
import { renderInTestApp, TestApiProvider } from '@backstage/test-utils';
import { entityRouteRef } from '@backstage/plugin-catalog-react';
import { ResponseError } from '@backstage/errors';
import type { CostsResponse } from '@clusterdeck/plugin-aws-clusters-common';
import { awsClustersApiRef, type AwsClustersApi } from '../../api';
import { TeamCostCard, TeamCostTable } from './TeamCostCard';

const month = (m: string, amount: number, estimated = false) => ({
  month: m,
  amount,
  unit: 'USD',
  estimated,
});

const costs: CostsResponse = {
  status: 'ok',
  tagKey: 'giantswarm.io/cluster',
  metric: 'UnblendedCost',
  readAt: '2026-12-07T06:30:00.000Z',
  clusters: [],
  teams: [
    {
      owner: 'group:default/search',
      months: [month('2026-10', 410.5), month('2026-11', 388)],
      clustersWithCost: 1,
      clusters: 2,
    },
    {
      owner: 'group:default/payments',
      months: [
        month('2026-10', 1240),
        month('2026-11', 1302.25),
        month('2026-12', 290.1, true),
      ],
      clustersWithCost: 2,
      clusters: 2,
    },
  ],
};

function render(getCosts: AwsClustersApi['getCosts'], owner?: string) {
  const api = { getCosts } as Partial<AwsClustersApi> as AwsClustersApi;
  return renderInTestApp(
    <TestApiProvider apis={[[awsClustersApiRef, api]]}>
      <TeamCostCard owner={owner} />
    </TestApiProvider>,
    { mountedRoutes: { '/catalog/:namespace/:kind/:name': entityRouteRef } },
  );
}

describe('TeamCostCard', () => {
  it('shows each team by name with the two latest months and the clusters the figures cover', async () => {
    const getCosts = jest.fn().mockResolvedValue(costs);
    await render(getCosts);
    const table = await screen.findByRole('table', { name: 'Cost per team' });
    const rows = within(table).getAllByRole('row');
    expect(rows.map(r => r.textContent)).toEqual([
      expect.stringMatching(/^TeamDec 2026.*Nov 2026Clusters with figures$/),
      'payments$290.10 (estimated)$1,302.252 of 2',
      'search—$388.001 of 2',
    ]);
    expect(
      within(table).getByRole('link', { name: 'payments' }),
    ).toHaveAttribute('href', '/catalog/default/group/payments');
    expect(
      screen.getByText(
        'AWS Cost Explorer, UnblendedCost by the tag giantswarm.io/cluster',
      ),
    ).toBeInTheDocument();
    expect(getCosts).toHaveBeenCalledWith({ owner: undefined });
  });

  it("asks for one team's figures on the team's page", async () => {
    const getCosts = jest.fn().mockResolvedValue({
      ...costs,
      teams: [costs.teams[1]],
    });
    await render(getCosts, 'group:default/payments');
    expect(await screen.findByText("The team's cost")).toBeInTheDocument();
    expect(getCosts).toHaveBeenCalledWith({ owner: 'group:default/payments' });
  });

  it('says why there are no figures', async () => {
    await render(
      jest.fn().mockResolvedValue({
        ...costs,
        status: 'tag-not-active',
        teams: [],
      }),
    );
    expect(
      await screen.findByText('The cost-allocation tag is not active'),
    ).toBeInTheDocument();
    expect(screen.getByText('No team has clusters here.')).toBeInTheDocument();
  });

  it('draws nothing where cost is not configured (404)', async () => {
    const notConfigured = await ResponseError.fromResponse(
      new Response(
        JSON.stringify({
          error: {
            name: 'NotFoundError',
            message: 'cost is not read: clusterdeck.cost is not configured',
          },
        }),
        { status: 404, headers: { 'content-type': 'application/json' } },
      ) as any,
    );
    const getCosts = jest.fn().mockRejectedValue(notConfigured);
    await render(getCosts);
    await new Promise(r => setTimeout(r, 0));
    expect(getCosts).toHaveBeenCalled();
    expect(screen.queryByText('Cost per team')).not.toBeInTheDocument();
    expect(screen.queryByRole('alert')).not.toBeInTheDocument();
  });

  it('shows another failure', async () => {
    await render(jest.fn().mockRejectedValue(new Error('connection reset')));
    expect(
      await screen.findByText('Error: connection reset', { selector: 'h6' }),
    ).toBeInTheDocument();
  });

  it('marks the current month as so far only when it is the current month', async () => {
    await renderInTestApp(
      <TeamCostTable teams={costs.teams} now={new Date('2027-01-03')} />,
      { mountedRoutes: { '/catalog/:namespace/:kind/:name': entityRouteRef } },
    );
    expect(screen.getByRole('columnheader', { name: 'Dec 2026' })).toBeTruthy();
    expect(screen.queryByText(/so far/)).not.toBeInTheDocument();
  });
});
