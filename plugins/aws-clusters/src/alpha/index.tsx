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
import type { Entity } from '@backstage/catalog-model';
import CloudIcon from '@material-ui/icons/Cloud';
import DashboardIcon from '@material-ui/icons/Dashboard';
import {
  createFormField,
  FormFieldBlueprint,
} from '@backstage/plugin-scaffolder-react/alpha';
import {
  AwsClustersClient,
  awsClustersApiRef,
  isClusterdeckCluster,
} from '../api';

/** The aws-clusters backend client, as the plugin's API. */
export const awsClustersApi = ApiBlueprint.make({
  params: defineParams =>
    defineParams({
      api: awsClustersApiRef,
      deps: { discoveryApi: discoveryApiRef, fetchApi: fetchApiRef },
      factory: ({ discoveryApi, fetchApi }) =>
        new AwsClustersClient({ discoveryApi, fetchApi }),
    }),
});

/** The node-pool scaling card on cluster entities. */
const nodePoolScalingEntityCard = EntityCardBlueprint.make({
  name: 'node-pool-scaling',
  params: {
    filter: isClusterdeckCluster,
    loader: () =>
      import('../components/cards/NodePoolScalingCard').then(m => (
        <m.EntityNodePoolScalingCard />
      )),
  },
});

/** The isolation boundaries card on cluster entities. */
const clusterBoundariesEntityCard = EntityCardBlueprint.make({
  name: 'cluster-boundaries',
  params: {
    filter: isClusterdeckCluster,
    loader: () =>
      import('../components/cards/BoundariesCard').then(m => (
        <m.EntityClusterBoundariesCard />
      )),
  },
});

/** The network topology card on cluster entities. */
const clusterTopologyEntityCard = EntityCardBlueprint.make({
  name: 'cluster-topology',
  params: {
    filter: isClusterdeckCluster,
    loader: () =>
      import('../components/cards/TopologyCard').then(m => (
        <m.EntityClusterTopologyCard />
      )),
  },
});

/** The provisioning timeline card on cluster entities. */
const clusterProvisioningEntityCard = EntityCardBlueprint.make({
  name: 'cluster-provisioning',
  params: {
    filter: isClusterdeckCluster,
    loader: () =>
      import('../components/Provisioning').then(m => (
        <m.EntityClusterProvisioningCard />
      )),
  },
});

/** The version support card on cluster entities: badge, end of support, EKS upgrade insights. */
const versionSupportEntityCard = EntityCardBlueprint.make({
  name: 'version-support',
  params: {
    filter: isClusterdeckCluster,
    loader: () =>
      import('../components/VersionSupport').then(m => (
        <m.EntityVersionSupportCard />
      )),
  },
});

/** The Connect card on cluster entities. */
const connectEntityCard = EntityCardBlueprint.make({
  name: 'connect',
  params: {
    filter: isClusterdeckCluster,
    loader: () =>
      import('../components/ConnectCard').then(m => <m.EntityConnectCard />),
  },
});

/** The Cost card on cluster entities. */
const clusterCostEntityCard = EntityCardBlueprint.make({
  name: 'cluster-cost',
  params: {
    filter: isClusterdeckCluster,
    loader: () =>
      import('../components/CostCard').then(m => <m.EntityClusterCostCard />),
  },
});

/** The management cluster card: its workload clusters, role identities and the accounts they reach. */
const managementClusterEntityCard = EntityCardBlueprint.make({
  name: 'management-cluster',
  params: {
    filter: (entity: Entity) =>
      entity.spec?.type === 'kubernetes-cluster' &&
      !!entity.metadata.annotations?.['clusterdeck.io/management-cluster'] &&
      !isClusterdeckCluster(entity),
    loader: () =>
      import('../components/FleetEntityCards').then(m => (
        <m.EntityManagementClusterCard />
      )),
  },
});

/** The AWS account card: clusters per region, quota headroom, access and findings. */
const accountEntityCard = EntityCardBlueprint.make({
  name: 'aws-account',
  params: {
    filter: (entity: Entity) =>
      entity.spec?.type === 'aws-account' &&
      !!entity.metadata.annotations?.['clusterdeck.io/account-id'],
    loader: () =>
      import('../components/FleetEntityCards').then(m => (
        <m.EntityAccountCard />
      )),
  },
});

const load = () => import('../components/fields');

/** The template form fields; `ui:field` names as in legacy apps. */
const clusterdeckFormFields = [
  FormFieldBlueprint.make({
    name: 'clusterdeck-account-picker',
    params: {
      field: () =>
        load().then(m =>
          createFormField({
            name: 'ClusterdeckAccountPicker',
            component: m.ClusterdeckAccountPicker as any,
          }),
        ),
    },
  }),
  FormFieldBlueprint.make({
    name: 'clusterdeck-cluster-picker',
    params: {
      field: () =>
        load().then(m =>
          createFormField({
            name: 'ClusterdeckClusterPicker',
            component: m.ClusterdeckClusterPicker as any,
          }),
        ),
    },
  }),
  FormFieldBlueprint.make({
    name: 'clusterdeck-cidr-field',
    params: {
      field: () =>
        load().then(m =>
          createFormField({
            name: 'ClusterdeckCidrField',
            component: m.ClusterdeckCidrField as any,
            validation: m.validateCidrField as any,
          }),
        ),
    },
  }),
  FormFieldBlueprint.make({
    name: 'clusterdeck-management-cluster-picker',
    params: {
      field: () =>
        load().then(m =>
          createFormField({
            name: 'ClusterdeckManagementClusterPicker',
            component: m.ClusterdeckManagementClusterPicker as any,
          }),
        ),
    },
  }),
  FormFieldBlueprint.make({
    name: 'clusterdeck-region-picker',
    params: {
      field: () =>
        load().then(m =>
          createFormField({
            name: 'ClusterdeckRegionPicker',
            component: m.ClusterdeckRegionPicker as any,
          }),
        ),
    },
  }),
  FormFieldBlueprint.make({
    name: 'clusterdeck-zones-picker',
    params: {
      field: () =>
        load().then(m =>
          createFormField({
            name: 'ClusterdeckZonesPicker',
            component: m.ClusterdeckZonesPicker as any,
          }),
        ),
    },
  }),
  FormFieldBlueprint.make({
    name: 'clusterdeck-role-identity-picker',
    params: {
      field: () =>
        load().then(m =>
          createFormField({
            name: 'ClusterdeckRoleIdentityPicker',
            component: m.ClusterdeckRoleIdentityPicker as any,
          }),
        ),
    },
  }),
  FormFieldBlueprint.make({
    name: 'clusterdeck-release-picker',
    params: {
      field: () =>
        load().then(m =>
          createFormField({
            name: 'ClusterdeckReleasePicker',
            component: m.ClusterdeckReleasePicker as any,
          }),
        ),
    },
  }),
  FormFieldBlueprint.make({
    name: 'clusterdeck-transit-gateway-picker',
    params: {
      field: () =>
        load().then(m =>
          createFormField({
            name: 'ClusterdeckTransitGatewayPicker',
            component: m.ClusterdeckTransitGatewayPicker as any,
          }),
        ),
    },
  }),
  FormFieldBlueprint.make({
    name: 'clusterdeck-node-pools-editor',
    params: {
      field: () =>
        load().then(m =>
          createFormField({
            name: 'ClusterdeckNodePoolsEditor',
            component: m.ClusterdeckNodePoolsEditor as any,
            validation: m.validateNodePools as any,
          }),
        ),
    },
  }),
];

/** The Clusters tab on Group pages: the clusters the group owns. */
const teamClustersEntityContent = EntityContentBlueprint.make({
  name: 'team-clusters',
  params: {
    path: 'clusters',
    title: 'Clusters',
    filter: 'kind:group',
    loader: () =>
      import('../components/TeamClusters').then(m => (
        <m.EntityTeamClustersContent />
      )),
  },
});

/** The route of the Clusters page; the sidebar lists only pages that have one. */
export const clustersPageRouteRef = createRouteRef();

/** The Clusters page in the sidebar: the signed-in user's teams' clusters. */
const clustersPage = PageBlueprint.make({
  params: {
    path: '/aws-clusters',
    routeRef: clustersPageRouteRef,
    title: 'Clusters',
    icon: <CloudIcon />,
    loader: () =>
      import('../components/TeamClusters').then(m => <m.AwsClustersPage />),
  },
});

/** The route of the Fleet overview page. */
export const fleetPageRouteRef = createRouteRef();

/** The Fleet overview page in the sidebar: counts, clusters needing attention and a filterable table. */
const fleetPage = PageBlueprint.make({
  name: 'fleet',
  params: {
    path: '/aws-clusters-fleet',
    routeRef: fleetPageRouteRef,
    title: 'Fleet overview',
    icon: <DashboardIcon />,
    loader: () =>
      import('../components/FleetOverview').then(m => <m.FleetOverviewPage />),
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
    clusterBoundariesEntityCard,
    clusterProvisioningEntityCard,
    clusterTopologyEntityCard,
    nodePoolScalingEntityCard,
    versionSupportEntityCard,
    connectEntityCard,
    clusterCostEntityCard,
    teamClustersEntityContent,
    clustersPage,
    fleetPage,
    managementClusterEntityCard,
    accountEntityCard,
    ...clusterdeckFormFields,
  ],
});

export default awsClustersAlphaPlugin;
