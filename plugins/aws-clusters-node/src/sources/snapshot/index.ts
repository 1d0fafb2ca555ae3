/**
 * Recorded fleet snapshots: the layout the collectors record (`yarn fleet:record`), the writer of
 * snapshot directories, and the source that serves one.
 */
export { SnapshotSource, type SnapshotSourceOptions } from './SnapshotSource';
export {
  AWS_SNAPSHOT_DIR,
  MANAGEMENT_CLUSTER_SNAPSHOT_DIR,
  snapshotFiles,
  writeSnapshotDirectory,
} from './snapshotFiles';
export {
  RECORDED_AT_FILE,
  RECORDED_AWS_FILES,
  RECORDED_COST_FILE,
  readRecordedManagementCluster,
  readRecordedRegion,
} from './recordedLayout';
export { readRecordedCostAndUsage } from './recordedCosts';
