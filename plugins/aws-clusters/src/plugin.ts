import {
  createApiFactory,
  createComponentExtension,
  createPlugin,
  discoveryApiRef,
  fetchApiRef,
} from '@backstage/core-plugin-api';
import { AwsClustersClient, awsClustersApiRef } from './api';

/**
 * Clusterdeck's frontend plugin for apps on the legacy frontend system.
 * @public
 */
export const awsClustersPlugin = createPlugin({
  id: 'aws-clusters',
  apis: [
    createApiFactory({
      api: awsClustersApiRef,
      deps: { discoveryApi: discoveryApiRef, fetchApi: fetchApiRef },
      factory: ({ discoveryApi, fetchApi }) => new AwsClustersClient({ discoveryApi, fetchApi }),
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
      lazy: () => import('./components/cards/BoundariesCard').then(m => m.EntityClusterBoundariesCard),
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
      lazy: () => import('./components/cards/NodePoolScalingCard').then(m => m.EntityNodePoolScalingCard),
    },
  }),
);
