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

/**
 * One tag's value, whichever way AWS returned the tags; undefined when the resource lacks it.
 * Reads the list where it is, without making a map: the join looks at hundreds of thousands of
 * resources' tags.
 */
export function tagValue(tags: AwsTags, key: string): string | undefined {
  if (!tags) return undefined;
  if (!Array.isArray(tags)) return tags[key];
  for (const tag of tags) if (tag.Key === key) return tag.Value ?? '';
  return undefined;
}

const CAPA_CLUSTER_TAG = 'sigs.k8s.io/cluster-api-provider-aws/cluster/';
const KUBERNETES_CLUSTER_TAG = 'kubernetes.io/cluster/';

/** The cluster names a resource is tagged for, by CAPA's or Kubernetes' cluster tag. */
export function taggedClusters(tags: AwsTags): string[] {
  let keys: string[] = [];
  if (Array.isArray(tags)) keys = tags.map(t => t.Key ?? '');
  else if (tags) keys = Object.keys(tags);
  const names: string[] = [];
  for (const key of keys) {
    let name: string | undefined;
    if (key.startsWith(CAPA_CLUSTER_TAG))
      name = key.slice(CAPA_CLUSTER_TAG.length);
    else if (key.startsWith(KUBERNETES_CLUSTER_TAG))
      name = key.slice(KUBERNETES_CLUSTER_TAG.length);
    if (name !== undefined && !names.includes(name)) names.push(name);
  }
  return names;
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
