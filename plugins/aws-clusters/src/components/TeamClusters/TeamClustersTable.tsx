import { Progress, ResponseErrorPanel } from '@backstage/core-components';
import { StaleDataWarning } from '../common/StaleDataWarning';
import { ClusterTable } from '../ClusterTable';
import { useFleet } from '../common/useFleet';

export { ClusterStatusLabel, clusterEntityPath } from '../ClusterTable';

/**
 * The clusters the signed-in user may see, optionally of one owner group: sortable, filtered
 * by the URL's query, with each cluster's unaccepted isolation findings, exportable as CSV; kept
 * up to date by signals (or polling where they are not installed) without a reload.
 */
export function TeamClustersTable(props: {
  owner?: string;
  showOwner?: boolean;
}) {
  const { value, loading, error, findings } = useFleet(props.owner);
  if (loading) return <Progress />;
  if (error) return <ResponseErrorPanel error={error} />;
  return (
    <>
      <StaleDataWarning
        sources={value?.errors ?? []}
        generatedAt={value?.generatedAt}
      />
      <ClusterTable
        clusters={value?.items ?? []}
        findings={findings}
        generatedAt={value?.generatedAt}
        showOwner={props.showOwner}
        csvName={`clusters${
          props.owner ? `-${props.owner.split('/').pop()}` : ''
        }.csv`}
      />
    </>
  );
}
