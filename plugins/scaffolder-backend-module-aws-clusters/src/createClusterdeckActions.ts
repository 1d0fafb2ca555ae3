import { AuthService, DiscoveryService, UserInfoService } from '@backstage/backend-plugin-api';
import { Config, ConfigReader } from '@backstage/config';
import type { JsonObject } from '@backstage/types';
import { DefaultAwsCredentialsManager } from '@backstage/integration-aws-node';
import { AwsCredentialsSource, ClusterdeckConfig, readClusterdeckConfig } from '@clusterdeck/plugin-aws-clusters-node';
import { MODULE_CONFIG_KEYS, readScaffolderModuleConfig, ScaffolderModuleConfig } from './config/moduleConfig';
import {
  createAllocateCidrAction,
  createApplyManifestsAction,
  createBootstrapAccountAction,
  createCreateAccountAction,
  createGitopsCommitAction,
  createGitopsFetchAction,
  createRegisterClusterAction,
  createRenderClusterAction,
  createUpdateNodePoolAction,
  createValidateClusterAction,
} from './actions';
import { AccessPolicy } from './lib/access';
import { ProvisioningSessions } from './lib/awsSessions';
import { AwsRetryOptions } from './lib/awsRetry';
import { FleetApi, FleetApiClient } from './lib/fleetApi';

/**
 * The fleet backend's configuration, read without this module's keys, so that its strict
 * reader accepts a `clusterdeck` block that carries them.
 */
function readBaseConfig(config: Config) {
  const block = config.getOptional<JsonObject>('clusterdeck') ?? {};
  const rest = Object.fromEntries(Object.entries(block).filter(([key]) => !(MODULE_CONFIG_KEYS as readonly string[]).includes(key)));
  return readClusterdeckConfig(new ConfigReader({ clusterdeck: rest }));
}

/**
 * Builds every Clusterdeck action from the backend's services and configuration.
 * @public
 */
export function createClusterdeckActions(services: {
  config: Config;
  discovery: DiscoveryService;
  auth: AuthService;
  userInfo: UserInfoService;
}) {
  const base = readBaseConfig(services.config);
  const settings = readScaffolderModuleConfig(services.config);
  const { organizationAccess } = settings;
  return clusterdeckActions({
    base,
    settings,
    fleet: FleetApiClient.create({ discovery: services.discovery, auth: services.auth }),
    access: AccessPolicy.create({ userInfo: services.userInfo, adminGroups: base.adminGroups, accounts: base.accounts }),
    sessions: organizationAccess
      ? new ProvisioningSessions(DefaultAwsCredentialsManager.fromConfig(services.config) as AwsCredentialsSource, organizationAccess)
      : undefined,
  });
}

/** Every Clusterdeck action, from parsed configuration and the clients they use. */
export function clusterdeckActions(deps: {
  base: ClusterdeckConfig;
  settings: ScaffolderModuleConfig;
  fleet: FleetApi;
  access: AccessPolicy;
  sessions?: ProvisioningSessions;
  retry?: AwsRetryOptions;
}) {
  const { base, settings, fleet, access, sessions, retry } = deps;
  const { organizationAccess } = settings;
  return [
    createValidateClusterAction({ config: base, guardrails: settings.guardrails, gitops: settings.gitops, fleet, access }),
    createAllocateCidrAction({ fleet, access }),
    createRenderClusterAction({ config: base, gitops: settings.gitops, fleet, access }),
    createRegisterClusterAction({ fleet, access }),
    createUpdateNodePoolAction({ config: base, guardrails: settings.guardrails, gitops: settings.gitops, fleet, access }),
    createGitopsFetchAction({ gitops: settings.gitops, fleet, access }),
    createGitopsCommitAction({ gitops: settings.gitops, fleet, access }),
    createApplyManifestsAction({ config: base, access }),
    createCreateAccountAction({ organizationAccess, sessions, access, retry }),
    createBootstrapAccountAction({
      config: base,
      settings: settings.accountBootstrap,
      gitops: settings.gitops,
      organizationAccess,
      sessions,
      access,
      retry,
    }),
  ];
}
