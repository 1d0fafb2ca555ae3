import { createPermission } from '@backstage/plugin-permission-common';

/**
 * @public The resource type of workload clusters in the permission framework. Its resources are
 * clusters, reported or requested, and for permissions that act before a cluster exists
 * (requesting one, reserving its addresses) the owner the action is for: the rules look only at
 * the owner.
 */
export const AWS_CLUSTER_RESOURCE_TYPE = 'aws-cluster';

/** @public Read a workload cluster: see it in the fleet and open its detail. */
export const awsClusterReadPermission = createPermission({
  name: 'aws-clusters.cluster.read',
  attributes: { action: 'read' },
  resourceType: AWS_CLUSTER_RESOURCE_TYPE,
});

/** @public Request a workload cluster for an owner (record the request, withdraw it). */
export const awsClusterCreatePermission = createPermission({
  name: 'aws-clusters.cluster.create',
  attributes: { action: 'create' },
  resourceType: AWS_CLUSTER_RESOURCE_TYPE,
});

/** @public Change a cluster's node pools: propose the change to its GitOps folder. */
export const awsClusterNodePoolUpdatePermission = createPermission({
  name: 'aws-clusters.cluster.node-pool.update',
  attributes: { action: 'update' },
  resourceType: AWS_CLUSTER_RESOURCE_TYPE,
});

/** @public Apply a cluster's manifests to its management cluster, or commit them to the owner's GitOps folders. */
export const awsClusterManifestsApplyPermission = createPermission({
  name: 'aws-clusters.cluster.manifests.apply',
  attributes: { action: 'update' },
  resourceType: AWS_CLUSTER_RESOURCE_TYPE,
});

/** @public Upgrade a cluster's Kubernetes version or platform release: propose the change to its GitOps folder. */
export const awsClusterUpgradePermission = createPermission({
  name: 'aws-clusters.cluster.upgrade',
  attributes: { action: 'update' },
  resourceType: AWS_CLUSTER_RESOURCE_TYPE,
});

/** @public Retire a cluster: propose the removal of its manifests from its GitOps folder. */
export const awsClusterDeletePermission = createPermission({
  name: 'aws-clusters.cluster.delete',
  attributes: { action: 'delete' },
  resourceType: AWS_CLUSTER_RESOURCE_TYPE,
});

/** @public See an owner's CIDR reservations. */
export const cidrAllocationReadPermission = createPermission({
  name: 'aws-clusters.cidr-allocation.read',
  attributes: { action: 'read' },
  resourceType: AWS_CLUSTER_RESOURCE_TYPE,
});

/** @public Reserve a CIDR block for an owner's cluster. */
export const cidrAllocationCreatePermission = createPermission({
  name: 'aws-clusters.cidr-allocation.create',
  attributes: { action: 'create' },
  resourceType: AWS_CLUSTER_RESOURCE_TYPE,
});

/** @public Release an owner's CIDR reservation. */
export const cidrAllocationDeletePermission = createPermission({
  name: 'aws-clusters.cidr-allocation.delete',
  attributes: { action: 'delete' },
  resourceType: AWS_CLUSTER_RESOURCE_TYPE,
});

/** @public Create an AWS account in the organization. */
export const awsAccountCreatePermission = createPermission({
  name: 'aws-clusters.account.create',
  attributes: { action: 'create' },
});

/** @public Bootstrap an AWS account: create or update the CAPA controller role in it. */
export const awsAccountBootstrapPermission = createPermission({
  name: 'aws-clusters.account.bootstrap',
  attributes: { action: 'update' },
});

/**
 * @public Administer the fleet: the health of every source, every team's reservations, applying
 * with `force`, and writing the account and role-identity folders of the GitOps repository.
 */
export const awsClustersAdministerPermission = createPermission({
  name: 'aws-clusters.fleet.administer',
  attributes: { action: 'update' },
});

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
