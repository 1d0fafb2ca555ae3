import type { ReactElement } from 'react';
import { renderInTestApp, TestApiProvider } from '@backstage/test-utils';
import {
  EntityProvider,
  entityRouteRef,
} from '@backstage/plugin-catalog-react';
import { awsClustersApiRef, type AwsClustersApi } from '../api';
import { clusterEntity } from '../__fixtures__/clusterDetail';

/** Renders a card on the fixture cluster entity with the given getCluster. */
export function renderCard(
  card: ReactElement,
  getCluster: AwsClustersApi['getCluster'],
) {
  const api = { getCluster } as Partial<AwsClustersApi> as AwsClustersApi;
  return renderInTestApp(
    <TestApiProvider apis={[[awsClustersApiRef, api]]}>
      <EntityProvider entity={clusterEntity}>{card}</EntityProvider>
    </TestApiProvider>,
    // Entity links (the owner of a cluster) resolve to the catalog's entity pages.
    { mountedRoutes: { '/catalog/:namespace/:kind/:name': entityRouteRef } },
  );
}
