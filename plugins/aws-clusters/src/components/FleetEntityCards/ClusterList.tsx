import { Link } from '@backstage/core-components';
import { Box } from '@material-ui/core';
import type { ClusterSummary } from '@clusterdeck/plugin-aws-clusters-common';
import { ClusterStatusLabel, clusterEntityPath } from '../ClusterTable';

/** Clusters as a list: each a link to its page, its owner and its status. */
export function ClusterList(props: { clusters: ClusterSummary[] }) {
  return (
    <Box component="ul" pl={2} m={0}>
      {props.clusters.map(c => (
        <li key={c.ref}>
          <Link to={clusterEntityPath(c)} underline="always">
            {c.name}
          </Link>{' '}
          · {c.owner} · <ClusterStatusLabel cluster={c} />
        </li>
      ))}
    </Box>
  );
}
