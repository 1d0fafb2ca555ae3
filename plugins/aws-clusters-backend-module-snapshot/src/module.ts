import {
  coreServices,
  createBackendModule,
} from '@backstage/backend-plugin-api';
import {
  fleetSourcesExtensionPoint,
  readClusterdeckConfig,
  SnapshotSource,
} from '@clusterdeck/plugin-aws-clusters-node';

/**
 * Reads the fleet from a recorded snapshot folder (`clusterdeck.snapshot.directory`) instead of
 * AWS and the management clusters: the demo fleet, or a platform team's fleet recorded with
 * `yarn fleet:record`. Without `clusterdeck.snapshot` it does nothing.
 * @public
 */
export const awsClustersModuleSnapshot = createBackendModule({
  pluginId: 'aws-clusters',
  moduleId: 'snapshot',
  register(reg) {
    reg.registerInit({
      deps: {
        sources: fleetSourcesExtensionPoint,
        config: coreServices.rootConfig,
        logger: coreServices.logger,
      },
      async init({ sources, config, logger }) {
        const { snapshot } = readClusterdeckConfig(config);
        if (!snapshot) {
          logger.info(
            'No clusterdeck.snapshot is configured; the fleet is read live',
          );
          return;
        }
        logger.info(
          `Reading the fleet from the snapshot in ${snapshot.directory}`,
        );
        sources.replaceLiveSources(
          new SnapshotSource({ directory: snapshot.directory }),
        );
      },
    });
  },
});
