import { mockServices, TestDatabases } from '@backstage/backend-test-utils';
import { ConfigReader } from '@backstage/config';
import { readClusterdeckConfig } from '@clusterdeck/plugin-aws-clusters-node';
import { ClusterdeckDatabase } from '../database/ClusterdeckDatabase';
import { KubernetesCollector } from '../sources/kubernetes/KubernetesCollector';
import {
  FakeKubeApiServer,
  status,
} from '../sources/kubernetes/__testUtils__/FakeKubeApiServer';
import { managementClusterGroups } from '../sources/kubernetes/__testUtils__/managementClusterFixtures';
import { FleetChange, FleetService } from './FleetService';
import { FleetWatch } from './FleetWatch';

jest.setTimeout(30_000);

const databases = TestDatabases.create({ ids: ['SQLITE_3'] });
const TOKEN = 'sa-token';
const CLUSTERS = 'cluster.x-k8s.io/clusters';

async function until(what: string, condition: () => boolean, ms = 10_000) {
  const deadline = Date.now() + ms;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting: ${what}`);
    await new Promise(resolve => setTimeout(resolve, 20));
  }
}

const cluster = (name: string, phase = 'Provisioning') => ({
  apiVersion: 'cluster.x-k8s.io/v1beta2',
  kind: 'Cluster',
  metadata: { name, namespace: 'org-acme' },
  spec: { infrastructureRef: { kind: 'AWSCluster', name } },
  status: { phase },
});

describe('FleetWatch: live management clusters across replicas', () => {
  const servers: FakeKubeApiServer[] = [];
  const replicas: Array<{ fleet: FleetService; watch: FleetWatch }> = [];

  afterAll(async () => {
    await Promise.all(replicas.map(r => r.watch.stop()));
    await Promise.all(servers.map(s => s.close()));
  });

  it('one replica watches; a change reaches both models without a refresh; an unreachable cluster goes stale alone and recovers', async () => {
    for (const name of ['mc-a', 'mc-b']) {
      const server = await FakeKubeApiServer.start();
      server.groups = managementClusterGroups();
      server.objects = {};
      server.token = TOKEN;
      server.change(CLUSTERS, 'ADDED', cluster(`${name}-wc1`, 'Provisioned'));
      servers.push(server);
    }
    const clusterdeck = {
      managementClusters: servers.map((s, i) => ({
        name: i === 0 ? 'mc-a' : 'mc-b',
        region: 'eu-west-1',
        accountId: '123456789012',
        kubernetes: {
          url: s.url,
          skipTLSVerify: true,
          serviceAccountToken: TOKEN,
        },
      })),
    };
    const rootConfig = new ConfigReader({ clusterdeck });
    const config = readClusterdeckConfig(rootConfig);
    const knex = await databases.init('SQLITE_3');
    const db = await ClusterdeckDatabase.create({
      getClient: async () => knex,
    });
    const logger = mockServices.logger.mock();
    const changes: FleetChange[][] = [[], []];
    for (let i = 0; i < 2; i++) {
      const collector = new KubernetesCollector({
        managementClusters: config.managementClusters,
        limits: { callTimeoutMs: 2_000 },
      });
      const fleet = FleetService.create({
        config,
        db,
        logger,
        sources: [collector],
      });
      fleet.onChange(change => changes[i].push(change));
      const watch = new FleetWatch({
        fleet,
        db,
        collector,
        logger,
        renewMs: 100,
        ttlMs: 1_000,
      }).start();
      replicas.push({ fleet, watch });
    }
    await until(
      'one replica watches',
      () => replicas.filter(r => r.watch.watching).length === 1,
    );
    const [holder, follower] = replicas[0].watch.watching
      ? replicas
      : [replicas[1], replicas[0]];
    await until(
      'the holder has both management clusters',
      () => holder.fleet.current().clusters.length === 2,
    );
    const listsAfterSync = servers.map(s => s.listRequests().length);

    // A change on mc-a reaches the holder's model at once and the follower's on its next reload.
    servers[0].change(CLUSTERS, 'ADDED', cluster('mc-a-new'));
    await until('the holder sees it', () =>
      holder.fleet.current().byRef.has('mc-a/org-acme/mc-a-new'),
    );
    await follower.fleet.loadStored();
    expect(follower.fleet.current().byRef.has('mc-a/org-acme/mc-a-new')).toBe(
      true,
    );
    const holderChanges = changes[replicas.indexOf(holder)];
    expect(holderChanges.at(-1)).toMatchObject({
      cause: 'watch',
      refs: ['mc-a/org-acme/mc-a-new'],
    });

    // A refresh on the follower lists nothing: the holder's watches are live.
    await follower.fleet.refresh();
    expect(servers.map(s => s.listRequests().length)).toEqual(listsAfterSync);
    expect(follower.fleet.current().clusters).toHaveLength(3);

    // mc-b stops answering: its clusters are stale with the reason, mc-a's stay live.
    servers[1].override = () => ({
      status: 503,
      body: JSON.stringify(status(503, 'ServiceUnavailable', 'down')),
    });
    servers[1].dropWatches();
    await until('mc-b stale', () =>
      holder.fleet
        .current()
        .sources.some(s => s.source === 'kubernetes:mc-b' && s.stale),
    );
    const sources = holder.fleet.current().sources;
    expect(sources.find(s => s.source === 'kubernetes:mc-b')?.error).toMatch(
      /watch/,
    );
    expect(sources.find(s => s.source === 'kubernetes:mc-a')?.stale).toBe(
      false,
    );
    expect(holder.fleet.current().byRef.has('mc-b/org-acme/mc-b-wc1')).toBe(
      true,
    );
    servers[0].change(CLUSTERS, 'MODIFIED', cluster('mc-a-new', 'Provisioned'));
    await until(
      'mc-a still live',
      () =>
        holder.fleet.current().byRef.get('mc-a/org-acme/mc-a-new')?.cluster
          .status?.phase === 'Provisioned',
    );

    // mc-b answers again: the watch recovers by itself.
    servers[1].override = undefined;
    await until(
      'mc-b live again',
      () =>
        holder.fleet.current().sources.find(s => s.source === 'kubernetes:mc-b')
          ?.stale === false,
    );

    // The holder stops: the follower takes the lease over and watches.
    await holder.watch.stop();
    await until('the follower watches', () => follower.watch.watching);
  });
});
