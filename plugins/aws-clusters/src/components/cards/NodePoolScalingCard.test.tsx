import { screen } from '@testing-library/react';
import { ResponseError } from '@backstage/errors';
import {
  EntityNodePoolScalingCard,
  changeNodePoolLink,
} from './NodePoolScalingCard';
import { renderCard } from '../../__testUtils__/renderCard';
import {
  clusterDetailResponse,
  emptyClusterDetailResponse,
  staleClusterDetailResponse,
} from '../../__fixtures__/clusterDetail';

describe('EntityNodePoolScalingCard', () => {
  it('shows progress while loading', async () => {
    await renderCard(
      <EntityNodePoolScalingCard />,
      () => new Promise(() => {}),
    );
    expect(screen.getByTestId('progress')).toBeInTheDocument();
  });

  it('shows each pool with its sizes, kind, spread, warnings and a prefilled change link', async () => {
    const getCluster = jest.fn().mockResolvedValue(clusterDetailResponse);
    await renderCard(<EntityNodePoolScalingCard />, getCluster);
    expect(getCluster).toHaveBeenCalledWith({
      managementCluster: 'golem',
      namespace: 'org-payments',
      name: 'pay01',
    });
    expect(
      await screen.findByText(
        'min 3 / desired 6 / current 6 (ready 6) / max 10',
      ),
    ).toBeInTheDocument();
    expect(screen.getByText('ASG + cluster-autoscaler')).toBeInTheDocument();
    expect(screen.getByText('Karpenter')).toBeInTheDocument();
    expect(screen.getByText('EKS managed node group')).toBeInTheDocument();
    expect(
      screen.getByText(/limits cpu 200, memory 800Gi/),
    ).toBeInTheDocument();
    expect(screen.getByText('spot')).toBeInTheDocument();
    expect(screen.getByText('at its maximum of 3 nodes')).toBeInTheDocument();
    expect(screen.getByText('1 node not ready')).toBeInTheDocument();
    expect(screen.getByText(/eu-west-1c \(1\)/)).toBeInTheDocument();
    const link = screen.getByRole('link', { name: 'change node pool system' });
    const href = link.getAttribute('href')!;
    expect(href).toContain(
      '/create/templates/default/change-node-pool?formData=',
    );
    expect(JSON.parse(decodeURIComponent(href.split('formData=')[1]))).toEqual({
      cluster: 'golem/org-payments/pay01',
      pool: 'system',
    });
    expect(
      screen.queryByText(/Data may be out of date/),
    ).not.toBeInTheDocument();
  });

  it('shows an empty state without pools', async () => {
    await renderCard(
      <EntityNodePoolScalingCard />,
      async () => emptyClusterDetailResponse,
    );
    expect(await screen.findByText('No node pools')).toBeInTheDocument();
  });

  it('shows the error', async () => {
    const response = new Response(
      JSON.stringify({
        error: {
          name: 'ServiceUnavailableError',
          message: 'the fleet is loading',
        },
      }),
      {
        status: 503,
        headers: { 'Content-Type': 'application/json' },
      },
    );
    const error = await ResponseError.fromResponse(response);
    await renderCard(<EntityNodePoolScalingCard />, async () => {
      throw error;
    });
    expect(await screen.findAllByText(/the fleet is loading/)).not.toHaveLength(
      0,
    );
  });

  it('names the owning team in one line when the fleet answers that the user may not see the cluster', async () => {
    const response = new Response(
      JSON.stringify({
        error: {
          name: 'NotFoundError',
          message: 'no cluster pay01 in org-payments on golem',
        },
      }),
      {
        status: 404,
        headers: { 'Content-Type': 'application/json' },
      },
    );
    const error = await ResponseError.fromResponse(response);
    await renderCard(<EntityNodePoolScalingCard />, async () => {
      throw error;
    });
    expect(
      await screen.findByText(
        /only its team and the platform team see its details/,
      ),
    ).toBeInTheDocument();
    expect(screen.queryByText(/no cluster pay01/)).not.toBeInTheDocument();
  });

  it('warns which source is stale and why', async () => {
    await renderCard(
      <EntityNodePoolScalingCard />,
      async () => staleClusterDetailResponse,
    );
    expect(
      await screen.findByText(
        /Data may be out of date: 1 source failed to refresh/,
      ),
    ).toBeInTheDocument();
    expect(
      screen.getByText(/AccessDenied: not authorized/),
    ).toBeInTheDocument();
    expect(screen.getByText('aws:123456789012:eu-west-1')).toBeInTheDocument();
  });

  it('encodes the change link', () => {
    expect(
      changeNodePoolLink(
        { managementCluster: 'a', namespace: 'b', name: 'c' },
        'p&q',
      ),
    ).toBe(
      `/create/templates/default/change-node-pool?formData=${encodeURIComponent(
        '{"cluster":"a/b/c","pool":"p&q"}',
      )}`,
    );
  });
});
