import { createScaffolderFieldExtension } from '@backstage/plugin-scaffolder-react';
import {
  ClusterdeckAccountPicker,
  ClusterdeckCidrField,
  ClusterdeckClusterPicker,
  ClusterdeckManagementClusterPicker,
  ClusterdeckNodePoolsEditor,
  ClusterdeckRegionPicker,
  ClusterdeckReleasePicker,
  ClusterdeckRoleIdentityPicker,
  ClusterdeckTransitGatewayPicker,
  ClusterdeckZonesPicker,
  validateCidrField,
  validateNodePools,
} from './components/fields';
import { awsClustersPlugin } from './plugin';

/**
 * `ui:field: ClusterdeckAccountPicker` for legacy apps: the accounts the user's teams may use.
 * @public
 */
export const ClusterdeckAccountPickerFieldExtension = awsClustersPlugin.provide(
  createScaffolderFieldExtension({
    name: 'ClusterdeckAccountPicker',
    component: ClusterdeckAccountPicker as any,
  }),
);

/**
 * `ui:field: ClusterdeckClusterPicker` for legacy apps: the clusters of the user's teams.
 * @public
 */
export const ClusterdeckClusterPickerFieldExtension = awsClustersPlugin.provide(
  createScaffolderFieldExtension({
    name: 'ClusterdeckClusterPicker',
    component: ClusterdeckClusterPicker as any,
  }),
);

/**
 * `ui:field: ClusterdeckCidrField` for legacy apps: a suggested free block, checked as you type.
 * @public
 */
export const ClusterdeckCidrFieldExtension = awsClustersPlugin.provide(
  createScaffolderFieldExtension({
    name: 'ClusterdeckCidrField',
    component: ClusterdeckCidrField as any,
    validation: validateCidrField as any,
  }),
);

/**
 * `ui:field: ClusterdeckNodePoolsEditor` for legacy apps: the cluster's node pools.
 * @public
 */
export const ClusterdeckNodePoolsEditorFieldExtension =
  awsClustersPlugin.provide(
    createScaffolderFieldExtension({
      name: 'ClusterdeckNodePoolsEditor',
      component: ClusterdeckNodePoolsEditor as any,
      validation: validateNodePools as any,
    }),
  );

/**
 * `ui:field: ClusterdeckManagementClusterPicker` for legacy apps: the management clusters, with region and environment.
 * @public
 */
export const ClusterdeckManagementClusterPickerFieldExtension =
  awsClustersPlugin.provide(
    createScaffolderFieldExtension({
      name: 'ClusterdeckManagementClusterPicker',
      component: ClusterdeckManagementClusterPicker as any,
    }),
  );

/**
 * `ui:field: ClusterdeckRegionPicker` for legacy apps: the regions of the chosen account (or all the platform knows).
 * @public
 */
export const ClusterdeckRegionPickerFieldExtension = awsClustersPlugin.provide(
  createScaffolderFieldExtension({
    name: 'ClusterdeckRegionPicker',
    component: ClusterdeckRegionPicker as any,
  }),
);

/**
 * `ui:field: ClusterdeckZonesPicker` for legacy apps: the availability zones of the chosen region.
 * @public
 */
export const ClusterdeckZonesPickerFieldExtension = awsClustersPlugin.provide(
  createScaffolderFieldExtension({
    name: 'ClusterdeckZonesPicker',
    component: ClusterdeckZonesPicker as any,
  }),
);

/**
 * `ui:field: ClusterdeckRoleIdentityPicker` for legacy apps: the role identities of the chosen management cluster and account that admit the owner, with their role ARN.
 * @public
 */
export const ClusterdeckRoleIdentityPickerFieldExtension =
  awsClustersPlugin.provide(
    createScaffolderFieldExtension({
      name: 'ClusterdeckRoleIdentityPicker',
      component: ClusterdeckRoleIdentityPicker as any,
    }),
  );

/**
 * `ui:field: ClusterdeckReleasePicker` for legacy apps: the releases or EKS versions the chosen management cluster offers.
 * @public
 */
export const ClusterdeckReleasePickerFieldExtension = awsClustersPlugin.provide(
  createScaffolderFieldExtension({
    name: 'ClusterdeckReleasePicker',
    component: ClusterdeckReleasePicker as any,
  }),
);

/**
 * `ui:field: ClusterdeckTransitGatewayPicker` for legacy apps: the transit gateways the chosen account reaches in the chosen region.
 * @public
 */
export const ClusterdeckTransitGatewayPickerFieldExtension =
  awsClustersPlugin.provide(
    createScaffolderFieldExtension({
      name: 'ClusterdeckTransitGatewayPicker',
      component: ClusterdeckTransitGatewayPicker as any,
    }),
  );
