import {
  Activity,
  AutoScalingClient,
  AutoScalingGroup,
  paginateDescribeAutoScalingGroups,
  paginateDescribeScalingActivities,
} from '@aws-sdk/client-auto-scaling';
import {
  AvailabilityZone,
  DescribeAvailabilityZonesCommand,
  DescribeInstanceTypesCommand,
  EC2Client,
  InstanceTypeInfo,
  paginateDescribeInstances,
  paginateDescribeInternetGateways,
  paginateDescribeNatGateways,
  paginateDescribeRouteTables,
  paginateDescribeSubnets,
  paginateDescribeTransitGatewayVpcAttachments,
  paginateDescribeVpcPeeringConnections,
} from '@aws-sdk/client-ec2';
import {
  ClusterVersionInformation,
  DescribeClusterCommand,
  DescribeInsightCommand,
  DescribeNodegroupCommand,
  EKSClient,
  InsightSummary,
  paginateDescribeClusterVersions,
  paginateListClusters,
  paginateListInsights,
} from '@aws-sdk/client-eks';
import {
  AwsRegionSnapshot,
  describeInstanceTypes,
  describeUpgradeInsights,
  EksInsight,
} from '@clusterdeck/plugin-aws-clusters-node';

/** @public The SDK clients of one account region for what AWS Config does not record. */
export interface DirectClients {
  ec2: EC2Client;
  autoScaling: AutoScalingClient;
  eks: EKSClient;
}

/** @public The client configuration the direct reads ask for. */
export interface DirectClientConfig {
  region: string;
  credentials: () => Promise<{
    accessKeyId: string;
    secretAccessKey: string;
    sessionToken?: string;
    expiration?: Date;
  }>;
  maxAttempts: number;
  retryMode: 'adaptive';
  requestHandler: { requestTimeout: number; connectionTimeout: number };
}

/** @public The clients of one account region, as the source makes them unless given a factory. */
export function createDirectClients(config: DirectClientConfig): DirectClients {
  return {
    ec2: new EC2Client(config),
    autoScaling: new AutoScalingClient(config),
    eks: new EKSClient(config),
  };
}

/** Instances that belong to a cluster, as the AWS collector reads them. */
export const CLUSTER_TAG_PREFIXES = [
  'sigs.k8s.io/cluster-api-provider-aws/cluster/',
  'kubernetes.io/cluster/',
];
export const LIVE_INSTANCE_STATES = [
  'pending',
  'running',
  'shutting-down',
  'stopping',
  'stopped',
];
/** Auto Scaling group names per DescribeAutoScalingGroups call. */
export const GROUP_NAME_BATCH = 50;

async function all<P, T>(
  pages: AsyncIterable<P>,
  key: string,
  maxPages = Infinity,
): Promise<T[]> {
  const out: T[] = [];
  let n = 0;
  for await (const page of pages) {
    const value = (page as Record<string, unknown>)[key];
    if (Array.isArray(value)) out.push(...(value as T[]));
    n += 1;
    if (n >= maxPages) break;
  }
  return out;
}

function chunks<T>(list: T[], size: number): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < list.length; i += size) out.push(list.slice(i, i + size));
  return out;
}

/** One read of a list AWS Config does not hold (or did not record in this account region). */
export type DirectRead<T> = (c: DirectClients) => Promise<T>;

export const readSubnets: DirectRead<AwsRegionSnapshot['subnets']> = c =>
  all(
    paginateDescribeSubnets({ client: c.ec2, pageSize: 1000 }, {}),
    'Subnets',
  );

export const readRouteTables: DirectRead<
  AwsRegionSnapshot['routeTables']
> = c =>
  all(
    paginateDescribeRouteTables({ client: c.ec2, pageSize: 100 }, {}),
    'RouteTables',
  );

export const readInternetGateways: DirectRead<
  AwsRegionSnapshot['internetGateways']
> = c =>
  all(
    paginateDescribeInternetGateways({ client: c.ec2, pageSize: 1000 }, {}),
    'InternetGateways',
  );

export const readNatGateways: DirectRead<
  AwsRegionSnapshot['natGateways']
> = c =>
  all(
    paginateDescribeNatGateways({ client: c.ec2, pageSize: 1000 }, {}),
    'NatGateways',
  );

export const readTransitGatewayAttachments: DirectRead<
  AwsRegionSnapshot['transitGatewayAttachments']
> = c =>
  all(
    paginateDescribeTransitGatewayVpcAttachments(
      { client: c.ec2, pageSize: 1000 },
      {},
    ),
    'TransitGatewayVpcAttachments',
  );

export const readVpcPeeringConnections: DirectRead<
  AwsRegionSnapshot['vpcPeeringConnections']
> = c =>
  all(
    paginateDescribeVpcPeeringConnections(
      { client: c.ec2, pageSize: 1000 },
      {},
    ),
    'VpcPeeringConnections',
  );

export const readInstances: DirectRead<
  AwsRegionSnapshot['instances']
> = async c => {
  const reservations = await all<unknown, { Instances?: any[] }>(
    paginateDescribeInstances(
      { client: c.ec2, pageSize: 1000 },
      {
        Filters: [
          {
            Name: 'tag-key',
            Values: CLUSTER_TAG_PREFIXES.map(p => `${p}*`),
          },
          { Name: 'instance-state-name', Values: LIVE_INSTANCE_STATES },
        ],
      },
    ),
    'Reservations',
  );
  return reservations.flatMap(r => r.Instances ?? []);
};

/** The groups named (with their instances' lifecycle state), or every group of the region. */
export function readAutoScalingGroups(
  names?: string[],
): DirectRead<AutoScalingGroup[]> {
  return async c => {
    const batches = names ? chunks(names, GROUP_NAME_BATCH) : [undefined];
    const lists = await Promise.all(
      batches.map(batch =>
        all<unknown, AutoScalingGroup>(
          paginateDescribeAutoScalingGroups(
            { client: c.autoScaling, pageSize: 100 },
            batch ? { AutoScalingGroupNames: batch } : {},
          ),
          'AutoScalingGroups',
        ),
      ),
    );
    return lists.flat();
  };
}

/** The region's newest scaling activities, at most `maxPages` pages of 100. */
export function readScalingActivities(
  maxPages: number,
): DirectRead<Activity[]> {
  return c =>
    all(
      paginateDescribeScalingActivities(
        { client: c.autoScaling, pageSize: 100 },
        {},
      ),
      'Activities',
      maxPages,
    );
}

export const readEksClusters: DirectRead<
  AwsRegionSnapshot['eksClusters']
> = async c => {
  const names = await all<unknown, string>(
    paginateListClusters({ client: c.eks, pageSize: 100 }, {}),
    'clusters',
  );
  const clusters = await Promise.all(
    names.map(
      async name =>
        (
          await c.eks.send(new DescribeClusterCommand({ name }))
        ).cluster,
    ),
  );
  return clusters.filter((x): x is NonNullable<typeof x> => Boolean(x));
};

/** The node groups named by their Auto Scaling groups' EKS tags. */
export function readEksNodegroups(
  names: Array<{ clusterName: string; nodegroupName: string }>,
): DirectRead<AwsRegionSnapshot['eksNodegroups']> {
  return async c => {
    const found = await Promise.all(
      names.map(
        async n =>
          (
            await c.eks.send(new DescribeNodegroupCommand(n))
          ).nodegroup,
      ),
    );
    return found.filter((x): x is NonNullable<typeof x> => Boolean(x));
  };
}

export const readAvailabilityZones: DirectRead<AvailabilityZone[]> = async c =>
  (
    await c.ec2.send(
      new DescribeAvailabilityZonesCommand({
        Filters: [
          { Name: 'zone-type', Values: ['availability-zone'] },
          { Name: 'state', Values: ['available'] },
        ],
      }),
    )
  ).AvailabilityZones ?? [];

export const readEksClusterVersions: DirectRead<
  ClusterVersionInformation[]
> = c =>
  all(
    paginateDescribeClusterVersions({ client: c.eks, pageSize: 100 }, {}),
    'clusterVersions',
  );

/**
 * A cluster's upgrade insights, which AWS Config does not record: listed (category
 * `UPGRADE_READINESS`), and those not passing described for their recommendation and
 * deprecated APIs.
 */
export function readEksInsights(clusterName: string): DirectRead<EksInsight[]> {
  return async c => {
    const summaries = await all<unknown, InsightSummary>(
      paginateListInsights(
        { client: c.eks, pageSize: 100 },
        { clusterName, filter: { categories: ['UPGRADE_READINESS'] } },
      ),
      'insights',
    );
    return describeUpgradeInsights(
      clusterName,
      summaries,
      async id =>
        (await c.eks.send(new DescribeInsightCommand({ clusterName, id })))
          .insight,
    );
  };
}

/** The vCPUs, memory and architectures of instance types, which AWS Config does not record. */
export function readInstanceTypes(
  types: string[],
): DirectRead<InstanceTypeInfo[]> {
  return c =>
    describeInstanceTypes(types, input =>
      c.ec2.send(new DescribeInstanceTypesCommand(input)),
    );
}
