import { createBackend } from '@backstage/backend-defaults';
import awsClustersPlugin, { permissionModuleClusterdeckPolicy } from '@clusterdeck/plugin-aws-clusters-backend';

/**
 * The smallest Backstage backend that serves the fleet as production does: the aws-clusters
 * plugin, the permission backend with Clusterdeck's policy, and the default services
 * (configuration from `--config`, SQLite or PostgreSQL as configured). Run by `bench/serve.ts`
 * in a process of its own.
 */
export function main() {
  const backend = createBackend();
  backend.add(import('@backstage/plugin-permission-backend'));
  backend.add(permissionModuleClusterdeckPolicy);
  backend.add(awsClustersPlugin);
  backend.start().catch(error => {
    console.error(error);
    process.exit(1);
  });
}
