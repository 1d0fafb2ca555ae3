import { createFrontendPlugin } from '@backstage/frontend-plugin-api';

/**
 * Clusterdeck's frontend plugin for the New Frontend System.
 * @alpha
 */
export default createFrontendPlugin({
  pluginId: 'aws-clusters',
  extensions: [],
});
