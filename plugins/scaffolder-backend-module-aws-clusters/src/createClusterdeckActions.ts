import {
  AuditorService,
  AuthService,
  DiscoveryService,
  PermissionsService,
} from '@backstage/backend-plugin-api';
import { Config, ConfigReader } from '@backstage/config';
import type { JsonObject } from '@backstage/types';
import { DefaultAwsCredentialsManager } from '@backstage/integration-aws-node';
import {
  AwsCredentialsSource,
  ClusterdeckAuthorizer,
  ClusterdeckConfig,
  FleetApi,
  FleetApiClient,
  readClusterdeckConfig,
} from '@clusterdeck/plugin-aws-clusters-node';
import {
  MODULE_CONFIG_KEYS,
  readScaffolderModuleConfig,
  ScaffolderModuleConfig,
} from './config/moduleConfig';
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
  createUpgradeClusterAction,
  createRetireClusterAction,
  createValidateClusterAction,
} from './actions';
import { AccessPolicy } from './lib/access';
import { ProvisioningSessions } from './lib/awsSessions';
import { AwsRetryOptions } from './lib/awsRetry';
import { StepAudit } from './lib/stepAudit';

/**
 * The fleet backend's configuration, read without this module's keys, so that its strict
 * reader accepts a `clusterdeck` block that carries them.
 */
function readBaseConfig(config: Config) {
  const block = config.getOptional<JsonObject>('clusterdeck') ?? {};
  const rest = Object.fromEntries(
    Object.entries(block).filter(
      ([key]) => !(MODULE_CONFIG_KEYS as readonly string[]).includes(key),
    ),
  );
  return readClusterdeckConfig(new ConfigReader({ clusterdeck: rest }));
}

/**
 * Builds every Clusterdeck action from the backend's services and configuration. Every action
 * asks the permission framework, with the initiator's credentials, whether it may go on.
 * @public
 */
export function createClusterdeckActions(services: {
  config: Config;
  discovery: DiscoveryService;
  auth: AuthService;
  permissions: PermissionsService;
  auditor: AuditorService;
}) {
  const base = readBaseConfig(services.config);
  const settings = readScaffolderModuleConfig(services.config);
  const { organizationAccess } = settings;
  const authorizer = ClusterdeckAuthorizer.create({
    permissions: services.permissions,
    auth: services.auth,
    serviceGrants: base.permissions.services,
  });
  return clusterdeckActions({
    base,
    settings,
    fleet: FleetApiClient.create({
      discovery: services.discovery,
      auth: services.auth,
    }),
    access: AccessPolicy.create({ authorizer, accounts: base.accounts }),
    audit: StepAudit.create({
      auditor: services.auditor,
      nameOf: credentials => authorizer.nameOf(credentials),
    }),
    sessions: organizationAccess
      ? new ProvisioningSessions(
          DefaultAwsCredentialsManager.fromConfig(
            services.config,
          ) as AwsCredentialsSource,
          organizationAccess,
        )
      : undefined,
  });
}

/** Every Clusterdeck action, from parsed configuration and the clients they use. */
export function clusterdeckActions(deps: {
  base: ClusterdeckConfig;
  settings: ScaffolderModuleConfig;
  fleet: FleetApi;
  access: AccessPolicy;
  audit: StepAudit;
  sessions?: ProvisioningSessions;
  retry?: AwsRetryOptions;
  /** Time between readiness polls of `clusterdeck:manifests:apply`, in milliseconds. */
  applyPollIntervalMs?: number;
}) {
  const { base, settings, fleet, access, audit, sessions, retry } = deps;
  const { organizationAccess } = settings;
  return [
    createValidateClusterAction({
      config: base,
      guardrails: settings.guardrails,
      gitops: settings.gitops,
      fleet,
      access,
    }),
    createAllocateCidrAction({ fleet, access, audit }),
    createRenderClusterAction({
      config: base,
      gitops: settings.gitops,
      fleet,
      access,
      audit,
    }),
    createRegisterClusterAction({ fleet, access, audit }),
    createUpdateNodePoolAction({
      config: base,
      guardrails: settings.guardrails,
      gitops: settings.gitops,
      fleet,
      access,
    }),
    createUpgradeClusterAction({
      config: base,
      gitops: settings.gitops,
      fleet,
      access,
    }),
    createRetireClusterAction({ gitops: settings.gitops, fleet, access }),
    createGitopsFetchAction({
      config: base,
      gitops: settings.gitops,
      fleet,
      access,
    }),
    createGitopsCommitAction({
      config: base,
      gitops: settings.gitops,
      fleet,
      access,
      audit,
    }),
    createApplyManifestsAction({
      config: base,
      allowedKinds: settings.apply.allowedKinds,
      access,
      audit,
      pollIntervalMs: deps.applyPollIntervalMs,
    }),
    createCreateAccountAction({
      organizationAccess,
      sessions,
      access,
      audit,
      retry,
    }),
    createBootstrapAccountAction({
      config: base,
      settings: settings.accountBootstrap,
      gitops: settings.gitops,
      organizationAccess,
      sessions,
      access,
      audit,
      retry,
    }),
  ];
}
