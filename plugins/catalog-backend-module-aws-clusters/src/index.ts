/**
 * Catalog entity provider for the Clusterdeck fleet: AWS accounts, management clusters and
 * workload clusters as Resource entities with owners and relations.
 *
 * @packageDocumentation
 */
export { catalogModuleAwsClusters as default } from './module';
export { catalogModuleAwsClusters } from './module';
export { AwsClustersEntityProvider } from './AwsClustersEntityProvider';
export type { FleetReader } from './AwsClustersEntityProvider';
export {
  fleetEntities,
  PROVIDER_LOCATION,
  type FleetForCatalog,
} from './fleetEntities';
export {
  catalogConfigSchema,
  readCatalogModuleConfig,
  type CatalogModuleConfig,
} from './config';
