import { useApi } from '@backstage/core-plugin-api';
import type { FieldExtensionComponentProps } from '@backstage/plugin-scaffolder-react';
import {
  FormControl,
  FormHelperText,
  InputLabel,
  MenuItem,
  Select,
} from '@material-ui/core';
import useAsync from 'react-use/esm/useAsync';
import { awsClustersApiRef } from '../../api';

/**
 * `ui:field: ClusterdeckClusterPicker`: the clusters of the user's teams (every cluster for the
 * platform team); the value is `<managementCluster>/<namespace>/<name>`. Requested clusters are
 * left out: they cannot be changed before they exist.
 */
export function ClusterdeckClusterPicker(
  props: FieldExtensionComponentProps<string>,
) {
  const { formData, onChange, schema, rawErrors, required, idSchema } = props;
  const api = useApi(awsClustersApiRef);
  const { value, loading, error } = useAsync(() => api.listClusters(), [api]);
  const clusters = (value?.items ?? [])
    .filter(c => c.status !== 'requested')
    .sort((a, b) => a.ref.localeCompare(b.ref));
  const id = idSchema?.$id ?? 'clusterdeck-cluster';
  let help: string | undefined = schema.description;
  if (loading) help = 'Loading your clusters…';
  else if (error) help = `The clusters could not be loaded: ${error.message}`;
  else if (clusters.length === 0) help = 'Your teams have no clusters yet.';
  return (
    <FormControl
      margin="normal"
      fullWidth
      required={required}
      error={!!error || (rawErrors?.length ?? 0) > 0}
    >
      <InputLabel id={`${id}-label`}>{schema.title ?? 'Cluster'}</InputLabel>
      <Select
        labelId={`${id}-label`}
        id={id}
        value={formData ?? ''}
        disabled={loading || !!error}
        onChange={e => onChange(e.target.value as string)}
      >
        {clusters.map(cluster => (
          <MenuItem key={cluster.ref} value={cluster.ref}>
            {cluster.name} · {cluster.managementCluster} ·{' '}
            {cluster.environment ?? 'unknown environment'} · {cluster.flavor}{' '}
            {cluster.region ?? ''} · {cluster.status}
          </MenuItem>
        ))}
      </Select>
      {help && <FormHelperText>{help}</FormHelperText>}
    </FormControl>
  );
}
