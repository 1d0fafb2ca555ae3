import { formValue, referencePicker } from './ReferenceSelect';

/** The `ui:options` of {@link ClusterdeckRegionPicker}. */
export interface RegionPickerOptions {
  /** The field holding the account id (default `accountId`); without an account, every region the platform knows. */
  accountField?: string;
  /** Offer every region the platform knows, for an account not created yet. */
  allRegions?: boolean;
}

/**
 * `ui:field: ClusterdeckRegionPicker`: the regions of the chosen account, with their zone
 * counts; the value is the region name (or a list of names for an array field).
 */
export const ClusterdeckRegionPicker = referencePicker<
  string | string[],
  RegionPickerOptions
>(({ api, field, options }) => {
  const accountId = options.allRegions
    ? undefined
    : formValue(field, options.accountField ?? 'accountId');
  return {
    title: 'Region',
    waitingFor:
      !options.allRegions && !accountId
        ? 'Choose the AWS account first.'
        : undefined,
    load: async () =>
      (await api.listRegions(accountId ? { accountId } : {})).items.map(r => ({
        value: r.name,
        label: r.zones
          ? `${r.name} (${r.zones.length} availability zones)`
          : r.name,
      })),
    deps: [accountId],
    loading: 'Loading the regions…',
    empty: 'The account is set up for no region; ask the platform team.',
  };
});
