import type {
  AccountReference,
  FleetReferences,
  ManagementClusterReference,
  RoleIdentityReference,
  TransitGatewayReference,
} from './fleetReferences';

/**
 * The references the platform team configures where the fleet's sources do not read them
 * (`clusterdeck.references`): releases per management cluster, EKS versions, zones per region,
 * transit gateways per account.
 * @public
 */
export interface ConfiguredReferences {
  releases?: Record<string, string[]>;
  eksVersions?: string[];
  zones?: Record<string, string[]>;
  transitGateways?: Record<string, TransitGatewayReference[]>;
}

/**
 * The parts of a recorded fleet the references come from, in the shapes the sources produce
 * (AWS SDK responses, management-cluster objects as served).
 * @public
 */
export interface ReferenceSnapshot {
  aws: Array<{
    accountId: string;
    region: string;
    transitGatewayAttachments?: Array<{
      TransitGatewayId?: string;
      TransitGatewayOwnerId?: string;
      State?: string;
    }>;
  }>;
  managementClusters: Array<{
    name: string;
    objects: {
      awsClusterRoleIdentities?: Array<{
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

/**
 * Builds the references from configuration and a recorded fleet: role identities from the
 * management clusters' `AWSClusterRoleIdentity` objects, transit gateways from the configured
 * ones and from the attachments the fleet's VPCs have, the rest from configuration. The backend
 * and the command line build them alike.
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
  const managementClusters: ManagementClusterReference[] =
    sources.managementClusters.map(mc => {
      const identities = identitiesOf.get(mc.name);
      const releases = configured.releases?.[mc.name];
      return {
        name: mc.name,
        region: mc.region,
        accountId: mc.accountId,
        ...(accounts.find(a => a.id === mc.accountId)
          ? {
              environment: accounts.find(a => a.id === mc.accountId)!
                .environment,
            }
          : {}),
        ...(identities ? { roleIdentities: identities } : {}),
        ...(releases ? { releases } : {}),
        ...(configured.eksVersions
          ? { eksVersions: configured.eksVersions }
          : {}),
      };
    });

  const transitGateways: Record<string, TransitGatewayReference[]> = {};
  const addGateway = (accountId: string, gateway: TransitGatewayReference) => {
    const list = (transitGateways[accountId] ??= []);
    const known = list.find(t => t.id === gateway.id);
    if (!known) list.push({ ...gateway });
    else {
      known.name ??= gateway.name;
      known.region ??= gateway.region;
      known.ownerAccountId ??= gateway.ownerAccountId;
    }
  };
  for (const [accountId, gateways] of Object.entries(
    configured.transitGateways ?? {},
  )) {
    for (const gateway of gateways) addGateway(accountId, gateway);
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
      });
    }
  }
  return {
    managementClusters,
    accounts: accounts.map(({ id, name, environment, regions }) => ({
      id,
      name,
      environment,
      regions,
    })),
    ...(configured.zones ? { zones: configured.zones } : {}),
    transitGateways,
  };
}
