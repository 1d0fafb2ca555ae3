import { InputError } from '@backstage/errors';
import { createTemplateAction } from '@backstage/plugin-scaffolder-node';
import {
  ACCESS_MODELS,
  ACCOUNT_ENVIRONMENTS,
  awsAccountCreatePermission,
  CLUSTERDECK_API_VERSION,
  validateAccountRequest,
} from '@clusterdeck/plugin-aws-clusters-common';
import type { OrganizationAccessConfig } from '../config/moduleConfig';
import { AccessPolicy } from '../lib/access';
import { OrganizationAccount, OrganizationAccounts } from '../lib/awsAccounts';
import { AwsRetryOptions, isAwsError } from '../lib/awsRetry';
import { ProvisioningSessions } from '../lib/awsSessions';
import { ProblemsError } from '../lib/problems';
import { StepAudit } from '../lib/stepAudit';
import { examples } from './createAccount.examples';

/** @public What a dry run of `clusterdeck:account:create` outputs as the id of an account it would create. */
export const DRY_RUN_ACCOUNT_ID = 'new-account';

/** @public What `clusterdeck:account:create` needs. */
export interface CreateAccountActionOptions {
  /** `clusterdeck.organizationAccess`; without it the action only does dry runs. */
  organizationAccess?: OrganizationAccessConfig;
  sessions?: ProvisioningSessions;
  access: AccessPolicy;
  audit: StepAudit;
  retry?: AwsRetryOptions;
}

const ACTION_ID = 'clusterdeck:account:create';

/**
 * The account request the inputs describe, checked field by field; paths name the inputs.
 * @public
 */
export function checkAccountInput(input: {
  name: string;
  email: string;
  organizationalUnit: string;
  environment: string;
  owner: string;
  accessModel: string;
  regions?: string[];
}) {
  const result = validateAccountRequest({
    apiVersion: CLUSTERDECK_API_VERSION,
    kind: 'AccountRequest',
    metadata: { name: input.name },
    spec: {
      email: input.email,
      organizationalUnit: input.organizationalUnit,
      environment: input.environment,
      owner: input.owner,
      accessModel: input.accessModel,
      ...(input.regions ? { regions: input.regions } : {}),
    },
  });
  if (!result.ok) {
    throw new ProblemsError(
      'The account request is invalid',
      result.problems.map(p => ({
        ...p,
        path: p.path.replace(/^(metadata|spec)\./, ''),
      })),
    );
  }
  return result.value;
}

/**
 * `clusterdeck:account:create`: creates an AWS account in the organization, in the chosen
 * organizational unit, and waits until it exists. Idempotent by e-mail: an account of the
 * organization with that root e-mail is reused, never created twice.
 * @public
 */
export function createCreateAccountAction(options: CreateAccountActionOptions) {
  const { organizationAccess, sessions, access, audit } = options;
  return createTemplateAction({
    id: ACTION_ID,
    description:
      'Creates an AWS account in AWS Organizations (clusterdeck.organizationAccess) and moves it into the organizational unit, polling the creation with backoff. An account of the organization with the same root e-mail is reused instead. Needs the aws-clusters.account.create permission (the platform team).',
    examples,
    supportsDryRun: true,
    schema: {
      input: {
        name: z =>
          z
            .string()
            .describe(
              "The account's name: lowercase letters, digits and '-', e.g. payments-staging",
            ),
        email: z =>
          z
            .string()
            .describe(
              "The account root user's e-mail; unique in AWS, it identifies the account on retries",
            ),
        organizationalUnit: z =>
          z
            .string()
            .describe(
              'The organizational unit (ou-xxxx-xxxxxxxx) or root (r-xxxx) the account goes into',
            ),
        environment: z =>
          z
            .string()
            .describe(
              `The environment the account serves: ${ACCOUNT_ENVIRONMENTS.join(
                ', ',
              )}`,
            ),
        owner: z =>
          z
            .string()
            .describe(
              'The group that owns the account, e.g. group:default/payments',
            ),
        accessModel: z =>
          z
            .string()
            .describe(
              `How people may reach into the account: ${ACCESS_MODELS.join(
                ', ',
              )}`,
            ),
        regions: z =>
          z
            .array(z.string())
            .optional()
            .describe('Regions the account is used in (default eu-west-1)'),
      },
      output: {
        accountId: z =>
          z
            .string()
            .describe(
              `The account's id (in a dry run that would create one: ${DRY_RUN_ACCOUNT_ID})`,
            ),
        accountName: z => z.string(),
        email: z => z.string(),
        organizationalUnit: z => z.string(),
        created: z =>
          z
            .boolean()
            .describe(
              'Whether this task created the account (false: an existing one was reused)',
            ),
        regions: z => z.array(z.string()),
      },
    },
    async handler(ctx) {
      const { input } = ctx;
      const refs = {
        accountName: input.name,
        email: input.email,
        organizationalUnit: input.organizationalUnit,
      };
      await audit.run(
        ctx,
        {
          actionId: ACTION_ID,
          eventId: 'account-create',
          severityLevel: 'high',
          owner: input.owner,
          refs,
        },
        async step => {
          const request = checkAccountInput(ctx.input);
          const { name } = request.metadata;
          const { email, organizationalUnit } = request.spec;
          const credentials = await ctx.getInitiatorCredentials();
          await access.assert(
            credentials,
            awsAccountCreatePermission,
            'create AWS accounts',
          );

          const output = (accountId: string, created: boolean) => {
            step.refs.accountId = accountId;
            ctx.output('accountId', accountId);
            ctx.output('accountName', name);
            ctx.output('email', email);
            ctx.output('organizationalUnit', organizationalUnit);
            ctx.output('created', created);
            ctx.output('regions', request.spec.regions);
          };

          if (!organizationAccess || !sessions) {
            if (!ctx.isDryRun) {
              throw new Error(
                'clusterdeck.organizationAccess is not configured: Clusterdeck cannot reach AWS Organizations to create accounts',
              );
            }
            ctx.logger.info(
              `Dry run: would create account ${name} <${email}> in ${organizationalUnit}, owned by ${request.spec.owner} ` +
                `(${request.spec.environment}, ${request.spec.accessModel}), unless the organization has an account with that e-mail. ` +
                'clusterdeck.organizationAccess is not configured, so the organization was not asked.',
            );
            output(DRY_RUN_ACCOUNT_ID, true);
            return;
          }

          const accounts = new OrganizationAccounts(
            await sessions.organizations(),
            organizationAccess,
            { ...options.retry, signal: ctx.signal },
          );
          const reuse = (account: OrganizationAccount) => {
            if (account.status && account.status !== 'ACTIVE') {
              throw new InputError(
                `email: the organization's account ${account.id} with this e-mail is ${account.status}`,
              );
            }
            ctx.logger.info(
              `The organization has an account with ${email}: ${account.name} (${account.id}); reusing it`,
            );
            return account.id;
          };
          // Checked before anything is created, so that a wrong unit stops the task with nothing to undo.
          await accounts.assertParentExists(organizationalUnit);
          const existing = await accounts.findByEmail(email);

          if (ctx.isDryRun) {
            if (existing) {
              reuse(existing);
              const parent = await accounts.parentOf(existing.id);
              ctx.logger.info(
                `Dry run: ${
                  parent === organizationalUnit
                    ? `it is in ${organizationalUnit} already`
                    : `would move it from ${parent} to ${organizationalUnit}`
                }`,
              );
            } else {
              ctx.logger.info(
                `Dry run: would create account ${name} <${email}> with access role ${organizationAccess.accessRoleName} and move it to ${organizationalUnit}`,
              );
            }
            output(existing?.id ?? DRY_RUN_ACCOUNT_ID, !existing);
            return;
          }

          let accountId = existing ? reuse(existing) : undefined;
          let created = false;
          if (!accountId) {
            const tags = [
              { Key: 'clusterdeck.io/owner', Value: request.spec.owner },
              {
                Key: 'clusterdeck.io/environment',
                Value: request.spec.environment,
              },
              {
                Key: 'clusterdeck.io/access-model',
                Value: request.spec.accessModel,
              },
              {
                Key: 'clusterdeck.io/requested-by',
                Value: access.nameOf(credentials),
              },
            ];
            const requestId = await ctx.checkpoint({
              key: `organizations-create-account:${email.toLowerCase()}`,
              fn: async () => {
                try {
                  return await accounts.startCreation({ email, name, tags });
                } catch (error) {
                  if (isAwsError(error, 'DuplicateAccountException')) return '';
                  throw error;
                }
              },
            });
            const status = requestId
              ? await accounts.waitForCreation(requestId, {
                  onPoll: s =>
                    ctx.logger.info(
                      `Account creation ${requestId}: ${s.state}`,
                    ),
                })
              : { state: 'FAILED', failureReason: 'EMAIL_ALREADY_EXISTS' };
            if (status.state === 'SUCCEEDED' && status.accountId) {
              accountId = status.accountId;
              created = true;
              ctx.logger.info(`Created account ${name} (${accountId})`);
            } else if (status.failureReason === 'EMAIL_ALREADY_EXISTS') {
              const found = await accounts.findByEmail(email);
              if (!found)
                throw new InputError(
                  `email: ${email} belongs to an AWS account outside this organization`,
                );
              accountId = reuse(found);
            } else {
              throw new Error(
                `AWS Organizations could not create account ${name}: ${
                  status.failureReason ?? status.state
                }`,
              );
            }
          }

          const id = accountId;
          const moved = await ctx.checkpoint({
            key: `organizations-move-account:${id}:${organizationalUnit}`,
            fn: () => accounts.ensureParent(id, organizationalUnit),
          });
          if (moved)
            ctx.logger.info(`Moved account ${id} to ${organizationalUnit}`);
          output(id, created);
        },
      );
    },
  });
}
