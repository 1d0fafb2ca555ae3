import { EntityProvider } from '@backstage/plugin-catalog-react';
import { renderInTestApp, TestApiProvider } from '@backstage/test-utils';
import type { ClusterSummary } from '@clusterdeck/plugin-aws-clusters-common';
import { screen } from '@testing-library/react';
import { awsClustersApiRef, AwsClustersApi } from '../../api';
import {
  AwsClustersPage,
  EntityTeamClustersContent,
} from './TeamClustersContent';

const cluster = {
  ref: 'mc-eu-prod/org-payments/pay-prod',
  name: 'pay-prod',
  namespace: 'org-payments',
  managementCluster: 'mc-eu-prod',
  owner: 'group:default/payments',
  ownerSource: 'annotation',
  flavor: 'ec2',
  status: 'ready',
  apiMode: 'private',
  nodes: { desired: 4, ready: 4, min: 3, max: 10 },
  nodePools: 2,
} as ClusterSummary;

function api() {
  const listClusters = jest.fn(async () => ({
    items: [cluster],
    generatedAt: '2026-11-01T00:00:00Z',
    errors: [],
  }));
  const getBoundaries = async () => ({
    environments: [],
    findings: [],
    generatedAt: '2026-11-01T00:00:00Z',
    errors: [],
  });
  return {
    listClusters,
    value: { listClusters, getBoundaries } as unknown as AwsClustersApi,
  };
}

const group = {
  apiVersion: 'backstage.io/v1alpha1',
  kind: 'Group',
  metadata: { name: 'payments', namespace: 'default' },
  spec: { type: 'team', children: [] },
};

describe('the team clusters views', () => {
  it("shows a group's own clusters on its Clusters tab, with a way to request one", async () => {
    const { listClusters, value } = api();
    await renderInTestApp(
      <TestApiProvider apis={[[awsClustersApiRef, value]]}>
        <EntityProvider entity={group}>
          <EntityTeamClustersContent />
        </EntityProvider>
      </TestApiProvider>,
    );
    expect(
      await screen.findByRole('link', { name: 'pay-prod' }),
    ).toHaveAttribute('href', '/catalog/default/resource/mc-eu-prod-pay-prod');
    expect(listClusters).toHaveBeenCalledWith({
      owner: 'group:default/payments',
    });
    expect(
      screen.getByRole('button', { name: 'Request a cluster' }),
    ).toHaveAttribute('href', '/create/templates/default/request-cluster');
  });

  it('shows every cluster the user may see on the Clusters page', async () => {
    const { listClusters, value } = api();
    await renderInTestApp(
      <TestApiProvider apis={[[awsClustersApiRef, value]]}>
        <AwsClustersPage />
      </TestApiProvider>,
    );
    expect(
      await screen.findByRole('link', { name: 'pay-prod' }),
    ).toBeInTheDocument();
    expect(listClusters).toHaveBeenCalledWith({});
  });
});
