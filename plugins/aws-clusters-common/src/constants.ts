/** @public The API version of Clusterdeck's own request documents. */
export const CLUSTERDECK_API_VERSION = 'clusterdeck.io/v1alpha1';

/** @public Annotations and labels Clusterdeck writes and reads. */
export const CLUSTERDECK_ANNOTATIONS = {
  /** The owning Backstage group on a Cluster, e.g. `group:default/payments`. */
  owner: 'clusterdeck.io/owner',
  /** The management cluster a catalog entity's cluster lives on. */
  managementCluster: 'clusterdeck.io/management-cluster',
  /** The namespace of a workload cluster's Cluster object. */
  namespace: 'clusterdeck.io/namespace',
  /** The name of a workload cluster's Cluster object. */
  clusterName: 'clusterdeck.io/cluster-name',
  /** The request a set of manifests was rendered from. */
  requestedBy: 'clusterdeck.io/requested-by',
  /** The AWS account a cluster runs in. */
  accountId: 'clusterdeck.io/account-id',
  /** `"true"` on a Cluster (or in its chart values' annotations): the retire template refuses it. */
  deletionProtection: 'clusterdeck.io/deletion-protection',
} as const;

/** @public Labels Giant Swarm's charts and operators set and read. */
export const GIANT_SWARM_LABELS = {
  organization: 'giantswarm.io/organization',
  cluster: 'giantswarm.io/cluster',
  machinePool: 'giantswarm.io/machine-pool',
  servicePriority: 'giantswarm.io/service-priority',
  release: 'release.giantswarm.io/version',
  managedBy: 'app.kubernetes.io/managed-by',
  capiClusterName: 'cluster.x-k8s.io/cluster-name',
  capiWatchFilter: 'cluster.x-k8s.io/watch-filter',
} as const;

/** @public Annotations read by Giant Swarm's network-topology operator. */
export const NETWORK_TOPOLOGY_ANNOTATIONS = {
  mode: 'network-topology.giantswarm.io/mode',
  transitGatewayId: 'network-topology.giantswarm.io/transit-gateway',
  prefixListId: 'network-topology.giantswarm.io/prefix-list',
} as const;

/** @public The namespace of an organization's workload clusters. */
export function organizationNamespace(organization: string): string {
  return `org-${organization}`;
}
