import { renderInTestApp } from '@backstage/test-utils';
import { screen, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { captureDownloads } from '../../__testUtils__/captureDownloads';
import { useLocation } from 'react-router-dom';
import {
  clusterFindings,
  clusterSummaries,
} from '../../__fixtures__/clusterSummaries';
import { ClusterTable } from './ClusterTable';
import { findingsByCluster } from './clusterFilters';

function Location() {
  return <output aria-label="location">{useLocation().search}</output>;
}

async function renderTable(url = '/') {
  return renderInTestApp(
    <>
      <ClusterTable
        clusters={clusterSummaries}
        findings={findingsByCluster(clusterFindings)}
      />
      <Location />
    </>,
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
