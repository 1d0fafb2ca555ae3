import { useMemo } from 'react';
import { useApi } from '@backstage/core-plugin-api';
import useAsync from 'react-use/esm/useAsync';
import type {
  ClusterSummary,
  IsolationFinding,
  ListResponse,
} from '@clusterdeck/plugin-aws-clusters-common';
import { awsClustersApiRef } from '../../api';
import { findingsByCluster } from '../ClusterTable/clusterFilters';

/**
 * The clusters the signed-in user may see (of one owner if given) and their unaccepted isolation
 * findings by cluster ref. The findings come from the boundaries; when they fail to load, the
 * clusters still show and `findings` is undefined.
 */
export function useFleet(owner?: string): {
  value?: ListResponse<ClusterSummary>;
  loading: boolean;
  error?: Error;
  findings?: Map<string, IsolationFinding[]>;
  findingsError?: Error;
} {
  const api = useApi(awsClustersApiRef);
  const clusters = useAsync(
    () => api.listClusters(owner ? { owner } : {}),
    [api, owner],
  );
  const boundaries = useAsync(
    () => api.getBoundaries(owner ? { owner } : {}),
    [api, owner],
  );
  const findings = useMemo(
    () =>
      boundaries.value
        ? findingsByCluster(boundaries.value.findings)
        : undefined,
    [boundaries.value],
  );
  return {
    value: clusters.value,
    loading: clusters.loading || boundaries.loading,
    error: clusters.error,
    findings,
    findingsError: boundaries.error,
  };
}
