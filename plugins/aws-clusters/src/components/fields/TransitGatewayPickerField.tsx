import { DependencyFieldOptions, referencePicker } from './ReferenceSelect';

/** The `ui:options` of {@link ClusterdeckTransitGatewayPicker}: the fields it depends on. */
export type TransitGatewayPickerOptions = Pick<
  DependencyFieldOptions,
  'accountField' | 'regionField'
>;

/**
 * `ui:field: ClusterdeckTransitGatewayPicker`: the transit gateways the chosen account can attach
 * to in the chosen region, with their owner; the value is the transit gateway id. An optional
 * field offers "none".
 */
export const ClusterdeckTransitGatewayPicker = referencePicker<
  string,
  TransitGatewayPickerOptions
>(({ api, field, dependency }) => {
  const accountId = dependency('accountField');
  const region = dependency('regionField');
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
