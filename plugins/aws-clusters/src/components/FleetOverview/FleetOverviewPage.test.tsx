import { renderInTestApp, TestApiProvider } from '@backstage/test-utils';
import { screen, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { useLocation } from 'react-router-dom';
import { awsClustersApiRef, type AwsClustersApi } from '../../api';
import {
  clusterFindings,
  clusterSummaries,
} from '../../__fixtures__/clusterSummaries';
import { FleetOverviewPage } from './FleetOverviewPage';
import { clustersNeedingAttention } from './attention';
import { findingsByCluster } from '../ClusterTable';

jest.setTimeout(60_000);

function Location() {
  return <output aria-label="location">{useLocation().search}</output>;
}

const api = {
  listClusters: async () => ({
    items: clusterSummaries,
    generatedAt: '2026-11-25T00:00:00Z',
    errors: [],
  }),
  getBoundaries: async () => ({
    environments: [],
    findings: clusterFindings,
    generatedAt: '2026-11-25T00:00:00Z',
    errors: [],
  }),
} as unknown as AwsClustersApi;

describe('clustersNeedingAttention', () => {
  it('lists degraded clusters, unaccepted findings and clusters at their maximum, critical first', () => {
    const items = clustersNeedingAttention(
      clusterSummaries,
      findingsByCluster(clusterFindings),
    );
    expect(
      items.map(i => [i.cluster.name, i.reasons.map(r => r.text)]),
    ).toEqual([
      [
        'pay-dev',
        [
          'degraded: pool spot0 is 3 short of its desired 20',
          'every pool at its maximum (20 of 20 nodes)',
        ],
      ],
      [
        'pay-prod',
        [
          'Production API reachable from anywhere',
          '2 teams have clusters in account production',
        ],
      ],
      ['web-prod', ['2 teams have clusters in account production']],
    ]);
  });
});

describe('FleetOverviewPage', () => {
  it('counts clusters per status, version, flavor, account, region and management cluster; a bar filters the table through the URL', async () => {
    await renderInTestApp(
      <TestApiProvider apis={[[awsClustersApiRef, api]]}>
        <FleetOverviewPage />
        <Location />
      </TestApiProvider>,
    );
    const status = await screen.findByRole('list', {
      name: 'Clusters by status',
    });
    expect(
      within(status)
        .getAllByRole('button')
        .map(b => b.getAttribute('aria-label')),
    ).toEqual([
      'creating: 1 cluster',
      'degraded: 1 cluster',
      'ready: 1 cluster',
      'requested: 1 cluster',
    ]);
    expect(
      screen.getByRole('list', { name: 'Clusters by management cluster' }),
    ).toBeInTheDocument();
    expect(
      screen.getByRole('list', { name: 'Clusters that need attention' }),
    ).toHaveTextContent(/pay-dev.*pay-prod.*web-prod/);

    await userEvent.click(
      within(status).getByRole('button', { name: 'degraded: 1 cluster' }),
    );
    expect(screen.getByLabelText('location').textContent).toBe(
      '?status=degraded',
    );
    expect(screen.getByText('1 of 4 clusters')).toBeInTheDocument();
    expect(
      within(status).getByRole('button', { name: 'degraded: 1 cluster' }),
    ).toHaveAttribute('aria-pressed', 'true');
  });
});
