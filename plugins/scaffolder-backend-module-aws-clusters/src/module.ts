import {
  coreServices,
  createBackendModule,
} from '@backstage/backend-plugin-api';
import { scaffolderActionsExtensionPoint } from '@backstage/plugin-scaffolder-node';
import { readScaffolderModuleConfig } from './config/moduleConfig';
import { createClusterdeckActions } from './createClusterdeckActions';
import { ensureLocalRepository } from './lib/seedRepository';

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
        permissions: coreServices.permissions,
        auditor: coreServices.auditor,
        logger: coreServices.logger,
      },
      async init({
        scaffolder,
        config,
        discovery,
        auth,
        permissions,
        auditor,
        logger,
      }) {
        scaffolder.addActions(
          ...createClusterdeckActions({
            config,
            discovery,
            auth,
            permissions,
            auditor,
          }),
        );
        await ensureLocalRepository({
          gitops: readScaffolderModuleConfig(config).gitops,
          logger,
        });
      },
    });
  },
});
