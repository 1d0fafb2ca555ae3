import type {
  AccountReference,
  FleetReferences,
  ManagementClusterReference,
  RoleIdentityReference,
  TransitGatewayReference,
} from './fleetReferences';

/**
 * The references the platform team configures (`clusterdeck.references`): releases (EC2) and
 * EKS releases per management cluster, EKS versions and zones per region, used where the fleet's
 * sources recorded none; transit gateways per account, added to those AWS reports.
 * @public
 */
export interface ConfiguredReferences {
  releases?: Record<string, string[]>;
  eksReleases?: Record<string, string[]>;
  eksVersions?: string[];
  zones?: Record<string, string[]>;
  transitGateways?: Record<string, TransitGatewayReference[]>;
}

/**
 * The parts of a recorded fleet the references come from, in the shapes the sources produce
 * (AWS SDK outputs: `DescribeAvailabilityZones`, `DescribeTransitGateways`,
 * `DescribeTransitGatewayVpcAttachments`, EKS `DescribeClusterVersions`; management-cluster
 * objects as served: `AWSClusterRoleIdentity`, Giant Swarm's `Release`).
 * @public
 */
export interface ReferenceSnapshot {
  aws: Array<{
    accountId: string;
    region: string;
    availabilityZones?: Array<{
      ZoneName?: string;
      ZoneId?: string;
      ZoneType?: string;
      State?: string;
    }>;
    transitGateways?: Array<{
      TransitGatewayId?: string;
      OwnerId?: string;
      State?: string;
      Tags?: Array<{ Key?: string; Value?: string }>;
    }>;
    transitGatewayAttachments?: Array<{
      TransitGatewayId?: string;
      TransitGatewayOwnerId?: string;
      State?: string;
    }>;
    eksClusterVersions?: Array<{
      clusterVersion?: string;
      clusterType?: string;
      versionStatus?: string;
      status?: string;
    }>;
  }>;
  managementClusters: Array<{
    name: string;
    objects: {
      awsClusterRoleIdentities?: Array<{
        metadata: { name: string };
        spec?: any;
      }>;
      releases?: Array<{
        metadata: { name: string };
        spec?: any;
      }>;
    };
  }>;
}

/** @public What {@link buildFleetReferences} reads. */
export interface FleetReferenceSources {
  accounts: AccountReference[];
  managementClusters: Array<{
    name: string;
    region: string;
    accountId: string;
    /** The environment whose clusters it runs; else its own account's environment. */
    environment?: string;
  }>;
  snapshot: ReferenceSnapshot;
  configured?: ConfiguredReferences;
}

// Attachments in these states connect nothing.
const GONE = new Set([
  'deleting',
  'deleted',
  'failed',
  'failing',
  'rejected',
  'rejecting',
]);
/**
 * Giant Swarm names the releases of its AWS (CAPA, cluster-aws) provider `aws-<version>` and
 * those of EKS (cluster-eks) `eks-<version>`.
 */
const RELEASE_PREFIX = { ec2: 'aws-', eks: 'eks-' } as const;
/** EKS versions a new cluster may still be created with. */
const SUPPORTED_EKS = new Set([
  'STANDARD_SUPPORT',
  'EXTENDED_SUPPORT',
  'standard-support',
  'extended-support',
]);

function roleIdentity(object: {
  metadata: { name: string };
  spec?: any;
}): RoleIdentityReference {
  const spec = object.spec ?? {};
  return {
    name: object.metadata.name,
    roleARN: typeof spec.roleARN === 'string' ? spec.roleARN : '',
    allowedNamespaces: spec.allowedNamespaces ?? undefined,
    ...(spec.sourceIdentityRef
      ? { sourceIdentityRef: spec.sourceIdentityRef }
      : {}),
  };
}

/** Newest first, by the numbers of each dotted part (`31.10.0` after `31.9.1`). */
function newestFirst(versions: Iterable<string>): string[] {
  const parts = (v: string) => v.split(/[.-]/).map(p => Number(p));
  return [...new Set(versions)].sort((a, b) => {
    const pa = parts(a);
    const pb = parts(b);
    for (let i = 0; i < Math.max(pa.length, pb.length); i++) {
      const d = (pb[i] ?? -1) - (pa[i] ?? -1);
      if (d && !Number.isNaN(d)) return d;
    }
    return b.localeCompare(a);
  });
}

/**
 * The platform releases a management cluster offers to one flavor from its `Release` objects:
 * those named for the flavor's provider that are not deprecated, by version. Undefined when it
 * has none of that flavor at all (not read, no Release CRD, or no such provider), so that
 * configuration decides.
 */
function recordedReleases(
  objects: Array<{ metadata: { name: string }; spec?: any }> | undefined,
  flavor: keyof typeof RELEASE_PREFIX,
): string[] | undefined {
  const prefix = RELEASE_PREFIX[flavor];
  const ofFlavor = (objects ?? []).filter(o =>
    o.metadata.name.startsWith(prefix),
  );
  if (ofFlavor.length === 0) return undefined;
  return newestFirst(
    ofFlavor
      .filter(o => o.spec?.state !== 'deprecated')
      .map(o => o.metadata.name.slice(prefix.length)),
  );
}

/** The EKS versions in support from every recording, or undefined where nothing was recorded. */
function recordedEksVersions(
  regions: ReferenceSnapshot['aws'],
): string[] | undefined {
  const recorded = regions.flatMap(r => r.eksClusterVersions ?? []);
  if (recorded.length === 0) return undefined;
  return newestFirst(
    recorded
      .filter(
        v =>
          v.clusterVersion &&
          (!v.clusterType || v.clusterType === 'eks') &&
          SUPPORTED_EKS.has(v.versionStatus ?? v.status ?? ''),
      )
      .map(v => v.clusterVersion!),
  );
}

/** Zone names per region as the accounts see them, for the regions where any were recorded. */
function recordedZones(
  regions: ReferenceSnapshot['aws'],
): Record<string, string[]> {
  const zones = new Map<string, Set<string>>();
  for (const r of regions) {
    for (const zone of r.availabilityZones ?? []) {
      if (!zone.ZoneName) continue;
      if (zone.State && zone.State !== 'available') continue;
      if (zone.ZoneType && zone.ZoneType !== 'availability-zone') continue;
      if (!zones.has(r.region)) zones.set(r.region, new Set());
      zones.get(r.region)!.add(zone.ZoneName);
    }
  }
  return Object.fromEntries(
    [...zones].map(([region, names]) => [region, [...names].sort()]),
  );
}

/**
 * Whether a VPC of the account is attached: known true from an attachment, trusted when
 * configured (undefined), false when AWS only says the account may attach to it.
 */
function mergedAttached(a: boolean | undefined, b: boolean | undefined) {
  if (a === true || b === true) return true;
  if (a === undefined || b === undefined) return undefined;
  return false;
}

/**
 * Builds the references from configuration and a recorded fleet: role identities from the
 * management clusters' `AWSClusterRoleIdentity` objects; releases per flavor from their `Release`
 * objects (`aws-*` for EC2, `eks-*` for EKS);
 * zones, transit gateways (owned by the account or shared with it) and EKS versions as AWS
 * reported them; configuration where nothing was recorded (and configured transit gateways
 * besides). The backend and the command line build them alike.
 * @public
 */
export function buildFleetReferences(
  sources: FleetReferenceSources,
): FleetReferences {
  const { accounts, snapshot, configured = {} } = sources;
  const identitiesOf = new Map(
    snapshot.managementClusters.map(mc => [
      mc.name,
      (mc.objects.awsClusterRoleIdentities ?? []).map(roleIdentity),
    ]),
  );
  const releasesOf = new Map(
    snapshot.managementClusters.map(mc => [mc.name, mc.objects.releases]),
  );
  const eksVersions =
    recordedEksVersions(snapshot.aws) ?? configured.eksVersions;
  const managementClusters: ManagementClusterReference[] =
    sources.managementClusters.map(mc => {
      const identities = identitiesOf.get(mc.name);
      const releases =
        recordedReleases(releasesOf.get(mc.name), 'ec2') ??
        configured.releases?.[mc.name];
      const eksReleases =
        recordedReleases(releasesOf.get(mc.name), 'eks') ??
        configured.eksReleases?.[mc.name];
      const environment =
        mc.environment ??
        accounts.find(a => a.id === mc.accountId)?.environment;
      return {
        name: mc.name,
        region: mc.region,
        accountId: mc.accountId,
        ...(environment ? { environment } : {}),
        ...(identities ? { roleIdentities: identities } : {}),
        ...(releases ? { releases } : {}),
        ...(eksReleases ? { eksReleases } : {}),
        ...(eksVersions ? { eksVersions } : {}),
      };
    });

  const transitGateways: Record<string, TransitGatewayReference[]> = {};
  const addGateway = (accountId: string, gateway: TransitGatewayReference) => {
    const list = (transitGateways[accountId] ??= []);
    const known = list.find(t => t.id === gateway.id);
    if (!known) {
      list.push({ ...gateway });
      return;
    }
    known.name ??= gateway.name;
    known.region ??= gateway.region;
    known.ownerAccountId ??= gateway.ownerAccountId;
    const attached = mergedAttached(known.attached, gateway.attached);
    if (attached === undefined) delete known.attached;
    else known.attached = attached;
  };
  for (const [accountId, gateways] of Object.entries(
    configured.transitGateways ?? {},
  )) {
    for (const gateway of gateways) addGateway(accountId, gateway);
  }
  for (const region of snapshot.aws) {
    for (const tgw of region.transitGateways ?? []) {
      if (!tgw.TransitGatewayId || (tgw.State && tgw.State !== 'available'))
        continue;
      const name = tgw.Tags?.find(t => t.Key === 'Name')?.Value;
      addGateway(region.accountId, {
        id: tgw.TransitGatewayId,
        ...(name ? { name } : {}),
        region: region.region,
        ...(tgw.OwnerId ? { ownerAccountId: tgw.OwnerId } : {}),
        attached: false,
      });
    }
  }
  for (const region of snapshot.aws) {
    for (const attachment of region.transitGatewayAttachments ?? []) {
      if (!attachment.TransitGatewayId || GONE.has(attachment.State ?? ''))
        continue;
      addGateway(region.accountId, {
        id: attachment.TransitGatewayId,
        region: region.region,
        ...(attachment.TransitGatewayOwnerId
          ? { ownerAccountId: attachment.TransitGatewayOwnerId }
          : {}),
        attached: true,
      });
    }
  }
  const zones = { ...configured.zones, ...recordedZones(snapshot.aws) };
  return {
    managementClusters,
    accounts: accounts.map(({ id, name, environment, regions }) => ({
      id,
      name,
      environment,
      regions,
    })),
    ...(Object.keys(zones).length ? { zones } : {}),
    transitGateways,
  };
}
