import { formValue, referencePicker } from './ReferenceSelect';

/** The `ui:options` of {@link ClusterdeckRoleIdentityPicker}: the fields it depends on. */
export interface RoleIdentityPickerOptions {
  /** Default `managementCluster`. */
  managementClusterField?: string;
  /** Default `accountId`. */
  accountField?: string;
  /** Default `owner`; the identities must admit the owner's organization namespace. */
  ownerField?: string;
}

/**
 * `ui:field: ClusterdeckRoleIdentityPicker`: the `AWSClusterRoleIdentity` objects of the chosen
 * management cluster whose role is in the chosen account and that admit the owner's namespace,
 * each with its role ARN; the value is the identity's name.
 */
export const ClusterdeckRoleIdentityPicker = referencePicker<
  string,
  RoleIdentityPickerOptions
>(({ api, field, options }) => {
  const managementCluster = formValue(
    field,
    options.managementClusterField ?? 'managementCluster',
  );
  const accountId = formValue(field, options.accountField ?? 'accountId');
  const owner = formValue(field, options.ownerField ?? 'owner');
  return {
    title: 'Role identity',
    waitingFor:
      !managementCluster || !accountId
        ? 'Choose the management cluster and the AWS account first.'
        : undefined,
    load: async () =>
      (
        await api.listRoleIdentities({
          managementCluster: managementCluster!,
          accountId,
          owner,
        })
      ).items.map(i => ({
        value: i.name,
        label: `${i.name} — ${i.roleARN}`,
      })),
    deps: [managementCluster, accountId, owner],
    loading: 'Loading the role identities…',
    empty: `${managementCluster} has no role identity for this account that admits your team's namespace; ask the platform team.`,
  };
});
