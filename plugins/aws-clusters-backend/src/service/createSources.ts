import { LoggerService } from '@backstage/backend-plugin-api';
import { Config } from '@backstage/config';
import {
  ClusterdeckConfig,
  FleetSource,
} from '@clusterdeck/plugin-aws-clusters-node';
import { AwsCollector } from '../sources/aws/AwsCollector';
import { KubernetesCollector } from '../sources/kubernetes/KubernetesCollector';

/**
 * The plugin's own live sources: AWS (every account of `clusterdeck.accounts`, with credentials
 * from Backstage's `aws` block) and the management clusters that have a `kubernetes` block.
 * Modules replace them through `fleetSourcesExtensionPoint` (the snapshot module reads a
 * recorded fleet instead).
 */
export function createSources(options: {
  config: ClusterdeckConfig;
  rootConfig: Config;
  logger: LoggerService;
}): FleetSource[] {
  const { config, rootConfig, logger } = options;
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
      'No fleet source is configured: set clusterdeck.accounts and managementClusters[].kubernetes, or install a module that reads the fleet (such as the snapshot module with clusterdeck.snapshot)',
    );
  }
  return sources;
}
