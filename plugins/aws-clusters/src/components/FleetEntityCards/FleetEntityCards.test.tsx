import { renderInTestApp, TestApiProvider } from '@backstage/test-utils';
import { EntityProvider } from '@backstage/plugin-catalog-react';
import { fireEvent, screen, within } from '@testing-library/react';
import { awsClustersApiRef, type AwsClustersApi } from '../../api';
import {
  clusterFindings,
  clusterSummaries,
} from '../../__fixtures__/clusterSummaries';
import { EntityAccountCard } from './AccountCard';
import { EntityManagementClusterCard } from './ManagementClusterCard';
import { CLUSTER_LIST_PAGE, ClusterList } from './ClusterList';

/** The clusters the backend answers: those of the management cluster or account asked for. */
const listClusters = jest.fn(
  async (options: { managementCluster?: string; accountId?: string } = {}) => ({
    items: clusterSummaries.filter(
      c =>
        (!options.managementCluster ||
          c.managementCluster === options.managementCluster) &&
        (!options.accountId || c.accountId === options.accountId),
    ),
    generatedAt: '',
    errors: [],
  }),
);

const api = {
  listClusters,
  listRoleIdentities: jest.fn(async () => ({
    items: [
      {
        name: 'payments-prod',
        managementCluster: 'mc-prod',
        roleARN: 'arn:aws:iam::123456789012:role/payments-prod',
        accountId: '123456789012',
      },
    ],
    generatedAt: '',
    errors: [],
  })),
  listAccounts: async () => ({
    items: [
      {
        id: '123456789012',
        name: 'production',
        environment: 'production',
        accessModel: 'audited-no-access',
        owners: [],
        regions: ['eu-west-1'],
        clusterCount: 2,
        usage: [
          {
            region: 'eu-west-1',
            vpcs: 2,
            elasticIps: 3,
            runningVcpus: 10,
            quotas: { vpcs: 5, elasticIps: 5 },
          },
        ],
      },
    ],
    generatedAt: '',
    errors: [],
  }),
  getBoundaries: async () => ({
    environments: [],
    findings: clusterFindings,
    generatedAt: '',
    errors: [],
  }),
} as unknown as AwsClustersApi;

const render = (entity: any, card: JSX.Element, withApi = api) =>
  renderInTestApp(
    <TestApiProvider apis={[[awsClustersApiRef, withApi]]}>
      <EntityProvider entity={entity}>{card}</EntityProvider>
    </TestApiProvider>,
  );

const accountEntity = {
  apiVersion: 'backstage.io/v1alpha1',
  kind: 'Resource',
  metadata: {
    name: 'aws-account-production',
    annotations: { 'clusterdeck.io/account-id': '123456789012' },
  },
  spec: { type: 'aws-account' },
};

const managementClusterEntity = {
  apiVersion: 'backstage.io/v1alpha1',
  kind: 'Resource',
  metadata: {
    name: 'mc-prod',
    annotations: { 'clusterdeck.io/management-cluster': 'mc-prod' },
  },
};

describe('fleet entity cards', () => {
  beforeEach(() => listClusters.mockClear());

  it('lists a management cluster’s workload clusters with status and its role identities', async () => {
    await render(managementClusterEntity, <EntityManagementClusterCard />);
    expect(
      await screen.findByRole('link', { name: 'pay-prod' }),
    ).toBeInTheDocument();
    expect(screen.getByRole('link', { name: 'web-prod' })).toBeInTheDocument();
    expect(screen.queryByRole('link', { name: 'pay-dev' })).toBeNull();
    expect(
      screen.getByText(/creating: control plane not initialized/),
    ).toBeInTheDocument();
    expect(
      screen.getByText(/arn:aws:iam::123456789012:role\/payments-prod/),
    ).toBeInTheDocument();
    expect(api.listRoleIdentities).toHaveBeenCalledWith({
      managementCluster: 'mc-prod',
    });
    // The backend answers the management cluster's clusters only, not the whole fleet.
    expect(listClusters.mock.calls).toEqual([
      [{ managementCluster: 'mc-prod' }],
    ]);
  });

  it('shows a management cluster’s long list a page at a time', async () => {
    const many = Array.from({ length: CLUSTER_LIST_PAGE + 10 }, (_, i) => ({
      ...clusterSummaries[0],
      ref: `mc-prod/org-payments/pay-${i}`,
      name: `pay-${i}`,
    }));
    const long = {
      ...api,
      listClusters: async () => ({ items: many, generatedAt: '', errors: [] }),
    } as unknown as AwsClustersApi;
    await render(
      managementClusterEntity,
      <EntityManagementClusterCard />,
      long,
    );
    expect(
      await screen.findByText(`Workload clusters you may see (${many.length})`),
    ).toBeInTheDocument();
    expect(
      screen.getByText(`${CLUSTER_LIST_PAGE} of ${many.length} shown`),
    ).toBeInTheDocument();
    expect(screen.getByRole('link', { name: 'pay-0' })).toBeInTheDocument();
    expect(
      screen.queryByRole('link', { name: `pay-${CLUSTER_LIST_PAGE}` }),
    ).toBeNull();
    fireEvent.click(screen.getByRole('button', { name: 'Show 10 more' }));
    expect(
      screen.getByRole('link', { name: `pay-${many.length - 1}` }),
    ).toBeInTheDocument();
  }, 30_000);

  it('shows an account’s clusters per region, quota headroom, access model and findings', async () => {
    await render(accountEntity, <EntityAccountCard />);
    const region = await screen.findByRole('heading', { name: 'eu-west-1' });
    expect(region).toBeInTheDocument();
    expect(await screen.findByText('audited-no-access')).toBeInTheDocument();
    expect(
      screen.getByText('eu-west-1: 2 of 5 VPCs, 3 of 5 Elastic IPs in use'),
    ).toBeInTheDocument();
    expect(screen.getByRole('link', { name: 'pay-prod' })).toBeInTheDocument();
    expect(screen.queryByRole('link', { name: 'pay-dev' })).toBeNull();
    const alert = screen.getByRole('alert');
    expect(
      within(alert).getByText('Production API reachable from anywhere'),
    ).toBeInTheDocument();
    expect(listClusters.mock.calls).toEqual([[{ accountId: '123456789012' }]]);
  });

  it('shows a long list a page at a time, and all of it on request', async () => {
    const many = Array.from({ length: 2 * CLUSTER_LIST_PAGE + 3 }, (_, i) => ({
      ...clusterSummaries[0],
      ref: `mc-prod/org-payments/pay-${i}`,
      name: `pay-${i}`,
    }));
    await renderInTestApp(<ClusterList clusters={many} />);
    const links = () => screen.getAllByRole('link').map(a => a.textContent);
    expect(links()).toEqual(many.slice(0, CLUSTER_LIST_PAGE).map(c => c.name));
    expect(
      screen.getByText(`${CLUSTER_LIST_PAGE} of ${many.length} shown`),
    ).toBeInTheDocument();
    fireEvent.click(
      screen.getByRole('button', { name: `Show ${CLUSTER_LIST_PAGE} more` }),
    );
    expect(links()).toHaveLength(2 * CLUSTER_LIST_PAGE);
    expect(screen.getByRole('button', { name: 'Show 3 more' })).toBeEnabled();
    fireEvent.click(
      screen.getByRole('button', { name: `Show all ${many.length}` }),
    );
    expect(links()).toEqual(many.map(c => c.name));
    expect(screen.queryByRole('button', { name: /^Show/ })).toBeNull();
    // Some fifty Backstage links drawn three times in jsdom, on a busy machine.
  }, 30_000);

  it('shows an account’s clusters before its boundaries are in', async () => {
    const slow = {
      ...api,
      getBoundaries: () => new Promise(() => {}),
    } as unknown as AwsClustersApi;
    await render(accountEntity, <EntityAccountCard />, slow);
    expect(
      await screen.findByRole('link', { name: 'pay-prod' }),
    ).toBeInTheDocument();
    expect(screen.queryByText('audited-no-access')).toBeNull();
  });
});
