import { renderInTestApp, TestApiProvider } from '@backstage/test-utils';
import { act, screen, waitFor } from '@testing-library/react';
import { signalApiRef } from '@backstage/plugin-signals-react';
import { fakeSignals } from '../../__testUtils__/fakeSignals';
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

  it('shows a signalled change of a cluster without a reload, keeping the table meanwhile', async () => {
    const { signalApi, send } = fakeSignals();
    const listClusters = jest
      .fn()
      .mockResolvedValueOnce({
        items: [{ ...cluster, status: 'creating', statusReason: 'VPC' }],
        generatedAt: '2026-11-25T00:00:00Z',
        errors: [],
      })
      .mockResolvedValue({
        items: [cluster],
        generatedAt: '2026-11-25T00:00:05Z',
        errors: [],
      });
    const api = {
      ...fakeApi(Promise.resolve({ items: [], generatedAt: '', errors: [] })),
      listClusters,
      getProvisioning: async () => {
        throw new Error('no timeline');
      },
    } as unknown as AwsClustersApi;
    await renderInTestApp(
      <TestApiProvider
        apis={[
          [awsClustersApiRef, api],
          [signalApiRef, signalApi],
        ]}
      >
        <TeamClustersTable owner="group:default/team-a" />
      </TestApiProvider>,
    );
    expect(
      await screen.findByRole('link', { name: 'creating: VPC' }),
    ).toBeInTheDocument();
    act(() => send({ refs: ['mc-prod/org-team-a/payments'] }));
    await waitFor(() => expect(screen.getByText('ready')).toBeInTheDocument());
    expect(listClusters).toHaveBeenCalledTimes(2);
    expect(listClusters).toHaveBeenLastCalledWith({
      owner: 'group:default/team-a',
    });
    expect(screen.queryByRole('progressbar')).not.toBeInTheDocument();
  });

  it('asks again on a timer where signals are not installed', async () => {
    jest.useFakeTimers();
    try {
      const listClusters = jest.fn(async () => ({
        items: [cluster],
        generatedAt: new Date().toISOString(),
        errors: [],
      }));
      const api = {
        ...fakeApi(Promise.resolve({ items: [], generatedAt: '', errors: [] })),
        listClusters,
      } as unknown as AwsClustersApi;
      await renderInTestApp(
        <TestApiProvider apis={[[awsClustersApiRef, api]]}>
          <TeamClustersTable />
        </TestApiProvider>,
      );
      expect(listClusters).toHaveBeenCalledTimes(1);
      await act(async () => {
        jest.advanceTimersByTime(30_000);
      });
      expect(listClusters).toHaveBeenCalledTimes(2);
    } finally {
      jest.useRealTimers();
    }
  });
});
