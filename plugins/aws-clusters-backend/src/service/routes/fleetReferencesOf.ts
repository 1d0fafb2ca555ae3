import {
  buildFleetReferences,
  FleetReferences,
} from '@clusterdeck/plugin-aws-clusters-common';
import type { ClusterdeckConfig } from '@clusterdeck/plugin-aws-clusters-node';
import type { FleetModel } from '../../fleet/buildFleetModel';
import type { FleetService } from '../FleetService';

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
