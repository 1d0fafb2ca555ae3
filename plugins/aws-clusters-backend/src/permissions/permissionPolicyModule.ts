import {
  coreServices,
  createBackendModule,
} from '@backstage/backend-plugin-api';
import { policyExtensionPoint } from '@backstage/plugin-permission-node/alpha';
import { ClusterdeckPermissionPolicy } from './ClusterdeckPermissionPolicy';

/**
 * Installs {@link ClusterdeckPermissionPolicy} as the permission backend's policy, with the
 * admin groups of `clusterdeck.adminGroups`.
 * @public
 */
export const permissionModuleClusterdeckPolicy = createBackendModule({
  pluginId: 'permission',
  moduleId: 'clusterdeck-policy',
  register(reg) {
    reg.registerInit({
      deps: { policy: policyExtensionPoint, config: coreServices.rootConfig },
      async init({ policy, config }) {
        policy.setPolicy(
          new ClusterdeckPermissionPolicy(
            config.getOptionalStringArray('clusterdeck.adminGroups') ?? [],
          ),
        );
      },
    });
  },
});
