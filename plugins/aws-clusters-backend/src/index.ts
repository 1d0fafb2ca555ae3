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
export type {
  AwsClientConfig,
  AwsClientFactory,
  AwsCollectorOptions,
  AwsCollectStats,
  AwsRegionClients,
  AwsRegionCollectStats,
} from './sources/aws/AwsCollector';
export { KubernetesCollector } from './sources/kubernetes/KubernetesCollector';
export type {
  EksCredentialsSource,
  KubernetesCollectorOptions,
  KubernetesCollectStats,
  ManagementClusterCollectStats,
} from './sources/kubernetes/KubernetesCollector';
export type { EksTokenCredentials } from './sources/kubernetes/eksToken';
export {
  ManagementClusterWatch,
  type ManagementClusterWatchOptions,
  type ManagementClusterWatchStats,
} from './sources/kubernetes/ManagementClusterWatch';
