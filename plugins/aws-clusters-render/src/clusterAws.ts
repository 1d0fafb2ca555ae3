import {
  CLUSTERDECK_ANNOTATIONS,
  GIANT_SWARM_LABELS,
  ResolvedClusterRequest,
  cidrContains,
  ipv4Block,
  splitCidr,
} from '@clusterdeck/plugin-aws-clusters-common';
import { stringify } from 'yaml';
import {
  clusterAwsNodePools,
  clusterEksNodePools,
  compact,
} from './clusterAwsNodePools';
import { KubernetesObject, RenderContext } from './types';

type Values = Record<string, unknown>;
type Flavor = ResolvedClusterRequest['request']['spec']['flavor'];

/** @public The Helm chart of Giant Swarm's cluster catalog that installs each cluster flavor. */
export const CLUSTER_CHARTS = {
  ec2: 'cluster-aws',
  eks: 'cluster-eks',
} as const satisfies Record<Flavor, string>;

/** @public The catalog the cluster charts come from unless the render options name another. */
export const DEFAULT_CLUSTER_CATALOG = 'cluster';

const APP_API_VERSION = 'application.giantswarm.io/v1alpha1';
// Tells the management cluster's own (unique) app-operator to reconcile the App.
const APP_OPERATOR_VERSION_LABEL = 'app-operator.giantswarm.io/version';
const UNIQUE_APP_OPERATOR_VERSION = '0.0.0';
// Both charts refuse ENI pod subnets without it: it keeps CAPA from placing nodes there.
const SECONDARY_SUBNET_TAG = {
  'sigs.k8s.io/cluster-api-provider-aws/association': 'secondary',
};
// AWS associates VPC CIDR blocks of /16 to /28 only.
const LARGEST_VPC_BLOCK = 16;

function requireFlavor(ctx: RenderContext, flavor: Flavor) {
  const actual = ctx.resolved.request.spec.flavor;
  if (actual !== flavor) {
    throw new TypeError(
      `${CLUSTER_CHARTS[flavor]} renders ${flavor} clusters, not ${actual}; use ${CLUSTER_CHARTS[actual]}`,
    );
  }
}

/** The charts need both; renderClusterRequest reports them missing before it renders. */
function releaseAndBaseDomain(ctx: RenderContext): {
  release: string;
  baseDomain: string;
} {
  const { release } = ctx.resolved.request.spec;
  if (!release) {
    throw new TypeError(
      'the cluster-aws format needs spec.release: the platform release pins the chart',
    );
  }
  if (!ctx.baseDomain) {
    throw new TypeError(
      'the cluster-aws format needs a base domain (spec.baseDomain or the render options)',
    );
  }
  return { release, baseDomain: ctx.baseDomain };
}

function nonEmptyMap(
  map: Record<string, string>,
): Record<string, string> | undefined {
  return Object.keys(map).length > 0 ? map : undefined;
}

function metadataValues(ctx: RenderContext): Values {
  const { name, organization, owner, description, labels } =
    ctx.resolved.request.metadata;
  return compact({
    name,
    organization,
    description: description || undefined,
    // The cluster subchart puts these labels and annotations on the Cluster and every object
    // that defines it. The owner (group:default/x) is no valid label value, so it goes into the
    // same annotation the capi format sets, where the catalog reads it whatever the format.
    labels: nonEmptyMap({ ...labels }),
    annotations: { [CLUSTERDECK_ANNOTATIONS.owner]: owner },
  });
}

function commonGlobalValues(ctx: RenderContext): Values {
  const { release } = releaseAndBaseDomain(ctx);
  return {
    metadata: metadataValues(ctx),
    // The release pins the chart, the Kubernetes version and the apps; spec.kubernetesVersion
    // has no value in either chart (see clusterAwsLimitations).
    release: { version: release },
    managementCluster: ctx.resolved.request.spec.managementCluster,
  };
}

function providerSpecificValues(ctx: RenderContext): Values {
  const { spec } = ctx.resolved.request;
  return compact({
    region: spec.region,
    // A fallback: the charts read the account from the role identity's ARN when they can.
    awsAccountId: spec.account.id,
    awsClusterRoleIdentityName: spec.account.roleIdentity,
    additionalResourceTags: nonEmptyMap({ ...spec.tags }),
  });
}

/** Adopted subnets by id (CAPA looks up their zone and range), new ones by CIDR, public and private apart. */
function subnetValues(resolved: ResolvedClusterRequest): Values[] {
  if (resolved.subnets.some(subnet => subnet.id)) {
    return resolved.subnets.map(subnet => ({
      id: subnet.id,
      isPublic: subnet.public,
    }));
  }
  // Private subnets get the giantswarm.io/role=nodes tag from the chart, which the node pools
  // and Karpenter select subnets by.
  return [true, false].flatMap(isPublic => {
    const cidrBlocks = resolved.subnets
      .filter(subnet => subnet.public === isPublic)
      .map(subnet => ({
        cidr: subnet.cidr,
        availabilityZone: subnet.availabilityZone,
      }));
    return cidrBlocks.length > 0 ? [{ isPublic, cidrBlocks }] : [];
  });
}

/** The extra VPC CIDRs that hold ENI pod subnets: the chart associates the first as the pod block. */
function eniPodBlocks(
  resolved: ResolvedClusterRequest,
  podSubnetCidrs: string[],
): string[] {
  const { extraCidrs } = resolved.request.spec.network.vpc;
  return extraCidrs.filter(extra =>
    podSubnetCidrs.some(pod => cidrContains(extra, pod)),
  );
}

/** ENI pod subnets follow the zones in order, as the capi format places them. */
function podSubnetBlocks(resolved: ResolvedClusterRequest, cidrs: string[]) {
  return [
    {
      cidrBlocks: cidrs.map((cidr, i) => ({
        availabilityZone: resolved.availabilityZones[i],
        cidr,
        tags: { ...SECONDARY_SUBNET_TAG },
      })),
    },
  ];
}

interface Ec2PodNetwork {
  cilium: { ipamMode: 'kubernetes' | 'eni' };
  podBlocks: string[];
  eniModePodSubnets?: Values[];
}

function ec2PodNetwork(resolved: ResolvedClusterRequest): Ec2PodNetwork {
  const { cni, podCidr } = resolved.request.spec.network;
  if (cni.mode === 'overlay') {
    return { cilium: { ipamMode: 'kubernetes' }, podBlocks: [podCidr] };
  }
  return {
    cilium: { ipamMode: 'eni' },
    podBlocks: eniPodBlocks(resolved, cni.podSubnetCidrs),
    eniModePodSubnets: podSubnetBlocks(resolved, cni.podSubnetCidrs),
  };
}

/** VPC id and CIDRs: the first CIDR is the VPC's primary block, the rest are associated with it. */
function ec2VpcValues(resolved: ResolvedClusterRequest): Values {
  const { vpc } = resolved.request.spec.network;
  // vpcCidr is deprecated but still read for the proxy's no-proxy list; the chart accepts it when
  // it equals the first of vpcCidrs. The chart reads the CIDRs of an adopted VPC too: it opens
  // NodePorts to them.
  return compact({
    vpcId: vpc.mode === 'adopt' ? vpc.id : undefined,
    vpcCidr: vpc.cidr,
    vpcCidrs: resolved.vpcCidrs.length > 0 ? [...resolved.vpcCidrs] : undefined,
  });
}

function topologyValues(resolved: ResolvedClusterRequest): Values {
  const { topology } = resolved.request.spec.network;
  if (topology.mode === 'none') {
    return { mode: 'None' };
  }
  // UserManaged: the transit gateway exists already, and the network-topology operator attaches
  // the VPC to it; the prefix list names the ranges to route through it.
  return compact({
    mode: 'UserManaged',
    transitGatewayId: topology.transitGatewayId,
    prefixListId: topology.prefixListId,
  });
}

function ec2ConnectivityValues(ctx: RenderContext): Values {
  const { resolved } = ctx;
  const { network } = resolved.request.spec;
  const { podBlocks, cilium, eniModePodSubnets } = ec2PodNetwork(resolved);
  return compact({
    baseDomain: releaseAndBaseDomain(ctx).baseDomain,
    availabilityZoneUsageLimit: resolved.availabilityZones.length,
    // A private API does not need a private VPC: vpcMode private is for VPCs without internet
    // access, and the chart pauses the AWSCluster of such a VPC (cluster.x-k8s.io/paused).
    vpcMode: 'public',
    network: {
      ...ec2VpcValues(resolved),
      pods: { cidrBlocks: podBlocks },
      services: { cidrBlocks: [network.serviceCidr] },
    },
    subnets: subnetValues(resolved),
    cilium,
    eniModePodSubnets,
    topology: topologyValues(resolved),
  });
}

function ec2ControlPlaneValues(resolved: ResolvedClusterRequest): Values {
  const { controlPlane } = resolved.request.spec;
  return compact({
    instanceType: controlPlane.instanceType,
    apiMode: controlPlane.apiMode,
    loadBalancerIngressAllowCidrBlocks:
      controlPlane.allowedCidrs.length > 0
        ? [...controlPlane.allowedCidrs]
        : undefined,
  });
}

/**
 * Renders a resolved EC2 request as the values document of Giant Swarm's cluster-aws chart.
 * @public
 */
export function clusterAwsValues(ctx: RenderContext): Record<string, unknown> {
  requireFlavor(ctx, 'ec2');
  return {
    global: {
      ...commonGlobalValues(ctx),
      connectivity: ec2ConnectivityValues(ctx),
      controlPlane: ec2ControlPlaneValues(ctx.resolved),
      nodePools: clusterAwsNodePools(ctx.resolved),
      providerSpecific: providerSpecificValues(ctx),
    },
  };
}

/** @public The pods' VPC block and subnets on EKS, where cluster-eks always runs Cilium in ENI mode. */
export function eksPodNetwork(resolved: ResolvedClusterRequest): {
  podBlock: string;
  podSubnets: string[];
} {
  // In ENI mode those of the request; otherwise the first /16 of podCidr (the largest block AWS
  // associates with a VPC) cut in quarters, one per zone, as the chart's defaults are.
  const { cni, podCidr } = resolved.request.spec.network;
  if (cni.mode === 'eni') {
    const [podBlock] = eniPodBlocks(resolved, cni.podSubnetCidrs);
    return { podBlock, podSubnets: [...cni.podSubnetCidrs] };
  }
  const { prefixLength } = ipv4Block(podCidr);
  const podBlock =
    prefixLength < LARGEST_VPC_BLOCK
      ? splitCidr(podCidr, LARGEST_VPC_BLOCK)[0]
      : podCidr;
  const quarterPrefix = Math.min(ipv4Block(podBlock).prefixLength + 2, 28);
  return {
    podBlock,
    podSubnets: splitCidr(podBlock, quarterPrefix).slice(
      0,
      resolved.availabilityZones.length,
    ),
  };
}

function eksNetworkValues(
  resolved: ResolvedClusterRequest,
  podBlock: string,
): Values {
  const { vpc, serviceCidr } = resolved.request.spec.network;
  // cluster-eks associates the pod block itself; listing it again would associate it twice.
  const extras = vpc.extraCidrs.filter(extra => extra !== podBlock);
  return compact({
    vpcId: vpc.mode === 'adopt' ? vpc.id : undefined,
    vpcCidr: vpc.cidr,
    vpcCidrs:
      extras.length > 0
        ? extras.map(ipv4CidrBlock => ({ ipv4CidrBlock }))
        : undefined,
    pods: { cidrBlocks: [podBlock] },
    services: { cidrBlocks: [serviceCidr] },
  });
}

function eksConnectivityValues(ctx: RenderContext): Values {
  const { resolved } = ctx;
  const { podBlock, podSubnets } = eksPodNetwork(resolved);
  return {
    baseDomain: releaseAndBaseDomain(ctx).baseDomain,
    availabilityZoneUsageLimit: resolved.availabilityZones.length,
    network: eksNetworkValues(resolved, podBlock),
    // cluster-eks reads `id` of adopted subnets as cluster-aws does, though its schema omits it.
    subnets: subnetValues(resolved),
    podSubnets: podSubnetBlocks(resolved, podSubnets),
  };
}

/**
 * Renders a resolved EKS request as the values document of Giant Swarm's cluster-eks chart.
 * @public
 */
export function clusterEksValues(ctx: RenderContext): Record<string, unknown> {
  requireFlavor(ctx, 'eks');
  // No controlPlane values: cluster-eks renders neither apiMode nor the API's allowed CIDRs, and
  // has no network topology (see clusterAwsLimitations).
  return {
    global: {
      ...commonGlobalValues(ctx),
      connectivity: eksConnectivityValues(ctx),
      nodePools: clusterEksNodePools(ctx.resolved),
      providerSpecific: providerSpecificValues(ctx),
    },
  };
}

/**
 * Renders a resolved request as Giant Swarm installs clusters: the values ConfigMap and the App
 * of the cluster-aws (EC2) or cluster-eks (EKS) chart in the organization's namespace.
 * @public
 */
export function renderClusterAwsApp(ctx: RenderContext): KubernetesObject[] {
  const { request, namespace } = ctx.resolved;
  const { name, organization, owner } = request.metadata;
  const { flavor } = request.spec;
  const values =
    flavor === 'eks' ? clusterEksValues(ctx) : clusterAwsValues(ctx);
  const configMapName = `${name}-userconfig`;
  const labels = {
    [GIANT_SWARM_LABELS.cluster]: name,
    [GIANT_SWARM_LABELS.organization]: organization,
  };
  const configMap: KubernetesObject = {
    apiVersion: 'v1',
    kind: 'ConfigMap',
    metadata: { name: configMapName, namespace, labels },
    // No anchors and aliases for lists that recur (zones): people read these values in Git.
    data: {
      values: stringify(values, { lineWidth: 0, aliasDuplicateObjects: false }),
    },
  };
  const app: KubernetesObject = {
    apiVersion: APP_API_VERSION,
    kind: 'App',
    metadata: {
      name,
      namespace,
      labels: {
        ...labels,
        [APP_OPERATOR_VERSION_LABEL]: UNIQUE_APP_OPERATOR_VERSION,
      },
      annotations: { [CLUSTERDECK_ANNOTATIONS.owner]: owner },
    },
    spec: {
      catalog: ctx.options.appCatalog ?? DEFAULT_CLUSTER_CATALOG,
      name: CLUSTER_CHARTS[flavor],
      namespace,
      // The CRD requires the field; empty, because the release in the values pins the chart
      // version (as `kubectl gs template cluster --release` writes it).
      version: '',
      kubeConfig: { inCluster: true },
      userConfig: { configMap: { name: configMapName, namespace } },
    },
  };
  return [configMap, app];
}
