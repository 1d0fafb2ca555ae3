/** Tags as AWS returns them: a list of `{ Key, Value }`, or EKS's plain map. */
export type AwsTags =
  | Array<{ Key?: string; Value?: string }>
  | Record<string, string>
  | undefined;

/** Tags as a plain map, whichever way AWS returned them. */
export function tagMap(tags: AwsTags): Record<string, string> {
  if (!tags) return {};
  if (!Array.isArray(tags)) return { ...tags };
  const map: Record<string, string> = {};
  for (const { Key, Value } of tags) {
    if (Key !== undefined) map[Key] = Value ?? '';
  }
  return map;
}

const CAPA_CLUSTER_TAG = 'sigs.k8s.io/cluster-api-provider-aws/cluster/';
const KUBERNETES_CLUSTER_TAG = 'kubernetes.io/cluster/';

/** The cluster names a resource is tagged for, by CAPA's or Kubernetes' cluster tag. */
export function taggedClusters(tags: Record<string, string>): string[] {
  const names = new Set<string>();
  for (const key of Object.keys(tags)) {
    if (key.startsWith(CAPA_CLUSTER_TAG))
      names.add(key.slice(CAPA_CLUSTER_TAG.length));
    else if (key.startsWith(KUBERNETES_CLUSTER_TAG))
      names.add(key.slice(KUBERNETES_CLUSTER_TAG.length));
  }
  return [...names];
}

/** CAPA's role tag: public, private, apiserver, node, control-plane, ... */
export const CAPA_ROLE_TAG = 'sigs.k8s.io/cluster-api-provider-aws/role';
/** The tag CAPA and cluster-aws put on subnets that are for pods, not nodes. */
export const SECONDARY_SUBNET_TAG =
  'sigs.k8s.io/cluster-api-provider-aws/association';
/** The Kubernetes service a load balancer serves. */
export const SERVICE_NAME_TAG = 'kubernetes.io/service-name';
/** The Karpenter node pool an instance belongs to. */
export const KARPENTER_NODEPOOL_TAG = 'karpenter.sh/nodepool';

/** A timestamp from the SDK (Date) or a recorded snapshot (ISO string) as an ISO string. */
export function isoTime(value: Date | string | undefined): string | undefined {
  if (value === undefined) return undefined;
  const date = value instanceof Date ? value : new Date(value);
  return Number.isNaN(date.getTime()) ? undefined : date.toISOString();
}
