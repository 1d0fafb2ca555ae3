import { createBackend } from '@backstage/backend-defaults';
import type { Entity } from '@backstage/catalog-model';
import { catalogServiceMock } from '@backstage/plugin-catalog-node/testUtils';
import fs from 'node:fs';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import awsClustersModuleSnapshot from '@clusterdeck/plugin-aws-clusters-backend-module-snapshot';
import awsClustersPlugin, {
  permissionModuleClusterdeckPolicy,
} from '@clusterdeck/plugin-aws-clusters-backend';

/**
 * The smallest Backstage backend that serves the fleet as production does: the aws-clusters
 * plugin, the permission backend with Clusterdeck's policy, and the default services
 * (configuration from `--config`, SQLite or PostgreSQL as configured). Run by `bench/serve.ts`
 * in a process of its own. With `BENCH_CATALOG_ENTITIES` (a JSON file of catalog entities) it
 * also runs Backstage's Kubernetes backend (`kubernetes` in the configuration), which looks the
 * entities up in an in-memory catalog holding them.
 */
export function main() {
  // How long the event loop was held each second, for the benchmark to read from the log: a
  // request that did long synchronous work would hold every other caller as long.
  const delay = monitorEventLoopDelay({ resolution: 5 });
  delay.enable();
  setInterval(() => {
    const ms = (ns: number) => Math.round(ns / 1e4) / 100;
    console.log(
      `event-loop-delay ${JSON.stringify({
        p50: ms(delay.percentile(50)),
        p99: ms(delay.percentile(99)),
        max: ms(delay.max),
      })}`,
    );
    delay.reset();
  }, 1000).unref();
  const backend = createBackend();
  backend.add(import('@backstage/plugin-permission-backend'));
  backend.add(permissionModuleClusterdeckPolicy);
  backend.add(awsClustersPlugin);
  backend.add(awsClustersModuleSnapshot);
  const entitiesFile = process.env.BENCH_CATALOG_ENTITIES;
  if (entitiesFile) {
    const entities: Entity[] = JSON.parse(
      fs.readFileSync(entitiesFile, 'utf8'),
    );
    backend.add(catalogServiceMock.factory({ entities }));
    backend.add(import('@backstage/plugin-kubernetes-backend'));
  }
  backend.start().catch(error => {
    console.error(error);
    process.exit(1);
  });
}
