import { useApi } from '@backstage/core-plugin-api';
import useAsyncRetry from 'react-use/esm/useAsyncRetry';
import {
  awsClustersApiRef,
  formatClusterRef,
  type ClusterRef,
  type ProvisioningResponse,
} from '../../api';
import { useClusterChanges } from '../common/useClusterChanges';

/**
 * A cluster's provisioning timeline, fetched again when the backend signals a change of the
 * cluster, or on a timer where signals are not installed.
 */
export function useProvisioning(ref: ClusterRef | undefined): {
  value?: ProvisioningResponse;
  loading: boolean;
  error?: Error;
  live: boolean;
} {
  const api = useApi(awsClustersApiRef);
  const key = ref ? formatClusterRef(ref) : '';
  const state = useAsyncRetry(async () => {
    if (!ref) throw new Error('the entity names no Clusterdeck cluster');
    return api.getProvisioning(ref);
  }, [api, key]);
  const live = useClusterChanges(key ? [key] : [], state.retry);
  return {
    // Keep showing the last timeline while a refetch runs, so the card does not flicker.
    value: state.value,
    loading: state.loading && !state.value,
    error: state.value ? undefined : state.error,
    live,
  };
}
