import { useApi } from '@backstage/core-plugin-api';
import type { FieldExtensionComponentProps } from '@backstage/plugin-scaffolder-react';
import { awsClustersApiRef } from '../../api';
import { ReferenceSelect } from './ReferenceSelect';

/** `ui:field: ClusterdeckManagementClusterPicker`: the management clusters, with region and environment; the value is the name. */
export function ClusterdeckManagementClusterPicker(
  props: FieldExtensionComponentProps<string>,
) {
  const api = useApi(awsClustersApiRef);
  return (
    <ReferenceSelect
      field={props}
      options={{
        title: 'Management cluster',
        load: async () =>
          (await api.listManagementClusters()).items.map(mc => ({
            value: mc.name,
            label: [mc.name, mc.region, mc.environment]
              .filter(Boolean)
              .join(' · '),
          })),
        deps: [api],
        loading: 'Loading the management clusters…',
        empty:
          'No management cluster takes requests from your teams; ask the platform team.',
      }}
    />
  );
}
