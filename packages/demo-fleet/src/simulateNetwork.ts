import type {
  AttachmentStatus,
  Route,
  RouteTable,
  TransitGatewayVpcAttachment,
} from '@aws-sdk/client-ec2';
import {
  cidrContains,
  findFreeCidr,
  ipv4Block,
} from '@clusterdeck/plugin-aws-clusters-common';
import {
  allocateAddress,
  RegionBuilder,
  SubnetFacts,
  VpcFacts,
} from './regionBuilder';
import { ClusterPlan, sdkTime, SimulationContext } from './simulationContext';
import { capaTags, TAGS, tagList } from './tags';

/** The network of one cluster: its VPC and its own subnets in the order of the CAPA spec. */
export interface ClusterNetwork {
  vpc: VpcFacts;
  /** Index-aligned with `spec.network.subnets` of the rendered infrastructure object. */
  subnets: SubnetFacts[];
  transitGatewayAttachmentId?: string;
  peeringConnectionId?: string;
  /** Whether the cluster's own CAPA created the VPC (not adopted, not shared). */
  created: boolean;
}

/** The subnet entries of the rendered AWSCluster or AWSManagedControlPlane. */
interface SpecSubnet {
  id: string;
  cidrBlock?: string;
  availabilityZone: string;
  isPublic: boolean;
  tags?: Record<string, string>;
}

/** The rendered infrastructure object that holds the network (EKS: the managed control plane). */
export function networkSpec(plan: ClusterPlan): {
  vpc: Record<string, unknown>;
  subnets: SpecSubnet[];
} {
  const kind = plan.flavor === 'eks' ? 'AWSManagedControlPlane' : 'AWSCluster';
  const infra = plan.manifests.find(m => m.kind === kind);
  return (
    infra?.spec as {
      network: { vpc: Record<string, unknown>; subnets: SpecSubnet[] };
    }
  ).network;
}

function subnetRole(subnet: SpecSubnet): SubnetFacts['role'] {
  if (subnet.tags?.[TAGS.association] === 'secondary') return 'pod';
  return subnet.isPublic ? 'public' : 'private';
}

/** Carves CIDRs for adopted subnets the request lists without one, the way planSubnets would lay them out. */
function carveMissingCidrs(
  specSubnets: SpecSubnet[],
  vpcCidrs: string[],
): string[] {
  const primary = ipv4Block(vpcCidrs[0]);
  const used = specSubnets.flatMap(s => (s.cidrBlock ? [s.cidrBlock] : []));
  const cidrs = specSubnets.map(s => s.cidrBlock ?? '');
  // Private subnets first, so that they take the large blocks at the start as planSubnets does.
  const order = specSubnets
    .map((_, i) => i)
    .sort(
      (a, b) =>
        Number(specSubnets[a].isPublic) - Number(specSubnets[b].isPublic),
    );
  for (const i of order) {
    if (cidrs[i]) continue;
    const prefix = Math.min(
      primary.prefixLength + (specSubnets[i].isPublic ? 4 : 2),
      28,
    );
    const free = findFreeCidr(primary.cidr, prefix, used);
    if (!free) {
      throw new Error(
        `no room in ${primary.cidr} for subnet ${specSubnets[i].id}`,
      );
    }
    cidrs[i] = free;
    used.push(free);
  }
  return cidrs;
}

function vpcCidrsOf(ctx: SimulationContext, plan: ClusterPlan): string[] {
  const { vpc } = plan.resolved.request.spec.network;
  if (vpc.mode === 'create') return plan.resolved.vpcCidrs;
  const primary =
    vpc.cidr ??
    plan.scenario.adoptedVpcCidr ??
    // A stand-in for a range nobody wrote down: stable, but not checked against the fleet.
    `10.${200 + ctx.ids.int(`${plan.key}/adopted-cidr`, 56)}.0.0/16`;
  return [primary, ...vpc.extraCidrs.filter(extra => extra !== primary)];
}

function newVpc(
  ctx: SimulationContext,
  plan: ClusterPlan,
  created: boolean,
): VpcFacts {
  const { vpc } = plan.resolved.request.spec.network;
  const id =
    vpc.mode === 'adopt' ? vpc.id : ctx.ids.aws('vpc', `${plan.key}/vpc`);
  const tags = created
    ? capaTags(plan, 'common', `${plan.name}-vpc`)
    : {
        Name: `shared-vpc-${id.slice(-4)}`,
        'example.com/managed-by': 'network-team',
      };
  return {
    id,
    cidrs: vpcCidrsOf(ctx, plan),
    adopted: !created,
    state: plan.state === 'provisioning' && created ? 'pending' : 'available',
    tags,
    subnets: [],
    natGateways: [],
  };
}

function subnetTags(
  plan: ClusterPlan,
  spec: SpecSubnet,
  role: SubnetFacts['role'],
  created: boolean,
): Record<string, string> {
  const ownership = created ? 'owned' : 'shared';
  const capaRole = role === 'public' ? 'public' : 'private';
  return {
    ...(created
      ? capaTags(plan, capaRole, spec.id)
      : { Name: `shared-${role}-${spec.availabilityZone}` }),
    [TAGS.capaCluster(plan.name)]: ownership,
    [TAGS.kubernetesCluster(plan.name)]: ownership,
    [TAGS.capaRole]: capaRole,
    // The tags the AWS load balancer controller and the cloud provider pick subnets by.
    ...(role === 'public'
      ? { 'kubernetes.io/role/elb': '1' }
      : { 'kubernetes.io/role/internal-elb': '1' }),
    ...(spec.tags ?? {}),
  };
}

function addSubnets(
  ctx: SimulationContext,
  plan: ClusterPlan,
  vpc: VpcFacts,
  created: boolean,
): SubnetFacts[] {
  const specSubnets = networkSpec(plan).subnets;
  const cidrs = carveMissingCidrs(specSubnets, vpc.cidrs);
  return specSubnets.map((spec, i) => {
    const adoptedId = spec.id.startsWith('subnet-') ? spec.id : undefined;
    const existing = adoptedId
      ? vpc.subnets.find(s => s.id === adoptedId)
      : undefined;
    const role = subnetRole(spec);
    const tags = subnetTags(plan, spec, role, created || !adoptedId);
    if (existing) {
      // A second cluster in the same adopted VPC: the subnet gains its tags, nothing else.
      Object.assign(existing.tags, tags, { Name: existing.tags.Name });
      return existing;
    }
    const id = adoptedId ?? ctx.ids.aws('subnet', `${plan.key}/subnet/${i}`);
    const size = ipv4Block(cidrs[i]).size;
    const subnet: SubnetFacts = {
      id,
      capaName: spec.id,
      cidr: cidrs[i],
      zone: spec.availabilityZone,
      role,
      state: vpc.state,
      tags,
      used: 0,
      nextHost:
        4 + ctx.ids.int(`${id}/first-host`, Math.max(1, Math.floor(size / 8))),
    };
    vpc.subnets.push(subnet);
    return subnet;
  });
}

function addInternetGateway(
  ctx: SimulationContext,
  region: RegionBuilder,
  plan: ClusterPlan,
  vpc: VpcFacts,
  created: boolean,
) {
  if (!vpc.subnets.some(s => s.role === 'public')) return;
  const id = ctx.ids.aws('igw', `${vpc.id}/igw`);
  vpc.internetGatewayId = id;
  region.snapshot.internetGateways.push({
    InternetGatewayId: id,
    OwnerId: region.accountId,
    // EC2 reports attached internet gateways as "available", outside the SDK's own enum.
    Attachments: [{ VpcId: vpc.id, State: 'available' as AttachmentStatus }],
    Tags: tagList(
      created
        ? capaTags(plan, 'common', `${plan.name}-igw`)
        : { Name: `shared-igw-${vpc.id.slice(-4)}` },
    ),
  });
}

/** One NAT gateway per zone, in that zone's first public subnet, each with its Elastic IP. */
function addNatGateways(
  ctx: SimulationContext,
  region: RegionBuilder,
  plan: ClusterPlan,
  vpc: VpcFacts,
  created: boolean,
) {
  // CAPA allocates the Elastic IPs first; the demo's failed cluster is one that ran out of them.
  if (plan.state === 'failed' && created) return;
  const zones = [...new Set(vpc.subnets.map(s => s.zone))];
  for (const zone of zones) {
    const subnet = vpc.subnets.find(
      s => s.zone === zone && s.role === 'public',
    );
    if (!subnet) continue;
    const id = ctx.ids.aws('nat', `${vpc.id}/nat/${zone}`);
    const publicIp = ctx.publicIp();
    subnet.natGatewayId = id;
    vpc.natGateways.push({ id, zone, subnetId: subnet.id, publicIp });
    const pending = plan.state === 'provisioning' && created;
    const createdAt = plan.createdAt + 3 * 60_000;
    region.snapshot.natGateways.push({
      NatGatewayId: id,
      SubnetId: subnet.id,
      VpcId: vpc.id,
      ConnectivityType: 'public',
      State: pending ? 'pending' : 'available',
      CreateTime: sdkTime(ctx.at(createdAt)),
      NatGatewayAddresses: [
        {
          AllocationId: ctx.ids.aws('eipalloc', `${id}/eip`),
          NetworkInterfaceId: ctx.ids.aws('eni', `${id}/eni`),
          PrivateIp: allocateAddress(subnet),
          PublicIp: publicIp,
          AssociationId: ctx.ids.aws('eipassoc', `${id}/eip`),
          IsPrimary: true,
          Status: pending ? 'associating' : 'succeeded',
        },
      ],
      Tags: tagList(
        created
          ? capaTags(plan, 'common', `${plan.name}-nat`)
          : { Name: `shared-nat-${zone}` },
      ),
    });
  }
}

function localRoutes(vpc: VpcFacts): Route[] {
  return vpc.cidrs.map(cidr => ({
    DestinationCidrBlock: cidr,
    GatewayId: 'local',
    Origin: 'CreateRouteTable',
    State: 'active',
  }));
}

function privateRoutes(
  plan: ClusterPlan,
  vpc: VpcFacts,
  subnet: SubnetFacts,
  net: Omit<ClusterNetwork, 'subnets'>,
): Route[] {
  const routes: Route[] = [];
  const nat =
    vpc.natGateways.find(n => n.zone === subnet.zone) ?? vpc.natGateways[0];
  const { topology } = plan.resolved.request.spec.network;
  const tgw =
    topology.mode === 'transitGateway' && net.transitGatewayAttachmentId
      ? topology.transitGatewayId
      : undefined;
  if (nat) {
    routes.push({
      DestinationCidrBlock: '0.0.0.0/0',
      NatGatewayId: nat.id,
      Origin: 'CreateRoute',
      State: 'active',
    });
  } else if (tgw) {
    // A private VPC without NAT reaches the internet through the transit gateway's egress VPC.
    routes.push({
      DestinationCidrBlock: '0.0.0.0/0',
      TransitGatewayId: tgw,
      Origin: 'CreateRoute',
      State: 'active',
    });
  }
  if (tgw) {
    routes.push({
      DestinationCidrBlock: '10.0.0.0/8',
      TransitGatewayId: tgw,
      Origin: 'CreateRoute',
      State: 'active',
    });
  }
  const peering = plan.scenario.peering;
  if (peering && net.peeringConnectionId) {
    routes.push({
      DestinationCidrBlock: peering.peerCidr,
      VpcPeeringConnectionId: net.peeringConnectionId,
      Origin: 'CreateRoute',
      State: 'active',
    });
  }
  return routes;
}

/** CAPA's layout: one route table per subnet, plus the VPC's main table that no subnet uses. */
function addRouteTables(
  ctx: SimulationContext,
  region: RegionBuilder,
  plan: ClusterPlan,
  net: Omit<ClusterNetwork, 'subnets'>,
  subnets: SubnetFacts[],
) {
  const { vpc, created } = net;
  const table = (
    key: string,
    routes: Route[],
    subnetId: string | undefined,
    name: string,
  ): RouteTable => {
    const id = ctx.ids.aws('rtb', `${vpc.id}/rtb/${key}`);
    return {
      RouteTableId: id,
      VpcId: vpc.id,
      OwnerId: region.accountId,
      Routes: [...localRoutes(vpc), ...routes],
      Associations: [
        {
          Main: subnetId === undefined,
          RouteTableAssociationId: ctx.ids.aws(
            'rtbassoc',
            `${id}/${subnetId ?? 'main'}`,
          ),
          RouteTableId: id,
          ...(subnetId ? { SubnetId: subnetId } : {}),
          AssociationState: { State: 'associated' },
        },
      ],
      PropagatingVgws: [],
      Tags: tagList(created ? capaTags(plan, 'common', name) : { Name: name }),
    };
  };
  if (!vpc.subnets.some(s => s.routeTableId)) {
    region.snapshot.routeTables.push(
      table('main', [], undefined, `${created ? plan.name : 'shared'}-rt-main`),
    );
  }
  for (const subnet of subnets) {
    if (subnet.routeTableId) continue;
    let routes: Route[] = [];
    if (subnet.role !== 'public')
      routes = privateRoutes(plan, vpc, subnet, net);
    else if (vpc.internetGatewayId)
      routes = [
        {
          DestinationCidrBlock: '0.0.0.0/0',
          GatewayId: vpc.internetGatewayId,
          Origin: 'CreateRoute',
          State: 'active',
        } as Route,
      ];
    const rt = table(
      subnet.id,
      routes,
      subnet.id,
      `${created ? plan.name : 'shared'}-rt-${subnet.role}-${subnet.zone}`,
    );
    subnet.routeTableId = rt.RouteTableId;
    region.snapshot.routeTables.push(rt);
  }
}

/** The node subnets, one per zone: where attachments and internal load balancers go. */
export function nodeSubnetPerZone(subnets: SubnetFacts[]): SubnetFacts[] {
  const byZone = new Map<string, SubnetFacts>();
  for (const subnet of subnets) {
    if (subnet.role === 'private' && !byZone.has(subnet.zone))
      byZone.set(subnet.zone, subnet);
  }
  return [...byZone.values()];
}

function addTransitGatewayAttachment(
  ctx: SimulationContext,
  region: RegionBuilder,
  plan: ClusterPlan,
  vpc: VpcFacts,
  subnets: SubnetFacts[],
): string | undefined {
  const { topology } = plan.resolved.request.spec.network;
  if (topology.mode !== 'transitGateway' || plan.state === 'failed')
    return undefined;
  const id = ctx.ids.aws(
    'tgw-attach',
    `${vpc.id}/${topology.transitGatewayId}`,
  );
  if (
    region.snapshot.transitGatewayAttachments.some(
      a => a.TransitGatewayAttachmentId === id,
    )
  )
    return id;
  const attachmentSubnets = nodeSubnetPerZone(subnets);
  attachmentSubnets.forEach(s => allocateAddress(s));
  const attachment: TransitGatewayVpcAttachment = {
    TransitGatewayAttachmentId: id,
    TransitGatewayId: topology.transitGatewayId,
    VpcId: vpc.id,
    VpcOwnerId: region.accountId,
    State: plan.state === 'provisioning' ? 'pending' : 'available',
    SubnetIds: attachmentSubnets.map(s => s.id),
    CreationTime: sdkTime(ctx.at(plan.createdAt + 6 * 60_000)),
    Options: {
      DnsSupport: 'enable',
      Ipv6Support: 'disable',
      ApplianceModeSupport: 'disable',
    },
    // Giant Swarm's network-topology operator makes the attachment, not CAPA, and names the cluster.
    Tags: tagList({
      Name: `${plan.name}-tgw-attachment`,
      'giantswarm.io/cluster': plan.name,
    }),
  };
  region.snapshot.transitGatewayAttachments.push(attachment);
  return id;
}

function addPeering(
  ctx: SimulationContext,
  region: RegionBuilder,
  plan: ClusterPlan,
  vpc: VpcFacts,
): string | undefined {
  const peering = plan.scenario.peering;
  if (!peering || plan.state === 'provisioning' || plan.state === 'failed')
    return undefined;
  const id = ctx.ids.aws('pcx', `${vpc.id}/${peering.peerVpcId}`);
  region.snapshot.vpcPeeringConnections.push({
    VpcPeeringConnectionId: id,
    RequesterVpcInfo: {
      VpcId: vpc.id,
      OwnerId: region.accountId,
      CidrBlock: vpc.cidrs[0],
      CidrBlockSet: vpc.cidrs.map(CidrBlock => ({ CidrBlock })),
      Region: region.region,
    },
    AccepterVpcInfo: {
      VpcId: peering.peerVpcId,
      OwnerId: peering.peerAccountId,
      CidrBlock: peering.peerCidr,
      CidrBlockSet: [{ CidrBlock: peering.peerCidr }],
      Region: peering.peerRegion ?? region.region,
    },
    Status: { Code: 'active', Message: 'Active' },
    Tags: tagList({ Name: `${plan.name}-to-${peering.peerVpcId}` }),
  });
  return id;
}

/** Subnets of an adopted VPC that the cluster does not use: its owners made them for something else. */
function addOtherSubnets(plan: ClusterPlan, vpc: VpcFacts) {
  if (!vpc.adopted) return;
  for (const other of plan.scenario.otherSubnets ?? []) {
    if (!vpc.cidrs.some(c => cidrContains(c, other.cidr))) {
      throw new Error(
        `cluster ${plan.name}: other subnet ${other.id} (${
          other.cidr
        }) is outside the VPC ${vpc.cidrs.join(', ')}`,
      );
    }
    vpc.subnets.push({
      id: other.id,
      capaName: other.id,
      cidr: other.cidr,
      zone: other.availabilityZone,
      role: 'private',
      state: vpc.state,
      tags: { Name: other.name },
      used: 0,
      nextHost: 4,
    });
  }
}

/**
 * Lays out the VPC of one cluster as CAPA leaves it: VPC with its extra CIDRs, subnets, internet
 * gateway, NAT gateways, route tables, and the transit gateway attachment and peering the
 * scenario asks for. An adopted VPC exists already (made by a network team); a second cluster
 * adopting the same VPC only tags it.
 */
export function simulateNetwork(
  ctx: SimulationContext,
  region: RegionBuilder,
  plan: ClusterPlan,
): ClusterNetwork {
  const adopt = plan.resolved.request.spec.network.vpc.mode === 'adopt';
  const created = !adopt;
  const proposed = newVpc(ctx, plan, created);
  const known = region.vpcs.get(proposed.id);
  const vpc = known ?? proposed;
  if (!known) region.vpcs.set(vpc.id, vpc);
  vpc.tags[TAGS.capaCluster(plan.name)] = created ? 'owned' : 'shared';
  // A later cluster in an adopted VPC may know of more blocks than the first one did.
  for (const extra of plan.resolved.request.spec.network.vpc.extraCidrs) {
    if (!vpc.cidrs.some(c => cidrContains(c, extra))) vpc.cidrs.push(extra);
  }
  const subnets = addSubnets(ctx, plan, vpc, created);
  if (!known) addOtherSubnets(plan, vpc);
  if (!known) {
    addInternetGateway(ctx, region, plan, vpc, created);
    addNatGateways(ctx, region, plan, vpc, created);
  }
  const net = {
    vpc,
    created,
    transitGatewayAttachmentId: addTransitGatewayAttachment(
      ctx,
      region,
      plan,
      vpc,
      subnets,
    ),
    peeringConnectionId: addPeering(ctx, region, plan, vpc),
  };
  addRouteTables(ctx, region, plan, net, subnets);
  return { ...net, subnets };
}
