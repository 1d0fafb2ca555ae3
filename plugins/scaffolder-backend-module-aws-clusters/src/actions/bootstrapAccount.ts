import { IAMClient } from '@aws-sdk/client-iam';
import { InputError } from '@backstage/errors';
import { createTemplateAction } from '@backstage/plugin-scaffolder-node';
import { workspacePathOf } from '../lib/inputPaths';
import {
  ACCESS_MODELS,
  ACCOUNT_ENVIRONMENTS,
  accountRequestSchema,
  awsAccountBootstrapPermission,
  CLUSTERDECK_ANNOTATIONS,
  zodProblems,
} from '@clusterdeck/plugin-aws-clusters-common';
import type { ClusterdeckConfig } from '@clusterdeck/plugin-aws-clusters-node';
import crypto from 'node:crypto';
import fs from 'node:fs/promises';
import path from 'node:path';
import yaml from 'yaml';
import { z as zod } from 'zod';
import type {
  AccountBootstrapConfig,
  GitopsConfig,
  OrganizationAccessConfig,
} from '../config/moduleConfig';
import { AccessPolicy } from '../lib/access';
import { AwsRetryOptions } from '../lib/awsRetry';
import { ProvisioningSessions } from '../lib/awsSessions';
import {
  CapaRolePlan,
  CapaRoleReconciler,
  externalIdOf,
  planCapaRole,
  resolvePolicyDirectory,
} from '../lib/capaRole';
import { platformAccountEntity } from '../lib/catalogEntities';
import { fillPattern } from '../lib/gitopsLayout';
import { organizationNamespacesOf } from '../lib/organizationNamespaces';
import { ProblemsError } from '../lib/problems';
import { StepAudit } from '../lib/stepAudit';
import { DRY_RUN_ACCOUNT_ID } from './createAccount';
import { examples } from './bootstrapAccount.examples';

/** @public What `clusterdeck:account:bootstrap` needs. */
export interface BootstrapAccountActionOptions {
  config: Pick<ClusterdeckConfig, 'organizations'>;
  settings: AccountBootstrapConfig;
  gitops: Pick<GitopsConfig, 'roleIdentityPath' | 'accountPath'>;
  organizationAccess?: OrganizationAccessConfig;
  sessions?: ProvisioningSessions;
  access: AccessPolicy;
  audit: StepAudit;
  retry?: AwsRetryOptions;
}

const ACTION_ID = 'clusterdeck:account:bootstrap';

const { spec, metadata } = accountRequestSchema.shape;
const bootstrapInput = zod.object({
  accountId: zod
    .string()
    .regex(/^\d{12}$/, { error: 'must be exactly 12 digits' }),
  accountName: metadata.shape.name,
  owner: spec.shape.owner,
  environment: spec.shape.environment,
  accessModel: spec.shape.accessModel,
  regions: spec.shape.regions,
  externalId: zod
    .string()
    .regex(/^[\w+=,.@:/-]{2,1224}$/, {
      error: 'must be 2 to 1224 letters, digits and any of + = , . @ : / - _',
    })
    .optional(),
});

/** @public The AWSClusterRoleIdentity through which a management cluster reaches the account. */
export function roleIdentityManifest(options: {
  name: string;
  plan: CapaRolePlan;
  externalId: string;
  owner: string;
  environment: string;
  allowedNamespaces: string[];
}) {
  return {
    apiVersion: 'infrastructure.cluster.x-k8s.io/v1beta2',
    kind: 'AWSClusterRoleIdentity',
    metadata: {
      name: options.name,
      labels: {
        [CLUSTERDECK_ANNOTATIONS.accountId]: options.plan.accountId,
        'clusterdeck.io/environment': options.environment,
      },
      annotations: { [CLUSTERDECK_ANNOTATIONS.owner]: options.owner },
    },
    spec: {
      roleARN: options.plan.roleArn,
      externalID: options.externalId,
      sessionName: 'capa-controller',
      durationSeconds: 900,
      sourceIdentityRef: {
        kind: 'AWSClusterControllerIdentity',
        name: 'default',
      },
      allowedNamespaces: { list: options.allowedNamespaces },
    },
  };
}

/**
 * `clusterdeck:account:bootstrap`: creates (or brings up to date) the CAPA controller role of a
 * management cluster in an account, through the organization's access role, and writes the
 * AWSClusterRoleIdentity and the account's catalog entry into the workspace for a pull request.
 * @public
 */
export function createBootstrapAccountAction(
  options: BootstrapAccountActionOptions,
) {
  const { settings, gitops, organizationAccess, sessions, access, audit } =
    options;
  return createTemplateAction({
    id: ACTION_ID,
    description:
      "Assumes the organization's access role in an account and creates the management cluster's CAPA controller role there, " +
      "with the policies of clusterdeck.accountBootstrap.policyDirectory, trusting the controller's principal with an external id; " +
      'an existing role and its policies are compared and updated, never duplicated. Writes the AWSClusterRoleIdentity and the ' +
      "account's catalog entry into the workspace. Needs the aws-clusters.account.bootstrap permission (the platform team).",
    examples,
    supportsDryRun: true,
    schema: {
      input: {
        accountId: z =>
          z
            .string()
            .describe(
              'The account (clusterdeck:account:create output accountId)',
            ),
        accountName: z =>
          z
            .string()
            .describe(
              "The account's name; it also names the AWSClusterRoleIdentity",
            ),
        managementCluster: z =>
          z
            .string()
            .describe(
              'The management cluster whose CAPA controller gets the role (a key of clusterdeck.accountBootstrap.managementClusters)',
            ),
        owner: z =>
          z
            .string()
            .describe(
              'The group that owns the account; its organization namespaces may use the role identity',
            ),
        environment: z =>
          z
            .string()
            .describe(
              `The account's environment: ${ACCOUNT_ENVIRONMENTS.join(', ')}`,
            ),
        accessModel: z =>
          z
            .string()
            .describe(
              `The account's access model: ${ACCESS_MODELS.join(', ')}`,
            ),
        regions: z =>
          z
            .array(z.string())
            .optional()
            .describe('Regions the account is used in (default eu-west-1)'),
        email: z =>
          z
            .string()
            .optional()
            .describe("The account root user's e-mail, for the catalog entry"),
        organizationalUnit: z =>
          z
            .string()
            .optional()
            .describe('The organizational unit, for the catalog entry'),
        externalId: z =>
          z
            .string()
            .optional()
            .describe(
              "The external id the role's trust asks for; default: the existing role's, else a new random one",
            ),
        targetPath: z =>
          z
            .string()
            .optional()
            .describe(
              'Workspace directory the files are written under (default: the workspace)',
            ),
      },
      output: {
        roleArn: z => z.string(),
        externalId: z =>
          z
            .string()
            .describe(
              'The external id in the trust policy and the AWSClusterRoleIdentity',
            ),
        roleIdentityName: z => z.string(),
        files: z =>
          z
            .array(z.string())
            .describe(
              'Workspace paths written: the AWSClusterRoleIdentity and the catalog entry',
            ),
        changes: z =>
          z
            .array(z.string())
            .describe(
              'What was created, updated, attached or found unchanged in IAM (planned, in a dry run)',
            ),
        accountConfig: z =>
          z
            .string()
            .describe(
              'The entry to add under clusterdeck.accounts so the fleet reads the account',
            ),
      },
    },
    async handler(ctx) {
      const refs = {
        accountId: ctx.input.accountId,
        accountName: ctx.input.accountName,
        managementCluster: ctx.input.managementCluster,
      };
      await audit.run(
        ctx,
        {
          actionId: ACTION_ID,
          eventId: 'account-bootstrap',
          severityLevel: 'high',
          owner: ctx.input.owner,
          refs,
        },
        async step => {
          const dryRunId =
            ctx.isDryRun && ctx.input.accountId === DRY_RUN_ACCOUNT_ID;
          const parsed = bootstrapInput.safeParse({
            ...ctx.input,
            accountId: dryRunId ? '000000000000' : ctx.input.accountId,
          });
          if (!parsed.success)
            throw new ProblemsError(
              'The bootstrap request is invalid',
              zodProblems(ctx.input, parsed.error.issues),
            );
          const input = { ...parsed.data, accountId: ctx.input.accountId };
          if (!settings.managementClusters[ctx.input.managementCluster]) {
            throw new InputError(
              `managementCluster: ${ctx.input.managementCluster} has no entry in clusterdeck.accountBootstrap.managementClusters ` +
                `(known: ${
                  Object.keys(settings.managementClusters).join(', ') || 'none'
                })`,
            );
          }
          const credentials = await ctx.getInitiatorCredentials();
          await access.assert(
            credentials,
            awsAccountBootstrapPermission,
            'bootstrap AWS accounts',
          );
          // The identity admits the owner's organization namespaces; an owner without one could use it nowhere.
          const allowedNamespaces = organizationNamespacesOf(
            input.owner,
            options.config.organizations,
          );
          if (allowedNamespaces.length === 0)
            throw new InputError(
              `owner: ${input.owner} has no organization: clusterdeck.organizations maps none to it, and only a group of the default namespace owns the organization of its name`,
            );
          const policyDirectory = resolvePolicyDirectory(
            settings.policyDirectory,
          );
          const plan = (externalId: string) =>
            planCapaRole({
              accountId: input.accountId,
              managementCluster: ctx.input.managementCluster,
              externalId,
              owner: input.owner,
              environment: input.environment,
              settings,
              policyDirectory,
            });

          let externalId: string;
          let changes: string[];
          if (ctx.isDryRun) {
            externalId =
              input.externalId ??
              "(the existing role's, else generated on a real run)";
            const planned = plan(externalId);
            changes = [
              `role ${
                planned.roleArn
              }, trusting ${planned.trustPolicy.Statement.map(s =>
                JSON.stringify(s.Principal),
              ).join(' and ')}`,
              ...planned.policies.map(
                p =>
                  `policy ${p.name} from ${p.file} (${p.document.Statement.length} statements), attached to ${planned.roleName}`,
              ),
            ];
            ctx.logger.info(
              `Dry run: would create or bring up to date in account ${
                input.accountId
              }:\n${changes.join('\n')}`,
            );
            ctx.logger.info(
              `Dry run: trust policy:\n${JSON.stringify(
                planned.trustPolicy,
                null,
                2,
              )}`,
            );
          } else {
            if (!organizationAccess || !sessions) {
              throw new Error(
                "clusterdeck.organizationAccess is not configured: Clusterdeck cannot reach the account through the organization's access role",
              );
            }
            const iam = new IAMClient({
              region: organizationAccess.region,
              credentials: await sessions.accessRole(input.accountId, {
                partition: settings.partition,
                user: access.nameOf(credentials),
              }),
            });
            const reconciler = new CapaRoleReconciler(
              iam,
              ctx.checkpoint.bind(ctx) as any,
              { ...options.retry, signal: ctx.signal },
              input.accountId,
            );
            const roleName = plan('-').roleName;
            externalId =
              input.externalId ??
              externalIdOf(await reconciler.currentTrust(roleName)) ??
              (await ctx.checkpoint({
                key: `external-id:${input.accountId}:${roleName}`,
                fn: async () => crypto.randomUUID(),
              }));
            const done = await reconciler.reconcile(plan(externalId));
            changes = done.map(c => `${c.change}: ${c.resource}`);
            step.refs.roleArn = plan(externalId).roleArn;
            ctx.logger.info(
              `CAPA controller role in ${input.accountId}:\n${changes.join(
                '\n',
              )}`,
            );
          }

          const finalPlan = plan(externalId);
          const values = {
            managementCluster: ctx.input.managementCluster,
            name: input.accountName,
          };
          const roleIdentity = roleIdentityManifest({
            name: input.accountName,
            plan: finalPlan,
            externalId,
            owner: input.owner,
            environment: input.environment,
            allowedNamespaces,
          });
          const entity = platformAccountEntity({
            id: input.accountId,
            name: input.accountName,
            environment: input.environment,
            owner: input.owner,
            accessModel: input.accessModel,
            organizationalUnit: ctx.input.organizationalUnit,
          });
          const base = ctx.input.targetPath || '.';
          const files = [
            {
              path: path.posix.join(
                base,
                fillPattern(gitops.roleIdentityPath, values),
                `${input.accountName}.yaml`,
              ),
              content: roleIdentity,
            },
            {
              path: path.posix.join(
                base,
                fillPattern(gitops.accountPath, values),
                'catalog-info.yaml',
              ),
              content: entity,
            },
          ];
          for (const file of files) {
            const target = workspacePathOf(
              ctx.workspacePath,
              file.path,
              'targetPath',
            );
            await fs.mkdir(path.dirname(target), { recursive: true });
            await fs.writeFile(target, yaml.stringify(file.content));
          }
          const accountConfig = yaml.stringify([
            {
              id: input.accountId,
              name: input.accountName,
              environment: input.environment,
              owners: [input.owner],
              accessModel: input.accessModel,
              regions: input.regions,
            },
          ]);
          ctx.output('roleArn', finalPlan.roleArn);
          ctx.output('externalId', externalId);
          ctx.output('roleIdentityName', input.accountName);
          ctx.output(
            'files',
            files.map(f => path.posix.normalize(f.path)),
          );
          ctx.output('changes', changes);
          ctx.output('accountConfig', accountConfig);
        },
      );
    },
  });
}
