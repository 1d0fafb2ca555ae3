import { createPlugin } from '@backstage/core-plugin-api';

/**
 * Clusterdeck's frontend plugin for apps on the legacy frontend system.
 * @public
 */
export const awsClustersPlugin = createPlugin({
  id: 'aws-clusters',
});
