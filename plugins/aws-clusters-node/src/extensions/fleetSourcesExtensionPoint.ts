import { createExtensionPoint } from '@backstage/backend-plugin-api';
import type { FleetSource } from '../sources/types';

/** @public Lets backend modules add sources of raw fleet state to the aws-clusters plugin. */
export interface FleetSourcesExtensionPoint {
  addSource(source: FleetSource): void;
}

/** @public The extension point for fleet sources, e.g. a GitOps reader or a test double. */
export const fleetSourcesExtensionPoint =
  createExtensionPoint<FleetSourcesExtensionPoint>({
    id: 'aws-clusters.fleet-sources',
  });
