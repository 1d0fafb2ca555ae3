import type {
  AccessModel,
  AccountEnvironment,
} from '../request/accountRequest';
import type { ClusterVersionSupport } from '../versions/versionSupport';
import type {
  ClusterCostSummary,
  ClusterCostView,
  ConnectView,
  UpgradeInsight,
} from './lifecycle';

/** @public How fresh one source's data is. */
export interface SourceStatus {
  /** `aws:<account>:<region>`, `kubernetes:<management cluster>` or `snapshot`. */
  source: string;
  /** When the data served was read. */
  fetchedAt?: string;
  /** The last refresh's failure; the data served is then the last good one. */
  error?: string;
  stale: boolean;
}

/** @public Where a workload cluster is in its life. */
export type ClusterStatus =
  | 'requested'
  | 'creating'
  | 'ready'
  | 'degraded'
  | 'deleting';

/**
 * @public How the Kubernetes API is reachable, as AWS enforces it: the API load balancer's scheme
 * and security groups (EC2), or the EKS endpoint's access settings. `unknown` until the load
 * balancer or EKS cluster exists.
 */
export type ApiExposure =
  | 'open-to-world'
  | 'allow-listed'
  | 'private'
  | 'unknown';

/** @public A node pool's kind: an Auto Scaling group scaled by cluster-autoscaler, Karpenter, or an EKS node group. */
export type NodePoolKind = 'asg' | 'karpenter' | 'managed';

/** @public An AWS account as Clusterdeck knows it. */
export interface AccountSummary {
  id: string;
  name: string;
  environment: AccountEnvironment;
  accessModel: AccessModel;
  owners: string[];
  regions: string[];
}

/** @public What an account uses of the quotas that limit new clusters, per region. */
export interface AccountUsage {
  region: string;
  vpcs: number;
  elasticIps: number;
  runningVcpus: number;
  /** The quotas compared against: AWS's defaults unless configured. */
  quotas: { vpcs: number; elasticIps: number; onDemandVcpus?: number };
}

/** @public An account with what a requester needs to choose it. */
export interface AccountView extends AccountSummary {
  clusterCount: number;
  usage: AccountUsage[];
}

/** @public One row of the fleet: a workload cluster with what a team lead needs at a glance. */
export interface ClusterSummary {
  /** Unique and stable: `<managementCluster>/<namespace>/<name>`. */
  ref: string;
  name: string;
  namespace: string;
  managementCluster: string;
  organization?: string;
  owner: string;
  /** Where the owner came from: the cluster's annotation, the organization mapping, or the account. */
  ownerSource: 'annotation' | 'organization' | 'account' | 'none';
  accountId?: string;
  accountName?: string;
  environment?: AccountEnvironment;
  /** Where the environment came from: the Cluster's `clusterdeck.io/environment` label, or its account. */
  environmentSource?: 'label' | 'account';
  region?: string;
  flavor: 'ec2' | 'eks';
  kubernetesVersion?: string;
  release?: string;
  status: ClusterStatus;
  /** Why the status is not ready, when it is not. */
  statusReason?: string;
  apiEndpoint?: string;
  apiMode: 'public' | 'private';
  /** How the API is reachable as AWS enforces it. */
  apiExposure?: ApiExposure;
  /** EKS only: the EKS cluster's name, as AWS IAM authentication to it needs. */
  eksClusterName?: string;
  /** The API server's CA (base64 PEM), where a source reports it (EKS). */
  apiCertificateAuthority?: string;
  nodes: { desired: number; ready: number; min: number; max: number };
  nodePools: number;
  createdAt?: string;
  description?: string;
  /** The Cluster carries `clusterdeck.io/deletion-protection: "true"`: it is not retired. */
  deletionProtection?: boolean;
  /**
   * Where its Kubernetes version and `cluster-aws` release are in their support, judged on the
   * day of the answer against `clusterdeck.versionSupport` (EKS's calendar by default).
   */
  versionSupport?: ClusterVersionSupport;
  /** What it cost, from Cost Explorer; absent when `clusterdeck.cost` is not configured. */
  cost?: ClusterCostSummary;
}

/** @public A subnet as the topology shows it. */
export interface SubnetView {
  id: string;
  cidr: string;
  availabilityZone: string;
  role: 'public' | 'private' | 'pod';
  totalAddresses: number;
  availableAddresses?: number;
  /** Where traffic to 0.0.0.0/0 goes. */
  defaultRoute?: {
    target:
      | 'internet-gateway'
      | 'nat-gateway'
      | 'transit-gateway'
      | 'peering'
      | 'other';
    id: string;
  };
  /** Other routes leaving the VPC, e.g. 10.0.0.0/8 to a transit gateway. */
  routes: Array<{ destination: string; target: string }>;
  tags: Record<string, string>;
}

/** @public A load balancer in a cluster's VPC. */
export interface LoadBalancerView {
  name: string;
  arn?: string;
  type: 'application' | 'network' | 'gateway' | 'classic';
  scheme: 'internet-facing' | 'internal';
  dnsName?: string;
  subnetIds: string[];
  /** The Kubernetes service or ingress behind it, `namespace/name` (an ingress group by its name), or `apiserver`. */
  target: string;
  /** What made it: CAPA (the API server's), the Kubernetes AWS cloud provider, or the AWS Load Balancer Controller. */
  controller?: 'capa' | 'cloud-provider' | 'aws-load-balancer-controller';
  /** The Kubernetes object it serves, where its tags name one. */
  backend?: { kind: 'Service' | 'Ingress' | 'IngressGroup'; name: string };
  state?: string;
  securityGroupIds?: string[];
}

/** @public A cluster's network: VPC, zones and subnets, gateways, links and what runs where. */
export interface TopologyView {
  cluster: string;
  accountId?: string;
  region?: string;
  vpc?: { id: string; cidrs: string[]; adopted: boolean; state?: string };
  internetGateway?: { id: string };
  availabilityZones: string[];
  /** The cluster's subnets: those its network spec names, and those CAPA created for it. */
  subnets: SubnetView[];
  /** Other subnets of the VPC (an adopted VPC's subnets the cluster does not use). */
  otherSubnets?: SubnetView[];
  natGateways: Array<{
    id: string;
    subnetId: string;
    availabilityZone?: string;
    publicIp?: string;
    state?: string;
  }>;
  transitGatewayAttachments: Array<{
    id: string;
    transitGatewayId: string;
    state?: string;
    subnetIds: string[];
    routes: string[];
  }>;
  peerings: Array<{
    id: string;
    peerVpcId?: string;
    peerAccountId?: string;
    peerCidrs: string[];
    status?: string;
    routes: string[];
  }>;
  loadBalancers: LoadBalancerView[];
  nodePools: Array<{
    name: string;
    kind: NodePoolKind;
    availabilityZones: string[];
    subnetIds: string[];
    instances: number;
  }>;
  controlPlane: {
    kind: 'kubeadm' | 'eks';
    endpoint?: string;
    apiMode: 'public' | 'private';
    /** How AWS lets the API be reached; see {@link ApiExposure}. */
    exposure?: ApiExposure;
    /** The CIDRs AWS lets reach the API (security group rules, EKS public access CIDRs); empty until known. */
    allowedCidrs: string[];
    /**
     * What Cluster API would let in (the spec's allow-list and CAPA's own rule for the nodes),
     * where it differs from what AWS enforces.
     */
    requestedCidrs?: string[];
    /** Why the exposure is unknown, or where the rules came from. */
    exposureNote?: string;
  };
  cni: { mode: 'overlay' | 'eni'; podCidrs: string[] };
}

/** @public A finding about isolation: something a team lead or the platform team should look at. */
export interface IsolationFinding {
  severity: 'info' | 'warning' | 'critical';
  code: IsolationFindingCode;
  title: string;
  explanation: string;
  /** The clusters (refs) and accounts (ids) it concerns. */
  subjects: string[];
  /**
   * Set when the platform team accepted this code for the accounts or environments it concerns
   * (`clusterdeck.findings.accepted`): the finding is then of severity `info`, and this keeps the
   * severity it would have had.
   */
  accepted?: { severity: 'info' | 'warning' | 'critical'; reason?: string };
}

/** @public The stable codes of isolation findings; the backend README says what each means. */
export const ISOLATION_FINDING_CODES = [
  'mixed-environments-in-account',
  'teams-share-account',
  'teams-share-vpc',
  'public-production-api',
  'api-rules-differ-from-spec',
  'missing-role-identity',
  'overlapping-cidrs-on-transit-gateway',
  'adopted-vpc',
  'unknown-environment-label',
] as const;

/** @public One of {@link ISOLATION_FINDING_CODES}. */
export type IsolationFindingCode = (typeof ISOLATION_FINDING_CODES)[number];

/** @public Who can get into an account, and how. */
export interface AccessEntry {
  who: string;
  how: string;
}

/** @public A cluster inside its boundaries. */
export interface BoundaryCluster {
  ref: string;
  name: string;
  owner: string;
  environment?: AccountEnvironment;
  apiMode: 'public' | 'private';
  apiExposure?: ApiExposure;
  /** The CIDRs AWS lets reach the API; empty until known. */
  allowedCidrs: string[];
  /**
   * What Cluster API would let in (the spec's allow-list and CAPA's own rule for the nodes),
   * where it differs from what AWS enforces.
   */
  requestedCidrs?: string[];
}

/** @public Nested boundaries: environment, account, VPC, cluster. */
export interface BoundariesView {
  environments: Array<{
    name: AccountEnvironment | 'unknown';
    accounts: Array<{
      account:
        | AccountSummary
        | {
            id: string;
            name: string;
            environment?: undefined;
            accessModel?: undefined;
            owners: string[];
            regions: string[];
          };
      shared: boolean;
      teams: string[];
      roleIdentities: string[];
      access: AccessEntry[];
      vpcs: Array<{
        id?: string;
        cidrs: string[];
        shared: boolean;
        clusters: BoundaryCluster[];
      }>;
    }>;
  }>;
  findings: IsolationFinding[];
}

/** @public A scaling event of a node pool. */
export interface ScalingActivity {
  time: string;
  description: string;
  status: 'successful' | 'failed' | 'in-progress' | 'cancelled';
  cause?: string;
}

/** @public An instance type's size, as EC2 `DescribeInstanceTypes` gives it. */
export interface InstanceTypeSize {
  instanceType: string;
  vcpus?: number;
  memoryMiB?: number;
  /** `x86_64`, `arm64`, … */
  architectures: string[];
}

/** @public A node pool's size and scaling state. */
export interface NodePoolScaling {
  name: string;
  kind: NodePoolKind;
  instanceTypes: string[];
  /** The sizes of `instanceTypes` that EC2 described, in their order (absent before it was read). */
  instanceTypeSizes?: InstanceTypeSize[];
  /**
   * Spot pools: the types Spot capacity is drawn from, in the order the mixed instances policy
   * (or the EKS node group) lists them.
   */
  spotInstanceTypes?: string[];
  spot: boolean;
  availabilityZones: string[];
  /** Nodes per zone, where known. */
  spread: Record<string, number>;
  min: number;
  desired: number;
  current: number;
  ready: number;
  max: number;
  /** Karpenter pools: their resource limits instead of min and max. */
  limits?: Record<string, string>;
  /**
   * The AWS object behind the pool: its Auto Scaling group or EKS node group (absent for
   * Karpenter). `missing` when it does not exist yet: sizes are then the spec's and no
   * instances are counted.
   */
  group?: {
    name?: string;
    state:
      | 'active'
      | 'missing'
      | 'deleting'
      | 'creating'
      | 'degraded'
      | 'updating';
    status?: string;
  };
  /** Where min, max, desired and zones come from: the AWS group, or the spec while there is none. */
  sizesFrom?: 'aws' | 'spec';
  activities: ScalingActivity[];
  warnings: string[];
}

/** @public A cluster's detail: summary, topology, boundaries and node pools. */
export interface ClusterDetail {
  cluster: ClusterSummary;
  topology: TopologyView;
  boundaries: BoundariesView;
  nodePools: NodePoolScaling[];
  sources: SourceStatus[];
  /** EKS clusters: the upgrade insights AWS reports (none for EC2 clusters, or before EKS evaluated any). */
  upgradeInsights?: UpgradeInsight[];
  /** How to connect to its API. */
  connect?: ConnectView;
  /** What it cost, month by month; absent when `clusterdeck.cost` is not configured. */
  cost?: ClusterCostView;
}

/** @public A list answer of the REST API. */
export interface ListResponse<T> {
  items: T[];
  generatedAt: string;
  /**
   * Sources whose last refresh failed and that the caller's clusters depend on; their data is
   * the last good one.
   */
  errors: SourceStatus[];
  /** How many other sources failed (of accounts and management clusters the caller has no clusters in). */
  otherErrors?: number;
  /** A page (asked for with `limit`): how many items the whole list holds. */
  total?: number;
  /** A page that more follow: the `cursor` that asks for the next one. */
  nextCursor?: string;
}

/**
 * @public What `GET /clusters` may be asked for: the clusters of an owner, a management cluster or
 * an account (those that match every filter given), a page at a time with `limit`.
 */
export interface ClusterListQuery {
  /** An owner's entity ref, e.g. `group:default/payments`. */
  owner?: string;
  /** A management cluster's name. */
  managementCluster?: string;
  /** An AWS account id (12 digits). */
  accountId?: string;
  /** How many clusters a page holds at most (1 to 500); the whole list without it. */
  limit?: number;
  /** Where the page starts: the `nextCursor` of the page before. */
  cursor?: string;
}

/**
 * @public A CIDR block reserved from a pool (a type, not an interface, so that scaffolder
 * checkpoints may store it as JSON).
 */
export type CidrAllocationView = {
  id: string;
  pool: string;
  cidr: string;
  /** The cluster the block is for, `<managementCluster>/<namespace>/<name>`, when known. */
  cluster?: string;
  owner: string;
  createdBy: string;
  createdAt: string;
  /** When the fleet last reported the block's cluster (a cluster only requested does not count). */
  attachedAt?: string;
  /**
   * When the block is released unless a cluster uses it by then: for a block no cluster uses,
   * its expiry; for one whose cluster is gone from the fleet, the end of the grace period.
   */
  releasedAfter?: string;
};

/** @public An address pool VPC CIDRs are handed out from, with what is left in it. */
export interface CidrPoolView {
  name: string;
  cidr: string;
  /** The size of the blocks handed out, e.g. 16 for /16s. */
  prefixLength: number;
  accounts?: string[];
  description?: string;
  /** How many blocks are reserved from the pool. */
  allocated: number;
  /** The next block a reservation would get; absent when the pool is full. */
  nextFree?: string;
}
