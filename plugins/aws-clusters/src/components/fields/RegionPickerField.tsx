import { DependencyFieldOptions, referencePicker } from './ReferenceSelect';

/**
 * The `ui:options` of {@link ClusterdeckRegionPicker}: the account field (without an account,
 * every region the platform knows), or `allRegions` to offer every region the platform knows, for
 * an account not created yet.
 */
export type RegionPickerOptions = Pick<
  DependencyFieldOptions,
  'accountField'
> & {
  allRegions?: boolean;
};

/**
 * `ui:field: ClusterdeckRegionPicker`: the regions of the chosen account, with their zone
 * counts; the value is the region name (or a list of names for an array field).
 */
export const ClusterdeckRegionPicker = referencePicker<
  string | string[],
  RegionPickerOptions
>(({ api, options, dependency }) => {
  const accountId = options.allRegions ? undefined : dependency('accountField');
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
