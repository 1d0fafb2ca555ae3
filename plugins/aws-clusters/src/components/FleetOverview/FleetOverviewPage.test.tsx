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
import {
  supportCounts,
  versionsNearEndOfSupport,
} from './versionSupportSummary';
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
  it('lists degraded clusters, unaccepted findings, clusters at their maximum and versions near or past their end of support, critical first', () => {
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
      [
        'web-prod',
        [
          'Kubernetes 1.30: support ended 2026-07-23 (9 days ago)',
          '2 teams have clusters in account production',
        ],
      ],
      [
        'web-dev, "lab"',
        ['Release 32.0.0: standard support ends 2026-09-30 (in 60 days)'],
      ],
    ]);
    expect(
      clustersNeedingAttention(clusterSummaries)
        .find(i => i.cluster.name === 'web-prod')!
        .reasons.map(r => r.severity),
    ).toEqual(['critical']);
  });
});

describe('the version support summary', () => {
  it('counts every support status in the order of urgency, unknown only when some cluster has it', () => {
    expect(supportCounts(clusterSummaries)).toEqual([
      ['unsupported', 1],
      ['ending-soon', 1],
      ['extended', 1],
      ['supported', 0],
      ['unknown', 1],
    ]);
    expect(supportCounts(clusterSummaries.slice(0, 1))).toEqual([
      ['unsupported', 0],
      ['ending-soon', 0],
      ['extended', 1],
      ['supported', 0],
    ]);
  });

  it('lists the versions near or past their end of support with their clusters, fewest days left first', () => {
    const twin = {
      ...clusterSummaries[3],
      ref: 'mc-dev/org-web/web-stage',
      name: 'web-stage',
    };
    expect(
      versionsNearEndOfSupport([...clusterSummaries, twin]).map(v => [
        `${v.support.kind} ${v.support.version}`,
        v.support.daysLeft,
        v.clusters.map(c => c.name),
      ]),
    ).toEqual([
      ['kubernetes 1.30', -9, ['web-prod']],
      ['release 32.0.0', 60, ['web-dev, "lab"', 'web-stage']],
    ]);
  });
});

describe('FleetOverviewPage', () => {
  it('counts clusters by version support, each count a filter, and links the clusters of versions near their end', async () => {
    await renderInTestApp(
      <TestApiProvider apis={[[awsClustersApiRef, api]]}>
        <FleetOverviewPage />
        <Location />
      </TestApiProvider>,
    );
    const support = await screen.findByRole('list', {
      name: 'Clusters by version support',
    });
    expect(
      within(support)
        .getAllByRole('button')
        .map(b => b.getAttribute('aria-label')),
    ).toEqual([
      'past end of support: 1 cluster',
      'support ending within 90 days: 1 cluster',
      'extended support: 1 cluster',
      'standard support: 0 clusters',
      'not in the support calendar: 1 cluster',
    ]);
    const nearEnd = screen.getByRole('list', {
      name: 'Versions near or past the end of support',
    });
    expect(nearEnd).toHaveTextContent(
      /Kubernetes 1\.30: support ended 2026-07-23.*web-prod.*Release 32\.0\.0/,
    );
    expect(
      within(nearEnd).getByRole('link', { name: 'web-prod' }),
    ).toHaveAttribute('href', '/catalog/default/resource/mc-prod-web-prod');
    expect(
      screen.getByRole('list', { name: 'Clusters by cost' }),
    ).toBeInTheDocument();

    await userEvent.click(
      within(support).getByRole('button', {
        name: 'past end of support: 1 cluster',
      }),
    );
    expect(screen.getByLabelText('location').textContent).toBe(
      '?support=unsupported',
    );
    expect(screen.getByText('1 of 4 clusters')).toBeInTheDocument();
  });

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
