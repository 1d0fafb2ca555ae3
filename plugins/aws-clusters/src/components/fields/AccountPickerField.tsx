import type { AccountView } from '@clusterdeck/plugin-aws-clusters-common';
import { referencePicker } from './ReferenceSelect';

/** The `ui:options` of {@link ClusterdeckAccountPicker}. */
export interface AccountPickerOptions {
  /** Offer only accounts of this environment. */
  environment?: string;
}

/** What is left of an account's quotas in its tightest region, e.g. "2 VPCs, 6 Elastic IPs free". */
export function headroom(account: AccountView): string {
  if (account.usage.length === 0) return 'headroom unknown';
  const vpcs = Math.min(...account.usage.map(u => u.quotas.vpcs - u.vpcs));
  const eips = Math.min(
    ...account.usage.map(u => u.quotas.elasticIps - u.elasticIps),
  );
  return `${Math.max(vpcs, 0)} VPCs, ${Math.max(eips, 0)} Elastic IPs free`;
}

/**
 * `ui:field: ClusterdeckAccountPicker`: the AWS accounts the user's teams may put clusters in,
 * with their environment and quota headroom; the value is the 12-digit account id.
 */
export const ClusterdeckAccountPicker = referencePicker<
  string,
  AccountPickerOptions
>(({ api, options: { environment } }) => ({
  title: 'AWS account',
  load: async () =>
    (await api.listAccounts()).items
      .filter(a => !environment || a.environment === environment)
      .map(account => ({
        value: account.id,
        label: `${account.name} (${account.id}) · ${
          account.environment
        } · ${headroom(account)}`,
      })),
  deps: [environment],
  loading: 'Loading the accounts your teams may use…',
  empty: 'No account admits your teams; ask the platform team.',
  failed: 'The accounts could not be loaded',
}));
