import type { LoadBalancerView, SubnetView, TopologyView } from '@clusterdeck/plugin-aws-clusters-common';
import type { ClusterRecord } from './buildFleetModel';
import type { VpcResources } from './regionIndex';
import { CAPA_ROLE_TAG, SECONDARY_SUBNET_TAG, SERVICE_NAME_TAG, tagMap, taggedClusters } from './tags';

type RouteTable = VpcResources['routeTables'][number];
type Route = NonNullable<RouteTable['Routes']>[number];

function routeTarget(route: Route): { target: NonNullable<SubnetView['defaultRoute']>['target']; id: string } | undefined {
  if (route.GatewayId?.startsWith('igw-')) return { target: 'internet-gateway', id: route.GatewayId };
  if (route.NatGatewayId) return { target: 'nat-gateway', id: route.NatGatewayId };
  if (route.TransitGatewayId) return { target: 'transit-gateway', id: route.TransitGatewayId };
  if (route.VpcPeeringConnectionId) return { target: 'peering', id: route.VpcPeeringConnectionId };
  const other = route.GatewayId ?? route.NetworkInterfaceId ?? route.InstanceId;
  return other && other !== 'local' ? { target: 'other', id: other } : undefined;
}

function tableOf(vpc: VpcResources, subnetId: string): RouteTable | undefined {
  return (
    vpc.routeTables.find(t => t.Associations?.some(a => a.SubnetId === subnetId)) ??
    vpc.routeTables.find(t => t.Associations?.some(a => a.Main))
  );
}

function subnetView(vpc: VpcResources, subnet: VpcResources['subnets'][number]): SubnetView {
  const tags = tagMap(subnet.Tags);
  const table = tableOf(vpc, subnet.SubnetId ?? '');
  const routes = (table?.Routes ?? []).filter(r => r.DestinationCidrBlock && r.GatewayId !== 'local');
  const defaultRoute = routes.find(r => r.DestinationCidrBlock === '0.0.0.0/0');
  const role: SubnetView['role'] =
    tags[SECONDARY_SUBNET_TAG] === 'secondary'
      ? 'pod'
      : tags[CAPA_ROLE_TAG] === 'public' || subnet.MapPublicIpOnLaunch || defaultRoute?.GatewayId?.startsWith('igw-')
        ? 'public'
        : 'private';
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
      .map(r => ({ destination: r.DestinationCidrBlock!, target: routeTarget(r)?.id ?? 'unknown' })),
    tags,
  };
}

function loadBalancers(cluster: ClusterRecord, vpc: VpcResources): LoadBalancerView[] {
  const mine = (tags: Record<string, string>) => taggedClusters(tags).includes(cluster.name);
  const v2 = vpc.loadBalancers
    .map(lb => ({ lb, tags: tagMap(lb.Tags) }))
    .filter(({ tags }) => mine(tags))
    .map(({ lb, tags }) => ({
      name: lb.LoadBalancerName ?? '',
      arn: lb.LoadBalancerArn,
      type: (lb.Type ?? 'application') as LoadBalancerView['type'],
      scheme: (lb.Scheme ?? 'internet-facing') as LoadBalancerView['scheme'],
      dnsName: lb.DNSName,
      subnetIds: (lb.AvailabilityZones ?? []).map(z => z.SubnetId ?? '').filter(Boolean),
      target: tags[CAPA_ROLE_TAG] === 'apiserver' ? 'apiserver' : tags[SERVICE_NAME_TAG] ?? 'unknown',
      state: lb.State?.Code,
    }));
  const classic = vpc.classicLoadBalancers
    .map(lb => ({ lb, tags: tagMap(lb.Tags) }))
    .filter(({ tags }) => mine(tags))
    .map(({ lb, tags }) => ({
      name: lb.LoadBalancerName ?? '',
      type: 'classic' as const,
      scheme: (lb.Scheme ?? 'internet-facing') as LoadBalancerView['scheme'],
      dnsName: lb.DNSName,
      subnetIds: lb.Subnets ?? [],
      target: tags[CAPA_ROLE_TAG] === 'apiserver' ? 'apiserver' : tags[SERVICE_NAME_TAG] ?? 'unknown',
    }));
  return [...v2, ...classic];
}

function nodePools(cluster: ClusterRecord, subnets: SubnetView[]): TopologyView['nodePools'] {
  const instances = cluster.region_?.instancesByCluster.get(cluster.name) ?? [];
  return cluster.pools.map(pool => {
    const group = cluster.region_?.autoScalingGroups.get(`${cluster.name}-${pool.name}`);
    const nodegroup = cluster.region_?.nodegroups.get(`${cluster.controlPlane?.spec?.eksClusterName ?? cluster.name}/${pool.infrastructure?.spec?.eksNodegroupName ?? ''}`);
    const poolInstances = instances.filter(i => {
      const tags = tagMap(i.Tags);
      return (
        tags['karpenter.sh/nodepool'] === pool.infrastructure?.metadata.name ||
        tags['aws:autoscaling:groupName'] === group?.AutoScalingGroupName ||
        (nodegroup && tags['eks:nodegroup-name'] === nodegroup.nodegroupName)
      );
    });
    const subnetIds = group?.VPCZoneIdentifier
      ? group.VPCZoneIdentifier.split(',').filter(Boolean)
      : nodegroup?.subnets ?? [...new Set(poolInstances.map(i => i.SubnetId ?? '').filter(Boolean))];
    const zones: string[] =
      group?.AvailabilityZones ??
      pool.infrastructure?.spec?.availabilityZones ??
      [...new Set(subnets.filter(s => subnetIds.includes(s.id)).map(s => s.availabilityZone))];
    return {
      name: pool.name,
      kind: pool.kind,
      availabilityZones: zones,
      subnetIds,
      instances: group?.Instances?.length ?? poolInstances.length,
    };
  });
}

/** A cluster's network topology, from the VPC CAPA made or adopted for it. */
export function topologyView(cluster: ClusterRecord, clusterSummaryEndpoint?: string): TopologyView {
  const vpc = cluster.vpc;
  const spec = cluster.infrastructure?.spec ?? {};
  const subnets = vpc ? vpc.subnets.map(s => subnetView(vpc, s)).sort((a, b) => a.availabilityZone.localeCompare(b.availabilityZone) || a.role.localeCompare(b.role)) : [];
  const podSubnets = subnets.filter(s => s.role === 'pod');
  const clusterNetwork = cluster.cluster.spec?.clusterNetwork;
  const allowedCidrs: string[] =
    cluster.flavor === 'eks'
      ? spec.endpointAccess?.publicCIDRs ?? []
      : (spec.controlPlaneLoadBalancer?.ingressRules ?? []).flatMap((r: any) => r.cidrBlocks ?? []);
  const apiMode = cluster.flavor === 'eks' ? (spec.endpointAccess?.public === false ? 'private' : 'public') : spec.controlPlaneLoadBalancer?.scheme === 'internal' ? 'private' : 'public';
  const cidrs = vpc
    ? [vpc.vpc.CidrBlock, ...(vpc.vpc.CidrBlockAssociationSet ?? []).map(a => a.CidrBlock)].filter((c, i, all): c is string => !!c && all.indexOf(c) === i)
    : [];
  const tgwRoutes = (tgwId: string) => [...new Set(subnets.flatMap(s => s.routes.filter(r => r.target === tgwId).map(r => r.destination)))];
  return {
    cluster: cluster.ref,
    accountId: cluster.accountId,
    region: cluster.region,
    vpc: vpc ? { id: vpc.vpc.VpcId!, cidrs, adopted: !vpc.vpc.Tags?.some(t => t.Value === 'owned'), state: vpc.vpc.State } : undefined,
    internetGateway: vpc?.internetGateways[0]?.InternetGatewayId ? { id: vpc.internetGateways[0].InternetGatewayId } : undefined,
    availabilityZones: [...new Set(subnets.map(s => s.availabilityZone))].sort(),
    subnets,
    natGateways: (vpc?.natGateways ?? [])
      .filter(n => n.State !== 'deleted')
      .map(n => ({
        id: n.NatGatewayId ?? '',
        subnetId: n.SubnetId ?? '',
        availabilityZone: subnets.find(s => s.id === n.SubnetId)?.availabilityZone,
        publicIp: n.NatGatewayAddresses?.[0]?.PublicIp,
        state: n.State,
      })),
    transitGatewayAttachments: (vpc?.transitGatewayAttachments ?? []).map(a => ({
      id: a.TransitGatewayAttachmentId ?? '',
      transitGatewayId: a.TransitGatewayId ?? '',
      state: a.State,
      subnetIds: a.SubnetIds ?? [],
      routes: tgwRoutes(a.TransitGatewayId ?? ''),
    })),
    peerings: (vpc?.peerings ?? []).map(p => {
      const peer = p.RequesterVpcInfo?.VpcId === vpc?.vpc.VpcId ? p.AccepterVpcInfo : p.RequesterVpcInfo;
      return {
        id: p.VpcPeeringConnectionId ?? '',
        peerVpcId: peer?.VpcId,
        peerAccountId: peer?.OwnerId,
        peerCidrs: [peer?.CidrBlock, ...(peer?.CidrBlockSet ?? []).map(c => c.CidrBlock)].filter((c, i, all): c is string => !!c && all.indexOf(c) === i),
        status: p.Status?.Code,
        routes: [...new Set(subnets.flatMap(s => s.routes.filter(r => r.target === p.VpcPeeringConnectionId).map(r => r.destination)))],
      };
    }),
    loadBalancers: vpc ? loadBalancers(cluster, vpc) : [],
    nodePools: nodePools(cluster, subnets),
    controlPlane: {
      kind: cluster.flavor === 'eks' ? 'eks' : 'kubeadm',
      endpoint: clusterSummaryEndpoint,
      apiMode,
      allowedCidrs,
    },
    cni: {
      mode: podSubnets.length > 0 ? 'eni' : 'overlay',
      podCidrs: podSubnets.length > 0 ? podSubnets.map(s => s.cidr) : clusterNetwork?.pods?.cidrBlocks ?? [],
    },
  };
}
