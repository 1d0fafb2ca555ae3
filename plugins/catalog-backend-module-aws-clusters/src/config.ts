import {
  readSchedulerServiceTaskScheduleDefinitionFromConfig,
  SchedulerServiceTaskScheduleDefinition,
} from '@backstage/backend-plugin-api';
import { Config } from '@backstage/config';
import {
  ACCOUNT_ENVIRONMENTS,
  entityRefSchema,
  formatPath,
} from '@clusterdeck/plugin-aws-clusters-common';
import { z } from 'zod';

const entityRef = (kinds: string) => entityRefSchema(kinds.split('|'));

/** @public The schema of `clusterdeck.catalog`, as {@link readCatalogModuleConfig} checks it. */
export const catalogConfigSchema = z.strictObject({
  /** The catalog namespace of the entities. */
  namespace: z
    .string()
    .regex(/^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/, {
      error: 'must be a catalog namespace name',
    })
    .default('default'),
  /** The System every cluster, management cluster and account is part of unless its environment has one. */
  system: entityRef('system').optional(),
  /** Per account environment: the System or Domain its accounts are part of. */
  environmentSystems: z
    .partialRecord(z.enum(ACCOUNT_ENVIRONMENTS), entityRef('system|domain'))
    .default({}),
  /** Per account id: its owner; otherwise its only owner group, else the first admin group. */
  accountOwners: z
    .record(
      z.string().regex(/^\d{12}$/, { error: 'must be a 12-digit account id' }),
      entityRef('group|user'),
    )
    .default({}),
  /** Which clusters to put in the catalog. */
  filters: z
    .strictObject({
      environments: z.array(z.enum(ACCOUNT_ENVIRONMENTS)).optional(),
      managementClusters: z.array(z.string().min(1)).optional(),
      /** Include clusters requested through a template that no management cluster reports yet. */
      includeRequested: z.boolean().default(true),
    })
    .default({ includeRequested: true }),
  /** How the Backstage Kubernetes plugin authenticates to the clusters (`kubernetes.io/auth-provider`). */
  kubernetesAuth: z
    .strictObject({
      ec2: z
        .strictObject({
          authProvider: z.string().min(1).default('oidc'),
          oidcTokenProvider: z.string().min(1).optional(),
        })
        .default({ authProvider: 'oidc' }),
      eks: z
        .strictObject({ authProvider: z.string().min(1).default('aws') })
        .default({ authProvider: 'aws' }),
    })
    .default({ ec2: { authProvider: 'oidc' }, eks: { authProvider: 'aws' } }),
});

/** @public The catalog module's configuration, `clusterdeck.catalog`, checked and with defaults. */
export type CatalogModuleConfig = z.output<typeof catalogConfigSchema> & {
  schedule: SchedulerServiceTaskScheduleDefinition;
};

const DEFAULT_SCHEDULE: SchedulerServiceTaskScheduleDefinition = {
  frequency: { minutes: 5 },
  timeout: { minutes: 3 },
  initialDelay: { seconds: 15 },
};

/**
 * Reads `clusterdeck.catalog`. Throws an error naming every bad key.
 * @public
 */
export function readCatalogModuleConfig(config: Config): CatalogModuleConfig {
  const block = config.getOptionalConfig('clusterdeck.catalog');
  const { schedule: _schedule, ...raw } = (block?.get<
    Record<string, unknown>
  >() ?? {}) as Record<string, unknown>;
  const parsed = catalogConfigSchema.safeParse(raw);
  if (!parsed.success) {
    const lines = parsed.error.issues.map(
      issue =>
        `clusterdeck.catalog.${formatPath(issue.path)}: ${issue.message}`,
    );
    throw new Error(`Invalid clusterdeck configuration:\n${lines.join('\n')}`);
  }
  let schedule = DEFAULT_SCHEDULE;
  if (block?.has('schedule')) {
    try {
      schedule = readSchedulerServiceTaskScheduleDefinitionFromConfig(
        block.getConfig('schedule'),
      );
    } catch (error) {
      throw new Error(
        `Invalid clusterdeck configuration:\nclusterdeck.catalog.schedule: ${
          (error as Error).message
        }`,
      );
    }
  }
  return { ...parsed.data, schedule };
}
