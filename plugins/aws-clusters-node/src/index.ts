/**
 * Backend library of the Clusterdeck AWS clusters plugins: the manifest renderer and the
 * validation of manifests against upstream CRDs.
 *
 * @packageDocumentation
 */
export * from './config/referenceDir';
export * from './config/clusterdeckConfig';
export * from './sources/types';
export * from './extensions/fleetSourcesExtensionPoint';
export * from './sources/snapshot';
export * from './sources/kubernetes';
export * from './sources/aws';
export * from './permissions/clusterRules';
export * from './permissions/ClusterdeckAuthorizer';
export * from './client/FleetApiClient';
