import {
  createPermission,
  PermissionAttributes,
} from '@backstage/plugin-permission-common';

/**
 * @public The resource type of workload clusters in the permission framework. Its resources are
 * clusters, reported or requested, and for permissions that act before a cluster exists
 * (requesting one, reserving its addresses) the owner the action is for: the rules look only at
 * the owner.
 */
export const AWS_CLUSTER_RESOURCE_TYPE = 'aws-cluster';

type PermissionAction = NonNullable<PermissionAttributes['action']>;

/** A permission on clusters, or on the owner a cluster is requested for. */
function clusterPermission(name: string, action: PermissionAction) {
  return createPermission({
    name,
    attributes: { action },
    resourceType: AWS_CLUSTER_RESOURCE_TYPE,
  });
}

/** A permission on no resource: accounts and the fleet as a whole. */
function basicPermission(name: string, action: PermissionAction) {
  return createPermission({ name, attributes: { action } });
}

/** @public Read a workload cluster: see it in the fleet and open its detail. */
export const awsClusterReadPermission = clusterPermission(
  'aws-clusters.cluster.read',
  'read',
);

/** @public Request a workload cluster for an owner (record the request, withdraw it). */
export const awsClusterCreatePermission = clusterPermission(
  'aws-clusters.cluster.create',
  'create',
);

/** @public Change a cluster's node pools: propose the change to its GitOps folder. */
export const awsClusterNodePoolUpdatePermission = clusterPermission(
  'aws-clusters.cluster.node-pool.update',
  'update',
);

/** @public Apply a cluster's manifests to its management cluster, or commit them to the owner's GitOps folders. */
export const awsClusterManifestsApplyPermission = clusterPermission(
  'aws-clusters.cluster.manifests.apply',
  'update',
);

/** @public Upgrade a cluster's Kubernetes version or platform release: propose the change to its GitOps folder. */
export const awsClusterUpgradePermission = clusterPermission(
  'aws-clusters.cluster.upgrade',
  'update',
);

/** @public Retire a cluster: propose the removal of its manifests from its GitOps folder. */
export const awsClusterDeletePermission = clusterPermission(
  'aws-clusters.cluster.delete',
  'delete',
);

/** @public See an owner's CIDR reservations. */
export const cidrAllocationReadPermission = clusterPermission(
  'aws-clusters.cidr-allocation.read',
  'read',
);

/** @public Reserve a CIDR block for an owner's cluster. */
export const cidrAllocationCreatePermission = clusterPermission(
  'aws-clusters.cidr-allocation.create',
  'create',
);

/** @public Release an owner's CIDR reservation. */
export const cidrAllocationDeletePermission = clusterPermission(
  'aws-clusters.cidr-allocation.delete',
  'delete',
);

/** @public Create an AWS account in the organization. */
export const awsAccountCreatePermission = basicPermission(
  'aws-clusters.account.create',
  'create',
);

/** @public Bootstrap an AWS account: create or update the CAPA controller role in it. */
export const awsAccountBootstrapPermission = basicPermission(
  'aws-clusters.account.bootstrap',
  'update',
);

/**
 * @public Administer the fleet: the health of every source, every team's reservations, applying
 * with `force`, and writing the account and role-identity folders of the GitOps repository.
 */
export const awsClustersAdministerPermission = basicPermission(
  'aws-clusters.fleet.administer',
  'update',
);

/** @public Every permission of the aws-clusters plugin. */
export const awsClustersPermissions = [
  awsClusterReadPermission,
  awsClusterCreatePermission,
  awsClusterNodePoolUpdatePermission,
  awsClusterManifestsApplyPermission,
  awsClusterUpgradePermission,
  awsClusterDeletePermission,
  cidrAllocationReadPermission,
  cidrAllocationCreatePermission,
  cidrAllocationDeletePermission,
  awsAccountCreatePermission,
  awsAccountBootstrapPermission,
  awsClustersAdministerPermission,
];
