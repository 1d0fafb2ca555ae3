import fs from 'node:fs';
import path from 'node:path';
import { parse } from 'yaml';
import {
  MANAGEMENT_CLUSTER_KINDS,
  ManagementClusterKind,
  SnapshotSource,
} from '@clusterdeck/plugin-aws-clusters-node';
import { RECORDED_FLEET_DIR } from '../../__testUtils__/recordedFleet';
import { KubernetesCollector } from './KubernetesCollector';
import { FakeKubeApiServer } from './__testUtils__/FakeKubeApiServer';
import { managementClusterGroups } from './__testUtils__/managementClusterFixtures';

const TOKEN = 'sa-token-for-tests';
const MC = 'mc-fixture';
const MC_DIR = path.join(RECORDED_FLEET_DIR, 'management-clusters', MC);
const KIND_KEYS = Object.keys(
  MANAGEMENT_CLUSTER_KINDS,
) as ManagementClusterKind[];

let server: FakeKubeApiServer;

beforeAll(async () => {
  server = await FakeKubeApiServer.start();
});

afterAll(async () => {
  await server.close();
});

describe('the recorded management cluster', () => {
  it('is what the live collector reads from an API server serving its lists', async () => {
    // Each recorded list (`kubectl get <plural> -A -o yaml`) served as the API server's list.
    const files = fs.readdirSync(MC_DIR).filter(f => f.endsWith('.yaml'));
    const plurals = new Set<string>(
      KIND_KEYS.map(key => MANAGEMENT_CLUSTER_KINDS[key].plural),
    );
    expect(files.filter(f => !plurals.has(f.replace(/\.yaml$/, '')))).toEqual(
      [],
    );
    server.reset();
    server.groups = managementClusterGroups();
    server.token = TOKEN;
    server.objects = Object.fromEntries(
      KIND_KEYS.map(key => {
        const { group, plural } = MANAGEMENT_CLUSTER_KINDS[key];
        const file = path.join(MC_DIR, `${plural}.yaml`);
        const list = fs.existsSync(file)
          ? parse(fs.readFileSync(file, 'utf8'))
          : { items: [] };
        return [`${group}/${plural}`, list.items];
      }),
    );
    const collected = await new KubernetesCollector({
      managementClusters: [
        {
          name: MC,
          region: 'eu-west-1',
          accountId: '111122223333',
          kubernetes: {
            url: server.url,
            serviceAccountToken: TOKEN,
            authProvider: 'serviceAccount',
            // The fake server speaks plain HTTP, which the collector takes only so.
            skipTLSVerify: true,
          },
        },
      ],
      limits: { callTimeoutMs: 5000, concurrencyPerManagementCluster: 4 },
    }).collect();
    const recorded = await new SnapshotSource({
      directory: RECORDED_FLEET_DIR,
    }).collect();
    const [live] = collected.managementClusters!;
    const [read] = recorded.managementClusters!;
    expect(live.errors).toEqual([]);
    expect(read.errors).toEqual([]);
    expect(live.name).toBe(read.name);
    expect(read.objects.clusters.length).toBeGreaterThan(5);
    for (const key of KIND_KEYS)
      expect({ [key]: live.objects[key] }).toEqual({
        [key]: JSON.parse(JSON.stringify(read.objects[key])),
      });
  });
});
