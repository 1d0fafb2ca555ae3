import { useState } from 'react';
import { Link } from '@backstage/core-components';
import { Button, Typography } from '@material-ui/core';
import type { ClusterSummary } from '@clusterdeck/plugin-aws-clusters-common';
import { ClusterStatusLabel, clusterEntityPath } from '../ClusterTable';
import { useLayout } from '../common/layout';

/** How many clusters a list shows at first, and how many more each "Show more" adds. */
export const CLUSTER_LIST_PAGE = 25;

/**
 * Clusters as a list: each a link to its page, its owner and its status. A long list shows its
 * first page and grows a page at a time (or all at once) on request, so that a card over a
 * thousand clusters draws as fast as one over a few.
 */
export function ClusterList(props: { clusters: ClusterSummary[] }) {
  const { clusters } = props;
  const layout = useLayout();
  const [shown, setShown] = useState(CLUSTER_LIST_PAGE);
  const rest = clusters.length - shown;
  return (
    <>
      <ul className={layout.list}>
        {clusters.slice(0, shown).map(c => (
          <li key={c.ref}>
            <Link to={clusterEntityPath(c)} underline="always">
              {c.name}
            </Link>{' '}
            · {c.owner} · <ClusterStatusLabel cluster={c} />
          </li>
        ))}
      </ul>
      {rest > 0 && (
        <div className={`${layout.row} ${layout.list}`}>
          <Typography variant="body2" color="textSecondary" component="span">
            {shown.toLocaleString('en')} of{' '}
            {clusters.length.toLocaleString('en')} shown
          </Typography>
          <Button
            size="small"
            onClick={() => setShown(n => n + CLUSTER_LIST_PAGE)}
          >
            Show {Math.min(rest, CLUSTER_LIST_PAGE)} more
          </Button>
          <Button size="small" onClick={() => setShown(clusters.length)}>
            Show all {clusters.length.toLocaleString('en')}
          </Button>
        </div>
      )}
    </>
  );
}
