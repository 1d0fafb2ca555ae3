import { LoggerService } from '@backstage/backend-plugin-api';
import { Config } from '@backstage/config';
import {
  ClusterdeckConfig,
  FleetSource,
  SnapshotSource,
} from '@clusterdeck/plugin-aws-clusters-node';
import { AwsCollector } from '../sources/aws/AwsCollector';
import { KubernetesCollector } from '../sources/kubernetes/KubernetesCollector';

/**
 * The sources the configuration asks for: recorded snapshots (`clusterdeck.snapshot`), or live
 * AWS (every account of `clusterdeck.accounts`, with credentials from Backstage's `aws` block)
 * and live management clusters (those with a `kubernetes` block).
 */
export function createSources(options: {
  config: ClusterdeckConfig;
  rootConfig: Config;
  logger: LoggerService;
}): FleetSource[] {
  const { config, rootConfig, logger } = options;
  if (config.snapshot) {
    logger.info(
      `Reading the fleet from the snapshot in ${config.snapshot.directory}`,
    );
    return [new SnapshotSource({ directory: config.snapshot.directory })];
  }
  const sources: FleetSource[] = [];
  if (config.sources.aws && config.accounts.length > 0) {
    const regions = config.accounts.reduce((n, a) => n + a.regions.length, 0);
    logger.info(
      `Reading AWS: ${config.accounts.length} accounts, ${regions} account regions`,
    );
    sources.push(AwsCollector.fromConfig({ config, rootConfig, logger }));
  }
  const reachable = config.sources.kubernetes
    ? config.managementClusters.filter(mc => mc.kubernetes)
    : [];
  if (reachable.length > 0) {
    logger.info(
      `Reading management clusters: ${reachable.map(mc => mc.name).join(', ')}`,
    );
    sources.push(KubernetesCollector.fromConfig(rootConfig, { logger }));
  }
  if (sources.length === 0) {
    logger.warn(
      'No fleet source is configured: set clusterdeck.snapshot, or clusterdeck.accounts and managementClusters[].kubernetes',
    );
  }
  return sources;
}
