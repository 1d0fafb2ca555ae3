import type { ReactNode } from 'react';
import {
  EmptyState,
  InfoCard,
  Progress,
  ResponseErrorPanel,
} from '@backstage/core-components';
import { EntityRefLink, useEntity } from '@backstage/plugin-catalog-react';
import Typography from '@material-ui/core/Typography';
import type { ClusterDetailResponse } from '../../api';
import { useClusterDetail } from './useClusterDetail';
import { StaleDataWarning } from './StaleDataWarning';

/**
 * The fleet answers a cluster the user may not see as it answers one that does not exist, so
 * that nobody learns of other teams' clusters from it; the catalog entity still names the owner.
 */
function isNotFound(error: Error): boolean {
  return (error as { statusCode?: number }).statusCode === 404;
}

function NotYours() {
  const { entity } = useEntity();
  const owner =
    typeof entity.spec?.owner === 'string' ? entity.spec.owner : undefined;
  return (
    <Typography variant="body2" color="textSecondary">
      {owner ? (
        <>
          This cluster belongs to{' '}
          <EntityRefLink entityRef={owner} defaultKind="group" />: only its team
          and the platform team see its details.
        </>
      ) : (
        'Only the team that owns this cluster and the platform team see its details.'
      )}
    </Typography>
  );
}

/**
 * A card over the current cluster entity's detail: progress while loading, the error panel on
 * failure, an empty state when `isEmpty` says so, and a stale warning above the content. On a
 * cluster the user may not see, only the card with `saysWhoseCluster` is drawn, with one line
 * naming the owning team; the others draw nothing.
 */
export function ClusterCardFrame(props: {
  title: string;
  saysWhoseCluster?: boolean;
  emptyTitle: string;
  emptyDescription: string;
  isEmpty: (detail: ClusterDetailResponse) => boolean;
  children: (detail: ClusterDetailResponse) => ReactNode;
}) {
  const { value, loading, error } = useClusterDetail();
  let body: ReactNode;
  if (loading) body = <Progress />;
  else if (error && isNotFound(error)) {
    if (!props.saysWhoseCluster) return null;
    body = <NotYours />;
  } else if (error) body = <ResponseErrorPanel error={error} />;
  else if (!value || props.isEmpty(value)) {
    body = (
      <EmptyState
        missing="data"
        title={props.emptyTitle}
        description={props.emptyDescription}
      />
    );
  } else {
    body = (
      <>
        <StaleDataWarning
          sources={value.sources}
          generatedAt={value.generatedAt}
        />
        {props.children(value)}
      </>
    );
  }
  return <InfoCard title={props.title}>{body}</InfoCard>;
}

/** The cards over one optional part of the cluster's detail, with what each says without it. */
const PART_CARDS = {
  connect: {
    title: 'Connect',
    emptyTitle: 'No way to connect is configured',
    emptyDescription:
      'The platform team configures how to connect in clusterdeck.connect.',
  },
  cost: {
    title: 'Cost',
    emptyTitle: 'Cost is not read',
    emptyDescription:
      'The platform team turns on cost per cluster from AWS Cost Explorer with clusterdeck.cost.',
  },
};

/** A card over one optional part of the cluster's detail: empty when the fleet has none. */
export function ClusterPartCard<K extends keyof typeof PART_CARDS>(props: {
  part: K;
  children: (
    part: NonNullable<ClusterDetailResponse[K]>,
    detail: ClusterDetailResponse,
  ) => ReactNode;
}) {
  return (
    <ClusterCardFrame {...PART_CARDS[props.part]} isEmpty={d => !d[props.part]}>
      {detail => props.children(detail[props.part]!, detail)}
    </ClusterCardFrame>
  );
}
