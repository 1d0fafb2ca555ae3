import {
  ApiBlueprint,
  createFrontendPlugin,
  discoveryApiRef,
  fetchApiRef,
  type FrontendPlugin,
} from '@backstage/frontend-plugin-api';
import { EntityCardBlueprint } from '@backstage/plugin-catalog-react/alpha';
import { AwsClustersClient, awsClustersApiRef, isClusterdeckCluster } from '../api';

/** The aws-clusters backend client, as the plugin's API. */
export const awsClustersApi = ApiBlueprint.make({
  params: defineParams =>
    defineParams({
      api: awsClustersApiRef,
      deps: { discoveryApi: discoveryApiRef, fetchApi: fetchApiRef },
      factory: ({ discoveryApi, fetchApi }) => new AwsClustersClient({ discoveryApi, fetchApi }),
    }),
});

/** The node-pool scaling card on cluster entities. */
const nodePoolScalingEntityCard = EntityCardBlueprint.make({
  name: 'node-pool-scaling',
  params: {
    filter: isClusterdeckCluster,
    loader: () => import('../components/cards/NodePoolScalingCard').then(m => <m.EntityNodePoolScalingCard />),
  },
});

/** The isolation boundaries card on cluster entities. */
const clusterBoundariesEntityCard = EntityCardBlueprint.make({
  name: 'cluster-boundaries',
  params: {
    filter: isClusterdeckCluster,
    loader: () => import('../components/cards/BoundariesCard').then(m => <m.EntityClusterBoundariesCard />),
  },
});

/**
 * Clusterdeck's frontend plugin for the New Frontend System.
 * @alpha
 */
const awsClustersAlphaPlugin: FrontendPlugin = createFrontendPlugin({
  pluginId: 'aws-clusters',
  extensions: [
    awsClustersApi,
    clusterBoundariesEntityCard,
    nodePoolScalingEntityCard,
    // Scaffolder form fields (src/components/fields) and the team's clusters table go here.
  ],
});

export default awsClustersAlphaPlugin;
