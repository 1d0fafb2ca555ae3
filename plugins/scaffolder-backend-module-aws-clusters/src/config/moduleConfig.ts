import { Config } from '@backstage/config';
import {
  ACCOUNT_ENVIRONMENTS,
  formatPath,
} from '@clusterdeck/plugin-aws-clusters-common';
import { z } from 'zod';
import { RENDERED_KINDS } from '../lib/applyKinds';

/** @public The guardrails of one environment (`clusterdeck.guardrails.environments.<name>`). */
export const guardrailSchema = z.strictObject({
  /** AWS regions clusters may be put in. */
  regions: z.array(z.string().min(1)).optional(),
  /** `ec2`, `eks` or both. */
  flavors: z.array(z.enum(['ec2', 'eks'])).optional(),
  /** Instance types, exact (`m6i.xlarge`) or with `*` wildcards (`m6i.*`, `*.large`). */
  instanceTypes: z.array(z.string().min(1)).optional(),
  /** The largest `maxSize` of one node pool. */
  maxNodesPerPool: z.int().min(1).optional(),
  /** The largest sum of `maxSize` over a cluster's node pools. */
  maxNodesPerCluster: z.int().min(1).optional(),
  /** The API must be private, or public with an allow-list that is not 0.0.0.0/0. */
  requirePrivateApiOrAllowList: z.boolean().optional(),
  /** The fewest availability zones a cluster may use. */
  minAvailabilityZones: z.int().min(1).max(3).optional(),
});

/** @public The guardrails of one environment, every field optional. */
export type EnvironmentGuardrails = z.output<typeof guardrailSchema>;

const guardrailsSchema = z
  .strictObject({
    /** What holds in every environment unless the environment says otherwise. */
    defaults: guardrailSchema.default({}),
    environments: z
      .partialRecord(z.enum(ACCOUNT_ENVIRONMENTS), guardrailSchema)
      .default({}),
  })
  .default({ defaults: {}, environments: {} });

const gitopsSchema = z
  .strictObject({
    /** A local Git repository (path) that `clusterdeck:gitops:*` read and commit to; the demo's `examples/gitops`. */
    localRepository: z.string().min(1).optional(),
    /** A folder whose files fill a newly created local repository (the demo's `examples/demo-fleet/gitops`). */
    seedDirectory: z.string().min(1).optional(),
    /** The branch changes are based on. */
    defaultBranch: z.string().min(1).default('main'),
    /** Where a workload cluster's files live in the repository. */
    clusterPath: z
      .string()
      .min(1)
      .default(
        'management-clusters/{managementCluster}/organizations/{organization}/workload-clusters/{name}',
      ),
    /** Where an account's AWSClusterRoleIdentity lives in the repository. */
    roleIdentityPath: z
      .string()
      .min(1)
      .default('management-clusters/{managementCluster}/role-identities'),
    /** Where an account's catalog entry lives in the repository. */
    accountPath: z.string().min(1).default('accounts/{name}'),
    /** The author of commits made by `clusterdeck:gitops:commit` when the user has no e-mail. */
    author: z
      .strictObject({ name: z.string().min(1), email: z.string().min(3) })
      .default({ name: 'Clusterdeck', email: 'clusterdeck@localhost' }),
  })
  .default({
    defaultBranch: 'main',
    clusterPath:
      'management-clusters/{managementCluster}/organizations/{organization}/workload-clusters/{name}',
    roleIdentityPath: 'management-clusters/{managementCluster}/role-identities',
    accountPath: 'accounts/{name}',
    author: { name: 'Clusterdeck', email: 'clusterdeck@localhost' },
  });

const twelveDigits = z
  .string()
  .regex(/^\d{12}$/, { error: 'must be exactly 12 digits' });

const organizationAccessSchema = z.strictObject({
  /** The AWS Organizations management account; its credentials come from the `aws` block. */
  managementAccountId: twelveDigits,
  /** The region of the Organizations endpoint. */
  region: z.string().default('us-east-1'),
  /** The role Organizations creates in new accounts and that Clusterdeck assumes there. */
  accessRoleName: z.string().min(1).default('OrganizationAccountAccessRole'),
  /** How long to wait for an account to be created. */
  creationTimeoutMinutes: z.number().positive().max(60).default(15),
  /** The first wait between status polls; it grows by half each time up to 30 seconds. */
  pollIntervalSeconds: z.number().positive().max(60).default(5),
});

const accountBootstrapSchema = z
  .strictObject({
    /** The CAPA controller role's name; `{managementCluster}` is replaced. */
    roleName: z
      .string()
      .min(1)
      .default('giantswarm-{managementCluster}-capa-controller'),
    /** The prefix of the managed policies' names; `{managementCluster}` is replaced. */
    policyNamePrefix: z.string().default('giantswarm-{managementCluster}-'),
    /** The AWS partition of the accounts. */
    partition: z.string().default('aws'),
    /**
     * The folder with the role's policy files and `trusted-entities.json` (Giant Swarm's
     * giantswarm-capa-controller-role policies); default: the upstream reference set beside the checkout.
     */
    policyDirectory: z.string().min(1).optional(),
    /** Which optional policies to attach (as the reference Terraform's variables). */
    features: z
      .strictObject({
        eks: z.boolean().default(true),
        byovpc: z.boolean().default(false),
        resolverRules: z.boolean().default(false),
      })
      .default({ eks: true, byovpc: false, resolverRules: false }),
    /** Per management cluster: the principal its CAPA controller runs as, and its OIDC provider for Crossplane. */
    managementClusters: z
      .record(
        z.string(),
        z.strictObject({
          controllerPrincipalArn: z
            .string()
            .regex(/^arn:[a-z-]+:(iam|sts)::\d{12}:/, {
              error: 'must be an IAM principal ARN',
            }),
          oidcProvider: z.string().optional(),
        }),
      )
      .default({}),
  })
  .default({
    roleName: 'giantswarm-{managementCluster}-capa-controller',
    policyNamePrefix: 'giantswarm-{managementCluster}-',
    partition: 'aws',
    features: { eks: true, byovpc: false, resolverRules: false },
    managementClusters: {},
  });

const applySchema = z
  .strictObject({
    /**
     * The kinds `clusterdeck:manifests:apply` applies, as `Kind.group` (`ConfigMap` for the core
     * group): a subset of what Clusterdeck renders, which is also the default.
     */
    allowedKinds: z
      .array(
        z.string().refine(kind => RENDERED_KINDS.includes(kind), {
          error: `must be one of the kinds Clusterdeck renders: ${RENDERED_KINDS.join(
            ', ',
          )}`,
        }),
      )
      .default([...RENDERED_KINDS]),
  })
  .default({ allowedKinds: [...RENDERED_KINDS] });

/** @public The schema of the blocks of `clusterdeck` this module reads. */
export const moduleConfigSchema = z.strictObject({
  guardrails: guardrailsSchema,
  gitops: gitopsSchema,
  organizationAccess: organizationAccessSchema.optional(),
  accountBootstrap: accountBootstrapSchema,
  apply: applySchema,
});

/** @public The scaffolder module's own configuration under `clusterdeck`, checked and with defaults. */
export type ScaffolderModuleConfig = z.output<typeof moduleConfigSchema>;
/** @public The guardrails configuration. */
export type GuardrailsConfig = ScaffolderModuleConfig['guardrails'];
/** @public The GitOps configuration. */
export type GitopsConfig = ScaffolderModuleConfig['gitops'];
/** @public How Clusterdeck reaches AWS Organizations. */
export type OrganizationAccessConfig = NonNullable<
  ScaffolderModuleConfig['organizationAccess']
>;
/** @public How new accounts get their CAPA role. */
export type AccountBootstrapConfig = ScaffolderModuleConfig['accountBootstrap'];
/** @public What `clusterdeck:manifests:apply` may apply. */
export type ApplyConfig = ScaffolderModuleConfig['apply'];

/** @public The keys this module reads under `clusterdeck`; the rest belongs to the fleet backend. */
export const MODULE_CONFIG_KEYS = [
  'guardrails',
  'gitops',
  'organizationAccess',
  'accountBootstrap',
  'apply',
] as const;

/**
 * Parses the module's configuration from plain data (tests, or what {@link readScaffolderModuleConfig} read).
 * Throws naming every bad key.
 * @public
 */
export function parseScaffolderModuleConfig(
  raw: unknown,
): ScaffolderModuleConfig {
  const parsed = moduleConfigSchema.safeParse(raw ?? {});
  if (!parsed.success) {
    const lines = parsed.error.issues.map(
      issue => `clusterdeck.${formatPath(issue.path)}: ${issue.message}`,
    );
    throw new Error(`Invalid clusterdeck configuration:\n${lines.join('\n')}`);
  }
  return parsed.data;
}

/**
 * Reads `clusterdeck.guardrails`, `clusterdeck.gitops`, `clusterdeck.organizationAccess`,
 * `clusterdeck.accountBootstrap` and `clusterdeck.apply`.
 * @public
 */
export function readScaffolderModuleConfig(
  config: Config,
): ScaffolderModuleConfig {
  const raw: Record<string, unknown> = {};
  for (const key of MODULE_CONFIG_KEYS) {
    const value = config.getOptional(`clusterdeck.${key}`);
    if (value !== undefined) raw[key] = value;
  }
  return parseScaffolderModuleConfig(raw);
}
