import { useApi } from '@backstage/core-plugin-api';
import type { FieldExtensionComponentProps } from '@backstage/plugin-scaffolder-react';
import type { AccountView } from '@clusterdeck/plugin-aws-clusters-common';
import {
  FormControl,
  FormHelperText,
  InputLabel,
  MenuItem,
  Select,
} from '@material-ui/core';
import useAsync from 'react-use/esm/useAsync';
import { awsClustersApiRef } from '../../api';

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
export function ClusterdeckAccountPicker(
  props: FieldExtensionComponentProps<string, AccountPickerOptions>,
) {
  const {
    formData,
    onChange,
    schema,
    uiSchema,
    rawErrors,
    required,
    idSchema,
  } = props;
  const api = useApi(awsClustersApiRef);
  const { value, loading, error } = useAsync(() => api.listAccounts(), [api]);
  const environment = uiSchema?.['ui:options']?.environment;
  const accounts = (value?.items ?? []).filter(
    a => !environment || a.environment === environment,
  );
  const id = idSchema?.$id ?? 'clusterdeck-account';
  let help: string | undefined = schema.description;
  if (loading) help = 'Loading the accounts your teams may use…';
  else if (error) help = `The accounts could not be loaded: ${error.message}`;
  else if (accounts.length === 0)
    help = 'No account admits your teams; ask the platform team.';
  return (
    <FormControl
      margin="normal"
      fullWidth
      required={required}
      error={!!error || (rawErrors?.length ?? 0) > 0}
    >
      <InputLabel id={`${id}-label`}>
        {schema.title ?? 'AWS account'}
      </InputLabel>
      <Select
        labelId={`${id}-label`}
        id={id}
        value={formData ?? ''}
        disabled={loading || !!error}
        onChange={e => onChange(e.target.value as string)}
      >
        {accounts.map(account => (
          <MenuItem key={account.id} value={account.id}>
            {account.name} ({account.id}) · {account.environment} ·{' '}
            {headroom(account)}
          </MenuItem>
        ))}
      </Select>
      {help && <FormHelperText>{help}</FormHelperText>}
    </FormControl>
  );
}
