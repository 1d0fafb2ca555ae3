import { useMemo } from 'react';
import { useApi } from '@backstage/core-plugin-api';
import useAsyncRetry from 'react-use/esm/useAsyncRetry';
import type {
  ClusterSummary,
  IsolationFinding,
  ListResponse,
} from '@clusterdeck/plugin-aws-clusters-common';
import { awsClustersApiRef } from '../../api';
import { findingsByCluster } from '../ClusterTable/clusterFilters';
import { useClusterChanges } from './useClusterChanges';

/**
 * The clusters the signed-in user may see (of one owner if given) and their unaccepted isolation
 * findings by cluster ref. The findings come from the boundaries; when they fail to load, the
 * clusters still show and `findings` is undefined. Both are fetched again when the backend
 * signals a change of any of the user's clusters (signals reach only the owning groups), or on a
 * timer where signals are not installed; the last answer stays shown while they are.
 */
export function useFleet(owner?: string): {
  value?: ListResponse<ClusterSummary>;
  loading: boolean;
  error?: Error;
  findings?: Map<string, IsolationFinding[]>;
  findingsError?: Error;
  /** Whether changes are pushed (signals) rather than polled. */
  live: boolean;
} {
  const api = useApi(awsClustersApiRef);
  const clusters = useAsyncRetry(
    () => api.listClusters(owner ? { owner } : {}),
    [api, owner],
  );
  const boundaries = useAsyncRetry(
    () => api.getBoundaries(owner ? { owner } : {}),
    [api, owner],
  );
  const live = useClusterChanges('any', () => {
    clusters.retry();
    boundaries.retry();
  });
  const findings = useMemo(
    () =>
      boundaries.value
        ? findingsByCluster(boundaries.value.findings)
        : undefined,
    [boundaries.value],
  );
  return {
    value: clusters.value,
    loading:
      (clusters.loading && !clusters.value) ||
      (boundaries.loading && !boundaries.value && !boundaries.error),
    error: clusters.value ? undefined : clusters.error,
    findings,
    findingsError: boundaries.error,
    live,
  };
}
