import type { ClusterRequestInput } from '../request/clusterRequestSchema';

/** A valid EC2 request to derive test cases from. */
export function ec2Request(): ClusterRequestInput {
  return {
    apiVersion: 'clusterdeck.io/v1alpha1',
    kind: 'ClusterRequest',
    metadata: {
      name: 'pay-prod',
      organization: 'payments',
      owner: 'group:default/payments',
    },
    spec: {
      managementCluster: 'mc-eu-prod',
      baseDomain: 'eu-prod.example.com',
      release: '31.1.0',
      kubernetesVersion: '1.33.4',
      flavor: 'ec2',
      region: 'eu-west-1',
      account: { id: '123456789012', roleIdentity: 'payments-prod' },
      controlPlane: {
        instanceType: 'r6i.xlarge',
        apiMode: 'public',
        allowedCidrs: [],
      },
      network: {
        vpc: { mode: 'create', cidr: '10.10.0.0/16' },
        availabilityZones: 3,
      },
      nodePools: [
        {
          name: 'def00',
          type: 'asg',
          instanceType: 'm6i.xlarge',
          minSize: 3,
          maxSize: 10,
        },
      ],
    },
  };
}

/** A valid EKS request. */
export function eksRequest(): ClusterRequestInput {
  const request = ec2Request();
  request.spec.flavor = 'eks';
  request.spec.controlPlane = { apiMode: 'public' };
  request.spec.nodePools = [
    {
      name: 'def00',
      type: 'managed',
      instanceType: 'm6i.xlarge',
      minSize: 1,
      maxSize: 5,
    },
  ];
  return request;
}
