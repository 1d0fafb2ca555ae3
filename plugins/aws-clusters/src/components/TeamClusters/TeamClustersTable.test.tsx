import { renderInTestApp, TestApiProvider } from '@backstage/test-utils';
import { screen } from '@testing-library/react';
import type {
  ClusterSummary,
  ListResponse,
} from '@clusterdeck/plugin-aws-clusters-common';
import { awsClustersApiRef, AwsClustersApi } from '../../api';
import { TeamClustersTable } from './TeamClustersTable';

const cluster: ClusterSummary = {
  ref: 'mc-prod/org-team-a/payments',
  name: 'payments',
  namespace: 'org-team-a',
  managementCluster: 'mc-prod',
  owner: 'group:default/team-a',
  ownerSource: 'annotation',
  accountId: '123456789012',
  accountName: 'team-a-prod',
  environment: 'production',
  region: 'eu-west-1',
  flavor: 'eks',
  kubernetesVersion: '1.31',
  status: 'ready',
  apiMode: 'private',
  nodes: { desired: 3, ready: 2, min: 1, max: 6 },
  nodePools: 1,
};

function fakeApi(
  response: Promise<ListResponse<ClusterSummary>>,
): AwsClustersApi {
  return {
    listClusters: () => response,
    getBoundaries: async () => ({
      environments: [],
      findings: [],
      generatedAt: new Date().toISOString(),
      errors: [],
    }),
  } as unknown as AwsClustersApi;
}

describe('TeamClustersTable', () => {
  it('lists clusters with a link, status and nodes', async () => {
    await renderInTestApp(
      <TestApiProvider
        apis={[
          [
            awsClustersApiRef,
            fakeApi(
              Promise.resolve({
                items: [cluster],
                generatedAt: new Date().toISOString(),
                errors: [],
              }),
            ),
          ],
        ]}
      >
        <TeamClustersTable />
      </TestApiProvider>,
    );
    const link = await screen.findByRole('link', { name: 'payments' });
    expect(link.getAttribute('href')).toBe(
      '/catalog/default/resource/mc-prod-payments',
    );
    expect(screen.getByText('team-a-prod (123456789012)')).toBeInTheDocument();
    expect(screen.getByText('2/3 (1–6)')).toBeInTheDocument();
    expect(screen.getByText('ready')).toBeInTheDocument();
  });

  it('warns about stale sources', async () => {
    await renderInTestApp(
      <TestApiProvider
        apis={[
          [
            awsClustersApiRef,
            fakeApi(
              Promise.resolve({
                items: [cluster],
                generatedAt: new Date().toISOString(),
                errors: [
                  {
                    source: 'aws:123456789012:eu-west-1',
                    stale: true,
                    error: 'AccessDenied',
                  },
                ],
              }),
            ),
          ],
        ]}
      >
        <TeamClustersTable />
      </TestApiProvider>,
    );
    expect(
      await screen.findByText(/aws:123456789012:eu-west-1/),
    ).toBeInTheDocument();
  });

  it('shows an error when the backend fails', async () => {
    await renderInTestApp(
      <TestApiProvider
        apis={[
          [
            awsClustersApiRef,
            fakeApi(Promise.reject(new Error('backend down'))),
          ],
        ]}
      >
        <TeamClustersTable />
      </TestApiProvider>,
    );
    expect((await screen.findAllByText(/backend down/)).length).toBeGreaterThan(
      0,
    );
  });
});
