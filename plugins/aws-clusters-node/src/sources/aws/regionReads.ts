import {
  Activity,
  AutoScalingClient,
  AutoScalingGroup,
  paginateDescribeAutoScalingGroups,
  paginateDescribeScalingActivities,
} from '@aws-sdk/client-auto-scaling';
import {
  DescribeAvailabilityZonesCommand,
  DescribeInstanceTypesCommand,
  EC2Client,
  Filter,
  InstanceTypeInfo,
  paginateDescribeInstances,
  paginateDescribeInternetGateways,
  paginateDescribeNatGateways,
  paginateDescribeRouteTables,
  paginateDescribeSubnets,
  paginateDescribeTransitGateways,
  paginateDescribeTransitGatewayVpcAttachments,
  paginateDescribeVpcPeeringConnections,
  paginateDescribeVpcs,
} from '@aws-sdk/client-ec2';
import {
  ClusterVersionInformation,
  Cluster as EksCluster,
  DescribeClusterCommand,
  DescribeInsightCommand,
  DescribeNodegroupCommand,
  EKSClient,
  InsightSummary,
  Nodegroup,
  paginateDescribeClusterVersions,
  paginateListClusters,
  paginateListInsights,
  paginateListNodegroups,
} from '@aws-sdk/client-eks';
import type { AwsRegionSnapshot, EksInsight } from '../types';
import { describeInstanceTypes } from './instanceTypes';
import { describeUpgradeInsights } from './upgradeInsights';

/** @public The SDK clients of one account region that the region reads use. */
export interface AwsReadClients {
  ec2: EC2Client;
  autoScaling: AutoScalingClient;
  eks: EKSClient;
}

/** @public One read of an account region: a list (or a describe) as its clients answer it. */
export type AwsRead<T> = (c: AwsReadClients) => Promise<T>;

/** @public Page sizes asked for, each the most (or near it) its API takes. */
export const AWS_PAGE_SIZES = {
  ec2: 1000,
  routeTables: 100,
  loadBalancers: 400,
  autoScalingGroups: 100,
  scalingActivities: 100,
  eks: 100,
} as const;

/** @public The tag-key prefixes of instances that belong to a cluster (CAPA's, and the Kubernetes cloud provider's). */
export const CLUSTER_TAG_PREFIXES = [
  'sigs.k8s.io/cluster-api-provider-aws/cluster/',
  'kubernetes.io/cluster/',
];
/** @public The instance states of instances that still exist (terminated ones are left out). */
export const LIVE_INSTANCE_STATES = [
  'pending',
  'running',
  'shutting-down',
  'stopping',
  'stopped',
];
/** @public Auto Scaling group names per DescribeAutoScalingGroups call. */
export const AUTO_SCALING_GROUP_NAME_BATCH = 50;

/** @public The zones a cluster may use: availability zones (not Local or Wavelength Zones) that are up. */
export const AVAILABILITY_ZONE_FILTERS: Filter[] = [
  { Name: 'zone-type', Values: ['availability-zone'] },
  { Name: 'state', Values: ['available'] },
];
/** @public Transit gateways a VPC can attach to now; those being created, modified or deleted are left out. */
export const TRANSIT_GATEWAY_FILTERS: Filter[] = [
  { Name: 'state', Values: ['available'] },
];
/** The instances of clusters that still exist; EC2 filters accept `*` wildcards. */
const CLUSTER_INSTANCE_FILTERS: Filter[] = [
  { Name: 'tag-key', Values: CLUSTER_TAG_PREFIXES.map(p => `${p}*`) },
  { Name: 'instance-state-name', Values: LIVE_INSTANCE_STATES },
];

/** @public An error whose `name` says what went wrong, as the SDK names its errors by code. */
export function namedError(name: string, message: string): Error {
  const error = new Error(message);
  error.name = name;
  return error;
}

/** @public The list under `key` of an answer; anything but a list or nothing is a malformed answer. */
export function answerItems<T>(
  answer: unknown,
  key: string,
  operation: string,
): T[] {
  const value = (answer as Record<string, unknown> | undefined)?.[key];
  if (value === undefined || value === null) return [];
  if (!Array.isArray(value))
    throw namedError(
      'MalformedResponse',
      `${operation} answered ${key} that is not a list`,
    );
  return value as T[];
}

/** @public The items under `key` of every page of a paginated list, of `maxPages` pages at most. */
export async function readPages<T>(
  operation: string,
  key: string,
  pages: AsyncIterable<unknown>,
  maxPages = Infinity,
): Promise<T[]> {
  const all: T[] = [];
  let n = 0;
  for await (const page of pages) {
    all.push(...answerItems<T>(page, key, operation));
    n += 1;
    if (n >= maxPages) break;
  }
  return all;
}

function chunks<T>(list: T[], size: number): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < list.length; i += size) out.push(list.slice(i, i + size));
  return out;
}

const ec2Pages = (c: AwsReadClients) => ({
  client: c.ec2,
  pageSize: AWS_PAGE_SIZES.ec2,
});
const eksPages = (c: AwsReadClients) => ({
  client: c.eks,
  pageSize: AWS_PAGE_SIZES.eks,
});

/** @public The lists of a region snapshot that are read whole, each with one operation. */
export type RegionListKey =
  | 'vpcs'
  | 'subnets'
  | 'routeTables'
  | 'internetGateways'
  | 'natGateways'
  | 'transitGatewayAttachments'
  | 'vpcPeeringConnections'
  | 'transitGateways'
  | 'availabilityZones'
  | 'instances';

/** @public How one list is read: the operation (a failure is recorded under it) and the read. */
export interface RegionListRead<K extends keyof AwsRegionSnapshot> {
  operation: string;
  read: AwsRead<AwsRegionSnapshot[K]>;
}

/** The read of a paginated list whose items stand under `key` of each page. */
function pagedList<T>(
  operation: string,
  key: string,
  pages: (c: AwsReadClients) => AsyncIterable<unknown>,
): { operation: string; read: AwsRead<T[]> } {
  return { operation, read: c => readPages(operation, key, pages(c)) };
}

/**
 * @public How each list of a region snapshot that is read whole is read: the network, the
 * available transit gateways (owned and RAM-shared alike: a shared one has another account's
 * OwnerId), the availability zones that are up (not paginated: a region has a handful), and the
 * instances of clusters that still exist.
 */
export const REGION_LIST_READS: {
  [K in RegionListKey]: RegionListRead<K>;
} = {
  vpcs: pagedList('DescribeVpcs', 'Vpcs', c =>
    paginateDescribeVpcs(ec2Pages(c), {}),
  ),
  subnets: pagedList('DescribeSubnets', 'Subnets', c =>
    paginateDescribeSubnets(ec2Pages(c), {}),
  ),
  routeTables: pagedList('DescribeRouteTables', 'RouteTables', c =>
    paginateDescribeRouteTables(
      { client: c.ec2, pageSize: AWS_PAGE_SIZES.routeTables },
      {},
    ),
  ),
  internetGateways: pagedList(
    'DescribeInternetGateways',
    'InternetGateways',
    c => paginateDescribeInternetGateways(ec2Pages(c), {}),
  ),
  natGateways: pagedList('DescribeNatGateways', 'NatGateways', c =>
    paginateDescribeNatGateways(ec2Pages(c), {}),
  ),
  transitGatewayAttachments: pagedList(
    'DescribeTransitGatewayVpcAttachments',
    'TransitGatewayVpcAttachments',
    c => paginateDescribeTransitGatewayVpcAttachments(ec2Pages(c), {}),
  ),
  vpcPeeringConnections: pagedList(
    'DescribeVpcPeeringConnections',
    'VpcPeeringConnections',
    c => paginateDescribeVpcPeeringConnections(ec2Pages(c), {}),
  ),
  transitGateways: pagedList('DescribeTransitGateways', 'TransitGateways', c =>
    paginateDescribeTransitGateways(ec2Pages(c), {
      Filters: TRANSIT_GATEWAY_FILTERS,
    }),
  ),
  availabilityZones: {
    operation: 'DescribeAvailabilityZones',
    read: async c =>
      answerItems(
        await c.ec2.send(
          new DescribeAvailabilityZonesCommand({
            Filters: AVAILABILITY_ZONE_FILTERS,
          }),
        ),
        'AvailabilityZones',
        'DescribeAvailabilityZones',
      ),
  },
  instances: {
    operation: 'DescribeInstances',
    read: async c => {
      const reservations = await readPages(
        'DescribeInstances',
        'Reservations',
        paginateDescribeInstances(ec2Pages(c), {
          Filters: CLUSTER_INSTANCE_FILTERS,
        }),
      );
      return reservations.flatMap(r =>
        answerItems<AwsRegionSnapshot['instances'][number]>(
          r,
          'Instances',
          'DescribeInstances',
        ),
      );
    },
  },
};

/** @public The groups named (batched by {@link AUTO_SCALING_GROUP_NAME_BATCH}), or every group of the region. */
export function readAutoScalingGroups(
  names?: string[],
): AwsRead<AutoScalingGroup[]> {
  return async c => {
    const batches = names
      ? chunks(names, AUTO_SCALING_GROUP_NAME_BATCH)
      : [undefined];
    const lists = await Promise.all(
      batches.map(batch =>
        readPages<AutoScalingGroup>(
          'DescribeAutoScalingGroups',
          'AutoScalingGroups',
          paginateDescribeAutoScalingGroups(
            {
              client: c.autoScaling,
              pageSize: AWS_PAGE_SIZES.autoScalingGroups,
            },
            batch ? { AutoScalingGroupNames: batch } : {},
          ),
        ),
      ),
    );
    return lists.flat();
  };
}

/** @public The region's newest scaling activities, at most `maxPages` pages. */
export function readScalingActivities(maxPages: number): AwsRead<Activity[]> {
  return c =>
    readPages(
      'DescribeScalingActivities',
      'Activities',
      paginateDescribeScalingActivities(
        { client: c.autoScaling, pageSize: AWS_PAGE_SIZES.scalingActivities },
        {},
      ),
      maxPages,
    );
}

/** @public The names of the region's EKS clusters. */
export const readEksClusterNames: AwsRead<string[]> = c =>
  readPages('ListClusters', 'clusters', paginateListClusters(eksPages(c), {}));

/** @public One EKS cluster; an answer without it is malformed. */
export function describeEksCluster(name: string): AwsRead<EksCluster> {
  return async c => {
    const { cluster } = await c.eks.send(new DescribeClusterCommand({ name }));
    if (!cluster)
      throw namedError(
        'MalformedResponse',
        `DescribeCluster answered without a cluster for ${name}`,
      );
    return cluster;
  };
}

/** @public The names of an EKS cluster's node groups. */
export function readEksNodegroupNames(clusterName: string): AwsRead<string[]> {
  return c =>
    readPages(
      'ListNodegroups',
      'nodegroups',
      paginateListNodegroups(eksPages(c), { clusterName }),
    );
}

/** @public One EKS node group; an answer without it is malformed. */
export function describeEksNodegroup(
  clusterName: string,
  nodegroupName: string,
): AwsRead<Nodegroup> {
  return async c => {
    const { nodegroup } = await c.eks.send(
      new DescribeNodegroupCommand({ clusterName, nodegroupName }),
    );
    if (!nodegroup)
      throw namedError(
        'MalformedResponse',
        `DescribeNodegroup answered without a node group for ${clusterName}/${nodegroupName}`,
      );
    return nodegroup;
  };
}

/** @public The Kubernetes versions EKS offers. */
export const readEksClusterVersions: AwsRead<ClusterVersionInformation[]> = c =>
  readPages(
    'DescribeClusterVersions',
    'clusterVersions',
    paginateDescribeClusterVersions(eksPages(c), {}),
  );

/** @public A cluster's upgrade insights as listed (category `UPGRADE_READINESS`). */
export function listEksUpgradeInsights(
  clusterName: string,
): AwsRead<InsightSummary[]> {
  return c =>
    readPages(
      'ListInsights',
      'insights',
      paginateListInsights(eksPages(c), {
        clusterName,
        filter: { categories: ['UPGRADE_READINESS'] },
      }),
    );
}

/** @public Listed upgrade insights, those not passing described for their recommendation and deprecated APIs. */
export function describeEksUpgradeInsights(
  clusterName: string,
  summaries: InsightSummary[],
): AwsRead<EksInsight[]> {
  return c =>
    describeUpgradeInsights(
      clusterName,
      summaries,
      async id =>
        (await c.eks.send(new DescribeInsightCommand({ clusterName, id })))
          .insight,
    );
}

/** @public The vCPUs, memory and architectures of instance types. */
export function readInstanceTypes(
  types: string[],
): AwsRead<InstanceTypeInfo[]> {
  return c =>
    describeInstanceTypes(types, input =>
      c.ec2.send(new DescribeInstanceTypesCommand(input)),
    );
}
