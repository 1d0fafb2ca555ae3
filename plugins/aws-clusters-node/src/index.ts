/**
 * The contract of the Clusterdeck AWS clusters plugins for backend packages: the `clusterdeck`
 * configuration reader, the raw fleet snapshot types and the recorded snapshot layout with the
 * source that reads it, the extension point for fleet sources, AWS credentials per account, the
 * one authorizer and its permission rule, and the typed client of the fleet API.
 *
 * @packageDocumentation
 */
export * from './config/referenceDir';
export * from './config/clusterdeckConfig';
export * from './sources/types';
export * from './extensions/fleetSourcesExtensionPoint';
export * from './sources/snapshot';
export * from './sources/aws/AccountCredentials';
export * from './sources/aws/upgradeInsights';
export * from './sources/aws/instanceTypes';
export * from './sources/aws/regionReads';
export * from './permissions/clusterRules';
export * from './permissions/ClusterdeckAuthorizer';
export * from './client/FleetApiClient';
