import type {
  LoggerService,
  SchedulerService,
} from '@backstage/backend-plugin-api';
import type { Config } from '@backstage/config';
import type { NotificationService } from '@backstage/plugin-notifications-node';
import type { ClusterdeckDatabase } from '../database/ClusterdeckDatabase';
import type { FleetService } from '../service/FleetService';
import { ClusterNotifier } from './ClusterNotifier';

/**
 * Starts the cluster notifications (unless `clusterdeck.notifications.enabled` is false): the
 * replica that applies a change (a watch or a refresh) evaluates it, as it signals it; and since
 * a stuck provisioning is the absence of change, one replica evaluates the fleet every minute,
 * the first time a minute after the start.
 */
export async function startNotifications(options: {
  fleet: FleetService;
  db: ClusterdeckDatabase;
  rootConfig: Config;
  notifications: NotificationService;
  scheduler: SchedulerService;
  logger: LoggerService;
}): Promise<ClusterNotifier | undefined> {
  const { fleet, scheduler } = options;
  const notifier = ClusterNotifier.create(options);
  if (!notifier) return undefined;
  // The first evaluation waits a minute, so that a backend starting with its catalog has the
  // groups and users to send to; changes are evaluated from then on.
  let started = false;
  fleet.onChange(change => {
    // Replicas that load a change stored elsewhere leave it to the one that made it.
    if (started && change.cause !== 'reload')
      void notifier.notifyChange(change.model);
  });
  await scheduler.scheduleTask({
    id: 'aws-clusters:notifications',
    frequency: { minutes: 1 },
    timeout: { minutes: 1 },
    initialDelay: { minutes: 1 },
    scope: 'global',
    fn: async () => {
      // Before the first refresh or load the model is empty, which would read as every cluster gone.
      if (!fleet.health().refresh) return;
      started = true;
      await notifier.notifyChange(fleet.current());
    },
  });
  return notifier;
}
