import {
  createApiFactory,
  createComponentExtension,
  createPlugin,
  createRoutableExtension,
  createRouteRef,
  discoveryApiRef,
  fetchApiRef,
} from '@backstage/core-plugin-api';
import type { RouteRef } from '@backstage/core-plugin-api';
import type { JSX } from 'react';
import { AwsClustersClient, awsClustersApiRef } from './api';
import {
  ENTITY_CARDS,
  loadClustersPage,
  loadFleetOverviewPage,
  loadTeamClustersContent,
  type PluginComponent,
} from './extensionTable';

/** @public The route of the Clusters page. */
export const rootRouteRef = createRouteRef({ id: 'aws-clusters' });

/** @public The route of the Fleet overview page. */
export const fleetRouteRef = createRouteRef({ id: 'aws-clusters-fleet' });

/**
 * Clusterdeck's frontend plugin for apps on the legacy frontend system.
 * @public
 */
export const awsClustersPlugin = createPlugin({
  id: 'aws-clusters',
  routes: { root: rootRouteRef, fleet: fleetRouteRef },
  apis: [
    createApiFactory({
      api: awsClustersApiRef,
      deps: { discoveryApi: discoveryApiRef, fetchApi: fetchApiRef },
      factory: ({ discoveryApi, fetchApi }) =>
        new AwsClustersClient({ discoveryApi, fetchApi }),
    }),
  ],
});

/** A lazily loaded component of the legacy plugin, named as exported. */
function component(
  name: string,
  lazy: () => Promise<PluginComponent>,
): PluginComponent {
  return awsClustersPlugin.provide(
    createComponentExtension({ name, component: { lazy } }),
  );
}

/** A page of the legacy plugin at its route. */
function page(
  name: string,
  load: () => Promise<PluginComponent>,
  mountPoint: RouteRef,
): PluginComponent {
  return awsClustersPlugin.provide(
    createRoutableExtension({ name, component: load, mountPoint }),
  );
}

/** One of the entity cards, named as exported. */
function entityCard(name: keyof typeof ENTITY_CARDS): PluginComponent {
  return component(name, ENTITY_CARDS[name].load);
}

/**
 * A cluster entity's isolation boundaries: environment, account, VPC, cluster and findings.
 * @public
 */
export const EntityClusterBoundariesCard: () => JSX.Element | null = entityCard(
  'EntityClusterBoundariesCard',
);

/**
 * A cluster entity's node pools: size, kind, spread, recent scaling and warnings.
 * @public
 */
export const EntityNodePoolScalingCard: () => JSX.Element | null = entityCard(
  'EntityNodePoolScalingCard',
);

/**
 * The cluster's network topology: account, VPC, zones, subnets, gateways, load balancers, node pools and links.
 * @public
 */
export const EntityClusterTopologyCard: () => JSX.Element | null = entityCard(
  'EntityClusterTopologyCard',
);

/**
 * The cluster's provisioning timeline: request, each Cluster API and CAPA step, the blocking one.
 * @public
 */
export const EntityClusterProvisioningCard: () => JSX.Element | null =
  entityCard('EntityClusterProvisioningCard');

/**
 * The cluster's version support (Kubernetes version and cluster-aws release) and EKS upgrade insights.
 * @public
 */
export const EntityVersionSupportCard: () => JSX.Element | null = entityCard(
  'EntityVersionSupportCard',
);

/**
 * How to connect to the cluster: the kubeconfig or login command, with copy buttons.
 * @public
 */
export const EntityConnectCard: () => JSX.Element | null =
  entityCard('EntityConnectCard');

/**
 * What the cluster costs, from AWS Cost Explorer: this month so far, last month and the trend.
 * @public
 */
export const EntityClusterCostCard: () => JSX.Element | null = entityCard(
  'EntityClusterCostCard',
);

/**
 * The Clusters tab of a Group's entity page: the clusters the group owns.
 * @public
 */
export const EntityTeamClustersContent: () => JSX.Element | null = component(
  'EntityTeamClustersContent',
  loadTeamClustersContent,
);

/**
 * The Clusters page: the clusters of the signed-in user's teams.
 * @public
 */
export const AwsClustersPage: () => JSX.Element | null = page(
  'AwsClustersPage',
  loadClustersPage,
  rootRouteRef,
);

/**
 * The Fleet overview page: counts by status, version, version support, cost, flavor, account,
 * region and management cluster, the versions near the end of their support, the clusters that
 * need attention, and a filterable table.
 * @public
 */
export const AwsFleetOverviewPage: () => JSX.Element | null = page(
  'AwsFleetOverviewPage',
  loadFleetOverviewPage,
  fleetRouteRef,
);

/**
 * A management cluster's workload clusters with their status, and its role identities.
 * @public
 */
export const EntityManagementClusterCard: () => JSX.Element | null = entityCard(
  'EntityManagementClusterCard',
);

/**
 * An AWS account's clusters per region, quota headroom, access model and findings.
 * @public
 */
export const EntityAccountCard: () => JSX.Element | null =
  entityCard('EntityAccountCard');
