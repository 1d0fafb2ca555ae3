import {
  ANNOTATION_LOCATION,
  ANNOTATION_ORIGIN_LOCATION,
  Entity,
} from '@backstage/catalog-model';
import {
  AccountSummary,
  accountEntity,
  accountEntityName,
  CATALOG_ENTITY_TYPES,
  CATALOG_LABELS,
  catalogLabelValue,
  definedEntries,
  catalogEntityName,
  CLUSTERDECK_ANNOTATIONS,
  ClusterSummary,
  clusterEntityName,
} from '@clusterdeck/plugin-aws-clusters-common';
import type { ConfiguredManagementCluster } from '@clusterdeck/plugin-aws-clusters-node';
import type { CatalogModuleConfig } from './config';

/** @public The location every entity of the provider is managed by. */
export const PROVIDER_LOCATION = 'clusterdeck:aws-clusters';

/** @public What the entities are made of: the fleet as the fleet backend serves it, and the configuration. */
export interface FleetForCatalog {
  clusters: ClusterSummary[];
  accounts: AccountSummary[];
  managementClusters: ConfiguredManagementCluster[];
  adminGroups: string[];
}

const labelValue = catalogLabelValue;
const defined = definedEntries;

function managed(namespace: string) {
  return {
    namespace,
    annotations: {
      [ANNOTATION_LOCATION]: PROVIDER_LOCATION,
      [ANNOTATION_ORIGIN_LOCATION]: PROVIDER_LOCATION,
    },
  };
}

/** The owner of an account's entity: configured, else its only owner group, else the platform team. */
function accountOwner(
  account: AccountSummary,
  fleet: FleetForCatalog,
  config: CatalogModuleConfig,
): string {
  return (
    config.accountOwners[account.id] ??
    (account.owners.length === 1
      ? account.owners[0]
      : fleet.adminGroups[0] ?? account.owners[0] ?? 'group:default/platform')
  );
}

function systemOf(
  environment: string | undefined,
  config: CatalogModuleConfig,
): string | undefined {
  return (
    (environment &&
      config.environmentSystems[
        environment as keyof typeof config.environmentSystems
      ]) ||
    config.system
  );
}

/** Whether a cluster passes the configured filters. */
function included(
  cluster: ClusterSummary,
  config: CatalogModuleConfig,
): boolean {
  const { environments, managementClusters, includeRequested } = config.filters;
  if (!includeRequested && cluster.status === 'requested') return false;
  if (
    environments &&
    (!cluster.environment || !environments.includes(cluster.environment))
  )
    return false;
  if (
    managementClusters &&
    !managementClusters.includes(cluster.managementCluster)
  )
    return false;
  return true;
}

/**
 * Entity names of workload clusters: `<managementCluster>-<name>`; where two clusters of one
 * management cluster share a name (in different organizations), both get the namespace too.
 */
function clusterNames(clusters: ClusterSummary[]): Map<string, string> {
  const byShortName = new Map<string, ClusterSummary[]>();
  for (const cluster of clusters) {
    const name = clusterEntityName(cluster);
    byShortName.set(name, [...(byShortName.get(name) ?? []), cluster]);
  }
  const names = new Map<string, string>();
  for (const [name, group] of byShortName) {
    for (const cluster of group) {
      names.set(
        cluster.ref,
        group.length === 1
          ? name
          : catalogEntityName(
              cluster.managementCluster,
              cluster.namespace,
              cluster.name,
            ),
      );
    }
  }
  return names;
}

/**
 * The fleet as catalog entities: accounts, management clusters and workload clusters, as
 * `Resource`s with owners and `dependsOn` relations.
 * @public
 */
export function fleetEntities(
  fleet: FleetForCatalog,
  config: CatalogModuleConfig,
): Entity[] {
  const { namespace } = config;
  const ref = (name: string) => `resource:${namespace}/${name}`;
  const accounts = new Map(fleet.accounts.map(a => [a.id, a]));
  const platformOwner = fleet.adminGroups[0] ?? 'group:default/platform';

  const accountEntities: Entity[] = fleet.accounts.map(account =>
    accountEntity({
      ...account,
      owner: accountOwner(account, fleet, config),
      system: systemOf(account.environment, config),
      ...managed(namespace),
    }),
  );

  const managementEntities: Entity[] = fleet.managementClusters.map(mc => {
    const account = accounts.get(mc.accountId);
    return {
      apiVersion: 'backstage.io/v1alpha1',
      kind: 'Resource',
      metadata: {
        name: catalogEntityName(mc.name),
        title: mc.name,
        description: `Management cluster running Cluster API and CAPA in ${
          mc.region
        }${mc.baseDomain ? `; workload clusters under ${mc.baseDomain}` : ''}.`,
        ...managed(namespace),
        annotations: defined({
          ...managed(namespace).annotations,
          [CLUSTERDECK_ANNOTATIONS.managementCluster]: mc.name,
          [CLUSTERDECK_ANNOTATIONS.accountId]: mc.accountId,
          'kubernetes.io/api-server': mc.kubernetes?.url,
        }),
        labels: defined({
          [CATALOG_LABELS.role]: 'management',
          [CATALOG_LABELS.region]: labelValue(mc.region),
          [CATALOG_LABELS.environment]: labelValue(account?.environment),
        }),
        tags: ['aws', 'kubernetes', 'management-cluster', mc.region],
      },
      spec: {
        type: CATALOG_ENTITY_TYPES.cluster,
        owner: platformOwner,
        ...(config.system ? { system: config.system } : {}),
        dependsOn: account ? [ref(accountEntityName(account))] : [],
      },
    };
  });

  const clusters = fleet.clusters.filter(c => included(c, config));
  const names = clusterNames(clusters);
  const managementNames = new Set(fleet.managementClusters.map(mc => mc.name));
  const clusterEntities: Entity[] = clusters.map(cluster => {
    const account = cluster.accountId
      ? accounts.get(cluster.accountId)
      : undefined;
    const auth: { authProvider: string; oidcTokenProvider?: string } =
      cluster.flavor === 'eks'
        ? config.kubernetesAuth.eks
        : config.kubernetesAuth.ec2;
    const kubernetes = cluster.apiEndpoint
      ? defined({
          'kubernetes.io/api-server': cluster.apiEndpoint,
          'kubernetes.io/api-server-certificate-authority':
            cluster.apiCertificateAuthority,
          'kubernetes.io/auth-provider': auth.authProvider,
          'kubernetes.io/oidc-token-provider': auth.oidcTokenProvider,
          'kubernetes.io/x-k8s-aws-id':
            cluster.flavor === 'eks' ? cluster.eksClusterName : undefined,
        })
      : {};
    const dependsOn = [
      ...(account ? [ref(accountEntityName(account))] : []),
      ...(managementNames.has(cluster.managementCluster)
        ? [ref(catalogEntityName(cluster.managementCluster))]
        : []),
    ];
    return {
      apiVersion: 'backstage.io/v1alpha1',
      kind: 'Resource',
      metadata: {
        name: names.get(cluster.ref)!,
        title: cluster.name,
        ...(cluster.description ? { description: cluster.description } : {}),
        ...managed(namespace),
        annotations: defined({
          ...managed(namespace).annotations,
          [CLUSTERDECK_ANNOTATIONS.managementCluster]:
            cluster.managementCluster,
          [CLUSTERDECK_ANNOTATIONS.namespace]: cluster.namespace,
          [CLUSTERDECK_ANNOTATIONS.clusterName]: cluster.name,
          [CLUSTERDECK_ANNOTATIONS.accountId]: cluster.accountId,
          ...kubernetes,
        }),
        labels: defined({
          [CATALOG_LABELS.flavor]: cluster.flavor,
          [CATALOG_LABELS.region]: labelValue(cluster.region),
          [CATALOG_LABELS.environment]: labelValue(cluster.environment),
          [CATALOG_LABELS.kubernetesVersion]: labelValue(
            cluster.kubernetesVersion,
          ),
          [CATALOG_LABELS.status]: cluster.status,
        }),
        tags: [
          'aws',
          'kubernetes',
          cluster.flavor,
          ...(cluster.region ? [cluster.region] : []),
        ],
      },
      spec: {
        type: CATALOG_ENTITY_TYPES.cluster,
        owner: cluster.owner,
        lifecycle:
          cluster.environment === 'production' ? 'production' : 'experimental',
        ...(systemOf(cluster.environment, config)
          ? { system: systemOf(cluster.environment, config) }
          : {}),
        dependsOn,
      },
    };
  });

  return [...accountEntities, ...managementEntities, ...clusterEntities];
}
