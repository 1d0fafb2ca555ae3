import {
  Content,
  ContentHeader,
  LinkButton,
  Page,
  Header,
} from '@backstage/core-components';
import { stringifyEntityRef } from '@backstage/catalog-model';
import { useEntity } from '@backstage/plugin-catalog-react';
import { Box } from '@material-ui/core';
import { TeamCostCard } from '../CostCard';
import { TeamClustersTable } from './TeamClustersTable';

/** Where the request-a-cluster template lives. */
export const REQUEST_CLUSTER_PATH = '/create/templates/default/request-cluster';

function RequestClusterButton() {
  return (
    <LinkButton to={REQUEST_CLUSTER_PATH} color="primary" variant="contained">
      Request a cluster
    </LinkButton>
  );
}

/** The Clusters tab of a Group's page: the group's cost per month, and the clusters it owns. */
export function EntityTeamClustersContent() {
  const { entity } = useEntity();
  return (
    <>
      <ContentHeader title="Clusters">
        <RequestClusterButton />
      </ContentHeader>
      <Box mb={2}>
        <TeamCostCard owner={stringifyEntityRef(entity)} />
      </Box>
      <TeamClustersTable owner={stringifyEntityRef(entity)} showOwner={false} />
    </>
  );
}

/** The Clusters page: every cluster the signed-in user may see (their teams', or all for admins). */
export function AwsClustersPage() {
  return (
    <Page themeId="tool">
      <Header title="Clusters" subtitle="The workload clusters of your teams" />
      <Content>
        <ContentHeader title="Your teams' clusters">
          <RequestClusterButton />
        </ContentHeader>
        <TeamClustersTable />
      </Content>
    </Page>
  );
}
