import type { Tag } from '@aws-sdk/client-ec2';
import type { ClusterPlan } from './simulationContext';

/** The tag conventions of `sources/types.ts`, spelled once. */
export const TAGS = {
  capaCluster: (cluster: string) =>
    `sigs.k8s.io/cluster-api-provider-aws/cluster/${cluster}`,
  kubernetesCluster: (cluster: string) => `kubernetes.io/cluster/${cluster}`,
  capaRole: 'sigs.k8s.io/cluster-api-provider-aws/role',
  association: 'sigs.k8s.io/cluster-api-provider-aws/association',
  serviceName: 'kubernetes.io/service-name',
  karpenterNodePool: 'karpenter.sh/nodepool',
  autoscalingGroup: 'aws:autoscaling:groupName',
} as const;

/** A plain tag map as the EC2 `Tag` list. */
export function tagList(tags: Record<string, string>): Tag[] {
  return Object.entries(tags).map(([Key, Value]) => ({ Key, Value }));
}

/** The tags CAPA puts on resources it creates for a cluster, with the resource's role. */
export function capaTags(
  plan: ClusterPlan,
  role: string,
  name: string,
  value: 'owned' | 'shared' = 'owned',
): Record<string, string> {
  return {
    Name: name,
    [TAGS.capaCluster(plan.name)]: value,
    [TAGS.capaRole]: role,
    ...plan.additionalTags,
  };
}
