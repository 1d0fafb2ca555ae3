import type { Config } from '@backstage/config';
import { formatPath } from '@clusterdeck/plugin-aws-clusters-common';
import { durationMs } from '@clusterdeck/plugin-aws-clusters-node';
import type { NotificationSendOptions } from '@backstage/plugin-notifications-node';
import { z } from 'zod';

/** The severities Backstage's notifications know. */
export type NotificationSeverity = NonNullable<
  NotificationSendOptions['payload']['severity']
>;

/** The kinds of cluster notifications, as configured under `clusterdeck.notifications.kinds`. */
export const NOTIFICATION_KINDS = [
  'ready',
  'stuck',
  'failed',
  'degraded',
  'poolAtMaximum',
  'launchesFailing',
] as const;

/** One kind of cluster notification. */
export type NotificationKind = (typeof NOTIFICATION_KINDS)[number];

const DEFAULT_SEVERITY: Record<NotificationKind, NotificationSeverity> = {
  ready: 'normal',
  stuck: 'high',
  failed: 'critical',
  degraded: 'high',
  poolAtMaximum: 'normal',
  launchesFailing: 'high',
};

const kindSchema = (kind: NotificationKind) =>
  z
    .strictObject({
      enabled: z.boolean().default(true),
      severity: z
        .enum(['critical', 'high', 'normal', 'low'])
        .default(DEFAULT_SEVERITY[kind]),
    })
    .default({ enabled: true, severity: DEFAULT_SEVERITY[kind] });

const duration = z.strictObject({
  milliseconds: z.number().min(0).optional(),
  seconds: z.number().min(0).optional(),
  minutes: z.number().min(0).optional(),
  hours: z.number().min(0).optional(),
});

const schema = z.strictObject({
  enabled: z.boolean().default(true),
  startDelay: duration.default({ minutes: 1 }),
  stuckAfter: duration
    .refine(d => durationMs(d) > 0, { error: 'must be longer than zero' })
    .default({ minutes: 30 }),
  kinds: z
    .strictObject(
      Object.fromEntries(NOTIFICATION_KINDS.map(k => [k, kindSchema(k)])) as {
        [K in NotificationKind]: ReturnType<typeof kindSchema>;
      },
    )
    .prefault({}),
});

/** `clusterdeck.notifications`, checked, with defaults. */
export interface NotificationsConfig {
  enabled: boolean;
  /** Nothing is evaluated this long after the start, so that the catalog has the recipients. */
  startDelayMs: number;
  stuckAfterMs: number;
  kinds: Record<
    NotificationKind,
    { enabled: boolean; severity: NotificationSeverity }
  >;
  /** The catalog namespace of cluster entities (`clusterdeck.catalog.namespace`), for links. */
  catalogNamespace: string;
}

/**
 * Reads `clusterdeck.notifications`. Throws an error naming each bad key, so that a backend with
 * a misspelt kind or severity refuses to start instead of staying silent.
 */
export function readNotificationsConfig(config: Config): NotificationsConfig {
  const parsed = schema.safeParse(
    config.getOptional('clusterdeck.notifications') ?? {},
  );
  if (!parsed.success) {
    const lines = parsed.error.issues.map(
      issue =>
        `clusterdeck.notifications.${formatPath(issue.path)}: ${issue.message}`,
    );
    throw new Error(
      `Invalid clusterdeck.notifications configuration:\n${lines.join('\n')}`,
    );
  }
  return {
    enabled: parsed.data.enabled,
    startDelayMs: durationMs(parsed.data.startDelay),
    stuckAfterMs: durationMs(parsed.data.stuckAfter),
    kinds: parsed.data.kinds,
    catalogNamespace:
      config.getOptionalString('clusterdeck.catalog.namespace') ?? 'default',
  };
}
