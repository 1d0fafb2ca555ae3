import type { ManagementClusterSnapshot } from '@clusterdeck/plugin-aws-clusters-node';
import { KubernetesCollector } from './KubernetesCollector';
import { ManagementClusterWatch } from './ManagementClusterWatch';
import { FakeKubeApiServer, status } from './__testUtils__/FakeKubeApiServer';
import {
  fixtureObjectsByResource,
  managementClusterGroups,
} from './__testUtils__/managementClusterFixtures';

const TOKEN = 'sa-token-for-tests';
const CLUSTERS = 'cluster.x-k8s.io/clusters';

let server: FakeKubeApiServer;
let watch: ManagementClusterWatch | undefined;
let collector: KubernetesCollector;
let updates: ManagementClusterSnapshot[];

beforeAll(async () => {
  server = await FakeKubeApiServer.start();
});

afterAll(async () => {
  await server.close();
});

beforeEach(() => {
  server.reset();
  server.groups = managementClusterGroups();
  server.objects = fixtureObjectsByResource({ clusters: 3, organizations: 2 });
  server.token = TOKEN;
  updates = [];
  collector = new KubernetesCollector({
    managementClusters: [
      {
        name: 'mc-watch',
        region: 'eu-west-1',
        accountId: '123456789012',
        kubernetes: {
          url: server.url,
          skipTLSVerify: true,
          serviceAccountToken: TOKEN,
          authProvider: 'serviceAccount',
        },
      },
    ],
    limits: { callTimeoutMs: 2_000 },
  });
});

afterEach(async () => {
  await watch?.stop();
  watch = undefined;
  await collector.stopWatching();
});

async function until(what: string, condition: () => boolean, ms = 5_000) {
  const deadline = Date.now() + ms;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting: ${what}`);
    await new Promise(resolve => setTimeout(resolve, 10));
  }
}

function startWatch(
  options: Partial<
    ConstructorParameters<typeof ManagementClusterWatch>[2]
  > = {},
) {
  [watch] = collector.startWatching({
    initialBackoffMs: 20,
    maxBackoffMs: 100,
    coalesceMs: 10,
    onUpdate: snapshot => {
      updates.push(snapshot);
    },
    ...options,
  });
  return watch!;
}

const names = (snapshot: ManagementClusterSnapshot | undefined) =>
  (snapshot?.objects.clusters ?? []).map(c => c.metadata.name).sort();
const latest = () => updates[updates.length - 1];
const clusterNamed = (name: string) => ({
  apiVersion: 'cluster.x-k8s.io/v1beta2',
  kind: 'Cluster',
  metadata: { name, namespace: 'org-acme' },
  spec: {},
  status: { phase: 'Provisioning' },
});

describe('ManagementClusterWatch', () => {
  it('lists once, then follows added, modified and deleted objects without listing', async () => {
    const w = startWatch();
    await until('live', () => w.live && updates.length > 0);
    const listsAfterSync = server.listRequests().length;
    const before = names(latest());
    expect(before).toHaveLength(3);

    server.change(CLUSTERS, 'ADDED', clusterNamed('new-one'));
    await until('added', () => names(latest()).includes('new-one'));
    server.change(CLUSTERS, 'MODIFIED', {
      ...clusterNamed('new-one'),
      status: { phase: 'Provisioned' },
    });
    await until(
      'modified',
      () =>
        latest().objects.clusters.find(c => c.metadata.name === 'new-one')
          ?.status.phase === 'Provisioned',
    );
    server.change(CLUSTERS, 'DELETED', clusterNamed('new-one'));
    await until('deleted', () => !names(latest()).includes('new-one'));

    expect(server.listRequests()).toHaveLength(listsAfterSync);
    expect(w.stats.events).toBe(3);
    // Watches carry the list's resourceVersion and ask for bookmarks.
    const watches = server.requests.filter(r => r.query.get('watch'));
    expect(watches.length).toBeGreaterThan(0);
    expect(
      watches.every(r => r.query.get('allowWatchBookmarks') === 'true'),
    ).toBe(true);
    expect(watches.every(r => r.query.get('resourceVersion'))).toBe(true);
  });

  it('resumes a dropped or ended watch from the last version seen, without listing', async () => {
    const w = startWatch();
    await until('live', () => w.live);
    const lists = server.listRequests().length;
    const open = server.openWatches;
    server.dropWatches();
    server.change(CLUSTERS, 'ADDED', clusterNamed('while-away'));
    await until('event after reconnect', () =>
      names(latest()).includes('while-away'),
    );
    await until('watches open again', () => server.openWatches === open);
    server.endWatches();
    server.change(CLUSTERS, 'ADDED', clusterNamed('after-timeout'));
    await until('event after the server ended the watch', () =>
      names(latest()).includes('after-timeout'),
    );
    expect(server.listRequests()).toHaveLength(lists);
    expect(w.stats.relists).toBe(0);
  });

  it('keeps its place by bookmarks, so that compaction of other changes does not force a list', async () => {
    const w = startWatch();
    await until('live', () => w.live);
    const lists = server.listRequests().length;
    // Changes of another kind advance the server's version; the bookmark tells the watch.
    server.change('security.giantswarm.io/organizations', 'ADDED', {
      apiVersion: 'security.giantswarm.io/v1alpha1',
      kind: 'Organization',
      metadata: { name: 'other' },
    });
    server.bookmark();
    await until('bookmarks', () => w.stats.bookmarks >= 8);
    server.compact();
    server.dropWatches();
    server.change(CLUSTERS, 'ADDED', clusterNamed('after-compaction'));
    await until('resumed', () => names(latest()).includes('after-compaction'));
    expect(w.stats.relists).toBe(0);
    expect(server.listRequests()).toHaveLength(lists);
  });

  it.each([
    ['an ERROR event in the stream', false],
    ['HTTP 410', true],
  ])(
    'lists a kind again when its watch is answered 410 Gone by %s',
    async (_how, asHttp) => {
      const w = startWatch();
      await until('live', () => w.live);
      server.goneAsHttpStatus = asHttp;
      server.change(CLUSTERS, 'ADDED', clusterNamed('before-gone'));
      await until('seen', () => names(latest()).includes('before-gone'));
      // Versions advance without bookmarks, then history is compacted and the watches drop.
      server.resourceVersion += 100;
      server.compact();
      server.change(CLUSTERS, 'ADDED', clusterNamed('missed'));
      server.dropWatches();
      await until('relisted', () => names(latest()).includes('missed'));
      expect(w.stats.relists).toBeGreaterThan(0);
      expect(
        server
          .listRequests()
          .filter(r => r.path.endsWith('/clusters') && !r.query.get('watch')),
      ).toHaveLength(2);
    },
  );

  it('reports an unreachable cluster with the reason, keeps its objects, and recovers by itself', async () => {
    const w = startWatch();
    await until('live', () => w.live);
    server.override = () => ({
      status: 503,
      body: JSON.stringify(status(503, 'ServiceUnavailable', 'down')),
    });
    server.dropWatches();
    // The dropped watches fail first; the reconnection attempts then meet the 503.
    await until(
      'unreachable',
      () => !w.live && latest().errors[0]?.code === 'ServiceUnavailable',
    );
    expect(latest().errors[0]).toMatchObject({
      source: 'kubernetes:mc-watch',
      operation: 'watch',
      code: 'ServiceUnavailable',
    });
    expect(names(latest())).toHaveLength(3);
    await until('retried', () => w.stats.reconnects >= 2);

    server.override = undefined;
    server.change(CLUSTERS, 'ADDED', clusterNamed('after-outage'));
    await until(
      'recovered',
      () =>
        w.live &&
        latest().errors.length === 0 &&
        names(latest()).includes('after-outage'),
    );
  });

  it('gives a slow consumer the latest state, not a queue of every change', async () => {
    let busy = 0;
    const w = startWatch({
      onUpdate: async snapshot => {
        busy += 1;
        updates.push(snapshot);
        await new Promise(resolve => setTimeout(resolve, 200));
        busy -= 1;
      },
    });
    await until('live', () => w.live && updates.length > 0);
    const before = updates.length;
    for (let i = 0; i < 50; i++)
      server.change(CLUSTERS, 'ADDED', clusterNamed(`burst-${i}`));
    await until('all seen', () => names(latest()).includes('burst-49'), 10_000);
    expect(names(latest()).filter(n => n.startsWith('burst-'))).toHaveLength(
      50,
    );
    expect(updates.length - before).toBeLessThan(10);
    expect(busy).toBeLessThanOrEqual(1);
  });

  it('serves collect from a live watch without listing', async () => {
    const w = startWatch();
    // Live, and its first state handed on (the watch coalesces changes before it does).
    await until('live', () => w.live && updates.length > 0);
    const lists = server.requests.length;
    const collected = await collector.collect();
    expect(server.requests.length).toBe(lists);
    expect(names(collected.managementClusters?.[0])).toEqual(names(latest()));
  });
});
