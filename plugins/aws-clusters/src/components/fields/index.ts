export { ClusterdeckAccountPicker, headroom } from './AccountPickerField';
export type { AccountPickerOptions } from './AccountPickerField';
export { ClusterdeckClusterPicker } from './ClusterPickerField';
export {
  ClusterdeckCidrField,
  cidrProblem,
  validateCidrField,
} from './CidrField';
export type { CidrFieldOptions } from './CidrField';
export {
  ClusterdeckNodePoolsEditor,
  INSTANCE_FAMILY_KEY,
  nodePoolProblems,
  validateNodePools,
} from './NodePoolsEditorField';
export type {
  NodePoolValue,
  NodePoolsEditorOptions,
} from './NodePoolsEditorField';
export { ClusterdeckManagementClusterPicker } from './ManagementClusterPickerField';
export { ClusterdeckRegionPicker } from './RegionPickerField';
export type { RegionPickerOptions } from './RegionPickerField';
export { ClusterdeckZonesPicker } from './ZonesPickerField';
export type { ZonesPickerOptions } from './ZonesPickerField';
export { ClusterdeckRoleIdentityPicker } from './RoleIdentityPickerField';
export type { RoleIdentityPickerOptions } from './RoleIdentityPickerField';
export { ClusterdeckReleasePicker } from './ReleasePickerField';
export type { ReleasePickerOptions } from './ReleasePickerField';
export { ClusterdeckTransitGatewayPicker } from './TransitGatewayPickerField';
export type { TransitGatewayPickerOptions } from './TransitGatewayPickerField';
export { FORM_FIELDS } from './formFieldComponents';
