/*
 * Hi!
 *
 * Note that this is an EXAMPLE Backstage backend. Please check the README.
 *
 * Happy hacking!
 */

import { createBackend } from '@backstage/backend-defaults';
import { permissionModuleClusterdeckPolicy } from '@clusterdeck/plugin-aws-clusters-backend';

const backend = createBackend();

backend.add(import('@backstage/plugin-app-backend'));
backend.add(import('@backstage/plugin-proxy-backend'));

// scaffolder plugin
backend.add(import('@backstage/plugin-scaffolder-backend'));
backend.add(import('@backstage/plugin-scaffolder-backend-module-github'));
backend.add(
  import('@backstage/plugin-scaffolder-backend-module-notifications'),
);
// Clusterdeck: cluster, node pool and account actions
backend.add(
  import('@clusterdeck/plugin-scaffolder-backend-module-aws-clusters'),
);

// techdocs plugin
backend.add(import('@backstage/plugin-techdocs-backend'));

// auth plugin
backend.add(import('@backstage/plugin-auth-backend'));
// See https://backstage.io/docs/backend-system/building-backends/migrating#the-auth-plugin
backend.add(import('@backstage/plugin-auth-backend-module-guest-provider'));
// See https://backstage.io/docs/auth/guest/provider

// catalog plugin
backend.add(import('@backstage/plugin-catalog-backend'));
backend.add(
  import('@backstage/plugin-catalog-backend-module-scaffolder-entity-model'),
);

// See https://backstage.io/docs/features/software-catalog/configuration#subscribing-to-catalog-errors
backend.add(import('@backstage/plugin-catalog-backend-module-logs'));
// Clusterdeck: accounts, management clusters and workload clusters as catalog entities
backend.add(import('@clusterdeck/plugin-catalog-backend-module-aws-clusters'));

// permission plugin
backend.add(import('@backstage/plugin-permission-backend'));
// Admin groups see every cluster; everyone else what their groups own.
backend.add(permissionModuleClusterdeckPolicy);

// Clusterdeck: the fleet of AWS workload clusters
backend.add(import('@clusterdeck/plugin-aws-clusters-backend'));
// The demo reads its fleet from examples/demo-fleet (clusterdeck.snapshot).
backend.add(import('@clusterdeck/plugin-aws-clusters-backend-module-snapshot'));
// Reads AWS from an AWS Config aggregator when clusterdeck.awsConfig is set; else does nothing.
backend.add(
  import('@clusterdeck/plugin-aws-clusters-backend-module-aws-config'),
);

// search plugin
backend.add(import('@backstage/plugin-search-backend'));

// search engine
// See https://backstage.io/docs/features/search/search-engines
backend.add(import('@backstage/plugin-search-backend-module-pg'));

// search collators
backend.add(import('@backstage/plugin-search-backend-module-catalog'));
backend.add(import('@backstage/plugin-search-backend-module-techdocs'));

// kubernetes plugin
backend.add(import('@backstage/plugin-kubernetes-backend'));

// user settings plugin
backend.add(import('@backstage/plugin-user-settings-backend'));

// notifications and signals plugins
backend.add(import('@backstage/plugin-notifications-backend'));
backend.add(import('@backstage/plugin-signals-backend'));

// mcp actions plugin
backend.add(import('@backstage/plugin-mcp-actions-backend'));

backend.start();
