import {
  coreServices,
  createBackendModule,
} from '@backstage/backend-plugin-api';
import { policyExtensionPoint } from '@backstage/plugin-permission-node/alpha';
import { readClusterdeckConfig } from '@clusterdeck/plugin-aws-clusters-node';
import { ClusterdeckPermissionPolicy } from './ClusterdeckPermissionPolicy';

/**
 * Installs {@link ClusterdeckPermissionPolicy} as the permission backend's policy, with the
 * admin groups of `clusterdeck.adminGroups` and
 * `clusterdeck.permissions.catalogClusterEntities`.
 * @public
 */
export const permissionModuleClusterdeckPolicy = createBackendModule({
  pluginId: 'permission',
  moduleId: 'clusterdeck-policy',
  register(reg) {
    reg.registerInit({
      deps: { policy: policyExtensionPoint, config: coreServices.rootConfig },
      async init({ policy, config }) {
        const { adminGroups, permissions } = readClusterdeckConfig(config);
        policy.setPolicy(
          new ClusterdeckPermissionPolicy(adminGroups, {
            catalogClusterEntities: permissions.catalogClusterEntities,
          }),
        );
      },
    });
  },
});
