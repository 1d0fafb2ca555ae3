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
  EntityClusterCostCard,
  EntityConnectCard,
  EntityVersionSupportCard,
  EntityClusterProvisioningCard,
  EntityClusterTopologyCard,
  EntityNodePoolScalingCard,
  EntityTeamClustersContent,
  rootRouteRef,
  fleetRouteRef,
} from './plugin';
export * from './api';
export {
  VersionSupportBadge,
  describeVersionSupport,
} from './components/VersionSupport';
export {
  formatAmount,
  formatClusterCost,
  formatMonth,
  formatMonthlyCost,
} from './components/CostCard';
export {
  provisioningPath,
  PROVISIONING_ANCHOR,
} from './components/Provisioning/provisioningLink';
export { useClusterChanges } from './components/common/useClusterChanges';
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
