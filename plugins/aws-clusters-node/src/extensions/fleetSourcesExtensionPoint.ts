import { createExtensionPoint } from '@backstage/backend-plugin-api';
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
