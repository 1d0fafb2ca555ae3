import { renderInTestApp, TestApiProvider } from '@backstage/test-utils';
import { EntityProvider } from '@backstage/plugin-catalog-react';
import { ResponseError } from '@backstage/errors';
import { act, screen, waitFor, within } from '@testing-library/react';
import { signalApiRef } from '@backstage/plugin-signals-react';
import { fakeSignals } from '../../__testUtils__/fakeSignals';
import type { AwsClustersApi, ProvisioningResponse } from '../../api';
import { awsClustersApiRef } from '../../api';
import { clusterEntity } from '../../__fixtures__/clusterDetail';
import {
  EntityClusterProvisioningCard,
  formatDuration,
} from './ProvisioningCard';
import { provisioningPath } from './provisioningLink';

const timeline: ProvisioningResponse = {
  ref: 'golem/org-payments/pay01',
  direction: 'create',
  phase: 'provisioning',
  request: {
    by: 'user:default/alice',
    at: '2026-11-20T09:00:00.000Z',
    branch: 'clusterdeck/payments/pay01/create',
  },
  steps: [
    {
      id: 'requested',
      title: 'Requested by user:default/alice',
      state: 'done',
      at: '2026-11-20T09:00:00.000Z',
    },
    {
      id: 'cluster-object',
      title: 'Cluster object on golem',
      state: 'done',
      at: '2026-11-20T09:02:00.000Z',
    },
    {
      id: 'VpcReady',
      title: 'VPC',
      state: 'done',
      at: '2026-11-20T09:04:00.000Z',
    },
    {
      id: 'NatGatewaysReady',
      title: 'NAT gateways',
      state: 'active',
      reason: 'NatGatewaysCreationStarted',
      message: 'creating 3 NAT gateways',
      source: 'AWSCluster NatGatewaysReady',
    },
    { id: 'LoadBalancerReady', title: 'API load balancer', state: 'pending' },
  ],
  blocking: {
    stepId: 'NatGatewaysReady',
    title: 'NAT gateways',
    reason: 'NatGatewaysCreationStarted',
    message: 'creating 3 NAT gateways',
    since: '2026-11-20T09:04:00.000Z',
    forMs: 12 * 60_000,
  },
  generatedAt: '2026-11-20T09:16:00.000Z',
  sources: [],
};

function render(getProvisioning: AwsClustersApi['getProvisioning']) {
  const api = { getProvisioning } as Partial<AwsClustersApi> as AwsClustersApi;
  return renderInTestApp(
    <TestApiProvider apis={[[awsClustersApiRef, api]]}>
      <EntityProvider entity={clusterEntity}>
        <EntityClusterProvisioningCard />
      </EntityProvider>
    </TestApiProvider>,
  );
}

describe('EntityClusterProvisioningCard', () => {
  it('shows the request, the steps and the blocking one with its reason and duration', async () => {
    const getProvisioning = jest.fn().mockResolvedValue(timeline);
    await render(getProvisioning);
    expect(getProvisioning).toHaveBeenCalledWith({
      managementCluster: 'golem',
      namespace: 'org-payments',
      name: 'pay01',
    });
    expect(await screen.findByText('Provisioning')).toBeInTheDocument();
    expect(
      screen.getByText(
        /Requested by user:default\/alice on .*branch clusterdeck\/payments\/pay01\/create/,
      ),
    ).toBeInTheDocument();
    const active = screen.getByTestId('step-NatGatewaysReady');
    expect(active).toHaveAttribute('data-state', 'active');
    expect(within(active).getByTestId('blocking')).toHaveTextContent(
      'waiting for 12 min',
    );
    expect(within(active).getByTestId('blocking')).toHaveTextContent(
      'NatGatewaysCreationStarted',
    );
    expect(
      within(active).getByText('creating 3 NAT gateways'),
    ).toBeInTheDocument();
    expect(screen.getByTestId('step-VpcReady')).toHaveAttribute(
      'data-state',
      'done',
    );
    expect(screen.getByTestId('step-LoadBalancerReady')).toHaveAttribute(
      'data-state',
      'pending',
    );
  });

  it('names a failing step in an alert and titles deletion as deprovisioning', async () => {
    await render(
      jest.fn().mockResolvedValue({
        ...timeline,
        direction: 'delete',
        phase: 'failed',
        steps: timeline.steps.map(s =>
          s.id === 'NatGatewaysReady' ? { ...s, state: 'failed' } : s,
        ),
        blocking: { ...timeline.blocking!, reason: 'DeletingFailed' },
      }),
    );
    expect(await screen.findByText('Deprovisioning')).toBeInTheDocument();
    expect(screen.getByRole('alert')).toHaveTextContent(
      'NAT gateways: DeletingFailed — creating 3 NAT gateways',
    );
  });

  it('says nothing of a cluster the caller may not see', async () => {
    const notFound = await ResponseError.fromResponse(
      new Response(JSON.stringify({ error: { message: 'no cluster' } }), {
        status: 404,
        headers: { 'content-type': 'application/json' },
      }) as any,
    );
    const getProvisioning = jest.fn().mockRejectedValue(notFound);
    await render(getProvisioning);
    await waitFor(() => expect(getProvisioning).toHaveBeenCalled());
    await waitFor(() =>
      expect(screen.queryByRole('progressbar')).not.toBeInTheDocument(),
    );
    expect(screen.queryByText('Provisioning')).not.toBeInTheDocument();
    expect(screen.queryByText(/no cluster/)).not.toBeInTheDocument();
  });
});

describe('EntityClusterProvisioningCard with signals', () => {
  it('fetches again when its cluster is signalled, not for other clusters', async () => {
    const { signalApi, send } = fakeSignals();
    const getProvisioning = jest
      .fn()
      .mockResolvedValueOnce(timeline)
      .mockResolvedValue({ ...timeline, phase: 'ready', blocking: undefined });
    const api = {
      getProvisioning,
    } as Partial<AwsClustersApi> as AwsClustersApi;
    await renderInTestApp(
      <TestApiProvider
        apis={[
          [awsClustersApiRef, api],
          [signalApiRef, signalApi],
        ]}
      >
        <EntityProvider entity={clusterEntity}>
          <EntityClusterProvisioningCard />
        </EntityProvider>
      </TestApiProvider>,
    );
    expect(await screen.findByText('live')).toBeInTheDocument();
    expect(getProvisioning).toHaveBeenCalledTimes(1);
    act(() => send({ refs: ['golem/org-web/other'] }));
    expect(getProvisioning).toHaveBeenCalledTimes(1);
    act(() => send({ refs: ['golem/org-payments/pay01'] }));
    await waitFor(() =>
      expect(screen.getByTestId('provisioning-phase')).toHaveTextContent(
        'ready',
      ),
    );
    expect(getProvisioning).toHaveBeenCalledTimes(2);
  });
});

describe('provisioning links', () => {
  it('point at the entity page anchor of the card', () => {
    expect(
      provisioningPath({ managementCluster: 'golem', name: 'pay01' }),
    ).toBe('/catalog/default/resource/golem-pay01#provisioning');
  });

  it('formats durations people read', () => {
    expect(formatDuration(45_000)).toBe('45 s');
    expect(formatDuration(12 * 60_000)).toBe('12 min');
    expect(formatDuration(125 * 60_000)).toBe('2 h 5 min');
  });
});
