import { useApi } from '@backstage/core-plugin-api';
import type { FieldExtensionComponentProps } from '@backstage/plugin-scaffolder-react';
import { awsClustersApiRef } from '../../api';
import { formValue, ReferenceSelect } from './ReferenceSelect';

/** The `ui:options` of {@link ClusterdeckTransitGatewayPicker}. */
export interface TransitGatewayPickerOptions {
  /** Default `accountId`. */
  accountField?: string;
  /** Default `region`: only transit gateways of that region are offered. */
  regionField?: string;
}

/**
 * `ui:field: ClusterdeckTransitGatewayPicker`: the transit gateways the chosen account can attach
 * to in the chosen region, with their owner; the value is the transit gateway id. An optional
 * field offers "none".
 */
export function ClusterdeckTransitGatewayPicker(
  props: FieldExtensionComponentProps<string, TransitGatewayPickerOptions>,
) {
  const api = useApi(awsClustersApiRef);
  const options = props.uiSchema?.['ui:options'] ?? {};
  const accountId = formValue(props, options.accountField ?? 'accountId');
  const region = formValue(props, options.regionField ?? 'region');
  return (
    <ReferenceSelect
      field={props}
      options={{
        title: 'Transit gateway',
        waitingFor: !accountId ? 'Choose the AWS account first.' : undefined,
        load: async () =>
          (
            await api.listTransitGateways({ accountId: accountId!, region })
          ).items.map(t => ({
            value: t.id,
            label: [
              t.name ? `${t.name} (${t.id})` : t.id,
              t.region,
              t.ownerAccountId ? `owned by ${t.ownerAccountId}` : undefined,
            ]
              .filter(Boolean)
              .join(' · '),
          })),
        deps: [api, accountId, region],
        loading: 'Loading the transit gateways…',
        empty:
          'The account reaches no transit gateway in this region; ask the platform team.',
        noneLabel: props.required ? undefined : 'None',
      }}
    />
  );
}
