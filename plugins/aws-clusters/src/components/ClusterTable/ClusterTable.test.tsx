import { renderInTestApp, TestApiProvider } from '@backstage/test-utils';
import type { ProvisioningTimeline } from '@clusterdeck/plugin-aws-clusters-common';
import { awsClustersApiRef, type AwsClustersApi } from '../../api';
import { screen, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { captureDownloads } from '../../__testUtils__/captureDownloads';
import { useLocation } from 'react-router-dom';
import {
  clusterFindings,
  clusterSummaries,
} from '../../__fixtures__/clusterSummaries';
import { ClusterTable } from './ClusterTable';
import { ClusterStatusCell } from './ClusterStatusCell';
import { findingsByCluster } from './clusterFilters';

function Location() {
  return <output aria-label="location">{useLocation().search}</output>;
}

/**
 * web-prod's timeline while CAPA creates its VPC: the AWSCluster's VpcReady condition is False
 * with reason VpcCreationStarted (CAPA's conditions for AWSCluster).
 */
const creatingTimeline: ProvisioningTimeline = {
  ref: 'mc-prod/org-web/web-prod',
  direction: 'create',
  phase: 'provisioning',
  steps: [
    { id: 'requested', title: 'Requested', state: 'done' },
    { id: 'cluster-object', title: 'Cluster object created', state: 'done' },
    {
      id: 'VpcReady',
      title: 'VPC',
      state: 'active',
      reason: 'VpcCreationStarted',
      source: 'AWSCluster VpcReady',
    },
    { id: 'SubnetsReady', title: 'Subnets', state: 'pending' },
  ],
  blocking: {
    stepId: 'VpcReady',
    title: 'VPC',
    reason: 'VpcCreationStarted',
    since: '2026-11-25T00:01:00Z',
    forMs: 60_000,
  },
  generatedAt: '2026-11-25T00:02:00Z',
};

const getProvisioning = jest.fn(async (ref: { name: string }) => {
  if (ref.name === 'web-prod') return { ...creatingTimeline, sources: [] };
  throw new Error(`no timeline of ${ref.name}`);
});

async function renderTable(url = '/') {
  return renderInTestApp(
    <TestApiProvider
      apis={[
        [awsClustersApiRef, { getProvisioning } as unknown as AwsClustersApi],
      ]}
    >
      <ClusterTable
        clusters={clusterSummaries}
        findings={findingsByCluster(clusterFindings)}
      />
      <Location />
    </TestApiProvider>,
    { routeEntries: [url] },
  );
}

const rowNames = () =>
  screen
    .getAllByRole('row')
    .slice(1)
    .map(r => within(r).queryAllByRole('link')[0]?.textContent)
    .filter(Boolean);

// The table renders every row and column in jsdom; a slow machine takes seconds per interaction.
jest.setTimeout(60_000);

describe('ClusterTable', () => {
  it('shows status with its reason, version, age, nodes, pools and findings', async () => {
    await renderTable();
    const row = screen.getByRole('link', { name: 'pay-dev' }).closest('tr')!;
    expect(
      within(row).getByText(
        'degraded: pool spot0 is 3 short of its desired 20',
      ),
    ).toBeInTheDocument();
    expect(within(row).getByText('1.9')).toBeInTheDocument();
    expect(within(row).getByText('17/20 (0–20)')).toBeInTheDocument();
    const prod = screen.getByRole('link', { name: 'pay-prod' }).closest('tr')!;
    expect(within(prod).getByText('2 (critical)')).toBeInTheDocument();
    expect(
      within(prod).getByText(/^findings: critical: Production API/),
    ).toBeInTheDocument();
    expect(within(prod).getByText(/ d$/)).toBeInTheDocument();
  });

  it('shows each version with its support badge and each cluster’s cost', async () => {
    await renderTable();
    const row = (name: string) =>
      screen.getByRole('link', { name }).closest('tr')!;
    expect(
      within(row('pay-prod')).getByLabelText(
        'Extended support: Kubernetes 1.31: extended support ends 2026-11-26 (in 117 days)',
      ),
    ).toBeInTheDocument();
    expect(
      within(row('web-prod')).getByLabelText(/^Unsupported: Kubernetes 1\.30/),
    ).toBeInTheDocument();
    expect(
      within(row('web-dev, "lab"')).getByText('Support ending · 60d'),
    ).toBeInTheDocument();
    expect(
      within(row('pay-prod')).getByText('$1,240.50 so far'),
    ).toBeInTheDocument();
    expect(
      within(row('pay-prod')).getByText('Aug 2026, estimated'),
    ).toBeInTheDocument();
    expect(within(row('pay-dev')).getByText('Jul 2026')).toBeInTheDocument();
    expect(
      within(row('pay-dev')).getByText('$80.00 last month'),
    ).toBeInTheDocument();
    expect(
      within(row('web-prod')).getByText('tag not active'),
    ).toBeInTheDocument();
  });

  it('links a cluster being created to its provisioning timeline, naming the step it is on', async () => {
    await renderTable();
    const link = screen.getByRole('link', {
      name: 'creating: control plane not initialized',
    });
    expect(link).toHaveAttribute(
      'href',
      '/catalog/default/resource/mc-prod-web-prod#provisioning',
    );
    expect(await screen.findByText('step: VPC')).toBeInTheDocument();
    // A requested cluster links too, without a step when its timeline cannot be read.
    expect(screen.getByRole('link', { name: 'requested' })).toHaveAttribute(
      'href',
      expect.stringMatching(/#provisioning$/),
    );
    // A ready cluster's status is no link.
    expect(screen.queryByRole('link', { name: 'ready' })).toBeNull();
  });

  it('cuts a long status reason in a cell, keeping all of it in the tooltip', async () => {
    // An Auto Scaling activity's cause as AWS words it, with CAPA's status prefix.
    const reason =
      'node pool spot0: scaling activity failed: Could not launch Spot Instances. InsufficientInstanceCapacity - There is no Spot capacity available that matches your request. Launching EC2 instance failed.';
    await renderInTestApp(
      <ClusterStatusCell
        cluster={{
          ...clusterSummaries[1],
          status: 'degraded',
          statusReason: reason,
        }}
      />,
    );
    const shown = screen.getByText(/^degraded: node pool spot0/);
    expect(shown.textContent).toHaveLength(120);
    expect(shown.textContent).toMatch(/…$/);
    expect(screen.getByTitle(`degraded: ${reason}`)).toBeInTheDocument();
  });

  it('filters by version support, named in words with the warning period', async () => {
    await renderTable('/?support=unsupported&support=ending-soon');
    expect(rowNames()).toEqual(['web-prod', 'web-dev, "lab"']);
    await userEvent.click(screen.getByLabelText('Version support'));
    expect(
      within(screen.getByRole('listbox')).getByText(
        'support ending within 90 days (1)',
      ),
    ).toBeInTheDocument();
  });

  it('takes its filters from the URL and writes changes back to it', async () => {
    await renderTable('/?status=degraded&status=creating');
    expect(rowNames()).toEqual(['pay-dev', 'web-prod']);
    expect(screen.getByText('2 of 4 clusters')).toBeInTheDocument();

    await userEvent.click(screen.getByLabelText('Management cluster'));
    await userEvent.click(
      within(screen.getByRole('listbox')).getByText('mc-prod (2)'),
    );
    await userEvent.keyboard('{Escape}');
    expect(rowNames()).toEqual(['web-prod']);
    expect(screen.getByLabelText('location').textContent).toBe(
      '?status=degraded&status=creating&managementCluster=mc-prod',
    );

    await userEvent.click(
      screen.getByRole('button', { name: 'Clear filters' }),
    );
    expect(rowNames()).toHaveLength(4);
    expect(screen.getByLabelText('location').textContent).toBe('');
  });

  it('sorts by a column, keeping the order in the URL', async () => {
    await renderTable('/?sort=version&dir=desc');
    // Descending: the cluster whose version is not known yet first, then the newest.
    expect(rowNames()).toEqual([
      'web-dev, "lab"',
      'pay-prod',
      'web-prod',
      'pay-dev',
    ]);
    // A new column keeps the direction of the last one.
    const findingsHeader = () =>
      screen.getAllByRole('button', { name: 'Findings' })[0];
    await userEvent.click(findingsHeader());
    expect(screen.getByLabelText('location').textContent).toBe(
      '?sort=findings&dir=desc',
    );
    expect(rowNames()[0]).toBe('pay-prod');
    // After descending, a click drops the order: the clusters come as served.
    await userEvent.click(findingsHeader());
    expect(screen.getByLabelText('location').textContent).toBe('');
    expect(rowNames()).toEqual(clusterSummaries.map(c => c.name));
  });

  it('downloads the rows shown as CSV', async () => {
    const blobs = captureDownloads();
    await renderTable('/?flavor=ec2&sort=name&dir=desc');
    await userEvent.click(screen.getByRole('button', { name: 'Download CSV' }));
    const lines = (await blobs[0].text()).trim().split('\r\n');
    expect(lines.map(l => l.split(',')[0])).toEqual([
      'ref',
      'mc-prod/org-web/web-prod',
      '"mc-dev/org-web/web-dev',
      'mc-prod/org-payments/pay-prod',
    ]);
  });
});
