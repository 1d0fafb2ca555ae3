import {
  AutoScalingClient,
  DescribeAutoScalingGroupsCommand,
  DescribeScalingActivitiesCommand,
} from '@aws-sdk/client-auto-scaling';
import {
  DescribeAvailabilityZonesCommand,
  DescribeInstancesCommand,
  DescribeInternetGatewaysCommand,
  DescribeNatGatewaysCommand,
  DescribeRouteTablesCommand,
  DescribeSecurityGroupsCommand,
  DescribeSubnetsCommand,
  DescribeTransitGatewaysCommand,
  DescribeTransitGatewayVpcAttachmentsCommand,
  DescribeVpcPeeringConnectionsCommand,
  DescribeVpcsCommand,
  EC2Client,
} from '@aws-sdk/client-ec2';
import {
  DescribeClusterCommand,
  DescribeClusterVersionsCommand,
  DescribeNodegroupCommand,
  EKSClient,
  ListClustersCommand,
  ListNodegroupsCommand,
} from '@aws-sdk/client-eks';
import {
  DescribeLoadBalancersCommand as DescribeClassicLoadBalancersCommand,
  DescribeTagsCommand as DescribeClassicTagsCommand,
  ElasticLoadBalancingClient,
} from '@aws-sdk/client-elastic-load-balancing';
import {
  DescribeLoadBalancersCommand,
  DescribeTagsCommand,
  ElasticLoadBalancingV2Client,
} from '@aws-sdk/client-elastic-load-balancing-v2';
import { AwsStub, mockClient } from 'aws-sdk-client-mock';
import type {
  AwsCredentialsSource,
  ConfiguredAccount,
} from '@clusterdeck/plugin-aws-clusters-node';

export const ACCOUNT_A = '123456789012';
export const ACCOUNT_B = '210987654321';
/** The account that owns the transit gateway it shares with the others through RAM. */
export const NETWORK_ACCOUNT = '111122223333';
const CAPA = 'sigs.k8s.io/cluster-api-provider-aws/cluster/';

/** The resources of one region with `n` clusters, in the SDK's response shapes. */
export function regionData(n: number) {
  const names = Array.from({ length: n }, (_, i) => `c${i}`);
  const owned = (name: string) => [{ Key: `${CAPA}${name}`, Value: 'owned' }];
  return {
    Vpcs: names.map((name, i) => ({
      VpcId: `vpc-${i}`,
      CidrBlock: `10.${i}.0.0/16`,
      Tags: owned(name),
    })),
    Subnets: names.flatMap((name, i) => [
      {
        SubnetId: `subnet-${i}a`,
        VpcId: `vpc-${i}`,
        Tags: [
          ...owned(name),
          { Key: 'sigs.k8s.io/cluster-api-provider-aws/role', Value: 'public' },
        ],
      },
      {
        SubnetId: `subnet-${i}b`,
        VpcId: `vpc-${i}`,
        Tags: [
          ...owned(name),
          {
            Key: 'sigs.k8s.io/cluster-api-provider-aws/role',
            Value: 'private',
          },
        ],
      },
    ]),
    RouteTables: names.map((name, i) => ({
      RouteTableId: `rtb-${i}`,
      VpcId: `vpc-${i}`,
      Tags: owned(name),
    })),
    InternetGateways: names.map((name, i) => ({
      InternetGatewayId: `igw-${i}`,
      Tags: owned(name),
    })),
    NatGateways: names.map((name, i) => ({
      NatGatewayId: `nat-${i}`,
      VpcId: `vpc-${i}`,
      Tags: owned(name),
    })),
    TransitGatewayVpcAttachments: names.map((_, i) => ({
      TransitGatewayAttachmentId: `tgw-attach-${i}`,
      VpcId: `vpc-${i}`,
    })),
    VpcPeeringConnections: names.map((_, i) => ({
      VpcPeeringConnectionId: `pcx-${i}`,
    })),
    Reservations: names.map((name, i) => ({
      ReservationId: `r-${i}`,
      Instances: [
        { InstanceId: `i-${i}a`, Tags: owned(name) },
        { InstanceId: `i-${i}b`, Tags: owned(name) },
      ],
    })),
    LoadBalancers: names.map((name, i) => ({
      LoadBalancerArn: `arn:aws:elasticloadbalancing:eu-west-1:123456789012:loadbalancer/net/lb-${i}/0123456789abcdef`,
      LoadBalancerName: `lb-${i}`,
      AvailabilityZones: [{ SubnetId: `subnet-${i}a`, ZoneName: 'eu-west-1a' }],
      SecurityGroups: [`sg-${i}`],
      cluster: name,
    })),
    LoadBalancerDescriptions: names.map((name, i) => ({
      LoadBalancerName: `clb-${i}`,
      Subnets: [`subnet-${i}a`],
      SecurityGroups: [`sg-${i}`],
      cluster: name,
    })),
    SecurityGroups: names.map((name, i) => ({
      GroupId: `sg-${i}`,
      GroupName: `${name}-apiserver-lb`,
      VpcId: `vpc-${i}`,
      IpPermissions: [
        {
          IpProtocol: 'tcp',
          FromPort: 6443,
          ToPort: 6443,
          IpRanges: [{ CidrIp: '0.0.0.0/0' }],
        },
      ],
      Tags: owned(name),
    })),
    AutoScalingGroups: names.map((name, i) => ({
      AutoScalingGroupName: `${name}-pool0`,
      MinSize: 1,
      MaxSize: 3,
      DesiredCapacity: 2,
      Tags: [
        { Key: `${CAPA}${name}`, Value: 'owned' },
        { Key: 'eks:cluster-name', Value: `eks-${i}` },
      ],
    })),
    Activities: names.flatMap(name =>
      [0, 1, 2].map(k => ({
        ActivityId: `${name}-act-${k}`,
        AutoScalingGroupName: `${name}-pool0`,
        StartTime: new Date(Date.UTC(2026, 0, 1, k)),
      })),
    ),
    eksClusters: names.map((_, i) => `eks-${i}`),
    // DescribeAvailabilityZones as the EC2 API reference shows it for eu-west-1.
    AvailabilityZones: (['a', 'b', 'c'] as const).map((letter, i) => ({
      ZoneName: `eu-west-1${letter}`,
      ZoneId: `euw1-az${[3, 1, 2][i]}`,
      ZoneType: 'availability-zone',
      State: 'available',
      OptInStatus: 'opt-in-not-required',
      RegionName: 'eu-west-1',
      GroupName: 'eu-west-1',
      NetworkBorderGroup: 'eu-west-1',
      Messages: [],
    })),
    // DescribeTransitGateways: one the account owns, one shared with it through RAM.
    TransitGateways: [
      transitGateway('tgw-0a1b2c3d4e5f60718', 'own'),
      transitGateway('tgw-0123456789abcdef0', 'shared', NETWORK_ACCOUNT),
    ],
    // EKS DescribeClusterVersions.
    clusterVersions: [
      clusterVersion('1.33', 'STANDARD_SUPPORT'),
      clusterVersion('1.32', 'STANDARD_SUPPORT'),
      clusterVersion('1.31', 'EXTENDED_SUPPORT'),
    ],
  };
}

/** A transit gateway as DescribeTransitGateways answers it; `owner` absent: the caller's own. */
export function transitGateway(id: string, name: string, owner?: string) {
  return {
    TransitGatewayId: id,
    TransitGatewayArn: `arn:aws:ec2:eu-west-1:${
      owner ?? ACCOUNT_A
    }:transit-gateway/${id}`,
    State: 'available',
    OwnerId: owner,
    Description: name,
    CreationTime: new Date(Date.UTC(2025, 2, 4)),
    Options: {
      AmazonSideAsn: 64512,
      AutoAcceptSharedAttachments: 'disable',
      DefaultRouteTableAssociation: 'enable',
      DefaultRouteTablePropagation: 'enable',
      VpnEcmpSupport: 'enable',
      DnsSupport: 'enable',
    },
    Tags: [{ Key: 'Name', Value: name }],
  };
}

/** A Kubernetes version as EKS DescribeClusterVersions answers it. */
export function clusterVersion(version: string, versionStatus: string) {
  return {
    clusterVersion: version,
    clusterType: 'eks',
    defaultPlatformVersion: 'eks.5',
    defaultVersion: false,
    releaseDate: new Date(Date.UTC(2025, 0, 29)),
    endOfStandardSupportDate: new Date(Date.UTC(2026, 2, 29)),
    endOfExtendedSupportDate: new Date(Date.UTC(2027, 2, 29)),
    status: versionStatus.toLowerCase().replace('_', '-'),
    versionStatus,
    kubernetesPatchVersion: `${version}.5`,
  };
}

export type RegionData = ReturnType<typeof regionData>;

/** One page of `list` from the position the token names, with the token of the next page. */
export function page<T>(
  list: T[],
  token: string | undefined,
  size: number,
): { items: T[]; next?: string } {
  const start = token ? Number(token.slice(1)) : 0;
  const end = start + size;
  return {
    items: list.slice(start, end),
    next: end < list.length ? `p${end}` : undefined,
  };
}

export interface AwsMocks {
  ec2: AwsStub<any, any, any>;
  elb: AwsStub<any, any, any>;
  elbv2: AwsStub<any, any, any>;
  autoScaling: AwsStub<any, any, any>;
  eks: AwsStub<any, any, any>;
  restore(): void;
}

export function createMocks(): AwsMocks {
  const mocks = {
    ec2: mockClient(EC2Client),
    elb: mockClient(ElasticLoadBalancingClient),
    elbv2: mockClient(ElasticLoadBalancingV2Client),
    autoScaling: mockClient(AutoScalingClient),
    eks: mockClient(EKSClient),
  };
  return {
    ...mocks,
    restore: () => Object.values(mocks).forEach(m => m.restore()),
  };
}

/** The account whose credentials a mocked client was made with (see {@link fakeCredentials}). */
export async function accountOf(getClient: () => any): Promise<string> {
  const credentials = await getClient().config.credentials();
  return String(credentials.accessKeyId).replace(/^AKIA/, '');
}

/**
 * Answers every list of the collector from `data` (per account, by {@link accountOf}), `pageSize`
 * items a page, with tokens the way each API spells them; DescribeTags refuses more than 20 names,
 * as AWS does. `delay` holds each answer, `onCall` sees every call.
 */
export function answerFrom(
  mocks: AwsMocks,
  dataFor: (account: string) => RegionData,
  options: {
    pageSize?: number;
    delayMs?: number;
    onCall?: (operation: string, account: string) => () => void;
  } = {},
) {
  const size = options.pageSize ?? 1000;
  const answer =
    (
      operation: string,
      fn: (data: RegionData, input: any, account: string) => unknown,
    ) =>
    async (input: any, getClient: () => any) => {
      const callerAccount = await accountOf(getClient);
      const done = options.onCall?.(operation, callerAccount);
      try {
        if (options.delayMs)
          await new Promise(resolve => setTimeout(resolve, options.delayMs));
        return fn(dataFor(callerAccount), input, callerAccount);
      } finally {
        done?.();
      }
    };
  const ec2List = (command: any, key: keyof RegionData) =>
    mocks.ec2.on(command).callsFake(
      answer(command.name, (d, input) => {
        const p = page(d[key] as unknown[], input.NextToken, size);
        return { [key]: p.items, NextToken: p.next };
      }),
    );
  ec2List(DescribeVpcsCommand, 'Vpcs');
  ec2List(DescribeSubnetsCommand, 'Subnets');
  ec2List(DescribeRouteTablesCommand, 'RouteTables');
  ec2List(DescribeInternetGatewaysCommand, 'InternetGateways');
  ec2List(DescribeNatGatewaysCommand, 'NatGateways');
  ec2List(
    DescribeTransitGatewayVpcAttachmentsCommand,
    'TransitGatewayVpcAttachments',
  );
  ec2List(DescribeVpcPeeringConnectionsCommand, 'VpcPeeringConnections');
  ec2List(DescribeInstancesCommand, 'Reservations');
  mocks.ec2.on(DescribeTransitGatewaysCommand).callsFake(
    answer('DescribeTransitGateways', (d, input, caller) => {
      const p = page(d.TransitGateways, input.NextToken, size);
      return {
        TransitGateways: p.items.map(t => ({
          ...t,
          OwnerId: t.OwnerId ?? caller,
        })),
        NextToken: p.next,
      };
    }),
  );
  // Not paginated in the EC2 API: no NextToken.
  mocks.ec2.on(DescribeAvailabilityZonesCommand).callsFake(
    answer('DescribeAvailabilityZones', d => ({
      AvailabilityZones: d.AvailabilityZones,
    })),
  );
  mocks.ec2.on(DescribeSecurityGroupsCommand).callsFake(
    answer('DescribeSecurityGroups', (d, input) => {
      const ids: string[] =
        input.Filters?.find((f: any) => f.Name === 'group-id')?.Values ?? [];
      if (ids.length > 200)
        throw Object.assign(new Error('Too many filter values'), {
          name: 'FilterLimitExceeded',
        });
      const p = page(
        d.SecurityGroups.filter(g => ids.includes(g.GroupId)),
        input.NextToken,
        size,
      );
      return { SecurityGroups: p.items, NextToken: p.next };
    }),
  );

  mocks.elbv2.on(DescribeLoadBalancersCommand).callsFake(
    answer('elbv2:DescribeLoadBalancers', (d, input) => {
      const p = page(d.LoadBalancers, input.Marker, size);
      return {
        LoadBalancers: p.items.map(({ cluster: _c, ...lb }) => lb),
        NextMarker: p.next,
      };
    }),
  );
  mocks.elbv2.on(DescribeTagsCommand).callsFake(
    answer('elbv2:DescribeTags', (d, input) => {
      if (input.ResourceArns.length > 20)
        throw Object.assign(new Error('Too many ARNs'), {
          name: 'ValidationError',
        });
      return {
        TagDescriptions: input.ResourceArns.map((arn: string) => ({
          ResourceArn: arn,
          Tags: [
            {
              Key: `kubernetes.io/cluster/${
                d.LoadBalancers.find(lb => lb.LoadBalancerArn === arn)?.cluster
              }`,
              Value: 'owned',
            },
          ],
        })),
      };
    }),
  );
  mocks.elb.on(DescribeClassicLoadBalancersCommand).callsFake(
    answer('elb:DescribeLoadBalancers', (d, input) => {
      const p = page(d.LoadBalancerDescriptions, input.Marker, size);
      return {
        LoadBalancerDescriptions: p.items.map(({ cluster: _c, ...lb }) => lb),
        NextMarker: p.next,
      };
    }),
  );
  mocks.elb.on(DescribeClassicTagsCommand).callsFake(
    answer('elb:DescribeTags', (d, input) => {
      if (input.LoadBalancerNames.length > 20)
        throw Object.assign(new Error('Too many names'), {
          name: 'ValidationError',
        });
      return {
        TagDescriptions: input.LoadBalancerNames.map((name: string) => ({
          LoadBalancerName: name,
          Tags: [
            {
              Key: `kubernetes.io/cluster/${
                d.LoadBalancerDescriptions.find(
                  lb => lb.LoadBalancerName === name,
                )?.cluster
              }`,
              Value: 'owned',
            },
          ],
        })),
      };
    }),
  );
  mocks.autoScaling.on(DescribeAutoScalingGroupsCommand).callsFake(
    answer('DescribeAutoScalingGroups', (d, input) => {
      const p = page(d.AutoScalingGroups, input.NextToken, size);
      return { AutoScalingGroups: p.items, NextToken: p.next };
    }),
  );
  mocks.autoScaling.on(DescribeScalingActivitiesCommand).callsFake(
    answer('DescribeScalingActivities', (d, input) => {
      const p = page(d.Activities, input.NextToken, size);
      return { Activities: p.items, NextToken: p.next };
    }),
  );
  mocks.eks.on(ListClustersCommand).callsFake(
    answer('ListClusters', (d, input) => {
      const p = page(d.eksClusters, input.nextToken, size);
      return { clusters: p.items, nextToken: p.next };
    }),
  );
  mocks.eks.on(DescribeClusterVersionsCommand).callsFake(
    answer('DescribeClusterVersions', (d, input) => {
      const p = page(d.clusterVersions, input.nextToken, size);
      return { clusterVersions: p.items, nextToken: p.next };
    }),
  );
  mocks.eks.on(DescribeClusterCommand).callsFake(
    answer('DescribeCluster', (_d, input) => ({
      cluster: {
        name: input.name,
        arn: `arn:aws:eks:eu-west-1:123456789012:cluster/${input.name}`,
      },
    })),
  );
  mocks.eks.on(ListNodegroupsCommand).callsFake(
    answer('ListNodegroups', (_d, input) => {
      const p = page(
        [0, 1, 2].map(k => `${input.clusterName}-ng${k}`),
        input.nextToken,
        size,
      );
      return { nodegroups: p.items, nextToken: p.next };
    }),
  );
  mocks.eks.on(DescribeNodegroupCommand).callsFake(
    answer('DescribeNodegroup', (_d, input) => ({
      nodegroup: {
        nodegroupName: input.nodegroupName,
        clusterName: input.clusterName,
      },
    })),
  );
}

/** Credentials whose access key names the account, so that mocks can tell accounts apart. */
export function fakeCredentials(): AwsCredentialsSource & {
  calls: Array<{ accountId?: string }>;
} {
  const calls: Array<{ accountId?: string }> = [];
  return {
    calls,
    async getCredentialProvider(options?: { accountId?: string }) {
      calls.push({ accountId: options?.accountId });
      const id = options?.accountId ?? 'main';
      return {
        sdkCredentialProvider: async () => ({
          accessKeyId: `AKIA${id}`,
          secretAccessKey: 'wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY',
        }),
      };
    },
  };
}

export function account(
  id: string,
  regions: string[] = ['eu-west-1'],
  extra: { roleArn?: string; externalId?: string } = {},
): ConfiguredAccount {
  return {
    id,
    name: `account-${id}`,
    environment: 'production',
    owners: [],
    accessModel: 'platform-only',
    regions,
    ...extra,
  };
}
