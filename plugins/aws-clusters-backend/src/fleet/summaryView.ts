import {
  CLUSTERDECK_ANNOTATIONS,
  type ClusterSummary,
} from '@clusterdeck/plugin-aws-clusters-common';
import type { ClusterRecord } from './buildFleetModel';

/** How many nodes a pool wants, has ready, and may have: the group's figures where it exists. */
export function poolSizes(
  _cluster: ClusterRecord,
  pool: ClusterRecord['pools'][number],
) {
  const { min, max, desired, ready } = pool.state;
  return { min, max, desired, ready };
}

// Records are rebuilt on every refresh, so a summary computed once serves until the next one.
const summaries = new WeakMap<ClusterRecord, ClusterSummary>();

/** The fleet row of a cluster. */
export function clusterSummary(cluster: ClusterRecord): ClusterSummary {
  let summary = summaries.get(cluster);
  if (!summary) {
    summary = buildSummary(cluster);
    summaries.set(cluster, summary);
  }
  return summary;
}

function buildSummary(cluster: ClusterRecord): ClusterSummary {
  const nodes = { desired: 0, ready: 0, min: 0, max: 0 };
  for (const pool of cluster.pools) {
    const sizes = poolSizes(cluster, pool);
    nodes.desired += sizes.desired;
    nodes.ready += sizes.ready;
    nodes.min += sizes.min;
    nodes.max += sizes.max;
  }
  const infra = cluster.infrastructure;
  const endpoint = infra?.spec?.controlPlaneEndpoint;
  // EKS names the version it runs (major.minor); the spec only what was asked.
  const eksVersion = cluster.eksClusterName
    ? cluster.region_?.eksClusters.get(cluster.eksClusterName)?.version
    : undefined;
  const version: string | undefined =
    eksVersion ??
    cluster.controlPlane?.spec?.version ??
    cluster.cluster.spec?.topology?.version ??
    cluster.pools.find(p => p.machinePool.spec?.template?.spec?.version)
      ?.machinePool.spec.template.spec.version;
  return {
    ref: cluster.ref,
    name: cluster.name,
    namespace: cluster.namespace,
    managementCluster: cluster.managementCluster,
    organization: cluster.organization,
    owner: cluster.owner,
    ownerSource: cluster.ownerSource,
    accountId: cluster.accountId,
    accountName: cluster.account?.name,
    environment: cluster.environment,
    ...(cluster.environmentSource
      ? { environmentSource: cluster.environmentSource }
      : {}),
    region: cluster.region,
    flavor: cluster.flavor,
    kubernetesVersion: version?.replace(/^v/, ''),
    release: cluster.cluster.metadata.labels?.['release.giantswarm.io/version'],
    status: cluster.status,
    statusReason: cluster.statusReason,
    apiEndpoint: endpoint?.host
      ? `https://${endpoint.host}:${endpoint.port ?? 443}`
      : undefined,
    apiMode: cluster.api.apiMode,
    apiExposure: cluster.api.exposure,
    ...eksIdentity(cluster),
    nodes,
    nodePools: cluster.pools.length,
    createdAt: cluster.cluster.metadata.creationTimestamp,
    description:
      cluster.cluster.metadata.annotations?.[
        'cluster.giantswarm.io/description'
      ],
    ...(cluster.cluster.metadata.annotations?.[
      CLUSTERDECK_ANNOTATIONS.deletionProtection
    ] === 'true'
      ? { deletionProtection: true }
      : {}),
  };
}

/** An EKS cluster's name and, where AWS reported it, its API server's CA. */
function eksIdentity(
  cluster: ClusterRecord,
): Pick<ClusterSummary, 'eksClusterName' | 'apiCertificateAuthority'> {
  if (cluster.flavor !== 'eks') return {};
  const eksClusterName: string | undefined =
    cluster.controlPlane?.spec?.eksClusterName;
  if (!eksClusterName) return {};
  const ca =
    cluster.region_?.eksClusters.get(eksClusterName)?.certificateAuthority
      ?.data;
  return { eksClusterName, ...(ca ? { apiCertificateAuthority: ca } : {}) };
}
