/**
 * Clusterdeck's frontend: the fleet of AWS workload clusters in Backstage.
 *
 * @packageDocumentation
 */
export { awsClustersPlugin, EntityClusterBoundariesCard, EntityNodePoolScalingCard } from './plugin';
export * from './api';
export {
  ClusterdeckAccountPickerFieldExtension,
  ClusterdeckCidrFieldExtension,
  ClusterdeckClusterPickerFieldExtension,
  ClusterdeckNodePoolsEditorFieldExtension,
} from './formFields';
