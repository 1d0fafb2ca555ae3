import type { LoggerService } from '@backstage/backend-plugin-api';
import type { Config } from '@backstage/config';
import type { NotificationService } from '@backstage/plugin-notifications-node';
import type { ClusterdeckDatabase } from '../database/ClusterdeckDatabase';
import type { FleetService } from '../service/FleetService';
import { ClusterNotifier } from './ClusterNotifier';
import { readNotificationsConfig } from './notificationsConfig';

/**
 * Starts the cluster notifications (unless `clusterdeck.notifications.enabled` is false): the
 * replica that applies a change (a watch or a refresh) evaluates it, as it signals it; the
 * returned `evaluate` looks at the whole fleet (the refresh calls it), since being stuck is the
 * absence of change. Nothing is evaluated for `startDelay` after the start, so that a backend
 * starting with its catalog has the groups and users to send to.
 */
export function startNotifications(options: {
  fleet: FleetService;
  db: ClusterdeckDatabase;
  rootConfig: Config;
  notifications: NotificationService;
  logger: LoggerService;
}): { evaluate(): Promise<void> } | undefined {
  const { fleet } = options;
  const notifier = ClusterNotifier.create(options);
  if (!notifier) return undefined;
  const { startDelayMs } = readNotificationsConfig(options.rootConfig);
  const startedAt = Date.now();
  const due = () => Date.now() - startedAt >= startDelayMs;
  fleet.onChange(change => {
    // Replicas that load a change stored elsewhere leave it to the one that made it.
    if (change.cause !== 'reload' && due())
      void notifier.notifyChange(change.model);
  });
  return {
    evaluate: async () => {
      // Before the first refresh or load the model is empty, which would read as every cluster gone.
      if (due() && fleet.health().refresh)
        await notifier.notifyChange(fleet.current());
    },
  };
}
