/**
 * Scaffolder actions for Clusterdeck: validate, allocate, render and apply cluster requests,
 * change node pools, create and bootstrap AWS accounts, and commit to a local GitOps repository.
 *
 * @packageDocumentation
 */
export { scaffolderModuleAwsClusters as default } from './module';
export { scaffolderModuleAwsClusters } from './module';
export { createClusterdeckActions } from './createClusterdeckActions';
export * from './actions';
export * from './config/moduleConfig';
export { AccessPolicy } from './lib/access';
export type { Caller } from './lib/access';
export { FleetApiClient, FLEET_PLUGIN_ID } from './lib/fleetApi';
export type { CidrAllocation, CidrPoolView, FleetApi, FleetCaller } from './lib/fleetApi';
