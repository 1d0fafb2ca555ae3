import {
  ACCOUNT_ENVIRONMENTS,
  AccountEnvironment,
  ClusterRequest,
  ClusterSummary,
} from '@clusterdeck/plugin-aws-clusters-common';
import type { ClusterdeckConfig } from '@clusterdeck/plugin-aws-clusters-node';
import type { StoredClusterRequest } from '../database/ClusterdeckDatabase';

/** The ref a requested cluster will have once its management cluster reports it. */
export function requestRef(request: ClusterRequest, namespace: string): string {
  return `${request.spec.managementCluster}/${namespace}/${request.metadata.name}`;
}

/**
 * A requested cluster as a row of the fleet: what the request says, with status `requested`
 * and no nodes yet.
 */
export function requestedClusterSummary(
  stored: StoredClusterRequest,
  config: ClusterdeckConfig,
): ClusterSummary {
  const request = stored.request as ClusterRequest;
  const [managementCluster, namespace, name] = stored.ref.split('/');
  const account = config.accounts.find(a => a.id === request.spec.account.id);
  const pools = request.spec.nodePools;
  // The environment label wins over the account's here too, as it will once the cluster is reported.
  const label = (request.metadata as { labels?: Record<string, string> })
    .labels?.['clusterdeck.io/environment'];
  const labelled =
    label && (ACCOUNT_ENVIRONMENTS as readonly string[]).includes(label)
      ? (label as AccountEnvironment)
      : undefined;
  return {
    ref: stored.ref,
    name,
    namespace,
    managementCluster,
    organization: request.metadata.organization,
    owner: stored.owner,
    ownerSource: 'annotation',
    accountId: request.spec.account.id,
    accountName: account?.name,
    environment: labelled ?? account?.environment,
    ...(labelled ? { environmentSource: 'label' as const } : {}),
    ...(!labelled && account ? { environmentSource: 'account' as const } : {}),
    region: request.spec.region,
    flavor: request.spec.flavor,
    kubernetesVersion: request.spec.kubernetesVersion,
    release: request.spec.release,
    status: 'requested',
    statusReason: `requested by ${stored.createdBy}; not yet reported by ${managementCluster}`,
    apiMode: request.spec.controlPlane.apiMode,
    nodes: {
      desired: 0,
      ready: 0,
      min: pools.reduce((sum, p) => sum + (p.minSize ?? 0), 0),
      max: pools.reduce((sum, p) => sum + (p.maxSize ?? 0), 0),
    },
    nodePools: pools.length,
    createdAt: stored.createdAt,
    description: request.metadata.description,
  };
}
