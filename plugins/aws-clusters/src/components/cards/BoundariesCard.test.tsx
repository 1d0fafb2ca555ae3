import { ResponseError } from '@backstage/errors';
import { screen } from '@testing-library/react';
import { EntityClusterBoundariesCard } from './BoundariesCard';
import { renderCard } from '../../__testUtils__/renderCard';
import {
  clusterDetailResponse,
  emptyClusterDetailResponse,
  staleClusterDetailResponse,
} from '../../__fixtures__/clusterDetail';

describe('EntityClusterBoundariesCard', () => {
  it('shows progress while loading', async () => {
    await renderCard(
      <EntityClusterBoundariesCard />,
      () => new Promise(() => {}),
    );
    expect(screen.getByTestId('progress')).toBeInTheDocument();
  });

  it('nests environment, account, VPC and cluster, with access and findings', async () => {
    await renderCard(
      <EntityClusterBoundariesCard />,
      async () => clusterDetailResponse,
    );
    const account = await screen.findByRole('group', {
      name: 'Account payments-prod (123456789012)',
    });
    const environment = screen.getByRole('group', {
      name: 'Environment production',
    });
    expect(environment).toContainElement(account);
    const vpc = screen.getByRole('group', {
      name: 'VPC vpc-0a1b2c3d4e5f60001 10.20.0.0/16',
    });
    expect(account).toContainElement(vpc);
    expect(vpc).toContainElement(
      screen.getByRole('group', { name: 'Cluster pay01' }),
    );
    expect(screen.getByText('dedicated')).toBeInTheDocument();
    expect(screen.getByText('access: developer-debug')).toBeInTheDocument();
    expect(
      screen.getByText('group:default/platform: administrator'),
    ).toBeInTheDocument();
    expect(
      screen.getByText('Production API reachable from anywhere'),
    ).toBeInTheDocument();
    expect(
      screen.getByText(/restrict it or make it private/),
    ).toBeInTheDocument();
  });

  it('says an account is shared with other teams when the caller sees only their own team in it', async () => {
    const shared = structuredClone(clusterDetailResponse);
    shared.boundaries!.environments[0].accounts[0].shared = true;
    await renderCard(<EntityClusterBoundariesCard />, async () => shared);
    expect(
      await screen.findByText('shared with other teams'),
    ).toBeInTheDocument();
    expect(screen.queryByText(/shared by 1 teams/)).not.toBeInTheDocument();
  });

  it('shows an empty state when the cluster has no boundaries yet', async () => {
    await renderCard(
      <EntityClusterBoundariesCard />,
      async () => emptyClusterDetailResponse,
    );
    expect(await screen.findByText('No boundaries known')).toBeInTheDocument();
  });

  it('shows the error', async () => {
    await renderCard(<EntityClusterBoundariesCard />, async () => {
      throw new Error('backend unreachable');
    });
    expect(await screen.findAllByText(/backend unreachable/)).not.toHaveLength(
      0,
    );
  });

  it("says whose cluster it is, with no error box, when the cluster is another team's", async () => {
    // What the fleet answers for a cluster the user may not see.
    const error = await ResponseError.fromResponse(
      new Response(
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
      ),
    );
    await renderCard(<EntityClusterBoundariesCard />, async () => {
      throw error;
    });
    expect(
      await screen.findByText(
        /only its team and the platform team see its details/,
      ),
    ).toBeInTheDocument();
    expect(screen.getByRole('link', { name: /payments/ })).toBeInTheDocument();
    expect(screen.queryByText(/no cluster pay01/)).not.toBeInTheDocument();
  });

  it('shows a finding the platform team accepted as accepted, with its reason, not as a warning', async () => {
    const finding = {
      code: 'teams-share-account' as const,
      severity: 'info' as const,
      title: 'Teams share an account',
      explanation: 'web and payments run clusters in the development account.',
      subjects: ['444455556666'],
      accepted: {
        severity: 'warning' as const,
        reason: 'development accounts are shared by design',
      },
    };
    await renderCard(<EntityClusterBoundariesCard />, async () => ({
      ...clusterDetailResponse,
      boundaries: { ...clusterDetailResponse.boundaries, findings: [finding] },
    }));
    expect(
      await screen.findByText(/Teams share an account \(accepted\)/),
    ).toBeInTheDocument();
    expect(
      screen.getByText(
        /accepts this warning finding here: development accounts are shared by design/,
      ),
    ).toBeInTheDocument();
    expect(screen.getByRole('alert')).toHaveClass(/standardInfo/);
  });

  it('warns of stale data', async () => {
    await renderCard(
      <EntityClusterBoundariesCard />,
      async () => staleClusterDetailResponse,
    );
    expect(
      await screen.findByText(/Data may be out of date/),
    ).toBeInTheDocument();
    expect(
      screen.getByText('Production API reachable from anywhere'),
    ).toBeInTheDocument();
  });
});
