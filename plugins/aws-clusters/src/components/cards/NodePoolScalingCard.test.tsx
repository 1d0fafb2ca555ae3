import { screen, waitFor, within } from '@testing-library/react';
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
    expect(screen.getByText('At its maximum of 3 nodes')).toBeInTheDocument();
    // The backend's warning saying the same is not repeated.
    expect(screen.queryByText('at its maximum of 3 nodes')).toBeNull();
    expect(screen.getByText('1 node not ready')).toBeInTheDocument();
    expect(screen.getByText(/eu-west-1c \(1\)/)).toBeInTheDocument();
    const link = screen.getByRole('link', { name: 'Change this pool: system' });
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

  it('lists failed activities first with AWS’s cause, says why a pool does not scale, and draws its size over time', async () => {
    const detail = structuredClone(clusterDetailResponse);
    detail.nodePools[0].activities = [
      {
        time: '2026-11-25T01:00:00Z',
        description: 'Launching a new EC2 instance: i-01',
        status: 'successful',
        cause:
          'At 2026-11-25T00:59:00Z a user request update of AutoScalingGroup constraints to min: 3, max: 10, desired: 6 changing the desired capacity from 4 to 6. At 2026-11-25T01:00:00Z an instance was started in response to a difference between desired and actual capacity, increasing the capacity from 4 to 5.',
      },
      {
        time: '2026-11-25T03:00:00Z',
        description:
          'Launching a new EC2 instance.  Status Reason: Could not launch Spot Instances.',
        status: 'failed',
        cause:
          'Could not launch Spot Instances. InsufficientInstanceCapacity - There is no Spot capacity available that matches your request. Launching EC2 instance failed.',
      },
      {
        time: '2026-11-25T04:00:00Z',
        description: 'Launching a new EC2 instance: i-02',
        status: 'successful',
        cause:
          'At 2026-11-25T04:00:00Z an instance was started in response to a difference between desired and actual capacity, increasing the capacity from 5 to 6.',
      },
    ];
    await renderCard(<EntityNodePoolScalingCard />, async () => detail);
    const list = await screen.findByRole('list', {
      name: 'Scaling activities of general',
    });
    const items = within(list).getAllByRole('listitem');
    expect(items[0]).toHaveTextContent(/^failed/);
    expect(items[0]).toHaveTextContent(
      'AWS says: Could not launch Spot Instances. InsufficientInstanceCapacity',
    );
    expect(items[1]).toHaveTextContent('i-02');
    const why = screen.getByRole('group', {
      name: 'Why general is not scaling',
    });
    expect(
      within(why).getByText('AWS could not launch instances (1 failed launch)'),
    ).toBeInTheDocument();
    expect(
      screen.getByRole('img', { name: /^general size over time: / }),
    ).toHaveAccessibleName(
      'general size over time: 2026-11-25T00:59:59.999Z: current 4; 2026-11-25T01:00:00.000Z: desired 6, current 5; 2026-11-25T04:00:00.000Z: current 6; 2026-11-25T04:55:00.000Z: desired 6, current 6',
    );
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

  it('draws nothing when the fleet answers that the user may not see the cluster (the boundaries card says whose it is)', async () => {
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
    const detail = jest.fn(async () => {
      throw error;
    });
    await renderCard(<EntityNodePoolScalingCard />, detail);
    await waitFor(() => expect(detail).toHaveBeenCalled());
    await waitFor(() =>
      expect(screen.queryByRole('progressbar')).not.toBeInTheDocument(),
    );
    expect(screen.queryByText('Node-pool scaling')).not.toBeInTheDocument();
    expect(
      screen.queryByText(/only its team and the platform team/),
    ).not.toBeInTheDocument();
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
