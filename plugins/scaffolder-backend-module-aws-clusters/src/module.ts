import { coreServices, createBackendModule } from '@backstage/backend-plugin-api';
import { scaffolderActionsExtensionPoint } from '@backstage/plugin-scaffolder-node';
import { createClusterdeckActions } from './createClusterdeckActions';

/**
 * The Clusterdeck scaffolder module: cluster requests (validate, allocate, render, apply),
 * day-2 node pool changes, AWS accounts (create, bootstrap) and a local GitOps repository.
 * @public
 */
export const scaffolderModuleAwsClusters = createBackendModule({
  pluginId: 'scaffolder',
  moduleId: 'aws-clusters',
  register(reg) {
    reg.registerInit({
      deps: {
        scaffolder: scaffolderActionsExtensionPoint,
        config: coreServices.rootConfig,
        discovery: coreServices.discovery,
        auth: coreServices.auth,
        userInfo: coreServices.userInfo,
      },
      async init({ scaffolder, config, discovery, auth, userInfo }) {
        scaffolder.addActions(...createClusterdeckActions({ config, discovery, auth, userInfo }));
      },
    });
  },
});
