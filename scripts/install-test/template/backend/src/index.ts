/*
 * A platform team's backend: Backstage's core plugins, then Clusterdeck's packages added exactly
 * as their READMEs' Installation sections say.
 */
import { createBackend } from '@backstage/backend-defaults';
import { permissionModuleClusterdeckPolicy } from '@clusterdeck/plugin-aws-clusters-backend';

const backend = createBackend();

backend.add(import('@backstage/plugin-app-backend'));
backend.add(import('@backstage/plugin-auth-backend'));
backend.add(import('@backstage/plugin-auth-backend-module-guest-provider'));
backend.add(import('@backstage/plugin-catalog-backend'));
backend.add(import('@backstage/plugin-permission-backend'));

// @clusterdeck/plugin-aws-clusters-backend
backend.add(import('@clusterdeck/plugin-aws-clusters-backend'));
backend.add(permissionModuleClusterdeckPolicy);

// @clusterdeck/plugin-aws-clusters-backend-module-snapshot: the fleet from clusterdeck.snapshot
backend.add(import('@clusterdeck/plugin-aws-clusters-backend-module-snapshot'));

// @clusterdeck/plugin-catalog-backend-module-aws-clusters
backend.add(import('@clusterdeck/plugin-catalog-backend-module-aws-clusters'));

// @clusterdeck/plugin-scaffolder-backend-module-aws-clusters
backend.add(import('@backstage/plugin-scaffolder-backend'));
backend.add(
  import('@clusterdeck/plugin-scaffolder-backend-module-aws-clusters'),
);

backend.start();
