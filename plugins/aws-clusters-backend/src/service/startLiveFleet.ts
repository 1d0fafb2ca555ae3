import type {
  LifecycleService,
  LoggerService,
} from '@backstage/backend-plugin-api';
import type { Config } from '@backstage/config';
import type { SignalsService } from '@backstage/plugin-signals-node';
import type { ClusterdeckDatabase } from '../database/ClusterdeckDatabase';
import { KubernetesCollector } from '../sources/kubernetes/KubernetesCollector';
import { ClusterChangeSignals } from './ClusterChangeSignals';
import { FleetService } from './FleetService';
import { FleetWatch } from './FleetWatch';

/**
 * Starts what keeps the fleet live between refreshes: the management-cluster watches (on the
 * replica holding the watch lease) unless `clusterdeck.watch.enabled` is false, and signals of
 * changed clusters to open pages from the replica that made the change.
 */
export async function startLiveFleet(options: {
  fleet: FleetService;
  db: ClusterdeckDatabase;
  rootConfig: Config;
  logger: LoggerService;
  lifecycle: LifecycleService;
  signals?: SignalsService;
  adminGroups?: string[];
}): Promise<{ watch?: FleetWatch }> {
  const { fleet, db, rootConfig, logger, lifecycle } = options;
  if (options.signals) {
    const signals = new ClusterChangeSignals(
      options.signals,
      options.adminGroups ?? [],
      logger,
    );
    // Replicas that load a change stored elsewhere do not signal it again.
    fleet.onChange(change => {
      if (change.cause !== 'reload') signals.publish(change);
    });
  }
  const collector = fleet.sourceList.find(
    (s): s is KubernetesCollector => s instanceof KubernetesCollector,
  );
  const enabled =
    rootConfig.getOptionalBoolean('clusterdeck.watch.enabled') ?? true;
  if (!collector || !enabled) return {};
  const watch = new FleetWatch({ fleet, db, collector, logger }).start();
  lifecycle.addShutdownHook(() => watch.stop());
  return { watch };
}
