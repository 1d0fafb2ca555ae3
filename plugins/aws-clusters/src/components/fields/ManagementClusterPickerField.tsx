import { referencePicker } from './ReferenceSelect';

/** `ui:field: ClusterdeckManagementClusterPicker`: the management clusters, with region and environment; the value is the name. */
export const ClusterdeckManagementClusterPicker = referencePicker<string>(
  ({ api }) => ({
    title: 'Management cluster',
    load: async () =>
      (await api.listManagementClusters()).items.map(mc => ({
        value: mc.name,
        label: [mc.name, mc.region, mc.environment].filter(Boolean).join(' · '),
      })),
    loading: 'Loading the management clusters…',
    empty:
      'No management cluster takes requests from your teams; ask the platform team.',
  }),
);
