import { DependencyFieldOptions, referencePicker } from './ReferenceSelect';

/** The `ui:options` of {@link ClusterdeckZonesPicker}: the fields it depends on, and how many zones to choose when nothing is chosen yet (default 3). */
export type ZonesPickerOptions = Pick<
  DependencyFieldOptions,
  'accountField' | 'regionField'
> & { initialCount?: number };

/**
 * `ui:field: ClusterdeckZonesPicker` (an array field): availability zones of the chosen region,
 * the first ones chosen to begin with; the value is a list of zone names.
 */
export const ClusterdeckZonesPicker = referencePicker<
  string[],
  ZonesPickerOptions
>(({ api, options, dependency }) => {
  const accountId = dependency('accountField');
  const region = dependency('regionField');
  const count = options.initialCount ?? 3;
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
    initial: choices => choices.slice(0, count).map(c => c.value),
  };
});
