/**
 * Clusterdeck's frontend: the fleet of AWS workload clusters in Backstage.
 *
 * @packageDocumentation
 */
export {
  awsClustersPlugin,
  AwsClustersPage,
  AwsFleetOverviewPage,
  EntityAccountCard,
  EntityManagementClusterCard,
  EntityClusterBoundariesCard,
  EntityClusterProvisioningCard,
  EntityClusterTopologyCard,
  EntityNodePoolScalingCard,
  EntityTeamClustersContent,
  rootRouteRef,
  fleetRouteRef,
} from './plugin';
export * from './api';
export {
  provisioningPath,
  PROVISIONING_ANCHOR,
} from './components/Provisioning/provisioningLink';
export {
  ClusterdeckAccountPickerFieldExtension,
  ClusterdeckCidrFieldExtension,
  ClusterdeckClusterPickerFieldExtension,
  ClusterdeckNodePoolsEditorFieldExtension,
  ClusterdeckManagementClusterPickerFieldExtension,
  ClusterdeckRegionPickerFieldExtension,
  ClusterdeckZonesPickerFieldExtension,
  ClusterdeckRoleIdentityPickerFieldExtension,
  ClusterdeckReleasePickerFieldExtension,
  ClusterdeckTransitGatewayPickerFieldExtension,
} from './formFields';
