import {
  AutoScalingClient,
  DescribeAutoScalingGroupsCommand,
  DescribeScalingActivitiesCommand,
} from '@aws-sdk/client-auto-scaling';
import {
  ConfigServiceClient,
  DescribeConfigurationAggregatorSourcesStatusCommand,
  SelectAggregateResourceConfigCommand,
} from '@aws-sdk/client-config-service';
import {
  DescribeAvailabilityZonesCommand,
  DescribeInternetGatewaysCommand,
  DescribeSubnetsCommand,
  EC2Client,
} from '@aws-sdk/client-ec2';
import {
  DescribeClusterVersionsCommand,
  DescribeInsightCommand,
  ListInsightsCommand,
  DescribeNodegroupCommand,
  EKSClient,
} from '@aws-sdk/client-eks';
import type { ConfiguredAccount } from '@clusterdeck/plugin-aws-clusters-node';
import { mockClient } from 'aws-sdk-client-mock';
import {
  AwsConfigSource,
  AwsConfigSourceOptions,
  INSIGHTS_MAX_AGE_MS,
  NODEGROUPS_MAX_AGE_MS,
} from './AwsConfigSource';
import {
  conditionsOf,
  heldItem,
  selects,
} from './__testUtils__/aggregatorQuery';

/*
 * Query results written by hand after AWS Config's published resource schemas
 * (awslabs/aws-config-resource-schema, config/properties/resource-types): EC2, ELB and Auto Scaling
 * items carry the describe call's item with lower-case-first keys, enumerations as `state.value`,
 * some string lists as `[{ value }]`; transit gateways, their attachments and EKS clusters
 * CloudFormation's properties; tags only beside the configuration, as `{ key, value, tag }`. The fleet: 123456789012 in eu-west-1 (an EC2 cluster, pay-prod) and
 * eu-central-1 (pay-dev, where the recorder does not record subnets), 444455556666 in eu-west-1
 * (an EKS cluster, data-prod; node groups are recorded nowhere).
 */

const PROD = '123456789012';
const DATA = '444455556666';
const AGGREGATOR_ACCOUNT = '111122223333';
const NOW = Date.parse('2026-12-07T12:00:00Z');
const CAPA = 'sigs.k8s.io/cluster-api-provider-aws/cluster/';

function account(id: string, regions: string[]): ConfiguredAccount {
  return {
    id,
    name: id,
    environment: 'production',
    owners: [],
    accessModel: 'audited-no-access',
    regions,
  } as ConfiguredAccount;
}

function item(
  resourceType: string,
  accountId: string,
  awsRegion: string,
  resourceId: string,
  configuration: object,
  tags: Record<string, string> = {},
  status = 'OK',
) {
  return JSON.stringify({
    resourceId,
    resourceType,
    accountId,
    awsRegion,
    configuration,
    tags: Object.entries(tags).map(([key, value]) => ({
      key,
      value,
      tag: `${key}=${value}`,
    })),
    configurationItemCaptureTime: '2026-12-07T11:50:00.000Z',
    configurationItemStatus: status,
  });
}

const payTags = { [`${CAPA}pay-prod`]: 'owned', Name: 'pay-prod' };
const ITEMS: string[] = [
  // Two VPCs in eu-west-1 so that the VPC query answers on two pages.
  item(
    'AWS::EC2::VPC',
    PROD,
    'eu-west-1',
    'vpc-0a1b2c3d4e5f60001',
    {
      cidrBlock: '10.0.0.0/16',
      dhcpOptionsId: 'dopt-0a1b2c3d',
      state: { value: 'available' },
      vpcId: 'vpc-0a1b2c3d4e5f60001',
      ownerId: PROD,
      instanceTenancy: 'default',
      cidrBlockAssociationSet: [
        {
          associationId: 'vpc-cidr-assoc-0a1b2c3d',
          cidrBlock: '10.0.0.0/16',
          cidrBlockState: { state: 'associated' },
        },
      ],
      isDefault: false,
    },
    payTags,
  ),
  item('AWS::EC2::VPC', PROD, 'eu-west-1', 'vpc-0a1b2c3d4e5f60009', {
    cidrBlock: '172.31.0.0/16',
    state: { value: 'available' },
    vpcId: 'vpc-0a1b2c3d4e5f60009',
    isDefault: true,
  }),
  // A VPC deleted since: Config still answers its last item.
  item(
    'AWS::EC2::VPC',
    PROD,
    'eu-west-1',
    'vpc-0a1b2c3d4e5f6000f',
    {},
    {},
    'ResourceDeleted',
  ),
  item(
    'AWS::EC2::Subnet',
    PROD,
    'eu-west-1',
    'subnet-0a1b2c3d4e5f60001',
    {
      availabilityZone: 'eu-west-1a',
      availableIpAddressCount: 16379,
      cidrBlock: '10.0.0.0/18',
      defaultForAz: false,
      mapPublicIpOnLaunch: false,
      state: { value: 'available' },
      subnetId: 'subnet-0a1b2c3d4e5f60001',
      vpcId: 'vpc-0a1b2c3d4e5f60001',
    },
    {
      [`${CAPA}pay-prod`]: 'owned',
      'sigs.k8s.io/cluster-api-provider-aws/role': 'private',
    },
  ),
  item(
    'AWS::EC2::RouteTable',
    PROD,
    'eu-west-1',
    'rtb-0a1b2c3d4e5f60001',
    {
      routeTableId: 'rtb-0a1b2c3d4e5f60001',
      vpcId: 'vpc-0a1b2c3d4e5f60001',
      routes: [
        {
          destinationCidrBlock: '10.0.0.0/16',
          gatewayId: 'local',
          origin: 'CreateRouteTable',
          state: 'active',
        },
        {
          destinationCidrBlock: '0.0.0.0/0',
          gatewayId: 'igw-0a1b2c3d4e5f60001',
          origin: 'CreateRoute',
          state: 'active',
        },
      ],
      associations: [
        {
          main: false,
          routeTableAssociationId: 'rtbassoc-0a1b2c3d',
          routeTableId: 'rtb-0a1b2c3d4e5f60001',
          subnetId: 'subnet-0a1b2c3d4e5f60001',
        },
      ],
    },
    payTags,
  ),
  item(
    'AWS::EC2::InternetGateway',
    PROD,
    'eu-west-1',
    'igw-0a1b2c3d4e5f60001',
    {
      attachments: [{ state: 'available', vpcId: 'vpc-0a1b2c3d4e5f60001' }],
      internetGatewayId: 'igw-0a1b2c3d4e5f60001',
      ownerId: PROD,
    },
    payTags,
  ),
  item(
    'AWS::ElasticLoadBalancingV2::LoadBalancer',
    PROD,
    'eu-west-1',
    'arn:aws:elasticloadbalancing:eu-west-1:123456789012:loadbalancer/net/pay-prod-apiserver/0a1b2c3d4e5f6001',
    {
      loadBalancerArn:
        'arn:aws:elasticloadbalancing:eu-west-1:123456789012:loadbalancer/net/pay-prod-apiserver/0a1b2c3d4e5f6001',
      dNSName: 'pay-prod-apiserver-0a1b2c3d.elb.eu-west-1.amazonaws.com',
      canonicalHostedZoneId: 'Z2IFOLAFXWLO4F',
      createdTime: '2026-11-01T10:00:00.000Z',
      loadBalancerName: 'pay-prod-apiserver',
      scheme: 'internet-facing',
      vpcId: 'vpc-0a1b2c3d4e5f60001',
      state: { code: 'active' },
      type: 'network',
      availabilityZones: [
        { zoneName: 'eu-west-1a', subnetId: 'subnet-0a1b2c3d4e5f60001' },
      ],
      securityGroups: [{ value: 'sg-0a1b2c3d4e5f60001' }],
      ipAddressType: 'ipv4',
    },
    {
      [`${CAPA}pay-prod`]: 'owned',
      'sigs.k8s.io/cluster-api-provider-aws/role': 'apiserver',
    },
  ),
  item(
    'AWS::EC2::SecurityGroup',
    PROD,
    'eu-west-1',
    'sg-0a1b2c3d4e5f60001',
    {
      description: 'Kubernetes API server',
      groupName: 'pay-prod-apiserver-lb',
      ipPermissions: [
        {
          fromPort: 6443,
          ipProtocol: 'tcp',
          ipv6Ranges: [],
          prefixListIds: [],
          toPort: 6443,
          userIdGroupPairs: [],
          ipv4Ranges: [{ cidrIp: '0.0.0.0/0' }],
          ipRanges: ['0.0.0.0/0'],
        },
      ],
      ownerId: PROD,
      groupId: 'sg-0a1b2c3d4e5f60001',
      ipPermissionsEgress: [],
      vpcId: 'vpc-0a1b2c3d4e5f60001',
    },
    payTags,
  ),
  // A classic load balancer as its schema spells it: `dnsname`, `vpcid`, `….value` lists.
  item(
    'AWS::ElasticLoadBalancing::LoadBalancer',
    PROD,
    'eu-west-1',
    'pay-prod-ingress',
    {
      loadBalancerName: 'pay-prod-ingress',
      dnsname: 'pay-prod-ingress-1234567890.eu-west-1.elb.amazonaws.com',
      canonicalHostedZoneNameID: 'Z32O12XQLNTSW2',
      scheme: 'internet-facing',
      vpcid: 'vpc-0a1b2c3d4e5f60001',
      availabilityZones: [{ value: 'eu-west-1a' }],
      subnets: [{ value: 'subnet-0a1b2c3d4e5f60001' }],
      securityGroups: [],
      instances: [{ instanceId: 'i-0a1b2c3d4e5f60001' }],
      listenerDescriptions: [
        {
          listener: {
            protocol: 'HTTPS',
            loadBalancerPort: 443,
            instanceProtocol: 'HTTP',
            instancePort: 30080,
            sslcertificateId:
              'arn:aws:acm:eu-west-1:123456789012:certificate/0a1b2c3d-4e5f-6a7b-8c9d-0e1f2a3b4c5d',
          },
          policyNames: [],
        },
      ],
    },
    { [`${CAPA}pay-prod`]: 'owned' },
  ),
  // A transit gateway attachment and a peering connection as their schemas spell them.
  item(
    'AWS::EC2::TransitGatewayAttachment',
    PROD,
    'eu-west-1',
    'tgw-attach-0a1b2c3d4e5f60001',
    {
      Id: 'tgw-attach-0a1b2c3d4e5f60001',
      TransitGatewayId: 'tgw-0a1b2c3d4e5f60001',
      VpcId: 'vpc-0a1b2c3d4e5f60001',
      SubnetIds: ['subnet-0a1b2c3d4e5f60001'],
    },
    payTags,
  ),
  item(
    'AWS::EC2::VPCPeeringConnection',
    PROD,
    'eu-west-1',
    'pcx-0a1b2c3d4e5f60001',
    {
      vpcPeeringConnectionId: 'pcx-0a1b2c3d4e5f60001',
      status: 'active',
      requesterVpcInfo: {
        cidrBlock: '10.0.0.0/16',
        ownerId: PROD,
        vpcId: 'vpc-0a1b2c3d4e5f60001',
        region: 'eu-west-1',
      },
      accepterVpcInfo: {
        cidrBlock: '10.8.0.0/16',
        ownerId: DATA,
        vpcId: 'vpc-0a1b2c3d4e5f60008',
        region: 'eu-west-1',
      },
    },
  ),
  // The transit gateway, owned by the other account.
  item('AWS::EC2::TransitGateway', DATA, 'eu-west-1', 'tgw-0a1b2c3d4e5f60001', {
    Id: 'tgw-0a1b2c3d4e5f60001',
    Description: 'shared network',
    AmazonSideAsn: 64512,
    AutoAcceptSharedAttachments: 'enable',
    DefaultRouteTableAssociation: 'enable',
    DnsSupport: 'enable',
  }),
  // A security group no load balancer uses is not read.
  item('AWS::EC2::SecurityGroup', PROD, 'eu-west-1', 'sg-0a1b2c3d4e5f60009', {
    groupId: 'sg-0a1b2c3d4e5f60009',
    vpcId: 'vpc-0a1b2c3d4e5f60001',
  }),
  item(
    'AWS::AutoScaling::AutoScalingGroup',
    PROD,
    'eu-west-1',
    'arn:aws:autoscaling:eu-west-1:123456789012:autoScalingGroup:0a1b2c3d:autoScalingGroupName/pay-prod-pool0',
    {
      autoScalingGroupName: 'pay-prod-pool0',
      autoScalingGroupARN:
        'arn:aws:autoscaling:eu-west-1:123456789012:autoScalingGroup:0a1b2c3d:autoScalingGroupName/pay-prod-pool0',
      minSize: 1,
      maxSize: 5,
      desiredCapacity: 3,
      availabilityZones: [{ value: 'eu-west-1a' }],
      vpczoneIdentifier: 'subnet-0a1b2c3d4e5f60001',
      instances: [
        {
          instanceId: 'i-0a1b2c3d4e5f60001',
          instanceType: 'm6i.xlarge',
          availabilityZone: 'eu-west-1a',
          lifecycleState: 'InService',
          healthStatus: 'Healthy',
          protectedFromScaleIn: false,
        },
        {
          instanceId: 'i-0a1b2c3d4e5f60004',
          instanceType: 'm6i.xlarge',
          availabilityZone: 'eu-west-1a',
          lifecycleState: 'Pending',
          healthStatus: 'Healthy',
          protectedFromScaleIn: false,
        },
      ],
    },
    { [`${CAPA}pay-prod`]: 'owned' },
  ),
  item(
    'AWS::EC2::Instance',
    PROD,
    'eu-west-1',
    'i-0a1b2c3d4e5f60001',
    {
      instanceId: 'i-0a1b2c3d4e5f60001',
      instanceType: 'm6i.xlarge',
      placement: { availabilityZone: 'eu-west-1a', tenancy: 'default' },
      state: { code: 16, name: 'running' },
      subnetId: 'subnet-0a1b2c3d4e5f60001',
      vpcId: 'vpc-0a1b2c3d4e5f60001',
      cpuOptions: { coreCount: 2, threadsPerCore: 2 },
    },
    {
      [`${CAPA}pay-prod`]: 'owned',
      'aws:autoscaling:groupName': 'pay-prod-pool0',
    },
  ),
  // Terminated, and an instance of no cluster: neither is kept.
  item(
    'AWS::EC2::Instance',
    PROD,
    'eu-west-1',
    'i-0a1b2c3d4e5f60002',
    {
      instanceId: 'i-0a1b2c3d4e5f60002',
      state: { code: 48, name: 'terminated' },
    },
    { [`${CAPA}pay-prod`]: 'owned' },
  ),
  item('AWS::EC2::Instance', PROD, 'eu-west-1', 'i-0a1b2c3d4e5f60003', {
    instanceId: 'i-0a1b2c3d4e5f60003',
    state: { code: 16, name: 'running' },
  }),
  // eu-central-1: the recorder there records VPCs and route tables, but not subnets.
  item(
    'AWS::EC2::VPC',
    PROD,
    'eu-central-1',
    'vpc-0a1b2c3d4e5f60002',
    {
      cidrBlock: '10.1.0.0/16',
      state: { value: 'available' },
      vpcId: 'vpc-0a1b2c3d4e5f60002',
    },
    { [`${CAPA}pay-dev`]: 'owned' },
  ),
  item(
    'AWS::EC2::RouteTable',
    PROD,
    'eu-central-1',
    'rtb-0a1b2c3d4e5f60002',
    {
      routeTableId: 'rtb-0a1b2c3d4e5f60002',
      vpcId: 'vpc-0a1b2c3d4e5f60002',
      routes: [
        { destinationCidrBlock: '10.1.0.0/16', gatewayId: 'local' },
        {
          destinationCidrBlock: '0.0.0.0/0',
          gatewayId: 'igw-0a1b2c3d4e5f60002',
        },
      ],
    },
    { [`${CAPA}pay-dev`]: 'owned' },
  ),
  item(
    'AWS::EC2::InternetGateway',
    PROD,
    'eu-central-1',
    'igw-0a1b2c3d4e5f60002',
    {
      internetGatewayId: 'igw-0a1b2c3d4e5f60002',
      attachments: [{ state: 'available', vpcId: 'vpc-0a1b2c3d4e5f60002' }],
    },
  ),
  // 444455556666: an EKS cluster in CloudFormation's shape; node groups are not recorded.
  item(
    'AWS::EKS::Cluster',
    DATA,
    'eu-west-1',
    'data-prod',
    {
      Name: 'data-prod',
      Arn: 'arn:aws:eks:eu-west-1:444455556666:cluster/data-prod',
      Version: '1.33',
      RoleArn: 'arn:aws:iam::444455556666:role/data-prod-eks',
      Endpoint: 'https://0A1B2C3D4E5F.gr7.eu-west-1.eks.amazonaws.com',
      CertificateAuthorityData: 'LS0tLS1CRUdJTg==',
      ClusterStatus: 'ACTIVE',
      OpenIdConnectIssuerUrl:
        'https://oidc.eks.eu-west-1.amazonaws.com/id/0A1B2C3D4E5F',
      ResourcesVpcConfig: {
        SubnetIds: ['subnet-0a1b2c3d4e5f60005'],
        SecurityGroupIds: [],
        EndpointPublicAccess: true,
        EndpointPrivateAccess: true,
        PublicAccessCidrs: ['203.0.113.0/24'],
      },
      KubernetesNetworkConfig: { ServiceIpv4Cidr: '172.20.0.0/16' },
    },
    { 'giantswarm.io/cluster': 'data-prod' },
  ),
  item(
    'AWS::AutoScaling::AutoScalingGroup',
    DATA,
    'eu-west-1',
    'eks-data-prod-pool0-0a1b2c3d',
    {
      autoScalingGroupName: 'eks-data-prod-pool0-0a1b2c3d',
      minSize: 1,
      maxSize: 3,
      desiredCapacity: 1,
      instances: [
        {
          instanceId: 'i-0a1b2c3d4e5f60011',
          instanceType: 'm6i.large',
          availabilityZone: 'eu-west-1a',
          lifecycleState: 'InService',
          healthStatus: 'Healthy',
        },
      ],
    },
    { 'eks:cluster-name': 'data-prod', 'eks:nodegroup-name': 'pool0' },
  ),
  item(
    'AWS::EC2::Instance',
    DATA,
    'eu-west-1',
    'i-0a1b2c3d4e5f60011',
    {
      instanceId: 'i-0a1b2c3d4e5f60011',
      instanceType: 'm6i.large',
      placement: { availabilityZone: 'eu-west-1a' },
      state: { code: 16, name: 'running' },
    },
    {
      'kubernetes.io/cluster/data-prod': 'owned',
      'eks:cluster-name': 'data-prod',
      'eks:nodegroup-name': 'pool0',
      'aws:autoscaling:groupName': 'eks-data-prod-pool0-0a1b2c3d',
    },
  ),
];

function typeOf(expression: string) {
  return /resourceType = '([^']+)'/.exec(expression)![1];
}

/** What the aggregator holds: the items above, changed by some tests. */
let aggregator: string[] = ITEMS;

/** The aggregator: answers the items the query selects, at most two per page. */
function answerQuery(input: {
  Expression?: string;
  NextToken?: string;
  Limit?: number;
}) {
  const conditions = conditionsOf(input.Expression ?? '');
  const matching = aggregator.map(heldItem).filter(i => selects(conditions, i));
  const start = input.NextToken ? Number(input.NextToken.slice(5)) : 0;
  const end = start + Math.min(2, input.Limit ?? 25);
  return {
    Results: matching.slice(start, end).map(i => i.json),
    QueryInfo: { SelectFields: [{ Name: 'resourceId' }] },
    NextToken: end < matching.length ? `page-${end}` : undefined,
  };
}

function credentials() {
  return {
    getCredentialProvider: async (o?: { accountId?: string }) => ({
      sdkCredentialProvider: async () => ({
        accessKeyId: `AKIA${o?.accountId ?? AGGREGATOR_ACCOUNT}TEST`,
        secretAccessKey: 'test',
      }),
    }),
  };
}

async function where(getClient: () => any) {
  const client = getClient();
  const region = await client.config.region();
  const key = (await client.config.credentials()).accessKeyId as string;
  return `${/\d{12}/.exec(key)![0]}/${region}`;
}

describe('AwsConfigSource', () => {
  const config = mockClient(ConfigServiceClient);
  const ec2 = mockClient(EC2Client);
  const autoScaling = mockClient(AutoScalingClient);
  const eks = mockClient(EKSClient);
  const directCalls: string[] = [];

  beforeEach(() => {
    aggregator = [...ITEMS];
    directCalls.length = 0;
    for (const m of [config, ec2, autoScaling, eks]) m.reset();
    config
      .on(SelectAggregateResourceConfigCommand)
      .callsFake(input => answerQuery(input));
    config.on(DescribeConfigurationAggregatorSourcesStatusCommand).resolves({
      AggregatedSourceStatusList: [
        {
          SourceId: PROD,
          SourceType: 'ACCOUNT',
          AwsRegion: 'eu-west-1',
          LastUpdateStatus: 'SUCCEEDED',
          LastUpdateTime: new Date('2026-12-07T11:55:00Z'),
        },
        {
          SourceId: PROD,
          SourceType: 'ACCOUNT',
          AwsRegion: 'eu-central-1',
          LastUpdateStatus: 'SUCCEEDED',
          LastUpdateTime: new Date('2026-12-07T09:00:00Z'),
        },
        {
          SourceId: DATA,
          SourceType: 'ACCOUNT',
          AwsRegion: 'eu-west-1',
          LastUpdateStatus: 'SUCCEEDED',
          LastUpdateTime: new Date('2026-12-07T11:58:00Z'),
        },
      ],
    });
    ec2.on(DescribeSubnetsCommand).callsFake(async (_input, getClient) => {
      directCalls.push(`DescribeSubnets ${await where(getClient)}`);
      return {
        Subnets: [
          {
            SubnetId: 'subnet-0a1b2c3d4e5f60002',
            VpcId: 'vpc-0a1b2c3d4e5f60002',
            CidrBlock: '10.1.0.0/18',
            AvailabilityZone: 'eu-central-1a',
          },
        ],
      };
    });
    ec2.on(DescribeInternetGatewaysCommand).callsFake(async (_i, getClient) => {
      directCalls.push(`DescribeInternetGateways ${await where(getClient)}`);
      return { InternetGateways: [] };
    });
    ec2
      .on(DescribeAvailabilityZonesCommand)
      .callsFake(async (_input, getClient) => {
        const at = await where(getClient);
        directCalls.push(`DescribeAvailabilityZones ${at}`);
        const region = at.split('/')[1];
        return {
          AvailabilityZones: ['a', 'b'].map(z => ({
            ZoneName: `${region}${z}`,
            ZoneId: `euw1-az${z}`,
            RegionName: region,
            State: 'available',
            ZoneType: 'availability-zone',
          })),
        };
      });
    autoScaling
      .on(DescribeAutoScalingGroupsCommand)
      .callsFake(async (_input, getClient) => {
        directCalls.push(`DescribeAutoScalingGroups ${await where(getClient)}`);
        return { AutoScalingGroups: [] };
      });
    autoScaling
      .on(DescribeScalingActivitiesCommand)
      .callsFake(async (_input, getClient) => {
        directCalls.push(`DescribeScalingActivities ${await where(getClient)}`);
        return {
          Activities: [
            {
              ActivityId: 'a-1',
              AutoScalingGroupName: 'pay-prod-pool0',
              StatusCode: 'Failed',
              StartTime: new Date('2026-12-07T11:40:00Z'),
              Cause: 'launching instances',
            },
          ],
        };
      });
    eks.on(DescribeNodegroupCommand).callsFake(async (input, getClient) => {
      directCalls.push(`DescribeNodegroup ${await where(getClient)}`);
      return {
        nodegroup: {
          clusterName: input.clusterName,
          nodegroupName: input.nodegroupName,
          status: 'ACTIVE',
          scalingConfig: { minSize: 1, maxSize: 3, desiredSize: 1 },
        },
      };
    });
    eks
      .on(DescribeClusterVersionsCommand)
      .callsFake(async (_input, getClient) => {
        directCalls.push(`DescribeClusterVersions ${await where(getClient)}`);
        return {
          clusterVersions: [
            { clusterVersion: '1.33', status: 'STANDARD_SUPPORT' },
          ],
        };
      });
    // As EKS answers ListInsights and DescribeInsight (Amazon EKS API Reference).
    eks.on(ListInsightsCommand).callsFake(async (input, getClient) => {
      directCalls.push(
        `ListInsights ${await where(getClient)} ${input.clusterName}`,
      );
      const page1 = {
        insights: [
          {
            id: '6f5e1d2c-0a1b-4c3d-9e8f-7a6b5c4d3e2f',
            name: 'Kubelet version skew',
            category: 'UPGRADE_READINESS',
            kubernetesVersion: '1.34',
            insightStatus: { status: 'PASSING', reason: 'No issues found.' },
          },
        ],
        nextToken: 'page-2',
      };
      const page2 = {
        insights: [
          {
            id: '0d1e2f3a-4b5c-4d6e-8f7a-9b0c1d2e3f4a',
            name: 'Deprecated APIs removed in Kubernetes v1.34',
            category: 'UPGRADE_READINESS',
            kubernetesVersion: '1.34',
            insightStatus: {
              status: 'ERROR',
              reason: 'Deprecated API usage detected within last 30 days.',
            },
          },
        ],
      };
      return input.nextToken === 'page-2' ? page2 : page1;
    });
    eks.on(DescribeInsightCommand).callsFake(async (input, getClient) => {
      directCalls.push(`DescribeInsight ${await where(getClient)} ${input.id}`);
      return {
        insight: {
          id: input.id,
          name: 'Deprecated APIs removed in Kubernetes v1.34',
          category: 'UPGRADE_READINESS',
          kubernetesVersion: '1.34',
          insightStatus: {
            status: 'ERROR',
            reason: 'Deprecated API usage detected within last 30 days.',
          },
          recommendation:
            'Update manifests and API clients to use newer Kubernetes APIs if applicable before upgrading to Kubernetes v1.34.',
          categorySpecificSummary: {
            deprecationDetails: [
              {
                usage: '/apis/flowcontrol.apiserver.k8s.io/v1beta3/flowschemas',
                replacedWith:
                  '/apis/flowcontrol.apiserver.k8s.io/v1/flowschemas',
                stopServingVersion: '1.32',
                clientStats: [
                  {
                    userAgent: 'kube-state-metrics/v2.10.0',
                    numberOfRequestsLast30Days: 1204,
                    lastRequestTime: new Date('2026-12-06T22:10:00Z'),
                  },
                ],
              },
            ],
          },
        },
      };
    });
  });

  afterAll(() => {
    for (const m of [config, ec2, autoScaling, eks]) m.restore();
  });

  function source(options: Partial<AwsConfigSourceOptions> = {}) {
    return new AwsConfigSource({
      aggregator: {
        name: 'org-aggregator',
        accountId: AGGREGATOR_ACCOUNT,
        region: 'us-east-1',
      },
      accounts: [
        account(PROD, ['eu-west-1', 'eu-central-1']),
        account(DATA, ['eu-west-1']),
      ],
      credentials: credentials(),
      now: () => NOW,
      ...options,
    });
  }

  async function collect(options: Partial<AwsConfigSourceOptions> = {}) {
    const s = source(options);
    const { aws } = await s.collect();
    const at = (id: string, region: string) =>
      aws!.find(r => r.accountId === id && r.region === region)!;
    return { s, aws: aws!, at };
  }

  it('turns configuration items into the AWS collector shapes, following NextToken', async () => {
    const { at } = await collect();
    const r = at(PROD, 'eu-west-1');
    expect(r.vpcs.map(v => v.VpcId)).toEqual([
      'vpc-0a1b2c3d4e5f60001',
      'vpc-0a1b2c3d4e5f60009',
    ]);
    expect(r.vpcs[0]).toMatchObject({
      CidrBlock: '10.0.0.0/16',
      State: 'available',
      IsDefault: false,
      CidrBlockAssociationSet: [
        { CidrBlock: '10.0.0.0/16', CidrBlockState: { State: 'associated' } },
      ],
      Tags: [
        { Key: `${CAPA}pay-prod`, Value: 'owned' },
        { Key: 'Name', Value: 'pay-prod' },
      ],
    });
    // The third VPC answer is on the second page and deleted.
    const vpcQueries = config
      .commandCalls(SelectAggregateResourceConfigCommand)
      .filter(
        c =>
          typeOf(c.args[0].input.Expression!) === 'AWS::EC2::VPC' &&
          c.args[0].input.Expression!.includes("'eu-west-1'"),
      );
    expect(vpcQueries.map(c => c.args[0].input.NextToken)).toEqual([
      undefined,
      'page-2',
    ]);
    expect(vpcQueries[0].args[0].input).toMatchObject({
      ConfigurationAggregatorName: 'org-aggregator',
      Limit: 100,
    });
    expect(r.subnets[0]).toMatchObject({
      SubnetId: 'subnet-0a1b2c3d4e5f60001',
      State: 'available',
    });
    expect(r.classicLoadBalancers[0]).toMatchObject({
      LoadBalancerName: 'pay-prod-ingress',
      DNSName: 'pay-prod-ingress-1234567890.eu-west-1.elb.amazonaws.com',
      CanonicalHostedZoneNameID: 'Z32O12XQLNTSW2',
      VPCId: 'vpc-0a1b2c3d4e5f60001',
      AvailabilityZones: ['eu-west-1a'],
      Subnets: ['subnet-0a1b2c3d4e5f60001'],
      Instances: [{ InstanceId: 'i-0a1b2c3d4e5f60001' }],
      ListenerDescriptions: [
        {
          Listener: expect.objectContaining({
            LoadBalancerPort: 443,
            SSLCertificateId: expect.stringContaining(':certificate/'),
          }),
        },
      ],
    });
    expect(r.transitGatewayAttachments).toEqual([
      {
        TransitGatewayAttachmentId: 'tgw-attach-0a1b2c3d4e5f60001',
        VpcOwnerId: PROD,
        TransitGatewayId: 'tgw-0a1b2c3d4e5f60001',
        VpcId: 'vpc-0a1b2c3d4e5f60001',
        SubnetIds: ['subnet-0a1b2c3d4e5f60001'],
        Tags: [
          { Key: `${CAPA}pay-prod`, Value: 'owned' },
          { Key: 'Name', Value: 'pay-prod' },
        ],
      },
    ]);
    expect(r.vpcPeeringConnections[0]).toMatchObject({
      VpcPeeringConnectionId: 'pcx-0a1b2c3d4e5f60001',
      Status: { Code: 'active' },
      AccepterVpcInfo: { OwnerId: DATA, VpcId: 'vpc-0a1b2c3d4e5f60008' },
    });
    expect(at(DATA, 'eu-west-1').transitGateways).toEqual([
      expect.objectContaining({
        TransitGatewayId: 'tgw-0a1b2c3d4e5f60001',
        OwnerId: DATA,
        Description: 'shared network',
        Options: expect.objectContaining({
          AmazonSideAsn: 64512,
          AutoAcceptSharedAttachments: 'enable',
        }),
      }),
    ]);
    expect(r.routeTables[0].Routes![1]).toEqual({
      DestinationCidrBlock: '0.0.0.0/0',
      GatewayId: 'igw-0a1b2c3d4e5f60001',
      Origin: 'CreateRoute',
      State: 'active',
    });
    expect(r.routeTables[0].Associations![0].SubnetId).toBe(
      'subnet-0a1b2c3d4e5f60001',
    );
    expect(r.loadBalancers[0]).toMatchObject({
      LoadBalancerName: 'pay-prod-apiserver',
      DNSName: 'pay-prod-apiserver-0a1b2c3d.elb.eu-west-1.amazonaws.com',
      Scheme: 'internet-facing',
      VpcId: 'vpc-0a1b2c3d4e5f60001',
      State: { Code: 'active' },
      SecurityGroups: ['sg-0a1b2c3d4e5f60001'],
      Tags: expect.arrayContaining([
        {
          Key: 'sigs.k8s.io/cluster-api-provider-aws/role',
          Value: 'apiserver',
        },
      ]),
    });
    // Only the load balancer's security group, with its CIDR ranges in the SDK's shape.
    expect(r.securityGroups).toHaveLength(1);
    expect(r.securityGroups[0].IpPermissions![0]).toMatchObject({
      FromPort: 6443,
      IpRanges: [{ CidrIp: '0.0.0.0/0' }],
    });
    expect(r.instances.map(i => i.InstanceId)).toEqual(['i-0a1b2c3d4e5f60001']);
    expect(r.instances[0]).toMatchObject({
      Placement: { AvailabilityZone: 'eu-west-1a' },
      State: { Name: 'running' },
      CpuOptions: { CoreCount: 2, ThreadsPerCore: 2 },
    });
    const eksCluster = at(DATA, 'eu-west-1').eksClusters[0];
    expect(eksCluster).toMatchObject({
      name: 'data-prod',
      version: '1.33',
      endpoint: 'https://0A1B2C3D4E5F.gr7.eu-west-1.eks.amazonaws.com',
      certificateAuthority: { data: 'LS0tLS1CRUdJTg==' },
      resourcesVpcConfig: {
        subnetIds: ['subnet-0a1b2c3d4e5f60005'],
        endpointPublicAccess: true,
        publicAccessCidrs: ['203.0.113.0/24'],
      },
      status: 'ACTIVE',
      identity: {
        oidc: {
          issuer: 'https://oidc.eks.eu-west-1.amazonaws.com/id/0A1B2C3D4E5F',
        },
      },
      tags: { 'giantswarm.io/cluster': 'data-prod' },
    });
  });

  it("takes the groups' instances and their lifecycle state from Config, and reads scaling activities directly where a group is short", async () => {
    const { at } = await collect();
    const group = at(PROD, 'eu-west-1').autoScalingGroups[0];
    expect(group).toMatchObject({
      AutoScalingGroupName: 'pay-prod-pool0',
      AvailabilityZones: ['eu-west-1a'],
      VPCZoneIdentifier: 'subnet-0a1b2c3d4e5f60001',
    });
    expect(group.Instances!.map(i => i.LifecycleState)).toEqual([
      'InService',
      'Pending',
    ]);
    expect(
      directCalls.filter(c => c.startsWith('DescribeAutoScalingGroups')),
    ).toEqual([]);
    expect(at(PROD, 'eu-west-1').scalingActivities[0].StatusCode).toBe(
      'Failed',
    );
    // data-prod's group has all it wants: no activities are read there.
    expect(directCalls).toContain(
      `DescribeScalingActivities ${PROD}/eu-west-1`,
    );
    expect(directCalls).not.toContain(
      `DescribeScalingActivities ${DATA}/eu-west-1`,
    );
  });

  it('reads a list directly where Config did not record it (subnets in one region), and the node groups its groups name', async () => {
    const { s, at } = await collect();
    expect(at(PROD, 'eu-central-1').subnets.map(x => x.SubnetId)).toEqual([
      'subnet-0a1b2c3d4e5f60002',
    ]);
    expect(at(PROD, 'eu-west-1').subnets.map(x => x.SubnetId)).toEqual([
      'subnet-0a1b2c3d4e5f60001',
    ]);
    expect(directCalls.filter(c => c.startsWith('DescribeSubnets'))).toEqual([
      `DescribeSubnets ${PROD}/eu-central-1`,
    ]);
    expect(at(DATA, 'eu-west-1').eksNodegroups).toEqual([
      expect.objectContaining({ nodegroupName: 'pool0', status: 'ACTIVE' }),
    ]);
    expect(directCalls.filter(c => c.startsWith('DescribeNodegroup'))).toEqual([
      `DescribeNodegroup ${DATA}/eu-west-1`,
    ]);
    expect(s.lastStats!.notRecorded.sort()).toEqual([
      `subnets in ${PROD}/eu-central-1`,
    ]);
    // The internet gateway its routes name was recorded: not read again.
    expect(
      directCalls.some(c => c.startsWith('DescribeInternetGateways')),
    ).toBe(false);
  });

  it("keeps a node group's description while its group keeps its sizes and is not short", async () => {
    let now = NOW;
    const s = source({ now: () => now });
    await s.collect();
    const described = () =>
      directCalls.filter(c => c.startsWith('DescribeNodegroup')).length;
    expect(described()).toBe(1);
    now = NOW + 60_000;
    const again = await s.collect();
    expect(described()).toBe(1);
    expect(
      again.aws!.find(r => r.accountId === DATA && r.region === 'eu-west-1')!
        .eksNodegroups,
    ).toEqual([expect.objectContaining({ nodegroupName: 'pool0' })]);
    // After NODEGROUPS_MAX_AGE_MS it is described again.
    now = NOW + NODEGROUPS_MAX_AGE_MS;
    await s.collect();
    expect(described()).toBe(2);
  });

  it('describes a node group again when its group is resized', async () => {
    const s = source();
    await s.collect();
    config.on(SelectAggregateResourceConfigCommand).callsFake(input => {
      const answer = answerQuery(input);
      return {
        ...answer,
        Results: answer.Results.map(r =>
          r.includes('eks-data-prod-pool0')
            ? r.replace('"maxSize":3', '"maxSize":4')
            : r,
        ),
      };
    });
    await s.collect();
    expect(directCalls.filter(c => c.startsWith('DescribeNodegroup'))).toEqual([
      `DescribeNodegroup ${DATA}/eu-west-1`,
      `DescribeNodegroup ${DATA}/eu-west-1`,
    ]);
  });

  it('reads zones once per region and the EKS versions once', async () => {
    const { at } = await collect();
    expect(
      directCalls.filter(c => c.startsWith('DescribeAvailabilityZones')),
    ).toHaveLength(2);
    expect(
      directCalls.filter(c => c.startsWith('DescribeClusterVersions')),
    ).toEqual([`DescribeClusterVersions ${DATA}/eu-west-1`]);
    expect(
      at(PROD, 'eu-west-1').availabilityZones.map(z => z.ZoneName),
    ).toEqual(['eu-west-1a', 'eu-west-1b']);
    // Another account of the region gets the names, not the reader's zone ids.
    const other = [
      at(PROD, 'eu-west-1').availabilityZones[0],
      at(DATA, 'eu-west-1').availabilityZones[0],
    ];
    expect(other.filter(z => z.ZoneId)).toHaveLength(1);
  });

  it("reads the EKS clusters' upgrade insights directly, describes those not passing, and keeps them an hour", async () => {
    let now = NOW;
    const s = source({ now: () => now });
    const first = await s.collect();
    const data = first.aws!.find(
      r => r.accountId === DATA && r.region === 'eu-west-1',
    )!;
    expect(data.eksInsights).toEqual([
      expect.objectContaining({
        clusterName: 'data-prod',
        name: 'Kubelet version skew',
        insightStatus: expect.objectContaining({ status: 'PASSING' }),
      }),
      expect.objectContaining({
        clusterName: 'data-prod',
        recommendation: expect.stringContaining('before upgrading'),
        categorySpecificSummary: {
          deprecationDetails: [
            expect.objectContaining({ stopServingVersion: '1.32' }),
          ],
        },
      }),
    ]);
    // Only the account region with an EKS cluster is asked; the passing insight is not described.
    expect(
      directCalls.filter(c => /^(ListInsights|DescribeInsight) /.test(c)),
    ).toEqual([
      `ListInsights ${DATA}/eu-west-1 data-prod`,
      `ListInsights ${DATA}/eu-west-1 data-prod`,
      `DescribeInsight ${DATA}/eu-west-1 0d1e2f3a-4b5c-4d6e-8f7a-9b0c1d2e3f4a`,
    ]);
    directCalls.length = 0;
    now = NOW + INSIGHTS_MAX_AGE_MS - 1;
    const again = await s.collect();
    expect(directCalls.filter(c => c.startsWith('ListInsights'))).toEqual([]);
    expect(
      again.aws!.find(r => r.accountId === DATA && r.region === 'eu-west-1')!
        .eksInsights,
    ).toHaveLength(2);
    now = NOW + INSIGHTS_MAX_AGE_MS;
    await s.collect();
    expect(
      directCalls.filter(c => c.startsWith('ListInsights')).length,
    ).toBeGreaterThan(0);
  });

  it("shows the aggregator's collection time and marks a lagging account region stale", async () => {
    const { at } = await collect({ maxLagMinutes: 60 });
    expect(at(PROD, 'eu-west-1').fetchedAt).toBe('2026-12-07T11:55:00.000Z');
    expect(at(PROD, 'eu-west-1').errors).toEqual([]);
    expect(at(PROD, 'eu-central-1').errors).toEqual([
      expect.objectContaining({
        source: `aws:${PROD}:eu-central-1`,
        operation: 'AggregatorSource',
        code: 'ConfigDataLag',
        message: expect.stringContaining('180 minutes ago'),
      }),
    ]);
  });

  it('keeps a failing query to the account regions it concerns', async () => {
    config.on(SelectAggregateResourceConfigCommand).callsFake(input => {
      if (typeOf(input.Expression) === 'AWS::EC2::NatGateway') {
        const error = new Error('Rate exceeded');
        error.name = 'ThrottlingException';
        throw error;
      }
      return answerQuery(input);
    });
    const { at, aws } = await collect();
    for (const r of aws) {
      expect(r.errors.map(e => [e.operation, e.code])).toContainEqual([
        'SelectAggregateResourceConfig AWS::EC2::NatGateway',
        'ThrottlingException',
      ]);
    }
    expect(at(PROD, 'eu-west-1').vpcs).toHaveLength(2);
  });

  it('marks an account region the aggregator does not collect from', async () => {
    const { at } = await collect({
      accounts: [account(PROD, ['eu-west-1', 'ap-south-1'])],
    });
    expect(at(PROD, 'ap-south-1').errors).toEqual([
      expect.objectContaining({ code: 'NotAggregated' }),
    ]);
    expect(at(PROD, 'eu-west-1').errors).toEqual([]);
  });

  it('names at most accountsPerQuery accounts per query', async () => {
    await collect({ accountsPerQuery: 1 });
    const westVpc = config
      .commandCalls(SelectAggregateResourceConfigCommand)
      .map(c => c.args[0].input)
      .filter(
        i =>
          !i.NextToken &&
          typeOf(i.Expression!) === 'AWS::EC2::VPC' &&
          i.Expression!.includes("awsRegion = 'eu-west-1'"),
      );
    expect(
      westVpc
        .map(i => /accountId IN \(([^)]*)\)/.exec(i.Expression!)![1])
        .sort(),
    ).toEqual([`'${PROD}'`, `'${DATA}'`]);
  });
  describe('between full queries', () => {
    /** The item with another capture time, and its configuration changed. */
    const recorded = (
      json: string,
      capturedAt: string,
      change: (c: any) => void = () => {},
      status = 'OK',
    ) => {
      const i = JSON.parse(json);
      change(i.configuration);
      return JSON.stringify({
        ...i,
        configurationItemCaptureTime: capturedAt,
        configurationItemStatus: status,
      });
    };
    const find = (resourceId: string) =>
      aggregator.findIndex(j => JSON.parse(j).resourceId === resourceId);
    const queries = () =>
      config
        .commandCalls(SelectAggregateResourceConfigCommand)
        .filter(c => !c.args[0].input.NextToken)
        .map(c => c.args[0].input.Expression!);
    const lists = (aws: any[]) =>
      aws.map(({ fetchedAt: _f, errors: _e, ...rest }) => rest);

    it('asks only for the items recorded since the last query, and applies changes and deletions as a full query would read them', async () => {
      let now = NOW;
      const s = source({ now: () => now, changesOverlapMinutes: 1 });
      await s.collect();
      expect(s.lastStats).toMatchObject({ query: 'full' });
      const full = queries().length;

      // Later: a VPC's CIDR changed, a subnet was deleted, an instance of pay-prod launched.
      now = NOW + 10 * 60_000;
      const vpc = find('vpc-0a1b2c3d4e5f60009');
      aggregator[vpc] = recorded(
        aggregator[vpc],
        '2026-12-07T12:05:00.000Z',
        c => {
          c.cidrBlock = '172.30.0.0/16';
        },
      );
      const subnet = find('subnet-0a1b2c3d4e5f60001');
      aggregator[subnet] = recorded(
        aggregator[subnet],
        '2026-12-07T12:06:00.000Z',
        () => {},
        'ResourceDeleted',
      );
      const launched = find('i-0a1b2c3d4e5f60003');
      aggregator.push(
        recorded(aggregator[launched], '2026-12-07T12:07:00.000Z', c => {
          c.instanceId = 'i-0a1b2c3d4e5f6000a';
        }).replace(
          /"resourceId":"i-0a1b2c3d4e5f60003"/,
          '"resourceId":"i-0a1b2c3d4e5f6000a"',
        ),
      );
      const { aws } = await s.collect();

      const asked = queries().slice(full);
      expect(asked).toHaveLength(1);
      expect(asked[0]).toContain(
        "configurationItemCaptureTime > '2026-12-07T11:54:00.000Z'",
      );
      expect(asked[0]).toContain("resourceType IN ('AWS::EC2::VPC'");
      expect(s.lastStats).toMatchObject({ query: 'changes', changes: 3 });
      const west = aws!.find(
        r => r.accountId === PROD && r.region === 'eu-west-1',
      )!;
      expect(
        west.vpcs.find(v => v.VpcId === 'vpc-0a1b2c3d4e5f60009'),
      ).toMatchObject({
        CidrBlock: '172.30.0.0/16',
      });
      expect(west.subnets.map(x => x.SubnetId)).not.toContain(
        'subnet-0a1b2c3d4e5f60001',
      );

      // What a source reading the aggregator afresh would see.
      const fresh = await source().collect();
      expect(lists(aws!)).toEqual(lists(fresh.aws!));
    });

    it('queries everything again after fullQueryMinutes, and after a full query failed', async () => {
      let now = NOW;
      let failing = true;
      config.on(SelectAggregateResourceConfigCommand).callsFake(input => {
        if (failing && input.Expression?.includes("= 'AWS::EC2::NatGateway'")) {
          const error = new Error('Rate exceeded');
          error.name = 'ThrottlingException';
          throw error;
        }
        return answerQuery(input);
      });
      const s = source({ now: () => now, fullQueryMinutes: 60 });
      await s.collect();
      expect(s.lastStats).toMatchObject({ query: 'full' });
      failing = false;
      now += 60_000;
      await s.collect();
      expect(s.lastStats).toMatchObject({ query: 'full' });
      now += 60_000;
      await s.collect();
      expect(s.lastStats).toMatchObject({ query: 'changes' });
      now += 60 * 60_000;
      await s.collect();
      expect(s.lastStats).toMatchObject({ query: 'full' });
    });

    it('keeps what it holds when a changes query fails, and asks from the same time again', async () => {
      let now = NOW;
      const s = source({ now: () => now });
      const first = await s.collect();
      config.on(SelectAggregateResourceConfigCommand).callsFake(() => {
        const error = new Error('Rate exceeded');
        error.name = 'ThrottlingException';
        throw error;
      });
      now += 5 * 60_000;
      const failed = await s.collect();
      expect(s.lastStats).toMatchObject({ query: 'changes' });
      expect(lists(failed.aws!)).toEqual(lists(first.aws!));
      for (const r of failed.aws!)
        expect(r.errors).toContainEqual(
          expect.objectContaining({
            operation: 'SelectAggregateResourceConfig changes',
            code: 'ThrottlingException',
          }),
        );
      config
        .on(SelectAggregateResourceConfigCommand)
        .callsFake(input => answerQuery(input));
      now += 5 * 60_000;
      await s.collect();
      const since = (e: string) =>
        /configurationItemCaptureTime > '([^']+)'/.exec(e)?.[1];
      const asked = queries().filter(since);
      expect(asked).toHaveLength(2);
      expect(since(asked[1])).toBe(since(asked[0]));
    });

    it("keeps each changes query within Config's 4,096 characters", async () => {
      const many = Array.from({ length: 400 }, (_, i) =>
        account(String(100000000000 + i), ['eu-west-1']),
      );
      let now = NOW;
      const s = source({
        now: () => now,
        accounts: [account(PROD, ['eu-west-1']), ...many],
      });
      await s.collect();
      now += 60_000;
      await s.collect();
      const changes = queries().filter(e =>
        e.includes('configurationItemCaptureTime >'),
      );
      expect(changes.length).toBeGreaterThan(1);
      for (const e of changes) expect(e.length).toBeLessThanOrEqual(4096);
      const named = changes.flatMap(e =>
        [.../accountId IN \(([^)]*)\)/.exec(e)![1].matchAll(/'(\d+)'/g)].map(
          m => m[1],
        ),
      );
      expect(named.sort()).toEqual([PROD, ...many.map(a => a.id)].sort());
    });
  });
});
