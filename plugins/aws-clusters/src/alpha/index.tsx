import {
  ApiBlueprint,
  PageBlueprint,
  createFrontendPlugin,
  createRouteRef,
  discoveryApiRef,
  fetchApiRef,
  type FrontendPlugin,
} from '@backstage/frontend-plugin-api';
import {
  EntityCardBlueprint,
  EntityContentBlueprint,
} from '@backstage/plugin-catalog-react/alpha';
import CloudIcon from '@material-ui/icons/Cloud';
import DashboardIcon from '@material-ui/icons/Dashboard';
import {
  createFormField,
  FormFieldBlueprint,
} from '@backstage/plugin-scaffolder-react/alpha';
import { AwsClustersClient, awsClustersApiRef } from '../api';
import {
  ENTITY_CARDS,
  FORM_FIELD_NAMES,
  kebabCase,
  loadClustersPage,
  loadFleetOverviewPage,
  loadTeamClustersContent,
  type PluginComponent,
} from '../extensionTable';

/**
 * The aws-clusters backend client, as the plugin's API.
 * @alpha
 */
export const awsClustersApi = ApiBlueprint.make({
  params: defineParams =>
    defineParams({
      api: awsClustersApiRef,
      deps: { discoveryApi: discoveryApiRef, fetchApi: fetchApiRef },
      factory: ({ discoveryApi, fetchApi }) =>
        new AwsClustersClient({ discoveryApi, fetchApi }),
    }),
});

/** The element of a lazily loaded component. */
const element = (load: () => Promise<PluginComponent>) => () =>
  load().then(Component => <Component />);

/**
 * The entity cards: on workload clusters (topology, boundaries, node pools, provisioning,
 * version support, Connect, Cost), on management clusters and on AWS accounts.
 */
const entityCards = Object.values(ENTITY_CARDS).map(({ name, filter, load }) =>
  EntityCardBlueprint.make({
    name,
    params: { filter, loader: element(load) },
  }),
);

/** The template form fields; `ui:field` names as in legacy apps. */
const clusterdeckFormFields = FORM_FIELD_NAMES.map(fieldName =>
  FormFieldBlueprint.make({
    name: kebabCase(fieldName),
    params: {
      field: () =>
        import('../components/fields').then(m =>
          createFormField({ name: fieldName, ...m.FORM_FIELDS[fieldName] }),
        ),
    },
  }),
);

/** The Clusters tab on Group pages: the clusters the group owns. */
const teamClustersEntityContent = EntityContentBlueprint.make({
  name: 'team-clusters',
  params: {
    path: 'clusters',
    title: 'Clusters',
    filter: 'kind:group',
    loader: element(loadTeamClustersContent),
  },
});

/**
 * The route of the Clusters page; the sidebar lists only pages that have one.
 * @alpha
 */
export const clustersPageRouteRef = createRouteRef();

/** The Clusters page in the sidebar: the signed-in user's teams' clusters. */
const clustersPage = PageBlueprint.make({
  params: {
    path: '/aws-clusters',
    routeRef: clustersPageRouteRef,
    title: 'Clusters',
    icon: <CloudIcon />,
    loader: element(loadClustersPage),
  },
});

/**
 * The route of the Fleet overview page.
 * @alpha
 */
export const fleetPageRouteRef = createRouteRef();

/** The Fleet overview page in the sidebar: counts, clusters needing attention and a filterable table. */
const fleetPage = PageBlueprint.make({
  name: 'fleet',
  params: {
    path: '/aws-clusters-fleet',
    routeRef: fleetPageRouteRef,
    title: 'Fleet overview',
    icon: <DashboardIcon />,
    loader: element(loadFleetOverviewPage),
  },
});

/**
 * Clusterdeck's frontend plugin for the New Frontend System.
 * @alpha
 */
const awsClustersAlphaPlugin: FrontendPlugin = createFrontendPlugin({
  pluginId: 'aws-clusters',
  routes: { root: clustersPageRouteRef, fleet: fleetPageRouteRef },
  extensions: [
    awsClustersApi,
    ...entityCards,
    teamClustersEntityContent,
    clustersPage,
    fleetPage,
    ...clusterdeckFormFields,
  ],
});

export default awsClustersAlphaPlugin;
