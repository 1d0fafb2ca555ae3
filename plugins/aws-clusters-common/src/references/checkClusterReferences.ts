import { organizationNamespace } from '../constants';
import type { ClusterRequest } from '../request/clusterRequestSchema';
import type { Problem } from '../request/problems';
import {
  admitsNamespace,
  describeAllowedNamespaces,
} from './allowedNamespaces';
import {
  FleetReferences,
  kubernetesMinor,
  ManagementClusterReference,
  roleArnAccount,
} from './fleetReferences';

const ZONE_LETTERS = ['a', 'b', 'c'];
const RELEASE_KIND = { ec2: 'release', eks: 'EKS release' } as const;

/** The releases a management cluster offers to a flavor (`aws-*` Releases for EC2, `eks-*` for EKS). */
function releasesFor(mc: ManagementClusterReference, flavor: 'ec2' | 'eks') {
  return flavor === 'eks' ? mc.eksReleases : mc.releases;
}

/**
 * Checks that what a valid cluster request names exists and belongs together: the management
 * cluster, the account and its region, the role identity (on that management cluster, assuming a
 * role in that account, admitting the organization's namespace), the zones, the release or
 * Kubernetes version, and the transit gateway (reachable from the account, and from the
 * management cluster when it is how a private API is reached). Every problem names its field.
 * Pure: the caller gathers the references. What nothing lists is not checked; see
 * {@link uncheckedReferences}.
 * @public
 */
export function checkClusterReferences(
  request: ClusterRequest,
  references: FleetReferences,
): Problem[] {
  const problems: Problem[] = [];
  const add = (path: string, message: string) =>
    problems.push({ path, message });
  const { spec, metadata } = request;
  const namespace = organizationNamespace(metadata.organization);

  const mc = references.managementClusters.find(
    m => m.name === spec.managementCluster,
  );
  if (!mc) {
    const known =
      references.managementClusters.map(m => m.name).join(', ') || 'none';
    add(
      'spec.managementCluster',
      `no management cluster named ${spec.managementCluster}; known: ${known}`,
    );
  }

  const account = references.accounts.find(a => a.id === spec.account.id);
  if (!account) {
    add(
      'spec.account.id',
      `account ${spec.account.id} is not one ${metadata.owner} may use`,
    );
  } else if (!account.regions.includes(spec.region)) {
    add(
      'spec.region',
      `account ${account.name} (${account.id}) is not used in ${
        spec.region
      }; its regions: ${account.regions.join(', ')}`,
    );
  }

  if (mc) {
    const identityPath = 'spec.account.roleIdentity';
    const name = spec.account.roleIdentity;
    if (!mc.roleIdentities) {
      add(
        identityPath,
        `the role identities of ${mc.name} are not known yet (the management cluster has not been read), so ${name} cannot be checked`,
      );
    } else {
      const identity = mc.roleIdentities.find(i => i.name === name);
      const roleAccount = identity
        ? roleArnAccount(identity.roleARN)
        : undefined;
      if (!identity) {
        add(
          identityPath,
          `${mc.name} has no AWSClusterRoleIdentity named ${name}`,
        );
      } else if (!roleAccount) {
        add(
          identityPath,
          `${name} names no IAM role (roleARN ${JSON.stringify(
            identity.roleARN,
          )})`,
        );
      } else if (roleAccount !== spec.account.id) {
        const other = references.accounts.find(a => a.id === roleAccount);
        const where = other
          ? `${other.name} (${roleAccount}, ${other.environment})`
          : roleAccount;
        const here = account
          ? `${account.name} (${account.id}, ${account.environment})`
          : spec.account.id;
        add(
          identityPath,
          `${name} assumes a role in account ${where}, not in the requested account ${here}: CAPA would build the cluster there`,
        );
      } else if (!admitsNamespace(identity.allowedNamespaces, namespace)) {
        add(
          identityPath,
          `${name} does not admit the namespace ${namespace}: its allowedNamespaces ${describeAllowedNamespaces(
            identity.allowedNamespaces,
          )}`,
        );
      }
    }
    const releases = releasesFor(mc, spec.flavor);
    if (spec.release && releases && !releases.includes(spec.release)) {
      add(
        'spec.release',
        `${mc.name} does not offer ${RELEASE_KIND[spec.flavor]} ${
          spec.release
        }; it offers ${releases.join(', ') || 'none'}`,
      );
    }
    if (spec.flavor === 'eks' && spec.kubernetesVersion && mc.eksVersions) {
      const minor = kubernetesMinor(spec.kubernetesVersion);
      if (!mc.eksVersions.map(kubernetesMinor).includes(minor)) {
        add(
          'spec.kubernetesVersion',
          `${mc.name} does not offer EKS ${minor}; it offers ${
            mc.eksVersions.join(', ') || 'none'
          }`,
        );
      }
    }
  }

  const zones = references.zones?.[spec.region];
  if (zones) {
    const requested = spec.network.availabilityZones;
    const names =
      typeof requested === 'number'
        ? ZONE_LETTERS.slice(0, requested).map(l => `${spec.region}${l}`)
        : requested;
    names.forEach((zone, i) => {
      if (zones.includes(zone)) return;
      const path =
        typeof requested === 'number'
          ? 'spec.network.availabilityZones'
          : `spec.network.availabilityZones[${i}]`;
      add(
        path,
        `${zone} is not an availability zone of ${
          spec.region
        }; its zones: ${zones.join(', ')}`,
      );
    });
    spec.network.subnets.forEach((subnet, i) => {
      if (!zones.includes(subnet.availabilityZone)) {
        add(
          `spec.network.subnets[${i}].availabilityZone`,
          `${subnet.availabilityZone} is not an availability zone of ${spec.region}`,
        );
      }
    });
  }

  const topology = spec.network.topology;
  if (topology.mode === 'transitGateway') {
    const path = 'spec.network.topology.transitGatewayId';
    const id = topology.transitGatewayId;
    const reachable = references.transitGateways[spec.account.id] ?? [];
    const tgw = reachable.find(t => t.id === id);
    if (!tgw) {
      add(
        path,
        `transit gateway ${id} is not shared with account ${
          spec.account.id
        }; reachable: ${reachable.map(t => t.id).join(', ') || 'none'}`,
      );
    } else if (tgw.region && tgw.region !== spec.region) {
      add(
        path,
        `transit gateway ${id} is in ${tgw.region}; a VPC in ${spec.region} cannot attach to it`,
      );
    } else if (
      mc &&
      spec.flavor === 'ec2' &&
      spec.controlPlane.apiMode === 'private'
    ) {
      // The management cluster's own network must be attached, not merely allowed to attach.
      const fromMc = (references.transitGateways[mc.accountId] ?? []).some(
        t => t.id === id && t.attached !== false,
      );
      if (!fromMc) {
        add(
          path,
          `${mc.name}'s network (account ${mc.accountId}) is not attached to ${id}, so it could not reach the private API`,
        );
      }
    }
  }
  return problems;
}

/**
 * What {@link checkClusterReferences} could not check because nothing lists it: the release
 * when the management cluster's releases of the request's flavor are unknown, the EKS version
 * when its EKS versions are, and the zones when the region's are. Each is a warning at its field;
 * the request may still be right.
 * @public
 */
export function uncheckedReferences(
  request: ClusterRequest,
  references: FleetReferences,
): Problem[] {
  const warnings: Problem[] = [];
  const { spec } = request;
  const mc = references.managementClusters.find(
    m => m.name === spec.managementCluster,
  );
  if (mc && spec.release && !releasesFor(mc, spec.flavor)) {
    warnings.push({
      path: 'spec.release',
      message: `nothing lists the ${RELEASE_KIND[spec.flavor]}s ${
        mc.name
      } offers, so ${spec.release} is not checked`,
    });
  }
  if (
    mc &&
    spec.flavor === 'eks' &&
    spec.kubernetesVersion &&
    !mc.eksVersions
  ) {
    warnings.push({
      path: 'spec.kubernetesVersion',
      message: `nothing lists the EKS versions ${mc.name} offers, so ${spec.kubernetesVersion} is not checked`,
    });
  }
  if (!references.zones?.[spec.region]) {
    warnings.push({
      path: 'spec.network.availabilityZones',
      message: `nothing lists the availability zones of ${spec.region}, so the zones are not checked`,
    });
  }
  return warnings;
}
