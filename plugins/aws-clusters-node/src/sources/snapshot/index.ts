/**
 * Recorded fleet snapshots: the simulation that turns cluster scenarios into the raw state CAPA
 * and AWS would show, the curated demo fleet, synthetic fleets for benchmarks, and the source
 * that serves a snapshot directory.
 */
export { simulateFleet } from './simulateFleet';
export {
  DEFAULT_SNAPSHOT_TIME,
  fleetFileSchema,
  type ActivityScenario,
  type ClusterScenario,
  type ClusterState,
  type FleetAccount,
  type FleetDefinition,
  type FleetEksVersion,
  type FleetFile,
  type FleetManagementCluster,
  type FleetRelease,
  type FleetRoleIdentity,
  type FleetTransitGateway,
  type LoadBalancerScenario,
  type OtherSubnetScenario,
  type PeeringScenario,
  type PoolScenario,
} from './fleetDefinition';
export { SnapshotSource, type SnapshotSourceOptions } from './SnapshotSource';
export {
  AWS_SNAPSHOT_DIR,
  MANAGEMENT_CLUSTER_SNAPSHOT_DIR,
  snapshotFiles,
  writeSnapshotDirectory,
} from './snapshotFiles';
export {
  buildDemoFleet,
  DEMO_FLEET_DIR,
  loadFleetFile,
  writeDemoFleet,
} from './buildDemoFleet';
export {
  generateFleet,
  generateFleetDefinition,
  GENERATED_REGIONS,
  syntheticAccountId,
  type GenerateFleetOptions,
} from './generateFleet';
export {
  runFleetGenerate,
  type FleetGenerateOutcome,
} from './fleetGenerateCli';
export {
  RECORDED_AT_FILE,
  RECORDED_AWS_FILES,
  readRecordedManagementCluster,
  readRecordedRegion,
} from './recordedLayout';
