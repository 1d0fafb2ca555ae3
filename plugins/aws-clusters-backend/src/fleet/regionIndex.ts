import type {
  AwsRegionSnapshot,
  Tagged,
} from '@clusterdeck/plugin-aws-clusters-node';
import { AwsTags, taggedClusters } from './tags';

type Of<K extends keyof AwsRegionSnapshot> = AwsRegionSnapshot[K] extends Array<
  infer T
>
  ? T
  : never;

/** What one VPC holds, gathered once per refresh so that views never scan whole regions. */
export interface VpcResources {
  vpc: Of<'vpcs'>;
  subnets: Array<Of<'subnets'>>;
  routeTables: Array<Of<'routeTables'>>;
  natGateways: Array<Of<'natGateways'>>;
  internetGateways: Array<Of<'internetGateways'>>;
  transitGatewayAttachments: Array<Of<'transitGatewayAttachments'>>;
  peerings: Array<Of<'vpcPeeringConnections'>>;
  loadBalancers: Array<Tagged<Of<'loadBalancers'>>>;
  classicLoadBalancers: Array<Tagged<Of<'classicLoadBalancers'>>>;
}

/** One account and region's resources, indexed by the keys the join uses. */
export interface RegionIndex {
  snapshot: AwsRegionSnapshot;
  vpcs: Map<string, VpcResources>;
  /** VPC ids by the cluster names their tags name. */
  vpcsByCluster: Map<string, string[]>;
  subnets: Map<string, Of<'subnets'>>;
  securityGroups: Map<string, Of<'securityGroups'>>;
  autoScalingGroups: Map<string, Of<'autoScalingGroups'>>;
  activitiesByGroup: Map<string, Array<Of<'scalingActivities'>>>;
  instancesByCluster: Map<string, Array<Of<'instances'>>>;
  eksClusters: Map<string, Of<'eksClusters'>>;
  nodegroups: Map<string, Of<'eksNodegroups'>>;
}

function push<K, V>(map: Map<K, V[]>, key: K, value: V) {
  const list = map.get(key);
  if (list) list.push(value);
  else map.set(key, [value]);
}

/** Indexes one account and region. Linear in the number of resources. */
export function indexRegion(snapshot: AwsRegionSnapshot): RegionIndex {
  const vpcs = new Map<string, VpcResources>();
  const vpcsByCluster = new Map<string, string[]>();
  const at = (vpcId: string | undefined) =>
    vpcId ? vpcs.get(vpcId) : undefined;

  for (const vpc of snapshot.vpcs ?? []) {
    if (!vpc.VpcId) continue;
    vpcs.set(vpc.VpcId, {
      vpc,
      subnets: [],
      routeTables: [],
      natGateways: [],
      internetGateways: [],
      transitGatewayAttachments: [],
      peerings: [],
      loadBalancers: [],
      classicLoadBalancers: [],
    });
    for (const cluster of taggedClusters(vpc.Tags as AwsTags))
      push(vpcsByCluster, cluster, vpc.VpcId);
  }
  for (const subnet of snapshot.subnets ?? [])
    at(subnet.VpcId)?.subnets.push(subnet);
  for (const table of snapshot.routeTables ?? [])
    at(table.VpcId)?.routeTables.push(table);
  for (const nat of snapshot.natGateways ?? [])
    at(nat.VpcId)?.natGateways.push(nat);
  for (const igw of snapshot.internetGateways ?? []) {
    for (const attachment of igw.Attachments ?? [])
      at(attachment.VpcId)?.internetGateways.push(igw);
  }
  for (const attachment of snapshot.transitGatewayAttachments ?? [])
    at(attachment.VpcId)?.transitGatewayAttachments.push(attachment);
  for (const peering of snapshot.vpcPeeringConnections ?? []) {
    const requester = at(peering.RequesterVpcInfo?.VpcId);
    const accepter = at(peering.AccepterVpcInfo?.VpcId);
    requester?.peerings.push(peering);
    if (accepter && accepter !== requester) accepter.peerings.push(peering);
  }
  for (const lb of snapshot.loadBalancers ?? [])
    at(lb.VpcId)?.loadBalancers.push(lb);
  for (const lb of snapshot.classicLoadBalancers ?? [])
    at(lb.VPCId)?.classicLoadBalancers.push(lb);

  const subnets = new Map(
    (snapshot.subnets ?? []).filter(s => s.SubnetId).map(s => [s.SubnetId!, s]),
  );
  const securityGroups = new Map(
    (snapshot.securityGroups ?? [])
      .filter(g => g.GroupId)
      .map(g => [g.GroupId!, g]),
  );
  const autoScalingGroups = new Map(
    (snapshot.autoScalingGroups ?? [])
      .filter(g => g.AutoScalingGroupName)
      .map(g => [g.AutoScalingGroupName!, g]),
  );
  const activitiesByGroup = new Map<string, Array<Of<'scalingActivities'>>>();
  for (const activity of snapshot.scalingActivities ?? []) {
    if (activity.AutoScalingGroupName)
      push(activitiesByGroup, activity.AutoScalingGroupName, activity);
  }
  const instancesByCluster = new Map<string, Array<Of<'instances'>>>();
  for (const instance of snapshot.instances ?? []) {
    for (const cluster of taggedClusters(instance.Tags as AwsTags))
      push(instancesByCluster, cluster, instance);
  }
  const eksClusters = new Map(
    (snapshot.eksClusters ?? []).filter(c => c.name).map(c => [c.name!, c]),
  );
  const nodegroups = new Map(
    (snapshot.eksNodegroups ?? [])
      .filter(n => n.nodegroupName)
      .map(n => [`${n.clusterName}/${n.nodegroupName}`, n]),
  );
  return {
    snapshot,
    vpcs,
    vpcsByCluster,
    subnets,
    securityGroups,
    autoScalingGroups,
    activitiesByGroup,
    instancesByCluster,
    eksClusters,
    nodegroups,
  };
}

/**
 * The instances tagged for a cluster under any name it goes by (its Cluster name and, on EKS, the
 * EKS cluster's, which Karpenter and EKS tag their instances with), each once.
 */
export function clusterInstances(
  region: RegionIndex | undefined,
  names: Array<string | undefined>,
): Array<Of<'instances'>> {
  const seen = new Set<unknown>();
  return [...new Set(names)].flatMap(name =>
    (name ? region?.instancesByCluster.get(name) ?? [] : []).filter(i => {
      const key = i.InstanceId ?? i;
      if (seen.has(key)) return false;
      seen.add(key);
      return true;
    }),
  );
}
