import { renderClusterRequest } from '@clusterdeck/plugin-aws-clusters-render';
import type {
  AwsRegionSnapshot,
  FleetSnapshot,
  KubeObject,
  ManagementClusterSnapshot,
} from '@clusterdeck/plugin-aws-clusters-node';

const AT = '2026-11-01T00:00:00.000Z';

interface FixtureCluster {
  name: string;
  team: string;
  accountId: string;
  roleIdentity: string;
  vpcCidr: string;
  vpcId: string;
  apiMode?: 'public' | 'private';
}

function request(c: FixtureCluster) {
  return {
    apiVersion: 'clusterdeck.io/v1alpha1',
    kind: 'ClusterRequest',
    metadata: {
      name: c.name,
      organization: c.team,
      owner: `group:default/${c.team}`,
    },
    spec: {
      managementCluster: 'mc-test',
      kubernetesVersion: '1.33.4',
      flavor: 'ec2',
      region: 'eu-west-1',
      account: { id: c.accountId, roleIdentity: c.roleIdentity },
      network: {
        vpc: { mode: 'create', cidr: c.vpcCidr },
        availabilityZones: 2,
        ...(c.apiMode === 'private'
          ? {
              topology: {
                mode: 'transitGateway',
                transitGatewayId: 'tgw-0123456789abcdef0',
              },
            }
          : {}),
      },
      controlPlane: { apiMode: c.apiMode ?? 'public' },
      nodePools: [
        {
          name: 'def00',
          type: 'asg',
          instanceType: 'm6i.xlarge',
          minSize: 2,
          maxSize: 4,
        },
      ],
    },
  };
}

/** The management-cluster objects of a cluster as CAPA leaves them once it is provisioned. */
function objectsOf(c: FixtureCluster): KubeObject[] {
  const result = renderClusterRequest(request(c), { format: 'capi' });
  if (!result.ok) throw new Error(JSON.stringify(result.problems));
  return result.manifests.map(m => {
    const object = structuredClone(m) as KubeObject;
    if (object.kind === 'Cluster')
      object.status = {
        phase: 'Provisioned',
        conditions: [{ type: 'Available', status: 'True' }],
      };
    if (object.kind === 'AWSCluster') {
      object.spec.network.vpc.id = c.vpcId;
      object.status = { ready: true };
    }
    if (object.kind === 'MachinePool')
      object.status = { replicas: 2, readyReplicas: 2 };
    return object;
  });
}

function region(
  accountId: string,
  clusters: FixtureCluster[],
): AwsRegionSnapshot {
  return {
    accountId,
    region: 'eu-west-1',
    fetchedAt: AT,
    vpcs: clusters.map(c => ({
      VpcId: c.vpcId,
      CidrBlock: c.vpcCidr,
      State: 'available',
      Tags: [
        {
          Key: `sigs.k8s.io/cluster-api-provider-aws/cluster/${c.name}`,
          Value: 'owned',
        },
      ],
    })),
    subnets: clusters.map((c, i) => ({
      SubnetId: `subnet-0000000${i}`,
      VpcId: c.vpcId,
      CidrBlock: c.vpcCidr.replace('/16', '/18'),
      AvailabilityZone: 'eu-west-1a',
      AvailableIpAddressCount: 16000,
      Tags: [
        { Key: 'sigs.k8s.io/cluster-api-provider-aws/role', Value: 'private' },
      ],
    })),
    routeTables: [],
    internetGateways: [],
    natGateways: [],
    transitGatewayAttachments: [],
    vpcPeeringConnections: [],
    securityGroups: [],
    classicLoadBalancers: [],
    loadBalancers: [],
    autoScalingGroups: clusters.map(c => ({
      AutoScalingGroupName: `${c.name}-def00`,
      MinSize: 2,
      MaxSize: 4,
      DesiredCapacity: 4,
      DefaultCooldown: 300,
      AvailabilityZones: ['eu-west-1a'],
      HealthCheckType: 'EC2',
      CreatedTime: new Date(AT),
      Instances: [0, 1, 2, 3].map(n => ({
        InstanceId: `i-${c.name}${n}`,
        AvailabilityZone: 'eu-west-1a',
        LifecycleState: 'InService',
        HealthStatus: 'Healthy',
        ProtectedFromScaleIn: false,
      })),
    })),
    scalingActivities: [],
    instances: [],
    eksClusters: [],
    eksNodegroups: [],
    availabilityZones: [],
    transitGateways: [],
    eksClusterVersions: [],
    errors: [],
  };
}

/** Two teams' clusters in two accounts, on one management cluster. */
export const FIXTURE_CLUSTERS: FixtureCluster[] = [
  {
    name: 'pay-prod',
    team: 'payments',
    accountId: '123456789012',
    roleIdentity: 'payments-prod',
    vpcCidr: '10.1.0.0/16',
    vpcId: 'vpc-0000000000000000a',
    apiMode: 'private',
  },
  {
    name: 'web-dev',
    team: 'web',
    accountId: '444455556666',
    roleIdentity: 'dev-shared',
    vpcCidr: '10.2.0.0/16',
    vpcId: 'vpc-0000000000000000b',
  },
];

/** A small fleet for route tests: two accounts, one management cluster, two teams. */
export function fixtureFleet(): FleetSnapshot {
  const identities: KubeObject[] = [
    {
      apiVersion: 'infrastructure.cluster.x-k8s.io/v1beta2',
      kind: 'AWSClusterRoleIdentity',
      metadata: { name: 'payments-prod' },
      spec: {
        roleARN: 'arn:aws:iam::123456789012:role/capa-controller',
        allowedNamespaces: { list: ['org-payments'] },
      },
    },
    {
      apiVersion: 'infrastructure.cluster.x-k8s.io/v1beta2',
      kind: 'AWSClusterRoleIdentity',
      metadata: { name: 'dev-shared' },
      spec: {
        roleARN: 'arn:aws:iam::444455556666:role/capa-controller',
        allowedNamespaces: { list: ['org-web', 'org-payments'] },
      },
    },
  ];
  const objects = FIXTURE_CLUSTERS.flatMap(objectsOf);
  const of = (kind: string) => objects.filter(o => o.kind === kind);
  const mc: ManagementClusterSnapshot = {
    name: 'mc-test',
    fetchedAt: AT,
    objects: {
      clusters: of('Cluster'),
      awsClusters: of('AWSCluster'),
      awsManagedControlPlanes: of('AWSManagedControlPlane'),
      machinePools: of('MachinePool'),
      awsMachinePools: of('AWSMachinePool'),
      awsManagedMachinePools: of('AWSManagedMachinePool'),
      karpenterMachinePools: of('KarpenterMachinePool'),
      awsClusterRoleIdentities: identities,
      organizations: [],
      releases: [],
    },
    errors: [],
  };
  return {
    aws: [
      region('123456789012', [FIXTURE_CLUSTERS[0]]),
      region('444455556666', [FIXTURE_CLUSTERS[1]]),
    ],
    managementClusters: [mc],
  };
}
