import { createPermission } from '@backstage/plugin-permission-common';

/** @public The resource type of workload clusters in the permission framework. */
export const AWS_CLUSTER_RESOURCE_TYPE = 'aws-cluster';

/** @public Read a workload cluster: see it in the fleet and open its detail. */
export const awsClusterReadPermission = createPermission({
  name: 'aws-clusters.cluster.read',
  attributes: { action: 'read' },
  resourceType: AWS_CLUSTER_RESOURCE_TYPE,
});

/** @public Reserve or release a CIDR block for a cluster. */
export const cidrAllocationManagePermission = createPermission({
  name: 'aws-clusters.cidr-allocation.manage',
  attributes: { action: 'create' },
});

/** @public Every permission of the aws-clusters plugin. */
export const awsClustersPermissions = [awsClusterReadPermission, cidrAllocationManagePermission];
