/**
 * The Clusterdeck fleet backend plugin.
 *
 * @packageDocumentation
 */
export { awsClustersPlugin as default } from './plugin';
export {
  awsClusterConditions,
  createAwsClusterConditionalDecision,
  awsClusterResourceRef,
  isOwnedBy,
} from '@clusterdeck/plugin-aws-clusters-node';
export { ClusterdeckPermissionPolicy } from './permissions/ClusterdeckPermissionPolicy';
export { permissionModuleClusterdeckPolicy } from './permissions/permissionPolicyModule';
export { AwsCollector } from './sources/aws/AwsCollector';
export type { AwsCollectorOptions } from './sources/aws/AwsCollector';
export { KubernetesCollector } from './sources/kubernetes/KubernetesCollector';
