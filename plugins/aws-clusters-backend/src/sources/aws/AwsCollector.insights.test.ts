import {
  DescribeInsightCommand,
  ListInsightsCommand,
} from '@aws-sdk/client-eks';
import { AwsCollector } from './AwsCollector';
import {
  ACCOUNT_A,
  account,
  answerFrom,
  AwsMocks,
  createMocks,
  fakeCredentials,
  regionData,
} from './__testUtils__/mockAwsRegion';

/*
 * ListInsights and DescribeInsight answers as the Amazon EKS API reference shows them: summaries
 * with `insightStatus` and a `nextToken` while more follow; a described insight adds the
 * recommendation and, for deprecated APIs, `categorySpecificSummary.deprecationDetails` with the
 * clients that still call them.
 */
const DEPRECATED_APIS = {
  id: 'a1b2c3d4-5678-4abc-9def-0123456789ab',
  name: 'Deprecated APIs removed in Kubernetes v1.33',
  category: 'UPGRADE_READINESS' as const,
  kubernetesVersion: '1.33',
  lastRefreshTime: new Date('2026-11-01T04:12:09Z'),
  lastTransitionTime: new Date('2026-10-20T04:12:09Z'),
  description:
    'Checks for usage of deprecated APIs that are scheduled for removal in Kubernetes v1.33.',
  insightStatus: {
    status: 'WARNING' as const,
    reason: 'Deprecated API usage detected within last 30 days.',
  },
};
const KUBELET_SKEW = {
  id: 'f0e1d2c3-b4a5-4968-8776-5544332211ff',
  name: 'Kubelet version skew',
  category: 'UPGRADE_READINESS' as const,
  kubernetesVersion: '1.33',
  lastRefreshTime: new Date('2026-11-01T04:12:09Z'),
  description: 'Checks for kubelet versions of worker nodes in the cluster.',
  insightStatus: { status: 'PASSING' as const, reason: 'No issue detected.' },
};

let mocks: AwsMocks;
beforeEach(() => {
  mocks = createMocks();
});
afterEach(() => {
  mocks.restore();
});

describe('AwsCollector: EKS upgrade insights', () => {
  it('lists each EKS cluster’s upgrade insights page by page and describes those not passing', async () => {
    answerFrom(mocks, () => regionData(1));
    // The paginator reuses its input object between pages: each call's input is copied as sent.
    const listed: unknown[] = [];
    mocks.eks.on(ListInsightsCommand).callsFake(input => {
      listed.push(structuredClone(input));
      return input.nextToken === 'page-2'
        ? { insights: [KUBELET_SKEW] }
        : { insights: [DEPRECATED_APIS], nextToken: 'page-2' };
    });
    mocks.eks.on(DescribeInsightCommand).resolves({
      insight: {
        ...DEPRECATED_APIS,
        recommendation:
          'Update manifests and API clients to use newer Kubernetes APIs if applicable before upgrading to Kubernetes v1.33.',
        categorySpecificSummary: {
          deprecationDetails: [
            {
              usage: '/apis/flowcontrol.apiserver.k8s.io/v1beta3/flowschemas',
              replacedWith: '/apis/flowcontrol.apiserver.k8s.io/v1/flowschemas',
              stopServingVersion: '1.32',
              startServingReplacementVersion: '1.29',
              clientStats: [
                {
                  userAgent: 'kube-state-metrics/v2.10.0',
                  numberOfRequestsLast30Days: 1822,
                  lastRequestTime: new Date('2026-10-31T22:00:00Z'),
                },
              ],
            },
          ],
        },
      },
    });
    const aws = new AwsCollector({
      accounts: [account(ACCOUNT_A)],
      credentials: fakeCredentials(),
    });
    const snapshot = (await aws.collect()).aws![0];

    expect(listed).toEqual([
      {
        clusterName: 'eks-0',
        filter: { categories: ['UPGRADE_READINESS'] },
        maxResults: 100,
      },
      {
        clusterName: 'eks-0',
        filter: { categories: ['UPGRADE_READINESS'] },
        maxResults: 100,
        nextToken: 'page-2',
      },
    ]);
    expect(
      mocks.eks.commandCalls(DescribeInsightCommand).map(c => c.args[0].input),
    ).toEqual([{ clusterName: 'eks-0', id: DEPRECATED_APIS.id }]);
    expect(snapshot.errors).toEqual([]);
    expect(snapshot.eksInsights).toEqual([
      expect.objectContaining({
        clusterName: 'eks-0',
        id: DEPRECATED_APIS.id,
        recommendation: expect.stringMatching(/^Update manifests/),
        categorySpecificSummary: expect.anything(),
      }),
      { ...KUBELET_SKEW, clusterName: 'eks-0' },
    ]);

    // Kept with the cluster's describes: the next refresh asks again for neither.
    await aws.collect();
    expect(mocks.eks.commandCalls(ListInsightsCommand)).toHaveLength(2);
  });

  it('records a denied ListInsights as an error of the region and tries again on the next refresh', async () => {
    answerFrom(mocks, () => regionData(1));
    const denied = Object.assign(
      new Error('User is not authorized to perform: eks:ListInsights'),
      { name: 'AccessDeniedException' },
    );
    mocks.eks
      .on(ListInsightsCommand)
      .rejectsOnce(denied)
      .resolves({
        insights: [KUBELET_SKEW],
      });
    const aws = new AwsCollector({
      accounts: [account(ACCOUNT_A)],
      credentials: fakeCredentials(),
    });
    const first = (await aws.collect()).aws![0];
    expect(first.eksClusters).toHaveLength(1);
    expect(first.eksInsights).toEqual([]);
    expect(first.errors).toEqual([
      expect.objectContaining({
        operation: 'ListInsights',
        code: 'AccessDeniedException',
      }),
    ]);
    const second = (await aws.collect()).aws![0];
    expect(second.errors).toEqual([]);
    expect(second.eksInsights).toEqual([
      { ...KUBELET_SKEW, clusterName: 'eks-0' },
    ]);
  });
});
