import { BackendFeature } from '@backstage/backend-plugin-api';
import { schedulerServiceFactory } from '@backstage/backend-defaults/scheduler';
import {
  mockCredentials,
  mockServices,
  startTestBackend,
} from '@backstage/backend-test-utils';
import type { FleetSource } from '@clusterdeck/plugin-aws-clusters-node';
import type { Knex } from 'knex';
import { sourcesModule, testPermissions, testUserInfo } from '../testServices';
import { awsClustersPlugin } from '../../plugin';
import { CapturingLogger } from './capturingLogger';
import { ADMIN_GROUP, GENERATED_TEAMS } from './generatedFleetConfig';

/** Users of the reliability tests: one lead per generated team, an admin, and a user of no team. */
export const USERS: Record<string, string[]> = {
  ...Object.fromEntries(
    GENERATED_TEAMS.map(t => [
      `user:default/${t}-lead`,
      [`user:default/${t}-lead`, `group:default/${t}`],
    ]),
  ),
  'user:default/admin': ['user:default/admin', ADMIN_GROUP],
  'user:default/nobody': ['user:default/nobody'],
};

/** The lead of a team, as a user entity reference. */
export const leadOf = (team: (typeof GENERATED_TEAMS)[number]) =>
  `user:default/${team}-lead`;

/** The Authorization header of a user, as the test backend's auth accepts it. */
export const as = (user: string) => mockCredentials.user.header(user);

const userInfo = testUserInfo(USERS);
const permissions = testPermissions([ADMIN_GROUP]);

export { sourcesModule };

export interface FleetBackendOptions {
  sources: FleetSource[];
  /** The `clusterdeck` configuration block. */
  clusterdeck: object;
  /**
   * `mock` (the default): refreshes run only when the test calls `refresh()`. `real`: the
   * scheduler of backend-defaults on the plugin's database, as production runs it.
   */
  scheduler?: 'mock' | 'real';
  /** A database every plugin of this backend uses, e.g. one PostgreSQL database two replicas share. */
  knex?: Knex;
  logger?: CapturingLogger;
  features?: BackendFeature[];
}

/** A running test backend with the aws-clusters plugin. */
export interface FleetBackend {
  server: any;
  logger: CapturingLogger;
  /** Runs the scheduled refresh as the scheduler would (mock scheduler only). */
  refresh(signal?: AbortSignal): Promise<void>;
  /** Runs another scheduled task of the plugin by its id, e.g. `aws-clusters:cost` (mock scheduler only). */
  runTask(id: string): Promise<void>;
  stop(): Promise<void>;
}

/** Starts the aws-clusters plugin in a test backend with the given sources and configuration. */
export async function startFleetBackend(
  options: FleetBackendOptions,
): Promise<FleetBackend> {
  const logger = options.logger ?? new CapturingLogger();
  const mockScheduler =
    options.scheduler === 'real' ? undefined : mockServices.scheduler.mock();
  const schedulerFactory = mockScheduler
    ? mockScheduler.factory
    : schedulerServiceFactory;
  const backend = await startTestBackend({
    features: [
      logger.factory(),
      schedulerFactory,
      ...(options.knex
        ? [mockServices.database.factory({ knex: options.knex })]
        : []),
      awsClustersPlugin,
      sourcesModule(options.sources),
      userInfo,
      permissions,
      mockServices.rootConfig.factory({
        data: {
          clusterdeck: {
            sources: { aws: false, kubernetes: false },
            ...options.clusterdeck,
          },
        },
      }),
      ...(options.features ?? []),
    ],
  });
  return {
    server: backend.server,
    logger,
    async refresh(signal = new AbortController().signal) {
      if (!mockScheduler)
        throw new Error('refresh() drives the mock scheduler only');
      const task = mockScheduler.scheduleTask.mock.calls.find(
        ([t]) => t.id === 'aws-clusters:refresh',
      );
      if (!task) throw new Error('the plugin scheduled no refresh');
      await task[0].fn(signal);
    },
    async runTask(id) {
      const task = mockScheduler?.scheduleTask.mock.calls.find(
        ([t]) => t.id === id,
      );
      if (!task) throw new Error(`the plugin scheduled no task ${id}`);
      await task[0].fn(new AbortController().signal);
    },
    stop: () => backend.stop(),
  };
}
