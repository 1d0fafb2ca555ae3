/**
 * A module of the Clusterdeck fleet backend that reads the fleet from a recorded snapshot folder
 * instead of AWS and the management clusters.
 *
 * @packageDocumentation
 */
export { awsClustersModuleSnapshot as default } from './module';
export { awsClustersModuleSnapshot } from './module';
