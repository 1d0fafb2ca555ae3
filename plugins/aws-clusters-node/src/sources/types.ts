import type {
  AvailabilityZone,
  Instance,
  InstanceTypeInfo,
  InternetGateway,
  NatGateway,
  RouteTable,
  SecurityGroup,
  Subnet,
  Tag,
  TransitGateway,
  TransitGatewayVpcAttachment,
  Vpc,
  VpcPeeringConnection,
} from '@aws-sdk/client-ec2';
import type { LoadBalancerDescription } from '@aws-sdk/client-elastic-load-balancing';
import type { LoadBalancer } from '@aws-sdk/client-elastic-load-balancing-v2';
import type { Activity, AutoScalingGroup } from '@aws-sdk/client-auto-scaling';
import type {
  ClusterVersionInformation,
  Cluster as EksCluster,
  Insight,
  Nodegroup,
} from '@aws-sdk/client-eks';

/*
 * The raw state the sources produce and the join reads. AWS data is kept in the SDK's own
 * response shapes, Kubernetes objects as the API server returns them, so that recorded
 * snapshots (the demo fleet, test fixtures) and live collection are interchangeable. In
 * snapshots read from JSON, timestamps are ISO strings where the SDK gives Date objects:
 * readers accept both.
 *
 * What the join relies on, as CAPA and Kubernetes set it:
 * - VPC, subnets, NAT and internet gateways, route tables and instances of a cluster carry
 *   `sigs.k8s.io/cluster-api-provider-aws/cluster/<cluster>: owned` (or `shared` for adopted
 *   ones); subnets also `kubernetes.io/cluster/<cluster>` and
 *   `sigs.k8s.io/cluster-api-provider-aws/role: public|private`; ENI pod subnets
 *   `sigs.k8s.io/cluster-api-provider-aws/association: secondary`.
 * - `AWSCluster.spec.network.vpc.id` (and `AWSManagedControlPlane.spec.network.vpc.id`) names
 *   the VPC once CAPA created or adopted it.
 * - Load balancers of Kubernetes services made by the Kubernetes AWS cloud provider carry
 *   `kubernetes.io/cluster/<cluster>: owned` and `kubernetes.io/service-name: <namespace>/<name>`;
 *   those of the AWS Load Balancer Controller `elbv2.k8s.aws/cluster: <cluster>` and
 *   `service.k8s.aws/stack: <namespace>/<name>` or `ingress.k8s.aws/stack: <namespace>/<name>`
 *   (an ingress group: its name); the API server's load balancer (CAPA's) the CAPA cluster tag and
 *   `sigs.k8s.io/cluster-api-provider-aws/role: apiserver`. What may reach a load balancer is in
 *   its security groups.
 * - Auto Scaling groups are named after their AWSMachinePool (`<cluster>-<pool>`) and carry the
 *   cluster tag; EKS node groups are named by `AWSManagedMachinePool.spec.eksNodegroupName`;
 *   EKS clusters by `AWSManagedControlPlane.spec.eksClusterName`.
 * - Karpenter's instances carry `karpenter.sh/nodepool: <KarpenterMachinePool name>`.
 * - `AWSClusterRoleIdentity.spec.roleARN` (`arn:aws:iam::<account>:role/<name>`) gives a
 *   cluster's account through `identityRef`.
 */

/** @public A failure of one call of one source, kept beside the data it left stale. */
export interface SourceError {
  /** `aws:<account>:<region>` or `kubernetes:<management cluster>`. */
  source: string;
  /** The API operation or resource list that failed, e.g. `DescribeSubnets`. */
  operation: string;
  /** The error's code or name, e.g. `AccessDenied`, `ThrottlingException`, `TimeoutError`. */
  code?: string;
  message: string;
  at: string;
}

/** @public An EKS insight (`DescribeInsight`'s, or `ListInsights`' summary of it) with the name of its cluster. */
export type EksInsight = Insight & { clusterName: string };

/** @public An AWS resource with its tags, for APIs that return tags separately. */
export type Tagged<T> = T & { Tags?: Tag[] };

/** @public Everything read from one account in one region. */
export interface AwsRegionSnapshot {
  accountId: string;
  region: string;
  fetchedAt: string;
  vpcs: Vpc[];
  subnets: Subnet[];
  routeTables: RouteTable[];
  internetGateways: InternetGateway[];
  natGateways: NatGateway[];
  transitGatewayAttachments: TransitGatewayVpcAttachment[];
  vpcPeeringConnections: VpcPeeringConnection[];
  /** The security groups of the load balancers below: what AWS lets reach them. */
  securityGroups: SecurityGroup[];
  /** Classic load balancers with their tags. */
  classicLoadBalancers: Array<Tagged<LoadBalancerDescription>>;
  /** Application, network and gateway load balancers with their tags. */
  loadBalancers: Array<Tagged<LoadBalancer>>;
  autoScalingGroups: AutoScalingGroup[];
  /** Recent scaling activities of the Auto Scaling groups above (newest first). */
  scalingActivities: Activity[];
  /** Instances that belong to a cluster (cluster tag present). */
  instances: Instance[];
  eksClusters: EksCluster[];
  eksNodegroups: Nodegroup[];
  /** The region's availability zones of state `available` (zone type `availability-zone`), as the account sees them. */
  availabilityZones: AvailabilityZone[];
  /** Transit gateways of state `available` the account owns or that are shared with it through RAM (another `OwnerId`). */
  transitGateways: TransitGateway[];
  /**
   * Kubernetes versions EKS offers, read once per refresh in one region (the first with EKS
   * clusters, else the first account's first region); empty in every other region.
   */
  eksClusterVersions: ClusterVersionInformation[];
  /**
   * EKS upgrade insights (`ListInsights`, category `UPGRADE_READINESS`) of the EKS clusters
   * above, with the cluster's name; those not passing as `DescribeInsight` details them.
   */
  eksInsights?: EksInsight[];
  /**
   * EC2 `DescribeInstanceTypes` of the instance types the region's node pools use (vCPUs,
   * memory, architectures); absent in recordings made before it was read.
   */
  instanceTypes?: InstanceTypeInfo[];
  /** Calls that failed; the lists they would have filled are empty or left from before. */
  errors: SourceError[];
}

/** @public The lists of an {@link AwsRegionSnapshot}, one per kind of AWS resource. */
export const AWS_LIST_KEYS = [
  'vpcs',
  'subnets',
  'routeTables',
  'internetGateways',
  'natGateways',
  'transitGatewayAttachments',
  'vpcPeeringConnections',
  'securityGroups',
  'classicLoadBalancers',
  'loadBalancers',
  'autoScalingGroups',
  'scalingActivities',
  'instances',
  'eksClusters',
  'eksNodegroups',
  'availabilityZones',
  'transitGateways',
  'eksClusterVersions',
  'eksInsights',
  'instanceTypes',
] as const satisfies ReadonlyArray<keyof AwsRegionSnapshot>;

/** @public An account region with every list empty, to be filled (or left empty beside its errors). */
export function emptyAwsRegionSnapshot(
  accountId: string,
  region: string,
  fetchedAt: string,
  errors: SourceError[] = [],
): AwsRegionSnapshot {
  const lists = Object.fromEntries(AWS_LIST_KEYS.map(key => [key, []]));
  return {
    accountId,
    region,
    fetchedAt,
    ...lists,
    errors,
  } as unknown as AwsRegionSnapshot;
}

/** @public A Kubernetes object as read from a management cluster. */
export interface KubeObject {
  apiVersion: string;
  kind: string;
  metadata: {
    name: string;
    namespace?: string;
    uid?: string;
    labels?: Record<string, string>;
    annotations?: Record<string, string>;
    creationTimestamp?: string;
    deletionTimestamp?: string;
    ownerReferences?: Array<{
      apiVersion: string;
      kind: string;
      name: string;
      uid?: string;
    }>;
  };
  spec?: any;
  status?: any;
}

/** @public The kinds read from every management cluster, by the key they are kept under. */
export const MANAGEMENT_CLUSTER_KINDS = {
  clusters: {
    group: 'cluster.x-k8s.io',
    kind: 'Cluster',
    plural: 'clusters',
    namespaced: true,
  },
  awsClusters: {
    group: 'infrastructure.cluster.x-k8s.io',
    kind: 'AWSCluster',
    plural: 'awsclusters',
    namespaced: true,
  },
  awsManagedControlPlanes: {
    group: 'controlplane.cluster.x-k8s.io',
    kind: 'AWSManagedControlPlane',
    plural: 'awsmanagedcontrolplanes',
    namespaced: true,
  },
  machinePools: {
    group: 'cluster.x-k8s.io',
    kind: 'MachinePool',
    plural: 'machinepools',
    namespaced: true,
  },
  awsMachinePools: {
    group: 'infrastructure.cluster.x-k8s.io',
    kind: 'AWSMachinePool',
    plural: 'awsmachinepools',
    namespaced: true,
  },
  awsManagedMachinePools: {
    group: 'infrastructure.cluster.x-k8s.io',
    kind: 'AWSManagedMachinePool',
    plural: 'awsmanagedmachinepools',
    namespaced: true,
  },
  karpenterMachinePools: {
    group: 'infrastructure.cluster.x-k8s.io',
    kind: 'KarpenterMachinePool',
    plural: 'karpentermachinepools',
    namespaced: true,
  },
  awsClusterRoleIdentities: {
    group: 'infrastructure.cluster.x-k8s.io',
    kind: 'AWSClusterRoleIdentity',
    plural: 'awsclusterroleidentities',
    namespaced: false,
  },
  organizations: {
    group: 'security.giantswarm.io',
    kind: 'Organization',
    plural: 'organizations',
    namespaced: false,
  },
  /** Giant Swarm's platform releases (`aws-31.1.0`); management clusters without the CRD read as none. */
  releases: {
    group: 'release.giantswarm.io',
    kind: 'Release',
    plural: 'releases',
    namespaced: false,
  },
} as const;

/** @public The keys of {@link MANAGEMENT_CLUSTER_KINDS}. */
export type ManagementClusterKind = keyof typeof MANAGEMENT_CLUSTER_KINDS;

/** @public The keys of {@link MANAGEMENT_CLUSTER_KINDS}, in their order. */
export const MANAGEMENT_CLUSTER_KIND_KEYS = Object.keys(
  MANAGEMENT_CLUSTER_KINDS,
) as ManagementClusterKind[];

/** @public An empty list for every kind read from a management cluster. */
export function emptyManagementClusterObjects(): Record<
  ManagementClusterKind,
  KubeObject[]
> {
  return Object.fromEntries(
    MANAGEMENT_CLUSTER_KIND_KEYS.map(key => [key, []]),
  ) as unknown as Record<ManagementClusterKind, KubeObject[]>;
}

/** @public Everything read from one management cluster. */
export interface ManagementClusterSnapshot {
  name: string;
  fetchedAt: string;
  objects: Record<ManagementClusterKind, KubeObject[]>;
  errors: SourceError[];
}

/** @public The raw state of the whole fleet. */
export interface FleetSnapshot {
  aws: AwsRegionSnapshot[];
  managementClusters: ManagementClusterSnapshot[];
}

/**
 * @public A source of raw fleet state: live AWS, live management clusters, or recorded files.
 * `collect` never rejects for a failing account or cluster: failures come back as `errors` in
 * the snapshots they concern.
 */
export interface FleetSource {
  readonly name: string;
  collect(options?: { signal?: AbortSignal }): Promise<Partial<FleetSnapshot>>;
  /**
   * Answers Cost Explorer's `GetCostAndUsage` in place of AWS (a recorded fleet): the plugin then
   * reads costs here instead of in the payer account.
   */
  getCostAndUsage?(input: CostAndUsageQuery): Promise<CostAndUsagePage>;
}

/** @public The part of Cost Explorer's `GetCostAndUsage` input the plugin sends. */
export interface CostAndUsageQuery {
  TimePeriod: { Start: string; End: string };
  Granularity: 'MONTHLY' | 'DAILY';
  Metrics: string[];
  GroupBy: Array<{ Type: 'TAG' | 'DIMENSION'; Key: string }>;
  NextPageToken?: string;
}

/** @public One page of Cost Explorer's `GetCostAndUsage` output, in the SDK's shape. */
export interface CostAndUsagePage {
  ResultsByTime?: Array<{
    TimePeriod?: { Start?: string; End?: string };
    Total?: Record<string, { Amount?: string; Unit?: string }>;
    Groups?: Array<{
      Keys?: string[];
      Metrics?: Record<string, { Amount?: string; Unit?: string }>;
    }>;
    Estimated?: boolean;
  }>;
  GroupDefinitions?: Array<{ Type?: string; Key?: string }>;
  NextPageToken?: string;
}
