import { useApi } from '@backstage/core-plugin-api';
import type { FieldExtensionComponentProps } from '@backstage/plugin-scaffolder-react';
import { awsClustersApiRef } from '../../api';
import { formValue, ReferenceSelect } from './ReferenceSelect';

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
export function ClusterdeckRegionPicker(
  props: FieldExtensionComponentProps<string | string[], RegionPickerOptions>,
) {
  const api = useApi(awsClustersApiRef);
  const options = props.uiSchema?.['ui:options'] ?? {};
  const accountId = options.allRegions
    ? undefined
    : formValue(props, options.accountField ?? 'accountId');
  return (
    <ReferenceSelect
      field={props}
      options={{
        title: 'Region',
        waitingFor:
          !options.allRegions && !accountId
            ? 'Choose the AWS account first.'
            : undefined,
        load: async () =>
          (await api.listRegions(accountId ? { accountId } : {})).items.map(
            r => ({
              value: r.name,
              label: r.zones
                ? `${r.name} (${r.zones.length} availability zones)`
                : r.name,
            }),
          ),
        deps: [api, accountId],
        loading: 'Loading the regions…',
        empty: 'The account is set up for no region; ask the platform team.',
      }}
    />
  );
}
