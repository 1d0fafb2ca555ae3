export { ClusterdeckAccountPicker, headroom } from './AccountPickerField';
export type { AccountPickerOptions } from './AccountPickerField';
export { ClusterdeckClusterPicker } from './ClusterPickerField';
export { ClusterdeckCidrField, cidrProblem, validateCidrField } from './CidrField';
export type { CidrFieldOptions } from './CidrField';
export { ClusterdeckNodePoolsEditor, INSTANCE_FAMILY_KEY, nodePoolProblems, validateNodePools } from './NodePoolsEditorField';
export type { NodePoolValue, NodePoolsEditorOptions } from './NodePoolsEditorField';
