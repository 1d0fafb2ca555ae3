/**
 * A module of the Clusterdeck fleet backend that reads the AWS side of the fleet from an AWS
 * Config aggregator instead of listing every account and region.
 *
 * @packageDocumentation
 */
export { awsClustersModuleAwsConfig as default } from './module';
export { awsClustersModuleAwsConfig } from './module';
export * from './AwsConfigSource';
export * from './awsConfigConfig';
export {
  CONFIG_RESOURCE_TYPES,
  type ConfigResourceType,
  type ConfigurationItem,
} from './configurationItems';
export {
  createDirectClients,
  type DirectClientConfig,
  type DirectClients,
} from './directReads';
