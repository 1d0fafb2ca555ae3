import { referencePicker } from './ReferenceSelect';

/**
 * `ui:field: ClusterdeckClusterPicker`: the clusters of the user's teams (every cluster for the
 * platform team); the value is `<managementCluster>/<namespace>/<name>`. Requested clusters are
 * left out: they cannot be changed before they exist.
 */
export const ClusterdeckClusterPicker = referencePicker<string>(({ api }) => ({
  title: 'Cluster',
  load: async () =>
    (await api.listClusters()).items
      .filter(c => c.status !== 'requested')
      .sort((a, b) => a.ref.localeCompare(b.ref))
      .map(c => ({
        value: c.ref,
        label: `${c.name} · ${c.managementCluster} · ${
          c.environment ?? 'unknown environment'
        } · ${c.flavor} ${c.region ?? ''} · ${c.status}`,
      })),
  loading: 'Loading your clusters…',
  empty: 'Your teams have no clusters yet.',
  failed: 'The clusters could not be loaded',
}));
