import type { EksInsight } from '@clusterdeck/plugin-aws-clusters-node';
import type { SimulationContext } from './simulationContext';

/** The Kubernetes minor after `1.31`. */
function nextMinor(version: string): string {
  const [major, minor] = version.split('.').map(Number);
  return `${major}.${minor + 1}`;
}

/**
 * The upgrade insights EKS reports for an active cluster, as ListInsights and DescribeInsight
 * show them: kubelet skew and add-on compatibility pass; on a minor before 1.33 a client still
 * calls an API the next minor removes (the flow-control v1beta3 APIs go in 1.32), described with
 * its recommendation and the client that calls it.
 */
export function simulateInsights(
  ctx: SimulationContext,
  key: string,
  clusterName: string,
  version: string,
): EksInsight[] {
  const target = nextMinor(version);
  const refreshed = ctx.at(ctx.now - 4 * 3_600_000) as unknown as Date;
  const id = (name: string) => ctx.ids.uuid(`${key}/insight/${name}`);
  const base = {
    clusterName,
    category: 'UPGRADE_READINESS' as const,
    kubernetesVersion: target,
    lastRefreshTime: refreshed,
    lastTransitionTime: refreshed,
  };
  const passing = { status: 'PASSING' as const, reason: 'No issue detected.' };
  const insights: EksInsight[] = [
    {
      ...base,
      id: id('kubelet-skew'),
      name: 'Kubelet version skew',
      description:
        'Checks for kubelet versions of worker nodes in the cluster.',
      insightStatus: passing,
    },
    {
      ...base,
      id: id('addon-compatibility'),
      name: 'Amazon EKS add-on version compatibility',
      description: `Checks version of installed EKS add-ons to ensure they are compatible with the next version of Kubernetes.`,
      insightStatus: passing,
    },
  ];
  const deprecated = Number(version.split('.')[1]) < 33;
  insights.push({
    ...base,
    id: id('deprecated-apis'),
    name: `Deprecated APIs removed in Kubernetes v${target}`,
    description: `Checks for usage of deprecated APIs that are scheduled for removal in Kubernetes v${target}.`,
    insightStatus: deprecated
      ? {
          status: 'WARNING',
          reason: 'Deprecated API usage detected within last 30 days.',
        }
      : passing,
    ...(deprecated
      ? {
          recommendation: `Update manifests and API clients to use newer Kubernetes APIs if applicable before upgrading to Kubernetes v${target}.`,
          categorySpecificSummary: {
            deprecationDetails: [
              {
                usage: '/apis/flowcontrol.apiserver.k8s.io/v1beta3/flowschemas',
                replacedWith:
                  '/apis/flowcontrol.apiserver.k8s.io/v1/flowschemas',
                stopServingVersion: '1.32',
                startServingReplacementVersion: '1.29',
                clientStats: [
                  {
                    userAgent: 'kube-state-metrics/v2.10.0',
                    numberOfRequestsLast30Days: 1822,
                    lastRequestTime: refreshed,
                  },
                ],
              },
            ],
          },
        }
      : {}),
  });
  return insights;
}
