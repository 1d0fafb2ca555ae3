import { useApi } from '@backstage/core-plugin-api';
import { useEntity } from '@backstage/plugin-catalog-react';
import useAsyncRetry from 'react-use/esm/useAsyncRetry';
import {
  awsClustersApiRef,
  clusterRefOfEntity,
  type ClusterDetailResponse,
  type ClusterRef,
} from '../../api';

/** The detail of the cluster the current entity stands for. */
export function useClusterDetail(): {
  ref?: ClusterRef;
  value?: ClusterDetailResponse;
  loading: boolean;
  error?: Error;
  retry: () => void;
} {
  const { entity } = useEntity();
  const api = useApi(awsClustersApiRef);
  const ref = clusterRefOfEntity(entity);
  const key = ref
    ? `${ref.managementCluster}/${ref.namespace}/${ref.name}`
    : '';
  const state = useAsyncRetry(async () => {
    if (!ref) {
      throw new Error(
        `entity ${entity.metadata.name} lacks the clusterdeck.io/management-cluster, clusterdeck.io/namespace or clusterdeck.io/cluster-name annotation`,
      );
    }
    return api.getCluster(ref);
  }, [api, key]);
  return {
    ref,
    value: state.value,
    loading: state.loading,
    error: state.error,
    retry: state.retry,
  };
}
