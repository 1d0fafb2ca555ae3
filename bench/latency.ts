import {
  coreServices,
  createServiceFactory,
  type SchedulerService,
  type SchedulerServiceTaskInvocationDefinition,
  type SchedulerServiceTaskScheduleDefinition,
} from '@backstage/backend-plugin-api';
import {
  mockCredentials,
  mockServices,
  startTestBackend,
} from '@backstage/backend-test-utils';
import { ConfigReader } from '@backstage/config';
import { generateFleet } from '@clusterdeck/demo-fleet';
import {
  MANAGEMENT_CLUSTER_KINDS,
  readClusterdeckConfig,
  type KubeObject,
  type ManagementClusterKind,
  type ManagementClusterSnapshot,
} from '@clusterdeck/plugin-aws-clusters-node';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { awsClustersPlugin } from '../plugins/aws-clusters-backend/src/plugin';
import { KubernetesCollector } from '../plugins/aws-clusters-backend/src/sources/kubernetes/KubernetesCollector';
import { FakeKubeApiServer } from '../plugins/aws-clusters-backend/src/sources/kubernetes/__testUtils__/FakeKubeApiServer';
import { managementClusterGroups } from '../plugins/aws-clusters-backend/src/sources/kubernetes/__testUtils__/managementClusterFixtures';
import { generatedFleetConfig } from '../plugins/aws-clusters-backend/src/__testUtils__/harness/generatedFleetConfig';
import {
  ensureAppBuild,
  launchChromium,
  openEntityPage,
  signInAsGuest,
  startPortal,
  waitForPortal,
} from './lib/portal';
import { percentile, round, sleep } from './lib/stats';

/*
 * Watch latency: a generated fleet spread over management clusters, each served on 127.0.0.1 by
 * the fake Kubernetes API server the watch tests use (lists, watches with bookmarks). The
 * aws-clusters backend runs in this process with its live Kubernetes collector and its watches;
 * one Cluster object at a time is changed on its management cluster (a readiness condition
 * turning False with a new message), and the fleet API is asked every 10 ms until the cluster's
 * status reason carries it. Then, for a steady-state window, the list calls the management
 * clusters receive, beside what one polling refresh lists.
 *
 * Then the open page: the whole portal (packages/backend with the app's production build, see
 * lib/portal.ts) reads the same management clusters, Chromium has a cluster's entity page open as
 * the payments team's lead, and one change at a time turns the Cluster's ControlPlaneAvailable
 * condition False with a new message. Measured from just before the change to the first
 * animation frame after the message is in the page's DOM (its Provisioning card names the
 * blocking condition's message), pushed through signals: the page is never loaded again.
 */

export interface LatencyOptions {
  clusters: number;
  managementClusters: number;
  changes: number;
  steadySeconds: number;
  /** The scheduled refresh interval polling would use (the plugin's default: 5 minutes). */
  refreshMinutes: number;
  /** Changes measured on an open page; 0 leaves the page out. */
  pageChanges: number;
  /** Build packages/app first (else the existing build, built only when there is none). */
  build: boolean;
}

const RESULTS = path.join(__dirname, 'results');
const CLUSTER_KIND_KEYS = Object.keys(
  MANAGEMENT_CLUSTER_KINDS,
) as ManagementClusterKind[];
const resourceOf = (key: ManagementClusterKind) =>
  `${MANAGEMENT_CLUSTER_KINDS[key].group}/${MANAGEMENT_CLUSTER_KINDS[key].plural}`;

/** The generated management cluster's objects dealt out to `count` management clusters by cluster. */
function spread(
  source: ManagementClusterSnapshot,
  count: number,
): Array<Record<ManagementClusterKind, KubeObject[]>> {
  const home = new Map<string, number>();
  source.objects.clusters.forEach((c, i) =>
    home.set(`${c.metadata.namespace}/${c.metadata.name}`, i % count),
  );
  const clusterOf = (o: KubeObject) =>
    `${o.metadata.namespace}/${
      o.metadata.labels?.['cluster.x-k8s.io/cluster-name'] ??
      o.spec?.clusterName ??
      o.metadata.name
    }`;
  return Array.from({ length: count }, (_, mc) => {
    const objects = {} as Record<ManagementClusterKind, KubeObject[]>;
    for (const key of CLUSTER_KIND_KEYS) {
      objects[key] = (source.objects[key] ?? []).filter(o =>
        MANAGEMENT_CLUSTER_KINDS[key].namespaced
          ? (home.get(clusterOf(o)) ?? 0) === mc
          : true,
      );
    }
    return objects;
  });
}

/** Runs `yarn bench latency`: prints the figures and writes bench/results/latency-<clusters>.json. */
export async function runLatency(options: LatencyOptions) {
  const fleet = generateFleet({
    accounts: 10,
    clusters: options.clusters,
    regions: 1,
  });
  const parts = spread(fleet.managementClusters[0], options.managementClusters);
  const servers = await Promise.all(
    parts.map(async objects => {
      const server = await FakeKubeApiServer.start();
      server.groups = managementClusterGroups();
      server.objects = Object.fromEntries(
        CLUSTER_KIND_KEYS.map(key => [resourceOf(key), objects[key]]),
      );
      return server;
    }),
  );
  const base = generatedFleetConfig({ accounts: 10, regions: 1 });
  const clusterdeck = {
    ...base,
    sources: { aws: false, kubernetes: true },
    notifications: { enabled: false },
    managementClusters: servers.map((server, i) => ({
      name: `mc-bench-${i}`,
      region: 'eu-west-1',
      accountId: base.accounts[0].id,
      kubernetes: {
        url: server.url,
        serviceAccountToken: 'bench',
        skipTLSVerify: true,
      },
    })),
  };
  // The scheduled tasks are run by hand, as a scheduler would.
  const tasks: Array<
    SchedulerServiceTaskScheduleDefinition &
      SchedulerServiceTaskInvocationDefinition
  > = [];
  const scheduler = createServiceFactory({
    service: coreServices.scheduler,
    deps: {},
    factory: () =>
      ({
        scheduleTask: async (task: (typeof tasks)[number]) => {
          tasks.push(task);
        },
      } as unknown as SchedulerService),
  });
  const backend = await startTestBackend({
    features: [
      awsClustersPlugin,
      scheduler,
      mockServices.rootConfig.factory({ data: { clusterdeck } }),
    ],
  });
  const port = (backend.server.address() as { port: number }).port;
  const authorization = mockCredentials.service.header({
    onBehalfOf: mockCredentials.service('plugin:catalog'),
    targetPluginId: 'aws-clusters',
  });
  const api = async (p: string) => {
    const res = await fetch(`http://127.0.0.1:${port}/api/aws-clusters${p}`, {
      headers: { authorization },
    });
    if (!res.ok) throw new Error(`${p}: ${res.status}`);
    return res.json();
  };
  const refresh = tasks.find(task => task.id === 'aws-clusters:refresh')!;
  const lists = () => servers.reduce((n, s) => n + s.listRequests().length, 0);

  let stopped = false;
  try {
    // Start: one refresh and the watches' first lists, then every watch open.
    const t0 = performance.now();
    await refresh.fn(new AbortController().signal);
    const kindsServed = managementClusterGroups().reduce(
      (n, g) => n + g.versions[g.preferredVersion].length,
      0,
    );
    await watchesOpen(servers, kindsServed);
    const served = (await api('/clusters')).items.length;
    console.log(
      `${served} clusters on ${servers.length} management clusters served, ${
        servers.length * kindsServed
      } watches open after ${round((performance.now() - t0) / 1000)} s`,
    );

    // Latency: one change at a time on a cluster served ready.
    const ready = (await api('/clusters')).items.filter(
      (c: { status: string }) => c.status === 'ready',
    ) as Array<{ ref: string }>;
    const times: number[] = [];
    for (let k = 0; k < options.changes; k++) {
      const { ref } = ready[(k * 7919) % ready.length];
      const [mc, namespace, name] = ref.split('/');
      const { server, current } = clusterObject(servers, ref);
      const token = `bench change ${k}`;
      const changed = withCondition(current, {
        type: 'RemoteConnectionProbe',
        status: 'False',
        reason: 'ProbeFailed',
        message: token,
        lastTransitionTime: new Date().toISOString(),
      });
      const started = performance.now();
      server.change(resourceOf('clusters'), 'MODIFIED', changed);
      for (;;) {
        const detail = await api(`/clusters/${mc}/${namespace}/${name}`);
        if (JSON.stringify(detail).includes(token)) break;
        if (performance.now() - started > 30_000)
          throw new Error(`${ref}: the change did not arrive in 30 s`);
        await sleep(10);
      }
      times.push(performance.now() - started);
      await sleep(50);
    }
    times.sort((a, b) => a - b);

    // Steady state: bookmarks only, and a scheduled refresh in the window, as every interval.
    servers.forEach(s => (s.requests.length = 0));
    const windowStart = performance.now();
    await refresh.fn(new AbortController().signal);
    while (performance.now() - windowStart < options.steadySeconds * 1000) {
      servers.forEach(s => s.bookmark());
      await sleep(5_000);
    }
    const watchedListsPerMinute =
      (lists() * 60) / ((performance.now() - windowStart) / 1000);

    // Polling: what one refresh lists without watches, every refresh interval.
    servers.forEach(s => (s.requests.length = 0));
    const polling = new KubernetesCollector({
      managementClusters: readClusterdeckConfig(
        new ConfigReader({ clusterdeck }),
      ).managementClusters,
    });
    const pollStarted = performance.now();
    await polling.collect();
    const pollMs = performance.now() - pollStarted;
    const listsPerRefresh = lists();

    // The open page, served by a backend of its own: this one stops first.
    await backend.stop();
    stopped = true;
    const openPage = options.pageChanges
      ? await measureOpenPage(servers, kindsServed, clusterdeck, options)
      : undefined;

    const result = {
      clusters: served,
      managementClusters: servers.length,
      changes: times.length,
      latencyMs: {
        p50: round(percentile(times, 50)),
        p95: round(percentile(times, 95)),
        max: round(times[times.length - 1]),
      },
      openPage,
      steadyState: {
        windowSeconds: options.steadySeconds,
        listsPerMinuteWithWatches: round(watchedListsPerMinute, 2),
        listsPerPollingRefresh: listsPerRefresh,
        pollingRefreshMs: round(pollMs),
        refreshMinutes: options.refreshMinutes,
        listsPerMinuteWithPolling: round(
          listsPerRefresh / options.refreshMinutes,
          1,
        ),
        // Polling shows a change at the next refresh: on average half an interval later.
        pollingLatencyP50Ms:
          (options.refreshMinutes * 60_000) / 2 + round(pollMs),
        pollingLatencyP95Ms: round(
          options.refreshMinutes * 60_000 * 0.95 + pollMs,
        ),
      },
    };
    console.log(
      `change on a management cluster -> fleet API: p50 ${result.latencyMs.p50} ms, p95 ${result.latencyMs.p95} ms, max ${result.latencyMs.max} ms over ${times.length} changes`,
    );
    if (openPage)
      console.log(
        `change on a management cluster -> open page: p50 ${openPage.latencyMs.p50} ms, p95 ${openPage.latencyMs.p95} ms, max ${openPage.latencyMs.max} ms over ${openPage.changes} changes (${openPage.pushed})`,
      );
    console.log(
      `list calls per minute in steady state: ${
        result.steadyState.listsPerMinuteWithWatches
      } with watches (a refresh in the ${
        options.steadySeconds
      } s window); polling lists ${listsPerRefresh} times per refresh (${round(
        pollMs,
      )} ms), ${result.steadyState.listsPerMinuteWithPolling} per minute at a ${
        options.refreshMinutes
      }-minute interval, and shows a change after ${round(
        result.steadyState.pollingLatencyP50Ms / 1000,
      )} s (p50) ${round(
        result.steadyState.pollingLatencyP95Ms / 1000,
      )} s (p95)`,
    );
    fs.mkdirSync(RESULTS, { recursive: true });
    fs.writeFileSync(
      path.join(RESULTS, `latency-${options.clusters}.json`),
      `${JSON.stringify(result, null, 2)}\n`,
    );
    return result;
  } finally {
    if (!stopped) await backend.stop();
    await Promise.all(servers.map(s => s.close()));
  }
}

/** Waits until every management cluster has a watch open on each kind it serves. */
async function watchesOpen(servers: FakeKubeApiServer[], kindsServed: number) {
  const deadline = Date.now() + 120_000;
  while (servers.some(s => s.openWatches < kindsServed)) {
    if (Date.now() > deadline) throw new Error('the watches did not open');
    await sleep(100);
  }
}

/** The Cluster object `ref` (`<mc>/<namespace>/<name>`) names, and its management cluster's server. */
function clusterObject(servers: FakeKubeApiServer[], ref: string) {
  const [mc, namespace, name] = ref.split('/');
  const server = servers[Number(mc.replace('mc-bench-', ''))];
  const current = server.objects[resourceOf('clusters')].find(
    o => o.metadata.namespace === namespace && o.metadata.name === name,
  );
  if (!current) throw new Error(`${ref} is not on its management cluster`);
  return { server, current };
}

/** The object with one status condition set (replacing any of its type). */
function withCondition(object: KubeObject, condition: Record<string, string>) {
  return {
    ...object,
    status: {
      ...object.status,
      conditions: [
        ...(object.status?.conditions ?? []).filter(
          (c: { type: string }) => c.type !== condition.type,
        ),
        condition,
      ],
    },
  };
}

/** Change on a management cluster to an open cluster page in Chromium, through the whole portal. */
async function measureOpenPage(
  servers: FakeKubeApiServer[],
  kindsServed: number,
  clusterdeck: Record<string, unknown>,
  options: LatencyOptions,
) {
  ensureAppBuild(options.build);
  const work = fs.mkdtempSync(path.join(os.tmpdir(), 'clusterdeck-latency-'));
  fs.mkdirSync(RESULTS, { recursive: true });
  const portal = await startPortal({
    work,
    // The demo's recorded fleet and its Cost Explorer answers are not this fleet's.
    clusterdeck: { ...clusterdeck, snapshot: null, cost: null },
    logFile: path.join(RESULTS, `latency-${options.clusters}.backend.log`),
  });
  const browser = await launchChromium();
  try {
    const items = (await waitForPortal(portal, options.clusters)) as Array<{
      ref: string;
      status: string;
      owner: string;
      flavor: string;
    }>;
    const cluster = items.find(
      c =>
        c.status === 'ready' &&
        c.flavor === 'ec2' &&
        c.owner === 'group:default/payments',
    );
    if (!cluster)
      throw new Error(
        'the fleet has no ready EC2 cluster of the payments team',
      );
    const [mc, , name] = cluster.ref.split('/');
    await watchesOpen(servers, kindsServed);
    const page = await browser.newPage({
      viewport: { width: 1440, height: 900 },
    });
    await signInAsGuest(page, portal.base);
    await openEntityPage(
      page,
      portal.base,
      `/catalog/default/resource/${mc}-${name}`,
      'Provisioning',
    );
    // The Provisioning card says "live" once the page receives signals.
    const pushed = await page
      .getByText('live', { exact: true })
      .first()
      .waitFor({ timeout: 30_000 })
      .then(
        () => 'pushed through signals',
        () => 'polled: signals did not connect',
      );
    await page.evaluate(() => {
      (window as any).clusterdeckNoReload = true;
    });

    const { server, current: original } = clusterObject(servers, cluster.ref);
    const times: number[] = [];
    for (let k = 0; k < options.pageChanges; k++) {
      const token = `bench page change ${k}`;
      // Seen: the first animation frame after the message is in the DOM.
      await page.evaluate(text => {
        const w = window as any;
        delete w.benchSeen;
        const observer = new MutationObserver(() => {
          if (!document.body.textContent?.includes(text)) return;
          observer.disconnect();
          requestAnimationFrame(() => {
            w.benchSeen = Date.now();
          });
        });
        observer.observe(document.body, {
          subtree: true,
          childList: true,
          characterData: true,
        });
      }, token);
      const { current } = clusterObject(servers, cluster.ref);
      const changed = withCondition(current, {
        type: 'ControlPlaneAvailable',
        status: 'False',
        reason: 'BenchProbe',
        message: token,
        lastTransitionTime: new Date().toISOString(),
      });
      const started = Date.now();
      server.change(resourceOf('clusters'), 'MODIFIED', changed);
      const seen = await page
        .waitForFunction(() => (window as any).benchSeen as number, null, {
          timeout: 30_000,
          polling: 50,
        })
        .then(
          handle => handle.jsonValue(),
          async error => {
            const shot = path.join(RESULTS, 'latency-page-timeout.png');
            await page.screenshot({ path: shot, fullPage: true });
            const answer = await fetch(
              `${portal.base}/api/aws-clusters/clusters/${cluster.ref}/provisioning`,
              { headers: { authorization: `Bearer ${portal.token}` } },
            ).then(res => res.text());
            throw new Error(
              `${
                cluster.ref
              }: "${token}" was not on the open page after 30 s (${
                error.message
              }); the fleet API ${
                answer.includes(token) ? 'had' : 'did not have'
              } it; the page is in ${shot}`,
            );
          },
        );
      times.push(seen - started);
      await sleep(500);
    }
    server.change(resourceOf('clusters'), 'MODIFIED', original);
    if (!(await page.evaluate(() => (window as any).clusterdeckNoReload)))
      throw new Error('the cluster page was loaded again while measuring');
    times.sort((a, b) => a - b);
    return {
      cluster: cluster.ref,
      changes: times.length,
      pushed,
      latencyMs: {
        p50: round(percentile(times, 50)),
        p95: round(percentile(times, 95)),
        max: round(times[times.length - 1]),
      },
    };
  } finally {
    await browser.close();
    portal.stop();
    fs.rmSync(work, { recursive: true, force: true });
  }
}
