import {
  BackendFeature,
  coreServices,
  createBackendModule,
  createExtensionPoint,
  LoggerService,
  RootConfigService,
} from '@backstage/backend-plugin-api';
import type { FleetSource, ManagementClusterSnapshot } from '../sources/types';

/** @public Lets backend modules add sources of raw fleet state to the aws-clusters plugin. */
export interface FleetSourcesExtensionPoint {
  /** Reads this source besides the others (a GitOps reader, a second AWS organization). */
  addSource(source: FleetSource): void;
  /**
   * Reads this source instead of the plugin's own live collectors of AWS and the management
   * clusters (a recorded fleet, a test double); sources given to `addSource` still run.
   */
  replaceLiveSources(source: FleetSource): void;
}

/** @public The extension point for fleet sources, e.g. a GitOps reader or a recorded fleet. */
export const fleetSourcesExtensionPoint =
  createExtensionPoint<FleetSourcesExtensionPoint>({
    id: 'aws-clusters.fleet-sources',
  });

/** @public What a fleet sources module is given when the backend starts. */
export interface FleetSourcesModuleContext {
  sources: FleetSourcesExtensionPoint;
  config: RootConfigService;
  logger: LoggerService;
}

/**
 * @public A backend module of the aws-clusters plugin that adds or replaces fleet sources when its
 * part of the configuration is set: `readConfig` reads that part (`undefined` when it is not set:
 * the module logs `notConfigured` and does nothing), and `init` gives the plugin the sources it
 * makes from it.
 */
export function createFleetSourcesModule<T>(options: {
  moduleId: string;
  readConfig(config: RootConfigService): T | undefined;
  notConfigured: string;
  init(settings: T, context: FleetSourcesModuleContext): Promise<void>;
}): BackendFeature {
  return createBackendModule({
    pluginId: 'aws-clusters',
    moduleId: options.moduleId,
    register(reg) {
      reg.registerInit({
        deps: {
          sources: fleetSourcesExtensionPoint,
          config: coreServices.rootConfig,
          logger: coreServices.logger,
        },
        async init(context) {
          const settings = options.readConfig(context.config);
          if (settings === undefined) {
            context.logger.info(options.notConfigured);
            return;
          }
          await options.init(settings, context);
        },
      });
    },
  });
}

/**
 * @public A fleet source that also pushes a management cluster's new state between refreshes (a
 * replayed recording): the plugin applies each as it applies a watched change.
 */
export interface ManagementClusterFeed {
  /** Calls `onChange` with each new state until the returned function is called. */
  watchManagementClusters(
    onChange: (snapshot: ManagementClusterSnapshot) => void,
  ): () => void;
}

/** @public Whether a fleet source pushes management clusters' changes ({@link ManagementClusterFeed}). */
export function isManagementClusterFeed(
  source: FleetSource,
): source is FleetSource & ManagementClusterFeed {
  return (
    typeof (source as Partial<ManagementClusterFeed>)
      .watchManagementClusters === 'function'
  );
}
