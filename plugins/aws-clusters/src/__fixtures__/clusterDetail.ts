import type { ClusterDetail } from '@clusterdeck/plugin-aws-clusters-common';
import type { ClusterDetailResponse } from '../api';

const azs = ['eu-west-1a', 'eu-west-1b', 'eu-west-1c'];

/** A production EC2 cluster: 3 zones, ENI pod subnets, a transit gateway, a peering, 2 load balancers and pools of every kind. */
export const clusterDetail: ClusterDetail = {
  cluster: {
    ref: 'golem/org-payments/pay01',
    name: 'pay01',
    namespace: 'org-payments',
    managementCluster: 'golem',
    organization: 'payments',
    owner: 'group:default/payments',
    ownerSource: 'annotation',
    accountId: '123456789012',
    accountName: 'payments-prod',
    environment: 'production',
    region: 'eu-west-1',
    flavor: 'ec2',
    kubernetesVersion: '1.31.4',
    release: '31.1.0',
    status: 'ready',
    apiEndpoint: 'https://api.pay01.example.com:443',
    apiMode: 'public',
    nodes: { desired: 14, ready: 13, min: 6, max: 30 },
    nodePools: 3,
  },
  topology: {
    cluster: 'golem/org-payments/pay01',
    accountId: '123456789012',
    region: 'eu-west-1',
    vpc: {
      id: 'vpc-0a1b2c3d4e5f60001',
      cidrs: ['10.20.0.0/16'],
      adopted: false,
      state: 'available',
    },
    internetGateway: { id: 'igw-0a1b2c3d4e5f60001' },
    availabilityZones: azs,
    subnets: [
      ...azs.map((az, i) => ({
        id: `subnet-pub${i}`,
        cidr: `10.20.${i * 16}.0/20`,
        availabilityZone: az,
        role: 'public' as const,
        totalAddresses: 4091,
        availableAddresses: 4080 - i,
        defaultRoute: {
          target: 'internet-gateway' as const,
          id: 'igw-0a1b2c3d4e5f60001',
        },
        routes: [],
        tags: { 'kubernetes.io/role/elb': '1' },
      })),
      ...azs.map((az, i) => ({
        id: `subnet-priv${i}`,
        cidr: `10.20.${64 + i * 16}.0/20`,
        availabilityZone: az,
        role: 'private' as const,
        totalAddresses: 4091,
        availableAddresses: 3900 - i * 10,
        defaultRoute: { target: 'nat-gateway' as const, id: `nat-0${i}` },
        routes: [
          { destination: '10.0.0.0/8', target: 'tgw-0123456789abcdef0' },
        ],
        tags: { 'kubernetes.io/role/internal-elb': '1' },
      })),
      ...azs.map((az, i) => ({
        id: `subnet-pod${i}`,
        cidr: `100.64.${i * 64}.0/18`,
        availabilityZone: az,
        role: 'pod' as const,
        totalAddresses: 16379,
        availableAddresses: 15000 - i,
        routes: [],
        tags: {
          'sigs.k8s.io/cluster-api-provider-aws/association': 'secondary',
        },
      })),
    ],
    natGateways: azs.map((az, i) => ({
      id: `nat-0${i}`,
      subnetId: `subnet-pub${i}`,
      availabilityZone: az,
      publicIp: `203.0.113.${10 + i}`,
      state: 'available',
    })),
    transitGatewayAttachments: [
      {
        id: 'tgw-attach-0123456789abcdef0',
        transitGatewayId: 'tgw-0123456789abcdef0',
        state: 'available',
        subnetIds: ['subnet-priv0', 'subnet-priv1', 'subnet-priv2'],
        routes: ['10.0.0.0/8'],
      },
    ],
    peerings: [
      {
        id: 'pcx-0123456789abcdef0',
        peerVpcId: 'vpc-0feedfacecafe0001',
        peerAccountId: '444455556666',
        peerCidrs: ['172.31.0.0/16'],
        status: 'active',
        routes: ['172.31.0.0/16'],
      },
    ],
    loadBalancers: [
      {
        name: 'pay01-apiserver',
        type: 'network',
        scheme: 'internet-facing',
        dnsName: 'pay01-apiserver-0123.elb.eu-west-1.amazonaws.com',
        subnetIds: ['subnet-pub0', 'subnet-pub1', 'subnet-pub2'],
        target: 'apiserver',
        state: 'active',
      },
      {
        name: 'k8s-kubesyst-ingressn-abc123',
        type: 'network',
        scheme: 'internal',
        subnetIds: ['subnet-priv0', 'subnet-priv1', 'subnet-priv2'],
        target: 'kube-system/ingress-nginx',
        state: 'active',
      },
    ],
    nodePools: [
      {
        name: 'general',
        kind: 'asg',
        availabilityZones: azs,
        subnetIds: ['subnet-priv0', 'subnet-priv1', 'subnet-priv2'],
        instances: 6,
      },
      {
        name: 'batch',
        kind: 'karpenter',
        availabilityZones: azs,
        subnetIds: ['subnet-priv0', 'subnet-priv1', 'subnet-priv2'],
        instances: 5,
      },
      {
        name: 'system',
        kind: 'managed',
        availabilityZones: azs.slice(0, 2),
        subnetIds: ['subnet-priv0', 'subnet-priv1'],
        instances: 3,
      },
    ],
    controlPlane: {
      kind: 'kubeadm',
      endpoint: 'https://api.pay01.example.com:443',
      apiMode: 'public',
      allowedCidrs: ['0.0.0.0/0'],
    },
    cni: { mode: 'eni', podCidrs: ['100.64.0.0/16'] },
  },
  boundaries: {
    environments: [
      {
        name: 'production',
        accounts: [
          {
            account: {
              id: '123456789012',
              name: 'payments-prod',
              environment: 'production',
              accessModel: 'developer-debug',
              owners: ['group:default/payments'],
              regions: ['eu-west-1'],
            },
            shared: false,
            teams: ['group:default/payments'],
            roleIdentities: ['payments-prod-capa'],
            access: [
              { who: 'group:default/payments', how: 'owner of the account' },
              { who: 'group:default/platform', how: 'administrator' },
            ],
            vpcs: [
              {
                id: 'vpc-0a1b2c3d4e5f60001',
                cidrs: ['10.20.0.0/16'],
                shared: false,
                clusters: [
                  {
                    ref: 'golem/org-payments/pay01',
                    name: 'pay01',
                    owner: 'group:default/payments',
                    environment: 'production',
                    apiMode: 'public',
                    allowedCidrs: ['0.0.0.0/0'],
                  },
                ],
              },
            ],
          },
        ],
      },
    ],
    findings: [
      {
        severity: 'critical',
        code: 'public-production-api',
        title: 'Production API reachable from anywhere',
        explanation:
          'pay01 serves its Kubernetes API publicly with no allowed CIDRs; restrict it or make it private.',
        subjects: ['golem/org-payments/pay01'],
      },
    ],
  },
  nodePools: [
    {
      name: 'general',
      kind: 'asg',
      instanceTypes: ['m6i.xlarge'],
      spot: false,
      availabilityZones: azs,
      spread: { 'eu-west-1a': 2, 'eu-west-1b': 2, 'eu-west-1c': 2 },
      min: 3,
      desired: 6,
      current: 6,
      ready: 6,
      max: 10,
      activities: [
        {
          time: '2026-11-25T03:00:00Z',
          description: 'Launching a new EC2 instance: i-0abc',
          status: 'successful',
          cause: 'desired capacity 5 to 6',
        },
        {
          time: '2026-11-25T04:00:00Z',
          description: 'Terminating EC2 instance: i-0def',
          status: 'failed',
        },
      ],
      warnings: [],
    },
    {
      name: 'batch',
      kind: 'karpenter',
      instanceTypes: ['c6i.2xlarge', 'c7i.2xlarge'],
      spot: true,
      availabilityZones: azs,
      spread: { 'eu-west-1a': 2, 'eu-west-1b': 2, 'eu-west-1c': 1 },
      min: 0,
      desired: 5,
      current: 5,
      ready: 4,
      max: 0,
      limits: { cpu: '200', memory: '800Gi' },
      activities: [],
      warnings: ['1 node not ready'],
    },
    {
      name: 'system',
      kind: 'managed',
      instanceTypes: ['m6i.large'],
      spot: false,
      availabilityZones: azs.slice(0, 2),
      spread: { 'eu-west-1a': 2, 'eu-west-1b': 1 },
      min: 1,
      desired: 3,
      current: 3,
      ready: 3,
      max: 3,
      activities: [],
      warnings: ['at its maximum of 3 nodes'],
    },
  ],
  sources: [
    {
      source: 'aws:123456789012:eu-west-1',
      fetchedAt: '2026-11-25T04:55:00Z',
      stale: false,
    },
    {
      source: 'kubernetes:golem',
      fetchedAt: '2026-11-25T04:55:00Z',
      stale: false,
    },
  ],
};

/** The detail as the backend serves it. */
export const clusterDetailResponse: ClusterDetailResponse = {
  ...clusterDetail,
  generatedAt: '2026-11-25T04:55:00Z',
};

/** The same cluster where the AWS source failed its last refresh. */
export const staleClusterDetailResponse: ClusterDetailResponse = {
  ...clusterDetailResponse,
  sources: [
    {
      source: 'aws:123456789012:eu-west-1',
      fetchedAt: '2026-11-25T02:00:00Z',
      error: 'AccessDenied: not authorized to perform sts:AssumeRole',
      stale: true,
    },
    {
      source: 'kubernetes:golem',
      fetchedAt: '2026-11-25T04:55:00Z',
      stale: false,
    },
  ],
};

/** A requested cluster with nothing built yet. */
export const emptyClusterDetailResponse: ClusterDetailResponse = {
  ...clusterDetailResponse,
  topology: {
    ...clusterDetail.topology,
    vpc: undefined,
    internetGateway: undefined,
    subnets: [],
    natGateways: [],
    transitGatewayAttachments: [],
    peerings: [],
    loadBalancers: [],
    nodePools: [],
  },
  boundaries: { environments: [], findings: [] },
  nodePools: [],
  sources: [],
};

/** A catalog entity of the fixture cluster. */
export const clusterEntity = {
  apiVersion: 'backstage.io/v1alpha1',
  kind: 'Resource',
  metadata: {
    name: 'golem-pay01',
    annotations: {
      'clusterdeck.io/management-cluster': 'golem',
      'clusterdeck.io/namespace': 'org-payments',
      'clusterdeck.io/cluster-name': 'pay01',
    },
  },
  spec: { type: 'kubernetes-cluster', owner: 'group:default/payments' },
};
