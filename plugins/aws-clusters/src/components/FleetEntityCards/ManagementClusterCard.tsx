import {
  InfoCard,
  Progress,
  ResponseErrorPanel,
} from '@backstage/core-components';
import { useApi } from '@backstage/core-plugin-api';
import { useEntity } from '@backstage/plugin-catalog-react';
import { Typography } from '@material-ui/core';
import useAsync from 'react-use/esm/useAsync';
import { CLUSTERDECK_ANNOTATIONS } from '@clusterdeck/plugin-aws-clusters-common';
import { awsClustersApiRef } from '../../api';
import { useLayout } from '../common/layout';
import { ClusterList } from './ClusterList';

/** The management cluster a catalog entity stands for: it names one and no workload cluster. */
export function managementClusterOfEntity(entity: {
  metadata: { annotations?: Record<string, string> };
}): string | undefined {
  const a = entity.metadata.annotations ?? {};
  return a[CLUSTERDECK_ANNOTATIONS.clusterName]
    ? undefined
    : a[CLUSTERDECK_ANNOTATIONS.managementCluster];
}

/**
 * A management cluster's workload clusters the user may see, with their status, and its role
 * identities the user may use with the accounts they reach.
 */
export function EntityManagementClusterCard() {
  const { entity } = useEntity();
  const api = useApi(awsClustersApiRef);
  const layout = useLayout();
  const name = managementClusterOfEntity(entity) ?? '';
  const state = useAsync(async () => {
    const [clusters, identities] = await Promise.all([
      // Without a name, a filter would be no filter: an entity naming no management cluster has none.
      name ? api.listClusters({ managementCluster: name }) : { items: [] },
      api.listRoleIdentities({ managementCluster: name }).catch(() => ({
        items: [],
      })),
    ]);
    return { clusters: clusters.items, identities: identities.items };
  }, [api, name]);
  let body;
  if (state.loading) body = <Progress />;
  else if (state.error) body = <ResponseErrorPanel error={state.error} />;
  else {
    const { clusters, identities } = state.value!;
    body = (
      <>
        <Typography variant="subtitle2" component="h3">
          Workload clusters you may see ({clusters.length})
        </Typography>
        {clusters.length === 0 ? (
          <Typography variant="body2">None.</Typography>
        ) : (
          <ClusterList clusters={clusters} />
        )}
        <Typography variant="subtitle2" component="h3" style={{ marginTop: 8 }}>
          Role identities ({identities.length})
        </Typography>
        {identities.length === 0 ? (
          <Typography variant="body2">
            None you may request clusters with.
          </Typography>
        ) : (
          <ul className={layout.list}>
            {identities.map(i => (
              <li key={i.name}>
                <strong>{i.name}</strong>: account {i.accountId} through{' '}
                {i.roleARN}
              </li>
            ))}
          </ul>
        )}
      </>
    );
  }
  return <InfoCard title={`Management cluster ${name}`}>{body}</InfoCard>;
}
