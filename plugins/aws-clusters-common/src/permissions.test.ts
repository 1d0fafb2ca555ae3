import {
  AWS_CLUSTER_RESOURCE_TYPE,
  awsClustersPermissions,
} from './permissions';

describe('awsClustersPermissions', () => {
  it('names every permission with its action and resource type, as the permission policy expects', () => {
    expect(
      awsClustersPermissions.map(p => [
        p.name,
        p.attributes.action,
        'resourceType' in p ? p.resourceType : undefined,
      ]),
    ).toEqual([
      ['aws-clusters.cluster.read', 'read', AWS_CLUSTER_RESOURCE_TYPE],
      ['aws-clusters.cluster.create', 'create', AWS_CLUSTER_RESOURCE_TYPE],
      [
        'aws-clusters.cluster.node-pool.update',
        'update',
        AWS_CLUSTER_RESOURCE_TYPE,
      ],
      [
        'aws-clusters.cluster.manifests.apply',
        'update',
        AWS_CLUSTER_RESOURCE_TYPE,
      ],
      ['aws-clusters.cluster.upgrade', 'update', AWS_CLUSTER_RESOURCE_TYPE],
      ['aws-clusters.cluster.delete', 'delete', AWS_CLUSTER_RESOURCE_TYPE],
      ['aws-clusters.cidr-allocation.read', 'read', AWS_CLUSTER_RESOURCE_TYPE],
      [
        'aws-clusters.cidr-allocation.create',
        'create',
        AWS_CLUSTER_RESOURCE_TYPE,
      ],
      [
        'aws-clusters.cidr-allocation.delete',
        'delete',
        AWS_CLUSTER_RESOURCE_TYPE,
      ],
      ['aws-clusters.account.create', 'create', undefined],
      ['aws-clusters.account.bootstrap', 'update', undefined],
      ['aws-clusters.fleet.administer', 'update', undefined],
    ]);
    expect(
      awsClustersPermissions.every(
        p => p.type === ('resourceType' in p ? 'resource' : 'basic'),
      ),
    ).toBe(true);
  });
});
