/**
 * The Clusterdeck domain model: cluster and account requests, their validation, CIDR planning
 * and the views the backend serves.
 *
 * @packageDocumentation
 */
export * from './constants';
export * from './permissions';
export * from './cidr/cidr';
export * from './request/problems';
export * from './request/kubernetesSyntax';
export * from './request/clusterRequestSchema';
export * from './request/validateClusterRequest';
export * from './request/accountRequest';
export * from './views/views';
export * from './views/lifecycle';
export * from './catalog';
export * from './entityRefs';
export * from './references/fleetReferences';
export * from './references/allowedNamespaces';
export * from './references/checkClusterReferences';
export * from './references/buildFleetReferences';
export * from './views/references';
export * from './views/provisioning';
export * from './versions';
