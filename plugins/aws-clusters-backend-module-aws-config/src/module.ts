import { DefaultAwsCredentialsManager } from '@backstage/integration-aws-node';
import {
  AwsCredentialsSource,
  createFleetSourcesModule,
  readClusterdeckConfig,
} from '@clusterdeck/plugin-aws-clusters-node';
import { AwsConfigSource } from './AwsConfigSource';
import { readAwsConfigModuleConfig } from './awsConfigConfig';

/**
 * Reads the AWS side of the fleet from an AWS Config aggregator (`clusterdeck.awsConfig`) as an
 * added source of the aws-clusters plugin. The plugin's own AWS collector must be switched off
 * (`clusterdeck.sources.aws: false`), or both would read the same accounts: the module refuses to
 * start otherwise. Without `clusterdeck.awsConfig` it does nothing.
 * @public
 */
export const awsClustersModuleAwsConfig = createFleetSourcesModule({
  moduleId: 'aws-config',
  readConfig: readAwsConfigModuleConfig,
  notConfigured:
    'No clusterdeck.awsConfig is configured; AWS is read by the plugin itself',
  async init(options, { sources, config, logger }) {
    const clusterdeck = readClusterdeckConfig(config);
    if (clusterdeck.sources.aws && !clusterdeck.snapshot) {
      throw new Error(
        'clusterdeck.awsConfig reads the accounts the AWS collector reads: set clusterdeck.sources.aws to false beside it',
      );
    }
    logger.info(
      `Reading AWS from the AWS Config aggregator ${options.aggregator.name} (${options.aggregator.accountId}, ${options.aggregator.region}) for ${clusterdeck.accounts.length} accounts`,
    );
    sources.addSource(
      new AwsConfigSource({
        ...options,
        accounts: clusterdeck.accounts,
        limits: clusterdeck.limits,
        credentials: DefaultAwsCredentialsManager.fromConfig(
          config,
        ) as AwsCredentialsSource,
        logger,
      }),
    );
  },
});
