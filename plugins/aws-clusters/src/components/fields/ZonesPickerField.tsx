import { DependencyFieldOptions, referencePicker } from './ReferenceSelect';

/**
 * The `ui:options` of {@link ClusterdeckZonesPicker}: the fields it depends on, and how many zones
 * to choose when nothing is chosen yet (default 3). With `clusterField` (the field of a
 * `ClusterdeckClusterPicker`), the zones are those of that existing cluster, e.g. for a new node
 * pool, instead of the region's.
 */
export type ZonesPickerOptions = Pick<
  DependencyFieldOptions,
  'accountField' | 'regionField' | 'clusterField'
> & { initialCount?: number };

/**
 * `ui:field: ClusterdeckZonesPicker` (an array field): availability zones of the chosen region,
 * or of the chosen cluster, the first ones chosen to begin with; the value is a list of zone names.
 */
export const ClusterdeckZonesPicker = referencePicker<
  string[],
  ZonesPickerOptions
>(({ api, options, dependency }) => {
  const count = options.initialCount ?? 3;
  const initial = (choices: Array<{ value: string }>) =>
    choices.slice(0, count).map(c => c.value);
  if (options.clusterField) {
    const cluster = dependency('clusterField');
    const [managementCluster, namespace, name] = cluster?.split('/') ?? [];
    return {
      title: 'Availability zones',
      waitingFor: cluster ? undefined : 'Choose the cluster first.',
      load: async () =>
        (
          await api.getCluster({ managementCluster, namespace, name })
        ).topology.availabilityZones.map(zone => ({
          value: zone,
          label: zone,
        })),
      deps: [cluster],
      loading: "Loading the cluster's availability zones…",
      empty: `No availability zone of ${name} is known.`,
      initial,
    };
  }
  const accountId = dependency('accountField');
  const region = dependency('regionField');
  return {
    title: 'Availability zones',
    waitingFor:
      !accountId || !region
        ? 'Choose the account and region first.'
        : undefined,
    load: async () => {
      const zones = (await api.listRegions({ accountId })).items.find(
        r => r.name === region,
      )?.zones;
      return zones?.map(zone => ({ value: zone, label: zone }));
    },
    deps: [accountId, region],
    loading: 'Loading the availability zones…',
    empty: `No availability zone of ${region} is known.`,
    initial,
  };
});
