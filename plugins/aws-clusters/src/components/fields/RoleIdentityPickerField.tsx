import { DependencyFieldOptions, referencePicker } from './ReferenceSelect';

/** The `ui:options` of {@link ClusterdeckRoleIdentityPicker}: the fields it depends on. */
export type RoleIdentityPickerOptions = Pick<
  DependencyFieldOptions,
  'managementClusterField' | 'accountField' | 'ownerField'
>;

/**
 * `ui:field: ClusterdeckRoleIdentityPicker`: the `AWSClusterRoleIdentity` objects of the chosen
 * management cluster whose role is in the chosen account and that admit the owner's namespace,
 * each with its role ARN; the value is the identity's name.
 */
export const ClusterdeckRoleIdentityPicker = referencePicker<
  string,
  RoleIdentityPickerOptions
>(({ api, dependency }) => {
  const managementCluster = dependency('managementClusterField');
  const accountId = dependency('accountField');
  const owner = dependency('ownerField');
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
