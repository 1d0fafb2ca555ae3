/*
 * How the fleet is named in the Backstage catalog. The catalog module emits these entities and
 * the scaffolder writes catalog entries and entity refs with the same names, so both speak of one
 * cluster or account by one name.
 */

/** @public The `spec.type` of cluster and account entities. */
export const CATALOG_ENTITY_TYPES = {
  cluster: 'kubernetes-cluster',
  account: 'aws-account',
} as const;

const MAX_NAME = 63;

// FNV-1a, 32 bits: a short, stable suffix that keeps shortened names apart.
function fnv1a(text: string): string {
  let hash = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    hash ^= text.charCodeAt(i);
    hash = Math.imul(hash, 0x01000193) >>> 0;
  }
  return hash.toString(16).padStart(8, '0');
}

/**
 * A catalog entity name from parts: joined with `-`, and when longer than the catalog's 63
 * characters, cut and suffixed with a hash of the whole so that long names stay unique.
 * @public
 */
export function catalogEntityName(...parts: string[]): string {
  const name = parts.join('-');
  if (name.length <= MAX_NAME) return name;
  return `${name.slice(0, MAX_NAME - 9).replace(/[-_.]+$/, '')}-${fnv1a(name)}`;
}

/**
 * The entity name of a workload cluster: `<managementCluster>-<name>`, unique across management
 * clusters (cluster names are unique only within one).
 * @public
 */
export function clusterEntityName(cluster: {
  managementCluster: string;
  name: string;
}): string {
  return catalogEntityName(cluster.managementCluster, cluster.name);
}

/** @public The entity name of an AWS account: `aws-account-<name>`. */
export function accountEntityName(account: { name: string }): string {
  return catalogEntityName('aws-account', account.name);
}
