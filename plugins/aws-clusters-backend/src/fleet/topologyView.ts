import type {
  LoadBalancerView,
  SubnetView,
  TopologyView,
} from '@clusterdeck/plugin-aws-clusters-common';
import type { ClusterRecord } from './buildFleetModel';
import { clusterLoadBalancers } from './loadBalancers';
import type { VpcResources } from './regionIndex';
import { CAPA_ROLE_TAG, SECONDARY_SUBNET_TAG, tagMap } from './tags';

const CAPA_CLUSTER_TAG = 'sigs.k8s.io/cluster-api-provider-aws/cluster/';

type RouteTable = VpcResources['routeTables'][number];
type Route = NonNullable<RouteTable['Routes']>[number];

function routeTarget(
  route: Route,
):
  | { target: NonNullable<SubnetView['defaultRoute']>['target']; id: string }
  | undefined {
  if (route.GatewayId?.startsWith('igw-'))
    return { target: 'internet-gateway', id: route.GatewayId };
  if (route.NatGatewayId)
    return { target: 'nat-gateway', id: route.NatGatewayId };
  if (route.TransitGatewayId)
    return { target: 'transit-gateway', id: route.TransitGatewayId };
  if (route.VpcPeeringConnectionId)
    return { target: 'peering', id: route.VpcPeeringConnectionId };
  const other = route.GatewayId ?? route.NetworkInterfaceId ?? route.InstanceId;
  return other && other !== 'local'
    ? { target: 'other', id: other }
    : undefined;
}

function tableOf(vpc: VpcResources, subnetId: string): RouteTable | undefined {
  return (
    vpc.routeTables.find(t =>
      t.Associations?.some(a => a.SubnetId === subnetId),
    ) ?? vpc.routeTables.find(t => t.Associations?.some(a => a.Main))
  );
}

function subnetView(
  vpc: VpcResources,
  subnet: VpcResources['subnets'][number],
): SubnetView {
  const tags = tagMap(subnet.Tags);
  const table = tableOf(vpc, subnet.SubnetId ?? '');
  const routes = (table?.Routes ?? []).filter(
    r => r.DestinationCidrBlock && r.GatewayId !== 'local',
  );
  const defaultRoute = routes.find(r => r.DestinationCidrBlock === '0.0.0.0/0');
  let role: SubnetView['role'] = 'private';
  if (tags[SECONDARY_SUBNET_TAG] === 'secondary') role = 'pod';
  else if (
    tags[CAPA_ROLE_TAG] === 'public' ||
    subnet.MapPublicIpOnLaunch ||
    defaultRoute?.GatewayId?.startsWith('igw-')
  )
    role = 'public';
  const prefix = Number((subnet.CidrBlock ?? '/32').split('/')[1]);
  return {
    id: subnet.SubnetId ?? '',
    cidr: subnet.CidrBlock ?? '',
    availabilityZone: subnet.AvailabilityZone ?? '',
    role,
    totalAddresses: 2 ** (32 - prefix),
    availableAddresses: subnet.AvailableIpAddressCount,
    defaultRoute: defaultRoute ? routeTarget(defaultRoute) : undefined,
    routes: routes
      .filter(r => r.DestinationCidrBlock !== '0.0.0.0/0')
      .map(r => ({
        destination: r.DestinationCidrBlock!,
        target: routeTarget(r)?.id ?? 'unknown',
      })),
    tags,
  };
}

function loadBalancers(
  cluster: ClusterRecord,
  vpc: VpcResources,
): LoadBalancerView[] {
  const names = [
    ...new Set([
      cluster.name,
      ...(cluster.eksClusterName ? [cluster.eksClusterName] : []),
    ]),
  ];
  return clusterLoadBalancers(vpc, names).map(({ raw: _raw, ...view }) => view);
}

function nodePools(
  cluster: ClusterRecord,
  subnets: SubnetView[],
): TopologyView['nodePools'] {
  return cluster.pools.map(pool => {
    const s = pool.state;
    return {
      name: pool.name,
      kind: pool.kind,
      availabilityZones: s.zones.length
        ? s.zones
        : [
            ...new Set(
              subnets
                .filter(x => s.subnetIds.includes(x.id))
                .map(x => x.availabilityZone),
            ),
          ],
      subnetIds: s.subnetIds,
      instances: s.current,
    };
  });
}

/**
 * Whether a subnet is the cluster's: named in its network spec (by AWS id, as adopted subnets
 * are and as CAPA writes back `resourceID`), or created by CAPA for it. Other subnets of an
 * adopted VPC are the VPC's.
 */
export function clusterSubnetIds(
  cluster: ClusterRecord,
  vpc: VpcResources,
): Set<string> {
  const ids = new Set<string>();
  for (const subnet of cluster.infrastructure?.spec?.network?.subnets ?? []) {
    if (subnet?.resourceID) ids.add(subnet.resourceID);
    if (typeof subnet?.id === 'string' && subnet.id.startsWith('subnet-'))
      ids.add(subnet.id);
  }
  for (const subnet of vpc.subnets) {
    if (
      subnet.SubnetId &&
      tagMap(subnet.Tags)[`${CAPA_CLUSTER_TAG}${cluster.name}`] === 'owned'
    )
      ids.add(subnet.SubnetId);
  }
  if (ids.size === 0 && vpcOwnedBy(cluster, vpc)) {
    for (const subnet of vpc.subnets)
      if (subnet.SubnetId) ids.add(subnet.SubnetId);
  }
  return ids;
}

/** Whether CAPA created the VPC for this cluster (else it was adopted). */
export function vpcOwnedBy(cluster: ClusterRecord, vpc: VpcResources): boolean {
  return tagMap(vpc.vpc.Tags)[`${CAPA_CLUSTER_TAG}${cluster.name}`] === 'owned';
}

/** A cluster's network topology, from the VPC CAPA made or adopted for it. */
export function topologyView(
  cluster: ClusterRecord,
  clusterSummaryEndpoint?: string,
): TopologyView {
  const vpc = cluster.vpc;
  const byZone = (a: SubnetView, b: SubnetView) =>
    a.availabilityZone.localeCompare(b.availabilityZone) ||
    a.role.localeCompare(b.role);
  const mine = vpc ? clusterSubnetIds(cluster, vpc) : new Set<string>();
  const subnets = vpc
    ? vpc.subnets
        .filter(s => mine.has(s.SubnetId ?? ''))
        .map(s => subnetView(vpc, s))
        .sort(byZone)
    : [];
  const otherSubnets = vpc
    ? vpc.subnets
        .filter(s => !mine.has(s.SubnetId ?? ''))
        .map(s => subnetView(vpc, s))
        .sort(byZone)
    : [];
  const podSubnets = subnets.filter(s => s.role === 'pod');
  const clusterNetwork = cluster.cluster.spec?.clusterNetwork;
  const cidrs = vpc
    ? [
        vpc.vpc.CidrBlock,
        ...(vpc.vpc.CidrBlockAssociationSet ?? []).map(a => a.CidrBlock),
      ].filter((c, i, all): c is string => !!c && all.indexOf(c) === i)
    : [];
  const tgwRoutes = (tgwId: string) => [
    ...new Set(
      subnets.flatMap(s =>
        s.routes.filter(r => r.target === tgwId).map(r => r.destination),
      ),
    ),
  ];
  return {
    cluster: cluster.ref,
    accountId: cluster.accountId,
    region: cluster.region,
    vpc: vpc
      ? {
          id: vpc.vpc.VpcId!,
          cidrs,
          adopted: !vpcOwnedBy(cluster, vpc),
          state: vpc.vpc.State,
        }
      : undefined,
    internetGateway: vpc?.internetGateways[0]?.InternetGatewayId
      ? { id: vpc.internetGateways[0].InternetGatewayId }
      : undefined,
    availabilityZones: [
      ...new Set(subnets.map(s => s.availabilityZone)),
    ].sort(),
    subnets,
    ...(otherSubnets.length ? { otherSubnets } : {}),
    natGateways: (vpc?.natGateways ?? [])
      .filter(n => n.State !== 'deleted')
      .map(n => ({
        id: n.NatGatewayId ?? '',
        subnetId: n.SubnetId ?? '',
        availabilityZone: subnets.find(s => s.id === n.SubnetId)
          ?.availabilityZone,
        publicIp: n.NatGatewayAddresses?.[0]?.PublicIp,
        state: n.State,
      })),
    transitGatewayAttachments: (vpc?.transitGatewayAttachments ?? []).map(
      a => ({
        id: a.TransitGatewayAttachmentId ?? '',
        transitGatewayId: a.TransitGatewayId ?? '',
        state: a.State,
        subnetIds: a.SubnetIds ?? [],
        routes: tgwRoutes(a.TransitGatewayId ?? ''),
      }),
    ),
    peerings: (vpc?.peerings ?? []).map(p => {
      const peer =
        p.RequesterVpcInfo?.VpcId === vpc?.vpc.VpcId
          ? p.AccepterVpcInfo
          : p.RequesterVpcInfo;
      return {
        id: p.VpcPeeringConnectionId ?? '',
        peerVpcId: peer?.VpcId,
        peerAccountId: peer?.OwnerId,
        peerCidrs: [
          peer?.CidrBlock,
          ...(peer?.CidrBlockSet ?? []).map(c => c.CidrBlock),
        ].filter((c, i, all): c is string => !!c && all.indexOf(c) === i),
        status: p.Status?.Code,
        routes: [
          ...new Set(
            subnets.flatMap(s =>
              s.routes
                .filter(r => r.target === p.VpcPeeringConnectionId)
                .map(r => r.destination),
            ),
          ),
        ],
      };
    }),
    loadBalancers: vpc ? loadBalancers(cluster, vpc) : [],
    nodePools: nodePools(cluster, subnets),
    controlPlane: {
      kind: cluster.flavor === 'eks' ? 'eks' : 'kubeadm',
      endpoint: clusterSummaryEndpoint,
      apiMode: cluster.api.apiMode,
      exposure: cluster.api.exposure,
      allowedCidrs: cluster.api.allowedCidrs,
      ...(cluster.api.requestedCidrs
        ? { requestedCidrs: cluster.api.requestedCidrs }
        : {}),
      ...(cluster.api.note ? { exposureNote: cluster.api.note } : {}),
    },
    cni: {
      mode: podSubnets.length > 0 ? 'eni' : 'overlay',
      podCidrs:
        podSubnets.length > 0
          ? podSubnets.map(s => s.cidr)
          : clusterNetwork?.pods?.cidrBlocks ?? [],
    },
  };
}
