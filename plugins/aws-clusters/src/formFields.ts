import { createScaffolderFieldExtension } from '@backstage/plugin-scaffolder-react';
import {
  ClusterdeckAccountPicker,
  ClusterdeckCidrField,
  ClusterdeckClusterPicker,
  ClusterdeckNodePoolsEditor,
  validateCidrField,
  validateNodePools,
} from './components/fields';
import { awsClustersPlugin } from './plugin';

/**
 * `ui:field: ClusterdeckAccountPicker` for legacy apps: the accounts the user's teams may use.
 * @public
 */
export const ClusterdeckAccountPickerFieldExtension = awsClustersPlugin.provide(
  createScaffolderFieldExtension({ name: 'ClusterdeckAccountPicker', component: ClusterdeckAccountPicker as any }),
);

/**
 * `ui:field: ClusterdeckClusterPicker` for legacy apps: the clusters of the user's teams.
 * @public
 */
export const ClusterdeckClusterPickerFieldExtension = awsClustersPlugin.provide(
  createScaffolderFieldExtension({ name: 'ClusterdeckClusterPicker', component: ClusterdeckClusterPicker as any }),
);

/**
 * `ui:field: ClusterdeckCidrField` for legacy apps: a suggested free block, checked as you type.
 * @public
 */
export const ClusterdeckCidrFieldExtension = awsClustersPlugin.provide(
  createScaffolderFieldExtension({ name: 'ClusterdeckCidrField', component: ClusterdeckCidrField as any, validation: validateCidrField as any }),
);

/**
 * `ui:field: ClusterdeckNodePoolsEditor` for legacy apps: the cluster's node pools.
 * @public
 */
export const ClusterdeckNodePoolsEditorFieldExtension = awsClustersPlugin.provide(
  createScaffolderFieldExtension({ name: 'ClusterdeckNodePoolsEditor', component: ClusterdeckNodePoolsEditor as any, validation: validateNodePools as any }),
);
