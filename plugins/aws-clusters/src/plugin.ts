import {
  createApiFactory,
  createComponentExtension,
  createPlugin,
  createRoutableExtension,
  createRouteRef,
  discoveryApiRef,
  fetchApiRef,
} from '@backstage/core-plugin-api';
import { AwsClustersClient, awsClustersApiRef } from './api';

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

/**
 * A cluster entity's isolation boundaries: environment, account, VPC, cluster and findings.
 * @public
 */
export const EntityClusterBoundariesCard = awsClustersPlugin.provide(
  createComponentExtension({
    name: 'EntityClusterBoundariesCard',
    component: {
      lazy: () =>
        import('./components/cards/BoundariesCard').then(
          m => m.EntityClusterBoundariesCard,
        ),
    },
  }),
);

/**
 * A cluster entity's node pools: size, kind, spread, recent scaling and warnings.
 * @public
 */
export const EntityNodePoolScalingCard = awsClustersPlugin.provide(
  createComponentExtension({
    name: 'EntityNodePoolScalingCard',
    component: {
      lazy: () =>
        import('./components/cards/NodePoolScalingCard').then(
          m => m.EntityNodePoolScalingCard,
        ),
    },
  }),
);

/**
 * The cluster's network topology: account, VPC, zones, subnets, gateways, load balancers, node pools and links.
 * @public
 */
export const EntityClusterTopologyCard = awsClustersPlugin.provide(
  createComponentExtension({
    name: 'EntityClusterTopologyCard',
    component: {
      lazy: () =>
        import('./components/cards/TopologyCard').then(
          m => m.EntityClusterTopologyCard,
        ),
    },
  }),
);

/**
 * The cluster's provisioning timeline: request, each Cluster API and CAPA step, the blocking one.
 * @public
 */
export const EntityClusterProvisioningCard = awsClustersPlugin.provide(
  createComponentExtension({
    name: 'EntityClusterProvisioningCard',
    component: {
      lazy: () =>
        import('./components/Provisioning').then(
          m => m.EntityClusterProvisioningCard,
        ),
    },
  }),
);

/**
 * The cluster's version support (Kubernetes version and cluster-aws release) and EKS upgrade insights.
 * @public
 */
export const EntityVersionSupportCard = awsClustersPlugin.provide(
  createComponentExtension({
    name: 'EntityVersionSupportCard',
    component: {
      lazy: () =>
        import('./components/VersionSupport').then(
          m => m.EntityVersionSupportCard,
        ),
    },
  }),
);

/**
 * How to connect to the cluster: the kubeconfig or login command, with copy buttons.
 * @public
 */
export const EntityConnectCard = awsClustersPlugin.provide(
  createComponentExtension({
    name: 'EntityConnectCard',
    component: {
      lazy: () =>
        import('./components/ConnectCard').then(m => m.EntityConnectCard),
    },
  }),
);

/**
 * What the cluster costs, from AWS Cost Explorer: this month so far, last month and the trend.
 * @public
 */
export const EntityClusterCostCard = awsClustersPlugin.provide(
  createComponentExtension({
    name: 'EntityClusterCostCard',
    component: {
      lazy: () =>
        import('./components/CostCard').then(m => m.EntityClusterCostCard),
    },
  }),
);

/**
 * The Clusters tab of a Group's entity page: the clusters the group owns.
 * @public
 */
export const EntityTeamClustersContent = awsClustersPlugin.provide(
  createComponentExtension({
    name: 'EntityTeamClustersContent',
    component: {
      lazy: () =>
        import('./components/TeamClusters').then(
          m => m.EntityTeamClustersContent,
        ),
    },
  }),
);

/**
 * The Clusters page: the clusters of the signed-in user's teams.
 * @public
 */
export const AwsClustersPage = awsClustersPlugin.provide(
  createRoutableExtension({
    name: 'AwsClustersPage',
    component: () =>
      import('./components/TeamClusters').then(m => m.AwsClustersPage),
    mountPoint: rootRouteRef,
  }),
);

/**
 * The Fleet overview page: counts by status, version, flavor, account, region and management
 * cluster, the clusters that need attention, and a filterable table.
 * @public
 */
export const AwsFleetOverviewPage = awsClustersPlugin.provide(
  createRoutableExtension({
    name: 'AwsFleetOverviewPage',
    component: () =>
      import('./components/FleetOverview').then(m => m.FleetOverviewPage),
    mountPoint: fleetRouteRef,
  }),
);

/**
 * A management cluster's workload clusters with their status, and its role identities.
 * @public
 */
export const EntityManagementClusterCard = awsClustersPlugin.provide(
  createComponentExtension({
    name: 'EntityManagementClusterCard',
    component: {
      lazy: () =>
        import('./components/FleetEntityCards').then(
          m => m.EntityManagementClusterCard,
        ),
    },
  }),
);

/**
 * An AWS account's clusters per region, quota headroom, access model and findings.
 * @public
 */
export const EntityAccountCard = awsClustersPlugin.provide(
  createComponentExtension({
    name: 'EntityAccountCard',
    component: {
      lazy: () =>
        import('./components/FleetEntityCards').then(m => m.EntityAccountCard),
    },
  }),
);
