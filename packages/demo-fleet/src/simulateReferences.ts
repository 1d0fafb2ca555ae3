import type { AvailabilityZone, TransitGateway } from '@aws-sdk/client-ec2';
import type { ClusterVersionInformation } from '@aws-sdk/client-eks';
import type {
  AwsRegionSnapshot,
  KubeObject,
} from '@clusterdeck/plugin-aws-clusters-node';
import type {
  FleetDefinition,
  FleetEksVersion,
  FleetRelease,
} from './fleetDefinition';
import { kubeTime } from './simulateObjects';
import { SimulationContext, sdkTime, zoneId } from './simulationContext';
import { tagList } from './tags';

// Every region the simulation knows has at least these zones, as the demo's regions do.
const ZONE_LETTERS = ['a', 'b', 'c'];
const DAY = 86_400_000;

/**
 * DescribeAvailabilityZones of one account region: zones a to c and any other zone its subnets
 * use, each up and of type `availability-zone` (the collector asks for no other).
 */
function availabilityZones(region: AwsRegionSnapshot): AvailabilityZone[] {
  const names = new Set([
    ...ZONE_LETTERS.map(letter => `${region.region}${letter}`),
    ...region.subnets.flatMap(s =>
      s.AvailabilityZone ? [s.AvailabilityZone] : [],
    ),
  ]);
  return [...names].sort().map(name => ({
    OptInStatus: 'opt-in-not-required',
    Messages: [],
    RegionName: region.region,
    ZoneName: name,
    ZoneId: zoneId(name),
    GroupName: region.region,
    NetworkBorderGroup: region.region,
    ZoneType: 'availability-zone',
    State: 'available',
  }));
}

/** Lists each transit gateway in its owner's region and in those of the accounts it is shared with. */
function addTransitGateways(
  ctx: SimulationContext,
  definition: FleetDefinition,
  regions: Map<string, AwsRegionSnapshot>,
) {
  for (const tgw of definition.transitGateways ?? []) {
    const accounts = [tgw.ownerAccountId, ...(tgw.sharedWith ?? [])];
    const listing = accounts.flatMap(a => {
      const region = regions.get(`${a}/${tgw.region}`);
      return region ? [region] : [];
    });
    if (listing.length === 0) {
      throw new Error(
        `transit gateway ${tgw.id}: none of the accounts ${accounts.join(
          ', ',
        )} has region ${tgw.region} in the fleet definition`,
      );
    }
    const routeTable = ctx.ids.aws('tgw-rtb', tgw.id);
    const gateway: TransitGateway = {
      TransitGatewayId: tgw.id,
      TransitGatewayArn: `arn:aws:ec2:${tgw.region}:${tgw.ownerAccountId}:transit-gateway/${tgw.id}`,
      State: 'available',
      OwnerId: tgw.ownerAccountId,
      Description: tgw.name,
      CreationTime: sdkTime(ctx.ago(700 * DAY)),
      Options: {
        AmazonSideAsn: 64512,
        AutoAcceptSharedAttachments: 'disable',
        DefaultRouteTableAssociation: 'enable',
        AssociationDefaultRouteTableId: routeTable,
        DefaultRouteTablePropagation: 'enable',
        PropagationDefaultRouteTableId: routeTable,
        VpnEcmpSupport: 'enable',
        DnsSupport: 'enable',
        MulticastSupport: 'disable',
      },
      Tags: tagList({ Name: tgw.name }),
    };
    for (const region of listing) region.transitGateways.push({ ...gateway });
  }
}

/** DescribeClusterVersions' answer, recorded once per refresh as the collector records it. */
function clusterVersions(
  versions: FleetEksVersion[],
): ClusterVersionInformation[] {
  return versions.map(v => ({
    clusterVersion: v.version,
    clusterType: 'eks',
    status: v.status.toLowerCase().replace('_', '-') as
      | 'standard-support'
      | 'extended-support'
      | 'unsupported',
    versionStatus: v.status,
  }));
}

/**
 * Fills in what AWS reports about what a request may name, after the clusters are simulated:
 * zones in every account region, transit gateways to their owners and the accounts they are
 * shared with, and the EKS versions in the first region with EKS clusters (else the first
 * region), as the collector reads them once per refresh.
 */
export function simulateAwsReferences(
  ctx: SimulationContext,
  definition: FleetDefinition,
  aws: AwsRegionSnapshot[],
) {
  for (const region of aws)
    region.availabilityZones = availabilityZones(region);
  addTransitGateways(
    ctx,
    definition,
    new Map(aws.map(r => [`${r.accountId}/${r.region}`, r])),
  );
  const eksRegion = aws.find(r => r.eksClusters.length > 0) ?? aws[0];
  if (definition.eksVersions?.length && eksRegion)
    eksRegion.eksClusterVersions = clusterVersions(definition.eksVersions);
}

/** Giant Swarm's `Release` objects one management cluster holds. */
export function releaseObjects(
  ctx: SimulationContext,
  mc: string,
  releases: FleetRelease[],
  createdAt: number,
): KubeObject[] {
  return releases
    .filter(r => !r.managementClusters || r.managementClusters.includes(mc))
    .map(release => ({
      apiVersion: 'release.giantswarm.io/v1alpha1',
      kind: 'Release',
      metadata: {
        name: `aws-${release.version}`,
        uid: ctx.ids.uuid(`${mc}/Release/${release.version}`),
        creationTimestamp: kubeTime(createdAt),
      },
      spec: {
        apps: [],
        components: [],
        date: kubeTime(createdAt),
        state: release.state ?? 'active',
      },
    }));
}
