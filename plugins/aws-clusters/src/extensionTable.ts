import type { Entity } from '@backstage/catalog-model';
import type { JSX } from 'react';
import { isClusterdeckCluster } from './api';

/** A component of the plugin's that both frontend systems load when first shown. */
export type PluginComponent = () => JSX.Element | null;

/** An entity card: its name in the new frontend system, the entities it is for, its loader. */
export interface EntityCardDefinition {
  name: string;
  filter: (entity: Entity) => boolean;
  load: () => Promise<PluginComponent>;
}

/** A management cluster's own entity (the catalog module annotates it, not as a workload cluster). */
function isManagementCluster(entity: Entity): boolean {
  return (
    entity.spec?.type === 'kubernetes-cluster' &&
    !!entity.metadata.annotations?.['clusterdeck.io/management-cluster'] &&
    !isClusterdeckCluster(entity)
  );
}

/** An AWS account's entity as the catalog module makes it. */
function isAccount(entity: Entity): boolean {
  return (
    entity.spec?.type === 'aws-account' &&
    !!entity.metadata.annotations?.['clusterdeck.io/account-id']
  );
}

/**
 * The entity cards of both frontend systems, keyed by the legacy export's name, in the order the
 * new system lists them.
 */
export const ENTITY_CARDS = {
  EntityClusterBoundariesCard: {
    name: 'cluster-boundaries',
    filter: isClusterdeckCluster,
    load: () =>
      import('./components/cards/BoundariesCard').then(
        m => m.EntityClusterBoundariesCard,
      ),
  },
  EntityClusterProvisioningCard: {
    name: 'cluster-provisioning',
    filter: isClusterdeckCluster,
    load: () =>
      import('./components/Provisioning').then(
        m => m.EntityClusterProvisioningCard,
      ),
  },
  EntityClusterTopologyCard: {
    name: 'cluster-topology',
    filter: isClusterdeckCluster,
    load: () =>
      import('./components/cards/TopologyCard').then(
        m => m.EntityClusterTopologyCard,
      ),
  },
  EntityNodePoolScalingCard: {
    name: 'node-pool-scaling',
    filter: isClusterdeckCluster,
    load: () =>
      import('./components/cards/NodePoolScalingCard').then(
        m => m.EntityNodePoolScalingCard,
      ),
  },
  EntityVersionSupportCard: {
    name: 'version-support',
    filter: isClusterdeckCluster,
    load: () =>
      import('./components/VersionSupport').then(
        m => m.EntityVersionSupportCard,
      ),
  },
  EntityConnectCard: {
    name: 'connect',
    filter: isClusterdeckCluster,
    load: () =>
      import('./components/ConnectCard').then(m => m.EntityConnectCard),
  },
  EntityClusterCostCard: {
    name: 'cluster-cost',
    filter: isClusterdeckCluster,
    load: () =>
      import('./components/CostCard').then(m => m.EntityClusterCostCard),
  },
  EntityManagementClusterCard: {
    name: 'management-cluster',
    filter: isManagementCluster,
    load: () =>
      import('./components/FleetEntityCards').then(
        m => m.EntityManagementClusterCard,
      ),
  },
  EntityAccountCard: {
    name: 'aws-account',
    filter: isAccount,
    load: () =>
      import('./components/FleetEntityCards').then(m => m.EntityAccountCard),
  },
} satisfies Record<string, EntityCardDefinition>;

/** The Clusters tab of Group pages. */
export const loadTeamClustersContent = () =>
  import('./components/TeamClusters').then(m => m.EntityTeamClustersContent);

/** The Clusters page. */
export const loadClustersPage = () =>
  import('./components/TeamClusters').then(m => m.AwsClustersPage);

/** The Fleet overview page. */
export const loadFleetOverviewPage = () =>
  import('./components/FleetOverview').then(m => m.FleetOverviewPage);

/**
 * The template form fields by their `ui:field` name, the same in both frontend systems; the new
 * system's extension is named in kebab case (`clusterdeck-account-picker`).
 */
export const FORM_FIELD_NAMES = [
  'ClusterdeckAccountPicker',
  'ClusterdeckClusterPicker',
  'ClusterdeckCidrField',
  'ClusterdeckManagementClusterPicker',
  'ClusterdeckRegionPicker',
  'ClusterdeckZonesPicker',
  'ClusterdeckRoleIdentityPicker',
  'ClusterdeckReleasePicker',
  'ClusterdeckTransitGatewayPicker',
  'ClusterdeckNodePoolsEditor',
] as const;

/** One of {@link FORM_FIELD_NAMES}. */
export type FormFieldName = (typeof FORM_FIELD_NAMES)[number];

/** `ClusterdeckAccountPicker` → `clusterdeck-account-picker`. */
export function kebabCase(name: string): string {
  return name.replace(/([a-z0-9])([A-Z])/g, '$1-$2').toLowerCase();
}
