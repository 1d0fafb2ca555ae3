import type { ReactNode } from 'react';
import { EmptyState, InfoCard, Progress, ResponseErrorPanel } from '@backstage/core-components';
import type { ClusterDetailResponse } from '../../api';
import { useClusterDetail } from './useClusterDetail';
import { StaleDataWarning } from './StaleDataWarning';

/**
 * A card over the current cluster entity's detail: progress while loading, the error panel on
 * failure, an empty state when `isEmpty` says so, and a stale warning above the content.
 */
export function ClusterCardFrame(props: {
  title: string;
  emptyTitle: string;
  emptyDescription: string;
  isEmpty: (detail: ClusterDetailResponse) => boolean;
  children: (detail: ClusterDetailResponse) => ReactNode;
}) {
  const { value, loading, error } = useClusterDetail();
  let body: ReactNode;
  if (loading) body = <Progress />;
  else if (error) body = <ResponseErrorPanel error={error} />;
  else if (!value || props.isEmpty(value)) {
    body = <EmptyState missing="data" title={props.emptyTitle} description={props.emptyDescription} />;
  } else {
    body = (
      <>
        <StaleDataWarning sources={value.sources} generatedAt={value.generatedAt} />
        {props.children(value)}
      </>
    );
  }
  return <InfoCard title={props.title}>{body}</InfoCard>;
}
