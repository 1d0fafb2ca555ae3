import { screen } from '@testing-library/react';
import { renderInTestApp } from '@backstage/test-utils';
import {
  clusterVersionSupport,
  versionSupportCalendar,
} from '@clusterdeck/plugin-aws-clusters-common';
import { renderCard } from '../../__testUtils__/renderCard';
import { clusterDetailResponse } from '../../__fixtures__/clusterDetail';
import { VersionSupportBadge } from './VersionSupportBadge';
import { EntityVersionSupportCard } from './VersionSupportCard';

const calendar = versionSupportCalendar({
  releases: {
    '30.2.0': { kubernetesVersion: '1.30', endOfStandardSupport: '2026-07-31' },
  },
});

describe('VersionSupportBadge', () => {
  it('names the status, the deciding version and the days left', async () => {
    // On 2026-06-01, 1.30 is in EKS's extended support until 2026-07-23 (52 days): ending soon.
    const support = clusterVersionSupport(
      { kubernetesVersion: '1.30.4' },
      calendar,
      new Date('2026-06-01T12:00:00Z'),
    );
    await renderInTestApp(<VersionSupportBadge support={support} />);
    expect(screen.getByText('Support ending · 52d')).toBeInTheDocument();
    expect(
      screen.getByLabelText(
        'Support ending: Kubernetes 1.30: extended support ends 2026-07-23 (in 52 days)',
      ),
    ).toBeInTheDocument();
  });

  it('shows an unsupported release and says how long ago support ended', async () => {
    const support = clusterVersionSupport(
      { kubernetesVersion: '1.30', release: '30.2.0' },
      calendar,
      new Date('2026-08-10T00:00:00Z'),
    );
    await renderInTestApp(<VersionSupportBadge support={support} />);
    expect(screen.getByText('Unsupported')).toBeInTheDocument();
    expect(
      screen.getByLabelText(
        /Release 30\.2\.0: support ended 2026-07-31 \(10 days ago\)/,
      ),
    ).toBeInTheDocument();
  });
});

describe('EntityVersionSupportCard', () => {
  it('lists the versions and the EKS upgrade insights, failing ones with their deprecated APIs', async () => {
    const support = clusterVersionSupport(
      { kubernetesVersion: '1.32' },
      calendar,
      new Date('2026-01-10T00:00:00Z'),
    );
    const getCluster = jest.fn().mockResolvedValue({
      ...clusterDetailResponse,
      cluster: {
        ...clusterDetailResponse.cluster,
        flavor: 'eks',
        versionSupport: support,
      },
      upgradeInsights: [
        {
          id: '7f1e2a3b-0000-4000-8000-000000000001',
          name: 'Deprecated APIs removed in Kubernetes v1.33',
          status: 'WARNING',
          reason: 'Deprecated API usage detected within last 30 days.',
          kubernetesVersion: '1.33',
          recommendation:
            'Update manifests and API clients to use newer Kubernetes APIs.',
          deprecations: [
            {
              usage: '/apis/flowcontrol.apiserver.k8s.io/v1beta3/flowschemas',
              replacedWith: '/apis/flowcontrol.apiserver.k8s.io/v1/flowschemas',
              stopServingVersion: '1.32',
              requestsLast30Days: 42,
              clients: ['kubectl/v1.28.2'],
            },
          ],
        },
      ],
    });
    await renderCard(<EntityVersionSupportCard />, getCluster);
    expect(
      await screen.findByText(
        'Kubernetes 1.32: standard support ends 2026-03-23 (in 72 days)',
      ),
    ).toBeInTheDocument();
    expect(
      screen.getByText('1 of 1 checks need attention.'),
    ).toBeInTheDocument();
    expect(
      screen.getByText(
        '/apis/flowcontrol.apiserver.k8s.io/v1beta3/flowschemas',
      ),
    ).toBeInTheDocument();
    expect(
      screen.getByText(/42 requests in 30 days by kubectl/),
    ).toBeInTheDocument();
  });
});
