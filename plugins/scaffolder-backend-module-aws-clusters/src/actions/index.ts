export { createValidateClusterAction } from './validateCluster';
export type { ValidateClusterActionOptions } from './validateCluster';
export { createAllocateCidrAction } from './allocateCidr';
export type { AllocateCidrActionOptions } from './allocateCidr';
export { createRenderClusterAction } from './renderCluster';
export type { RenderClusterActionOptions } from './renderCluster';
export { createRegisterClusterAction } from './registerCluster';
export type { RegisterClusterActionOptions } from './registerCluster';
export { createUpdateNodePoolAction } from './updateNodePool';
export type { UpdateNodePoolActionOptions } from './updateNodePool';
export { createUpgradeClusterAction } from './upgradeCluster';
export type { UpgradeClusterActionOptions } from './upgradeCluster';
export { createRetireClusterAction } from './retireCluster';
export type { RetireClusterActionOptions } from './retireCluster';
export { createGitopsFetchAction } from './gitopsFetch';
export type { GitopsFetchActionOptions } from './gitopsFetch';
export { createGitopsCommitAction } from './gitopsCommit';
export type { GitopsCommitActionOptions } from './gitopsCommit';
export { createApplyManifestsAction } from './applyManifests';
export type { ApplyManifestsActionOptions } from './applyManifests';
export {
  createCreateAccountAction,
  checkAccountInput,
  DRY_RUN_ACCOUNT_ID,
} from './createAccount';
export type { CreateAccountActionOptions } from './createAccount';
export {
  createBootstrapAccountAction,
  roleIdentityManifest,
} from './bootstrapAccount';
export type { BootstrapAccountActionOptions } from './bootstrapAccount';
