import { formValue, referencePicker } from './ReferenceSelect';

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
export const ClusterdeckTransitGatewayPicker = referencePicker<
  string,
  TransitGatewayPickerOptions
>(({ api, field, options }) => {
  const accountId = formValue(field, options.accountField ?? 'accountId');
  const region = formValue(field, options.regionField ?? 'region');
  return {
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
    deps: [accountId, region],
    loading: 'Loading the transit gateways…',
    empty:
      'The account reaches no transit gateway in this region; ask the platform team.',
    noneLabel: field.required ? undefined : 'None',
  };
});
