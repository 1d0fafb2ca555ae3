import {
  admitsNamespace,
  buildFleetReferences,
  FleetReferences,
  RoleIdentityReference,
  roleArnAccount,
} from '@clusterdeck/plugin-aws-clusters-common';
import type { ClusterdeckConfig } from '@clusterdeck/plugin-aws-clusters-node';
import type { FleetModel } from '../../fleet/buildFleetModel';
import type { FleetService } from '../FleetService';
import { namespacesOf } from '../organizations';

// The model is replaced whenever the raw state is, so it keys the references built from that state.
const built = new WeakMap<FleetModel, FleetReferences>();

/**
 * What cluster requests may name, from the fleet as last joined and the configuration: role
 * identities as the management clusters serve them, transit gateways the accounts own, are shared
 * or are attached to (else configured), releases per flavor from the management clusters' Release
 * objects, EKS versions from DescribeClusterVersions and zones from DescribeAvailabilityZones,
 * each from configuration where the fleet recorded none. Built once per fleet.
 */
export function fleetReferencesOf(
  fleet: FleetService,
  config: ClusterdeckConfig,
): FleetReferences {
  const model = fleet.current();
  let references = built.get(model);
  if (!references) {
    references = buildFleetReferences({
      accounts: config.accounts,
      managementClusters: config.managementClusters,
      snapshot: fleet.snapshot(),
      configured: config.references,
    });
    built.set(model, references);
  }
  return references;
}

/**
 * The references as one owner may use them (all of them for admins): its accounts, the role
 * identities of those accounts that admit one of its organizations' namespaces, and the transit
 * gateways of its accounts and of the management clusters' accounts (they decide whether a
 * private API is reachable). Another team's identity is then checked as one that does not exist.
 */
export function referencesForOwner(
  all: FleetReferences,
  config: ClusterdeckConfig,
  owner: string,
  admin: boolean,
): FleetReferences {
  if (admin) return all;
  const accounts = all.accounts.filter(a =>
    config.accounts.find(c => c.id === a.id)?.owners.includes(owner),
  );
  const keep = new Set([
    ...accounts.map(a => a.id),
    ...all.managementClusters.map(m => m.accountId),
  ]);
  const usableIds = new Set(accounts.map(a => a.id));
  const namespaces = namespacesOf(owner, config.organizations);
  const mayName = (identity: RoleIdentityReference) => {
    const account = roleArnAccount(identity.roleARN);
    return (
      account !== undefined &&
      usableIds.has(account) &&
      namespaces.some(ns => admitsNamespace(identity.allowedNamespaces, ns))
    );
  };
  return {
    ...all,
    managementClusters: all.managementClusters.map(mc =>
      mc.roleIdentities
        ? { ...mc, roleIdentities: mc.roleIdentities.filter(mayName) }
        : mc,
    ),
    accounts,
    transitGateways: Object.fromEntries(
      Object.entries(all.transitGateways).filter(([id]) => keep.has(id)),
    ),
  };
}
