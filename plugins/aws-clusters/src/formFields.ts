import { createScaffolderFieldExtension } from '@backstage/plugin-scaffolder-react';
import { FORM_FIELDS } from './components/fields';
import type { FormFieldName } from './extensionTable';
import { awsClustersPlugin } from './plugin';

/** A form field of the legacy plugin, by its `ui:field` name. */
function formField(name: FormFieldName) {
  return awsClustersPlugin.provide(
    createScaffolderFieldExtension({ name, ...FORM_FIELDS[name] }),
  );
}

/**
 * `ui:field: ClusterdeckAccountPicker` for legacy apps: the accounts the user's teams may use.
 * @public
 */
export const ClusterdeckAccountPickerFieldExtension = formField(
  'ClusterdeckAccountPicker',
);

/**
 * `ui:field: ClusterdeckClusterPicker` for legacy apps: the clusters of the user's teams.
 * @public
 */
export const ClusterdeckClusterPickerFieldExtension = formField(
  'ClusterdeckClusterPicker',
);

/**
 * `ui:field: ClusterdeckCidrField` for legacy apps: a suggested free block, checked as you type.
 * @public
 */
export const ClusterdeckCidrFieldExtension = formField('ClusterdeckCidrField');

/**
 * `ui:field: ClusterdeckNodePoolsEditor` for legacy apps: the cluster's node pools.
 * @public
 */
export const ClusterdeckNodePoolsEditorFieldExtension = formField(
  'ClusterdeckNodePoolsEditor',
);

/**
 * `ui:field: ClusterdeckManagementClusterPicker` for legacy apps: the management clusters, with region and environment.
 * @public
 */
export const ClusterdeckManagementClusterPickerFieldExtension = formField(
  'ClusterdeckManagementClusterPicker',
);

/**
 * `ui:field: ClusterdeckRegionPicker` for legacy apps: the regions of the chosen account (or all the platform knows).
 * @public
 */
export const ClusterdeckRegionPickerFieldExtension = formField(
  'ClusterdeckRegionPicker',
);

/**
 * `ui:field: ClusterdeckZonesPicker` for legacy apps: the availability zones of the chosen region.
 * @public
 */
export const ClusterdeckZonesPickerFieldExtension = formField(
  'ClusterdeckZonesPicker',
);

/**
 * `ui:field: ClusterdeckRoleIdentityPicker` for legacy apps: the role identities of the chosen management cluster and account that admit the owner, with their role ARN.
 * @public
 */
export const ClusterdeckRoleIdentityPickerFieldExtension = formField(
  'ClusterdeckRoleIdentityPicker',
);

/**
 * `ui:field: ClusterdeckReleasePicker` for legacy apps: the releases or EKS versions the chosen management cluster offers.
 * @public
 */
export const ClusterdeckReleasePickerFieldExtension = formField(
  'ClusterdeckReleasePicker',
);

/**
 * `ui:field: ClusterdeckTransitGatewayPicker` for legacy apps: the transit gateways the chosen account reaches in the chosen region.
 * @public
 */
export const ClusterdeckTransitGatewayPickerFieldExtension = formField(
  'ClusterdeckTransitGatewayPicker',
);
