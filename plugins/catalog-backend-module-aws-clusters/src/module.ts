import {
  coreServices,
  createBackendModule,
} from '@backstage/backend-plugin-api';
import { catalogProcessingExtensionPoint } from '@backstage/plugin-catalog-node';
import {
  FleetApiClient,
  readClusterdeckConfig,
} from '@clusterdeck/plugin-aws-clusters-node';
import { AwsClustersEntityProvider } from './AwsClustersEntityProvider';
import { readCatalogModuleConfig } from './config';

/**
 * Puts the Clusterdeck fleet into the catalog: accounts, management clusters and workload
 * clusters, refreshed on the schedule in `clusterdeck.catalog.schedule`.
 * @public
 */
export const catalogModuleAwsClusters = createBackendModule({
  pluginId: 'catalog',
  moduleId: 'aws-clusters',
  register(reg) {
    reg.registerInit({
      deps: {
        catalog: catalogProcessingExtensionPoint,
        config: coreServices.rootConfig,
        discovery: coreServices.discovery,
        auth: coreServices.auth,
        logger: coreServices.logger,
        scheduler: coreServices.scheduler,
      },
      async init({ catalog, config, discovery, auth, logger, scheduler }) {
        const moduleConfig = readCatalogModuleConfig(config);
        catalog.addEntityProvider(
          new AwsClustersEntityProvider({
            fleet: FleetApiClient.create({ discovery, auth }),
            clusterdeck: readClusterdeckConfig(config),
            config: moduleConfig,
            logger,
            taskRunner: scheduler.createScheduledTaskRunner(
              moduleConfig.schedule,
            ),
          }),
        );
      },
    });
  },
});
