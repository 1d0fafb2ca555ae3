export { createValidateClusterAction } from './validateCluster';
export type { ValidateClusterActionOptions } from './validateCluster';
export { createAllocateCidrAction } from './allocateCidr';
export type { AllocateCidrActionOptions } from './allocateCidr';
export { createRenderClusterAction } from './renderCluster';
export type { RenderClusterActionOptions } from './renderCluster';
