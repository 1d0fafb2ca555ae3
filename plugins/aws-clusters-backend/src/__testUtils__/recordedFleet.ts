import { ConfigReader } from '@backstage/config';
import {
  FleetSnapshot,
  readClusterdeckConfig,
  SnapshotSource,
} from '@clusterdeck/plugin-aws-clusters-node';
import path from 'node:path';

/** The hand-written recording of AWS's and a management cluster's answers (see its README). */
export const RECORDED_FLEET_DIR = path.resolve(
  __dirname,
  '../fleet/__fixtures__/recorded-fleet',
);

/** The configuration the recorded fleet belongs to: its two accounts and its management cluster. */
export const RECORDED_FLEET_CONFIG = {
  adminGroups: ['group:default/platform'],
  accounts: [
    {
      id: '123456789012',
      name: 'production',
      environment: 'production',
      owners: ['group:default/shop'],
      accessModel: 'audited-no-access',
      regions: ['eu-west-1'],
    },
    {
      id: '444455556666',
      name: 'development',
      environment: 'development',
      owners: ['group:default/shop'],
      accessModel: 'developer-debug',
      regions: ['eu-west-1'],
    },
  ],
  managementClusters: [
    { name: 'mc-fixture', region: 'eu-west-1', accountId: '111122223333' },
  ],
  organizations: {
    shop: 'group:default/shop',
    api: 'group:default/api',
    search: 'group:default/search',
  },
};

/** The checked configuration of the recorded fleet, with `extra` keys of `clusterdeck` over it. */
export function recordedFleetConfig(extra: Record<string, unknown> = {}) {
  return readClusterdeckConfig(
    new ConfigReader({ clusterdeck: { ...RECORDED_FLEET_CONFIG, ...extra } }),
  );
}

/** The recorded fleet as `SnapshotSource` reads it. */
export async function readRecordedFleet(): Promise<FleetSnapshot> {
  const collected = await new SnapshotSource({
    directory: RECORDED_FLEET_DIR,
  }).collect();
  return {
    aws: collected.aws ?? [],
    managementClusters: collected.managementClusters ?? [],
  };
}
