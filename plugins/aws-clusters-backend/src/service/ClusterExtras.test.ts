import { ConfigReader } from '@backstage/config';
import { readClusterdeckConfig } from '@clusterdeck/plugin-aws-clusters-node';
import type { ClusterRecord } from '../fleet/buildFleetModel';
import { upgradeInsightsView } from '../fleet/upgradeInsightsView';
import { ClusterExtras } from './ClusterExtras';

const config = readClusterdeckConfig(
  new ConfigReader({
    clusterdeck: {
      versionSupport: {
        warnDays: 60,
        releases: {
          '31.1.0': {
            kubernetesVersion: '1.31',
            endOfStandardSupport: '2026-12-31',
          },
        },
      },
    },
  }),
);

/** A cluster as the join leaves it: only what the summary and the insights read. */
function record(options: {
  flavor: 'ec2' | 'eks';
  version?: string;
  release?: string;
  insights?: any[];
}): ClusterRecord {
  return {
    ref: 'mc/org-search/search-eks',
    name: 'search-eks',
    namespace: 'org-search',
    managementCluster: 'mc',
    owner: 'group:default/search',
    ownerSource: 'annotation',
    flavor: options.flavor,
    cluster: {
      apiVersion: 'cluster.x-k8s.io/v1beta2',
      kind: 'Cluster',
      metadata: {
        name: 'search-eks',
        namespace: 'org-search',
        labels: options.release
          ? { 'release.giantswarm.io/version': options.release }
          : {},
      },
      spec: { topology: { version: options.version } },
    },
    eksClusterName: options.flavor === 'eks' ? 'search-eks' : undefined,
    controlPlane:
      options.flavor === 'eks'
        ? ({ spec: { eksClusterName: 'search-eks' } } as any)
        : undefined,
    region_: {
      snapshot: { eksInsights: options.insights ?? [] },
      eksClusters: new Map(),
    } as any,
    status: 'ready',
    pools: [],
    api: { apiMode: 'public' } as any,
    sources: [],
  } as ClusterRecord;
}

describe('ClusterExtras', () => {
  it('judges the version on the day of the answer, and the release where it decides', () => {
    let now = new Date('2026-11-15T00:00:00Z');
    const extras = new ClusterExtras(config, undefined, () => now);
    const eks = extras.summary(record({ flavor: 'eks', version: 'v1.31.2' }));
    // 1.31: EKS's standard support ended 2025-11-26, extended support lasts to 2026-11-26.
    expect(eks.versionSupport).toEqual({
      kubernetes: expect.objectContaining({
        version: '1.31',
        status: 'ending-soon',
        phase: 'extended',
        endsOn: '2026-11-26',
        daysLeft: 11,
      }),
      status: 'ending-soon',
    });
    expect(eks.cost).toBeUndefined();
    const stamp = extras.stamp();
    now = new Date('2026-11-16T00:00:00Z');
    expect(extras.stamp()).not.toBe(stamp);

    now = new Date('2026-06-01T00:00:00Z');
    const ec2 = extras.summary(
      record({ flavor: 'ec2', version: 'v1.31.2', release: '31.1.0' }),
    );
    expect(ec2.versionSupport?.status).toBe('extended');
    expect(ec2.versionSupport?.release).toEqual(
      expect.objectContaining({ status: 'supported', daysLeft: 213 }),
    );
  });
});

describe('upgradeInsightsView', () => {
  it('shows an EKS cluster’s upgrade insights, failing first, with the deprecated APIs summed per client', () => {
    const insights = upgradeInsightsView(
      record({
        flavor: 'eks',
        insights: [
          {
            clusterName: 'search-eks',
            id: 'b',
            name: 'Kubelet version skew',
            category: 'UPGRADE_READINESS',
            insightStatus: { status: 'PASSING', reason: 'No issue detected.' },
          },
          {
            clusterName: 'search-eks',
            id: 'a',
            name: 'Deprecated APIs removed in Kubernetes v1.32',
            category: 'UPGRADE_READINESS',
            kubernetesVersion: '1.32',
            lastRefreshTime: '2026-11-01T04:12:09Z',
            insightStatus: { status: 'ERROR', reason: 'Deprecated API usage.' },
            recommendation: 'Update manifests.',
            categorySpecificSummary: {
              deprecationDetails: [
                {
                  usage:
                    '/apis/flowcontrol.apiserver.k8s.io/v1beta3/flowschemas',
                  replacedWith:
                    '/apis/flowcontrol.apiserver.k8s.io/v1/flowschemas',
                  stopServingVersion: '1.32',
                  clientStats: [
                    {
                      userAgent: 'kubectl/v1.28.2',
                      numberOfRequestsLast30Days: 40,
                    },
                    { userAgent: 'argocd/v2.9', numberOfRequestsLast30Days: 2 },
                  ],
                },
              ],
            },
          },
          // Another cluster's insight in the same region is not this cluster's.
          {
            clusterName: 'other',
            id: 'c',
            name: 'Other',
            insightStatus: { status: 'ERROR' },
          },
        ],
      }),
    );
    expect(insights).toEqual([
      {
        id: 'a',
        name: 'Deprecated APIs removed in Kubernetes v1.32',
        status: 'ERROR',
        reason: 'Deprecated API usage.',
        kubernetesVersion: '1.32',
        recommendation: 'Update manifests.',
        deprecations: [
          {
            usage: '/apis/flowcontrol.apiserver.k8s.io/v1beta3/flowschemas',
            replacedWith: '/apis/flowcontrol.apiserver.k8s.io/v1/flowschemas',
            stopServingVersion: '1.32',
            requestsLast30Days: 42,
            clients: ['kubectl/v1.28.2', 'argocd/v2.9'],
          },
        ],
        lastRefreshTime: '2026-11-01T04:12:09.000Z',
      },
      {
        id: 'b',
        name: 'Kubelet version skew',
        status: 'PASSING',
        reason: 'No issue detected.',
        deprecations: [],
      },
    ]);
    expect(upgradeInsightsView(record({ flavor: 'ec2' }))).toEqual([]);
  });
});
