/**
 * Catalog entity provider for the Clusterdeck fleet.
 *
 * @packageDocumentation
 */
export { catalogModuleAwsClusters as default } from './module';
