import type {
  LoggerService,
  RootConfigService,
} from '@backstage/backend-plugin-api';

/**
 * Says at startup, as a warning, that the permission framework is off (`permission.enabled` is
 * not `true`): Backstage then allows every permission, so every signed-in user may do every
 * write of Clusterdeck (reserve addresses, record requests, apply manifests, create accounts)
 * for any team. Returns whether it warned.
 */
export function warnIfPermissionsDisabled(
  rootConfig: Pick<RootConfigService, 'getOptionalBoolean'>,
  logger: Pick<LoggerService, 'warn'>,
): boolean {
  if (rootConfig.getOptionalBoolean('permission.enabled') === true)
    return false;
  logger.warn(
    'permission.enabled is not true: the permission framework allows everything, so every signed-in user may do every ' +
      'write of Clusterdeck for any team (reserve CIDR blocks, record and withdraw cluster requests, apply manifests, create ' +
      'accounts), and clusterdeck.adminGroups decides nothing. Set permission.enabled: true and install a policy ' +
      '(permissionModuleClusterdeckPolicy, or your own) before anyone but you can sign in.',
  );
  return true;
}
