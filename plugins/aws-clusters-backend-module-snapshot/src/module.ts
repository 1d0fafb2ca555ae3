import {
  createFleetSourcesModule,
  readClusterdeckConfig,
  SnapshotSource,
} from '@clusterdeck/plugin-aws-clusters-node';
import { ProvisioningReplay } from './ProvisioningReplay';

/**
 * Reads the fleet from a recorded snapshot folder (`clusterdeck.snapshot.directory`) instead of
 * AWS and the management clusters: the demo fleet, or a platform team's fleet recorded with
 * `yarn fleet:record`. With `clusterdeck.snapshot.replayProvisioning` one of its clusters
 * provisions again on a timer. Without `clusterdeck.snapshot` it does nothing.
 * @public
 */
export const awsClustersModuleSnapshot = createFleetSourcesModule({
  moduleId: 'snapshot',
  readConfig: config => readClusterdeckConfig(config).snapshot,
  notConfigured:
    'No clusterdeck.snapshot is configured; the fleet is read live',
  async init(snapshot, { sources, logger }) {
    logger.info(`Reading the fleet from the snapshot in ${snapshot.directory}`);
    const recorded = new SnapshotSource({ directory: snapshot.directory });
    const replay = snapshot.replayProvisioning;
    if (!replay) {
      sources.replaceLiveSources(recorded);
      return;
    }
    logger.info(
      `Replaying the provisioning of ${replay.cluster}, a step every ${replay.stepSeconds} seconds`,
    );
    sources.replaceLiveSources(
      new ProvisioningReplay(recorded, {
        cluster: replay.cluster,
        stepMs: replay.stepSeconds * 1000,
        ...(replay.repeatAfterSeconds
          ? { repeatAfterMs: replay.repeatAfterSeconds * 1000 }
          : {}),
        onProblem: message =>
          logger.warn(`${message}; the recording is served as it is`),
      }),
    );
  },
});
