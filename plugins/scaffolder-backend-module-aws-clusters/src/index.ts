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
export { AccessPolicy, assertOwnerRef, MAX_REF_LENGTH } from './lib/access';
export type { ClusterdeckPermission } from './lib/access';
export type {
  ClusterCheckDeps,
  ClusterRequestActionOptions,
} from './lib/clusterChecks';
export { StepAudit } from './lib/stepAudit';
export type { AuditedStep, StepAuditEvent, StepContext } from './lib/stepAudit';
export { ProvisioningSessions } from './lib/awsSessions';
export type { AwsRetryOptions } from './lib/awsRetry';
export type { CapaRolePlan, PolicyDocument } from './lib/capaRole';
export { RENDERED_KINDS, kindOf } from './lib/applyKinds';
export { TaskCancelledError } from './lib/cancellation';
export { GitopsScope } from './lib/gitopsScope';
export { changeBranch, ownerSlug } from './lib/changeBranch';
export { clusterFiles } from './actions/renderCluster';
export { CLUSTER_FILES, clusterDirectory } from './lib/gitopsLayout';
