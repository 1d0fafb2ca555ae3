import {
  accountEntity,
  AccountEntityInput,
  CLUSTERDECK_ANNOTATIONS,
} from '@clusterdeck/plugin-aws-clusters-common';
import type { ResolvedClusterRequest } from '@clusterdeck/plugin-aws-clusters-common';
import { clusterEntityName } from './gitopsLayout';

/** @public The system the platform's resources belong to in the example catalog. */
export const PLATFORM_SYSTEM = 'kubernetes-platform';

/**
 * The catalog entity of a requested workload cluster: a Resource of type `kubernetes-cluster`
 * annotated like the entities the catalog module makes from the fleet, so the two describe one
 * cluster by the same name.
 * @public
 */
export function clusterEntity(resolved: ResolvedClusterRequest) {
  const { metadata, spec } = resolved.request;
  return {
    apiVersion: 'backstage.io/v1alpha1',
    kind: 'Resource',
    metadata: {
      name: clusterEntityName({
        managementCluster: spec.managementCluster,
        name: metadata.name,
      }),
      title: metadata.name,
      ...(metadata.description ? { description: metadata.description } : {}),
      annotations: {
        [CLUSTERDECK_ANNOTATIONS.managementCluster]: spec.managementCluster,
        [CLUSTERDECK_ANNOTATIONS.namespace]: resolved.namespace,
        [CLUSTERDECK_ANNOTATIONS.clusterName]: metadata.name,
        [CLUSTERDECK_ANNOTATIONS.accountId]: spec.account.id,
      },
      tags: ['aws', spec.flavor, spec.region],
    },
    spec: {
      type: 'kubernetes-cluster',
      owner: metadata.owner,
      system: PLATFORM_SYSTEM,
    },
  };
}

/**
 * The catalog entity of an AWS account the provisioning template registers, in the platform's
 * system: the entity the catalog module makes of the account once the fleet reads it.
 * @public
 */
export function platformAccountEntity(
  account: Omit<AccountEntityInput, 'system'>,
) {
  return accountEntity({ ...account, system: PLATFORM_SYSTEM });
}
