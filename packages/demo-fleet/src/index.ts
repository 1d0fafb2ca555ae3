/**
 * Clusterdeck's demo fleet and synthetic fleets: the simulation that turns cluster scenarios
 * into the raw state CAPA and AWS would show, the curated demo fleet of the repository's
 * examples, and generated fleets of any size for tests and benchmarks.
 *
 * @packageDocumentation
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
export {
  buildDemoFleet,
  DEMO_FLEET_DIR,
  loadFleetFile,
  writeDemoFleet,
  demoCostFiles,
} from './buildDemoFleet';
export {
  generateFleet,
  generateFleetDefinition,
  GENERATED_REGIONS,
  syntheticAccountId,
  type GenerateFleetOptions,
} from './generateFleet';
export { demoGitopsFiles, DEMO_GITOPS_DIR } from './demoGitops';
export {
  runFleetGenerate,
  type FleetGenerateOutcome,
} from './fleetGenerateCli';
