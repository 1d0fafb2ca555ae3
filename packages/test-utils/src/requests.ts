/** A valid EC2 request: a new /16 VPC over three zones and one ASG pool. */
export const EC2_REQUEST = {
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

/** A copy of `base` (the EC2 request unless given), changed by `edit`. */
export function editedRequest(
  edit: (r: any) => void = () => {},
  base: object = EC2_REQUEST,
): any {
  const copy: any = structuredClone(base);
  edit(copy);
  return copy;
}
