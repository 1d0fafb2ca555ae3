import { LoggerService } from '@backstage/backend-plugin-api';
import { Config } from '@backstage/config';
import type { ClusterdeckConfig, FleetSource } from '@clusterdeck/plugin-aws-clusters-node';

/** The sources the configuration asks for: recorded snapshots, or live AWS and management clusters. */
export function createSources(_options: { config: ClusterdeckConfig; rootConfig: Config; logger: LoggerService }): FleetSource[] {
  return [];
}
