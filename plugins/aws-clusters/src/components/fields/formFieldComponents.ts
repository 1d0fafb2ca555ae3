import type { FormFieldName } from '../../extensionTable';
import { ClusterdeckAccountPicker } from './AccountPickerField';
import { ClusterdeckCidrField, validateCidrField } from './CidrField';
import { ClusterdeckClusterPicker } from './ClusterPickerField';
import { ClusterdeckManagementClusterPicker } from './ManagementClusterPickerField';
import {
  ClusterdeckNodePoolsEditor,
  validateNodePools,
} from './NodePoolsEditorField';
import { ClusterdeckRegionPicker } from './RegionPickerField';
import { ClusterdeckReleasePicker } from './ReleasePickerField';
import { ClusterdeckRoleIdentityPicker } from './RoleIdentityPickerField';
import { ClusterdeckTransitGatewayPicker } from './TransitGatewayPickerField';
import { ClusterdeckZonesPicker } from './ZonesPickerField';

/**
 * Each form field's component and validation by its `ui:field` name. The scaffolder's field types
 * are generic over the value and options, which each field narrows, hence `any`.
 */
export const FORM_FIELDS: Record<
  FormFieldName,
  { component: any; validation?: any }
> = {
  ClusterdeckAccountPicker: { component: ClusterdeckAccountPicker },
  ClusterdeckClusterPicker: { component: ClusterdeckClusterPicker },
  ClusterdeckCidrField: {
    component: ClusterdeckCidrField,
    validation: validateCidrField,
  },
  ClusterdeckManagementClusterPicker: {
    component: ClusterdeckManagementClusterPicker,
  },
  ClusterdeckRegionPicker: { component: ClusterdeckRegionPicker },
  ClusterdeckZonesPicker: { component: ClusterdeckZonesPicker },
  ClusterdeckRoleIdentityPicker: { component: ClusterdeckRoleIdentityPicker },
  ClusterdeckReleasePicker: { component: ClusterdeckReleasePicker },
  ClusterdeckTransitGatewayPicker: {
    component: ClusterdeckTransitGatewayPicker,
  },
  ClusterdeckNodePoolsEditor: {
    component: ClusterdeckNodePoolsEditor,
    validation: validateNodePools,
  },
};
