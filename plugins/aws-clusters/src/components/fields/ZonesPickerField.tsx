import { formValue, referencePicker } from './ReferenceSelect';

/** The `ui:options` of {@link ClusterdeckZonesPicker}. */
export interface ZonesPickerOptions {
  /** The field holding the account id (default `accountId`). */
  accountField?: string;
  /** The field holding the region (default `region`). */
  regionField?: string;
  /** How many zones to choose when nothing is chosen yet (default 3). */
  initialCount?: number;
}

/**
 * `ui:field: ClusterdeckZonesPicker` (an array field): availability zones of the chosen region,
 * the first ones chosen to begin with; the value is a list of zone names.
 */
export const ClusterdeckZonesPicker = referencePicker<
  string[],
  ZonesPickerOptions
>(({ api, field, options }) => {
  const accountId = formValue(field, options.accountField ?? 'accountId');
  const region = formValue(field, options.regionField ?? 'region');
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
