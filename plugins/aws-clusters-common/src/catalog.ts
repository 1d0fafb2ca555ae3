/*
 * How the fleet is named in the Backstage catalog. The catalog module emits these entities and
 * the scaffolder writes catalog entries and entity refs with the same names, so both speak of one
 * cluster or account by one name.
 */
import { CLUSTERDECK_ANNOTATIONS } from './constants';

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

/** @public Labels the fleet's catalog entities carry, for catalog filters and search. */
export const CATALOG_LABELS = {
  environment: 'clusterdeck.io/environment',
  accessModel: 'clusterdeck.io/access-model',
  role: 'clusterdeck.io/role',
  flavor: 'clusterdeck.io/flavor',
  region: 'clusterdeck.io/region',
  kubernetesVersion: 'clusterdeck.io/kubernetes-version',
  status: 'clusterdeck.io/status',
} as const;

/** @public The annotation AWS's own Backstage plugins read an entity's account id from. */
export const AWS_ACCOUNT_ID_ANNOTATION = 'amazonaws.com/account-id';

/** @public The annotation naming the AWS Organizations unit an account was created in. */
export const ORGANIZATIONAL_UNIT_ANNOTATION =
  'clusterdeck.io/organizational-unit';

/**
 * A label value: up to 63 characters of `[A-Za-z0-9._-]`, starting and ending alphanumeric;
 * `undefined` when nothing of the value is left.
 * @public
 */
export function catalogLabelValue(
  value: string | undefined,
): string | undefined {
  if (!value) return undefined;
  const cleaned = value
    .replace(/[^A-Za-z0-9._-]/g, '-')
    .slice(0, 63)
    .replace(/^[^A-Za-z0-9]+|[^A-Za-z0-9]+$/g, '');
  return cleaned || undefined;
}

/** @public The entries of a record whose values are defined. */
export function definedEntries(
  record: Record<string, string | undefined>,
): Record<string, string> {
  return Object.fromEntries(
    Object.entries(record).filter(([, v]) => v !== undefined),
  ) as Record<string, string>;
}

/** @public What an account's catalog entity is made of. */
export interface AccountEntityInput {
  id: string;
  name: string;
  environment: string;
  accessModel: string;
  regions?: string[];
  organizationalUnit?: string;
  owner: string;
  system?: string;
  /** The catalog namespace; the entity has none (the default) when absent. */
  namespace?: string;
  /** Annotations of whoever manages the entity (a provider's location annotations). */
  annotations?: Record<string, string>;
}

/**
 * The catalog entity of an AWS account: a `Resource` of type `aws-account`, the same whether the
 * catalog module reads it from the fleet or the account-provisioning template registers it.
 * @public
 */
export function accountEntity(account: AccountEntityInput) {
  const regions = account.regions?.length
    ? `; regions ${account.regions.join(', ')}`
    : '';
  return {
    apiVersion: 'backstage.io/v1alpha1',
    kind: 'Resource',
    metadata: {
      name: accountEntityName(account),
      ...(account.namespace ? { namespace: account.namespace } : {}),
      title: `${account.name} (${account.id})`,
      description: `AWS account for ${account.environment}; access model ${account.accessModel}${regions}.`,
      annotations: definedEntries({
        ...account.annotations,
        [AWS_ACCOUNT_ID_ANNOTATION]: account.id,
        [CLUSTERDECK_ANNOTATIONS.accountId]: account.id,
        [ORGANIZATIONAL_UNIT_ANNOTATION]: account.organizationalUnit,
      }),
      labels: definedEntries({
        [CATALOG_LABELS.environment]: catalogLabelValue(account.environment),
        [CATALOG_LABELS.accessModel]: catalogLabelValue(account.accessModel),
      }),
      tags: ['aws', 'aws-account', account.environment],
    },
    spec: definedEntries({
      type: CATALOG_ENTITY_TYPES.account,
      owner: account.owner,
      system: account.system,
    }),
  };
}
