import { useApi } from '@backstage/core-plugin-api';
import type { FieldExtensionComponentProps } from '@backstage/plugin-scaffolder-react';
import { awsClustersApiRef } from '../../api';
import { formValue, ReferenceSelect } from './ReferenceSelect';

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
export function ClusterdeckZonesPicker(
  props: FieldExtensionComponentProps<string[], ZonesPickerOptions>,
) {
  const api = useApi(awsClustersApiRef);
  const options = props.uiSchema?.['ui:options'] ?? {};
  const accountId = formValue(props, options.accountField ?? 'accountId');
  const region = formValue(props, options.regionField ?? 'region');
  const count = options.initialCount ?? 3;
  return (
    <ReferenceSelect
      field={props}
      options={{
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
        deps: [api, accountId, region],
        loading: 'Loading the availability zones…',
        empty: `No availability zone of ${region} is known.`,
        initial: choices => choices.slice(0, count).map(c => c.value),
      }}
    />
  );
}
