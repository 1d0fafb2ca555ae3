import {
  FleetSnapshot,
  MANAGEMENT_CLUSTER_KINDS,
  writeSnapshotDirectory,
} from '@clusterdeck/plugin-aws-clusters-node';
import { generateFleet } from '@clusterdeck/demo-fleet';
import { spawn } from 'node:child_process';
import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { generatedFleetConfig } from '../plugins/aws-clusters-backend/src/__testUtils__/harness/generatedFleetConfig';
import {
  freePort,
  waitForFleet,
  BENCH_SERVICE_GRANTS,
} from './lib/backendProcess';
import {
  ManagementClusterServer,
  startManagementClusterServer,
} from './lib/managementClusterServer';
import { availableTool, load, LoadTool } from './lib/loadTools';
import type { LoadResult } from './lib/loadGenerator';
import { percentile, round, sleep } from './lib/stats';

/*
 * Serving benchmark: a running backend (bench/serveBackend.ts, its own process) serving a
 * generated fleet from its snapshot directory, driven from a second process on loopback. Measures
 * p50/p99 and requests per second of the fleet list, of one page of it, of one management
 * cluster's list and of one cluster detail; what a team lead's view of the team's clusters costs
 * through Backstage's own Kubernetes backend, installed in the same backend over the same
 * management clusters (fake API servers with the refresh benchmark's latency), beside
 * Clusterdeck's fleet endpoint; then holds 200 connections for 30 seconds against both endpoints
 * and watches the backend's memory.
 */

const REPO = path.resolve(__dirname, '..');
const RESULTS = path.join(__dirname, 'results');

export interface ServeOptions {
  accounts: number;
  clusters: number;
  regions: number;
  connections: number;
  durationS: number;
  loadConnections: number;
  loadDurationS: number;
  tool: LoadTool | 'auto';
  /** Delay of every management-cluster call, as in the refresh benchmark. */
  peerLatencyMs: number;
}

/** The team whose lead's page is measured through the Kubernetes backend. */
const PEER_TEAM = 'payments';
/** The clusters of the fleet list's page measured (`?limit=`). */
const FLEET_PAGE = 100;
/** Requests a browser keeps in flight to one host over HTTP/1.1. */
const BROWSER_CONCURRENCY = 6;

/**
 * The catalog entities of a team's workload clusters as Backstage's Kubernetes plugin reads them:
 * on the management cluster named by `backstage.io/kubernetes-cluster`, in the cluster's
 * organization namespace, the objects labelled with its Cluster API name.
 */
function teamEntities(snapshot: FleetSnapshot, team: string) {
  return snapshot.managementClusters.flatMap(mc =>
    mc.objects.clusters
      .filter(c => c.metadata.namespace === `org-${team}`)
      .map(c => ({
        ref: `${mc.name}/${c.metadata.namespace}/${c.metadata.name}`,
        entity: {
          apiVersion: 'backstage.io/v1alpha1',
          kind: 'Resource',
          metadata: {
            name: `${mc.name}-${c.metadata.name}`.slice(0, 63),
            namespace: 'default',
            annotations: {
              'backstage.io/kubernetes-cluster': mc.name,
              'backstage.io/kubernetes-namespace': c.metadata.namespace!,
              'backstage.io/kubernetes-label-selector': `cluster.x-k8s.io/cluster-name=${c.metadata.name}`,
            },
          },
          spec: { type: 'kubernetes-cluster', owner: `group:default/${team}` },
        },
      })),
  );
}

/**
 * Backstage's Kubernetes backend over the management clusters, set up in its favour: each
 * entity's own management cluster only (single-tenant locator), no metrics, and only the Cluster
 * API and CAPA kinds a cluster's page shows (none of the built-in workload kinds).
 */
function kubernetesConfig(
  snapshot: FleetSnapshot,
  servers: ManagementClusterServer[],
  token: string,
) {
  // Each kind at the version its objects are served at.
  const kinds = Object.entries(MANAGEMENT_CLUSTER_KINDS)
    .filter(([, k]) => k.namespaced)
    .map(([key, k]) => {
      const served = snapshot.managementClusters
        .flatMap(mc => mc.objects[key as keyof typeof MANAGEMENT_CLUSTER_KINDS])
        .find(Boolean)?.apiVersion;
      return { ...k, version: served?.split('/')[1] ?? 'v1beta2' };
    });
  return {
    serviceLocatorMethod: { type: 'singleTenant' },
    clusterLocatorMethods: [
      {
        type: 'config',
        clusters: servers.map(s => ({
          name: s.name,
          url: s.url,
          authProvider: 'serviceAccount',
          serviceAccountToken: token,
          skipTLSVerify: true,
          skipMetricsLookup: true,
        })),
      },
    ],
    objectTypes: ['customresources'],
    customResources: kinds.map(k => ({
      group: k.group,
      apiVersion: k.version,
      plural: k.plural,
    })),
  };
}

function rssMb(pid: number): number {
  try {
    const status = fs.readFileSync(`/proc/${pid}/status`, 'utf8');
    return Number(/VmRSS:\s+(\d+) kB/.exec(status)?.[1] ?? NaN) / 1024;
  } catch {
    return NaN;
  }
}

export async function runServe(options: ServeOptions) {
  const tool = availableTool(options.tool);
  const size = `${options.accounts}x${options.clusters}`;
  const work = fs.mkdtempSync(path.join(os.tmpdir(), 'clusterdeck-serve-'));
  const fleetDir = path.join(work, 'fleet');
  console.log(
    `serving ${size} (${options.regions} regions), load from ${tool}`,
  );
  const snapshot = generateFleet({
    accounts: options.accounts,
    clusters: options.clusters,
    regions: options.regions,
    seed: 'bench',
  });
  writeSnapshotDirectory(fleetDir, snapshot);

  const port = await freePort();
  const token = crypto.randomBytes(24).toString('hex');
  // The real peer: Backstage's Kubernetes backend over the same management clusters, served by
  // fake API servers with the refresh benchmark's latency, for the clusters of one team.
  const mcToken = crypto.randomBytes(16).toString('hex');
  const servers = await Promise.all(
    snapshot.managementClusters.map(mc =>
      startManagementClusterServer(mc, {
        latencyMs: options.peerLatencyMs,
        token: mcToken,
      }),
    ),
  );
  const peer = teamEntities(snapshot, PEER_TEAM);
  const entitiesFile = path.join(work, 'entities.json');
  fs.writeFileSync(entitiesFile, JSON.stringify(peer.map(p => p.entity)));
  const config = {
    backend: {
      baseUrl: `http://127.0.0.1:${port}`,
      listen: { host: '127.0.0.1', port },
      database: { client: 'better-sqlite3', connection: ':memory:' },
      auth: {
        externalAccess: [
          { type: 'static', options: { token, subject: 'bench' } },
        ],
      },
    },
    permission: { enabled: true },
    kubernetes: kubernetesConfig(snapshot, servers, mcToken),
    clusterdeck: {
      ...generatedFleetConfig({
        accounts: options.accounts,
        regions: options.regions,
      }),
      snapshot: { directory: fleetDir },
      refresh: { frequency: { hours: 1 }, timeout: { minutes: 10 } },
      // The benchmark reads the fleet with its external-access token, which needs a grant.
      permissions: BENCH_SERVICE_GRANTS,
    },
  };
  // JSON is YAML: the config loader reads it as it is.
  const configFile = path.join(work, 'app-config.bench.yaml');
  fs.writeFileSync(configFile, JSON.stringify(config, null, 2));
  fs.mkdirSync(RESULTS, { recursive: true });
  const logFile = path.join(RESULTS, `serve-${size}.backend.log`);
  const log = fs.openSync(logFile, 'w');
  // BENCH_BACKEND_NODE_ARGS passes flags to the backend's Node.js, e.g. --cpu-prof or --trace-gc.
  const nodeArgs = (process.env.BENCH_BACKEND_NODE_ARGS ?? '')
    .split(' ')
    .filter(Boolean);
  const child = spawn(
    process.execPath,
    [
      ...nodeArgs,
      path.join(__dirname, 'bin', 'serve-backend'),
      '--config',
      configFile,
    ],
    {
      cwd: REPO,
      stdio: ['ignore', log, log],
      env: {
        ...process.env,
        NODE_ENV: 'production',
        LOG_LEVEL: 'warn',
        BENCH_CATALOG_ENTITIES: entitiesFile,
      },
    },
  );
  const base = `http://127.0.0.1:${port}`;
  const headers = { authorization: `Bearer ${token}` };
  try {
    const startedAt = Date.now();
    const items = await waitForFleet(
      base,
      token,
      options.clusters,
      child,
      180_000,
    );
    const readyS = round((Date.now() - startedAt) / 1000);
    const detailRef = items[Math.floor(items.length / 2)].ref;
    // A ref is `<managementCluster>/<namespace>/<name>`.
    const managementClusterOf = (ref: string) => ref.split('/')[0];
    const managementCluster = managementClusterOf(detailRef);
    const fleetUrl = `${base}/api/aws-clusters/clusters`;
    const detailUrl = `${base}/api/aws-clusters/clusters/${detailRef}`;
    // One page of the fleet list, and the list a management cluster's entity page asks for.
    const pageUrl = `${fleetUrl}?limit=${FLEET_PAGE}`;
    const managementClusterUrl = `${fleetUrl}?managementCluster=${managementCluster}`;
    const bytesOf = async (url: string) =>
      (await (await fetch(url, { headers })).text()).length;
    const fleetBytes = await bytesOf(fleetUrl);
    const detailBytes = await bytesOf(detailUrl);
    const pageBytes = await bytesOf(pageUrl);
    const managementClusterBytes = await bytesOf(managementClusterUrl);
    const managementClusterClusters = items.filter(
      c => managementClusterOf(c.ref) === managementCluster,
    ).length;
    console.log(
      `backend ready in ${readyS} s; fleet answer ${round(
        fleetBytes / 1024,
      )} KiB, detail ${round(
        detailBytes / 1024,
      )} KiB, page of ${FLEET_PAGE} ${round(
        pageBytes / 1024,
      )} KiB, ${managementCluster}'s ${managementClusterClusters} clusters ${round(
        managementClusterBytes / 1024,
      )} KiB`,
    );

    // Warm up the JIT and the connections.
    await load(tool, {
      url: detailUrl,
      headers,
      connections: 4,
      durationMs: 3000,
    });
    await load(tool, {
      url: fleetUrl,
      headers,
      connections: 4,
      durationMs: 3000,
    });

    const measure = (url: string, extra: Record<string, string> = {}) =>
      load(tool, {
        url,
        headers: { ...headers, ...extra },
        connections: options.connections,
        durationMs: options.durationS * 1000,
      });
    // As a client without compression asks: the whole JSON every time.
    const fleet = await measure(fleetUrl);
    console.log(line('fleet  ', fleet));
    const detail = await measure(detailUrl);
    console.log(line('detail ', detail));
    const fleetPage = await measure(pageUrl);
    console.log(line(`fleet page of ${FLEET_PAGE}`, fleetPage));
    const managementClusterList = await measure(managementClusterUrl);
    console.log(line(`fleet of ${managementCluster}`, managementClusterList));
    // As a browser asks the first time (compressed answers accepted), and when it revalidates what it holds.
    const browserHeaders = { 'accept-encoding': 'gzip, deflate, br, zstd' };
    const compressed = await fetch(fleetUrl, {
      headers: { ...headers, ...browserHeaders },
    });
    const fleetEncoded = {
      encoding: compressed.headers.get('content-encoding') ?? 'identity',
      bytes: Number(compressed.headers.get('content-length') ?? NaN),
    };
    const etag = compressed.headers.get('etag');
    await compressed.arrayBuffer();
    const fleetBrowser = await measure(fleetUrl, browserHeaders);
    console.log(
      line(
        `fleet ${fleetEncoded.encoding} (${round(
          fleetEncoded.bytes / 1024,
        )} KiB)`,
        fleetBrowser,
      ),
    );
    const fleetRevalidate = etag
      ? await measure(fleetUrl, { ...browserHeaders, 'if-none-match': etag })
      : undefined;
    if (fleetRevalidate)
      console.log(line('fleet If-None-Match', fleetRevalidate));

    // What a team lead's view of the team's clusters costs: through the Kubernetes backend, one
    // entity page per cluster (as a browser fetches them, six at a time); through Clusterdeck,
    // the fleet list (every cluster the token may see, here the whole fleet) from memory.
    const peerResult = await measurePeer({
      base,
      headers,
      peer,
      servers,
      fleetUrl,
    });
    console.log(
      `team lead of ${PEER_TEAM} (${peerResult.clusters} clusters) through @backstage/plugin-kubernetes-backend: ${peerResult.kubernetes.managementClusterCalls} management-cluster calls returning ${peerResult.kubernetes.objects} objects, all pages answered in ${peerResult.kubernetes.allPagesMs} ms (one page p50 ${peerResult.kubernetes.pageMs.p50} ms, p99 ${peerResult.kubernetes.pageMs.p99} ms), ${peerResult.kubernetes.failures} failures`,
    );
    console.log(
      `the same through Clusterdeck's fleet endpoint: ${peerResult.clusterdeck.managementClusterCalls} management-cluster calls, one answer in p50 ${peerResult.clusterdeck.ms.p50} ms, p99 ${peerResult.clusterdeck.ms.p99} ms (${peerResult.clusterdeck.requests} requests one at a time)`,
    );

    // 200 connections for 30 s against both endpoints, memory sampled every second.
    const rss: number[] = [rssMb(child.pid!)];
    let sampling = true;
    const sampler = (async () => {
      while (sampling) {
        await sleep(1000);
        rss.push(rssMb(child.pid!));
      }
    })();
    const logBefore = fs.statSync(logFile).size;
    // Besides the load tool's own figures, one caller at a time from this process every 100 ms:
    // what a user opening a cluster sees while the fleet list is pulled as hard as it can be.
    const probe: number[] = [];
    let probeErrors = 0;
    const prober = (async () => {
      while (sampling) {
        const t0 = performance.now();
        try {
          const res = await fetch(detailUrl, {
            headers,
            signal: AbortSignal.timeout(10_000),
          });
          await res.arrayBuffer();
          if (res.ok) probe.push(performance.now() - t0);
          else probeErrors++;
        } catch {
          probeErrors++;
        }
        await sleep(100);
      }
    })();
    const half = Math.max(1, Math.floor(options.loadConnections / 2));
    const [loadFleet, loadDetail] = await Promise.all(
      [fleetUrl, detailUrl].map(url =>
        load(tool, {
          url,
          headers,
          connections: half,
          durationMs: options.loadDurationS * 1000,
        }),
      ),
    );
    sampling = false;
    await Promise.all([sampler, prober]);
    probe.sort((a, b) => a - b);
    // The backend's own account of its event loop during the load, one line a second.
    const loopSeconds = fs
      .readFileSync(logFile, 'utf8')
      .slice(logBefore)
      .split('\n')
      .flatMap(l =>
        l.startsWith('event-loop-delay ')
          ? [
              JSON.parse(l.slice(17)) as {
                p50: number;
                p99: number;
                max: number;
              },
            ]
          : [],
      );
    const eventLoopDelayMs = {
      seconds: loopSeconds.length,
      p99OfSeconds: round(
        percentile(
          loopSeconds.map(s => s.p99).sort((a, b) => a - b),
          99,
        ),
        2,
      ),
      max: round(Math.max(...loopSeconds.map(s => s.max)), 2),
    };
    const detailProbe = {
      requests: probe.length,
      errors: probeErrors,
      latencyMs: {
        p50: round(percentile(probe, 50), 2),
        p90: round(percentile(probe, 90), 2),
        p99: round(percentile(probe, 99), 2),
        max: round(probe[probe.length - 1] ?? NaN, 2),
      },
    };
    await sleep(2000);
    rss.push(rssMb(child.pid!));
    console.log(line('load fleet ', loadFleet));
    console.log(line('load detail', loadDetail));
    console.log(
      `load: backend event loop held at most ${eventLoopDelayMs.max} ms (p99 of the seconds' p99s ${eventLoopDelayMs.p99OfSeconds} ms)`,
    );
    console.log(
      `load detail probe (one at a time): ${detailProbe.requests} requests, p50 ${detailProbe.latencyMs.p50} ms, p90 ${detailProbe.latencyMs.p90} ms, p99 ${detailProbe.latencyMs.p99} ms, max ${detailProbe.latencyMs.max} ms, ${detailProbe.errors} errors`,
    );
    const loadErrors = [loadFleet, loadDetail].reduce(
      (sum, r) => sum + r.errors + nonSuccess(r),
      0,
    );
    const memory = {
      startMb: round(rss[0]),
      maxMb: round(Math.max(...rss)),
      endMb: round(rss[rss.length - 1]),
      samples: rss.map(n => round(n)),
    };
    console.log(
      `load: ${loadErrors} errors; backend RSS ${memory.startMb} MB → max ${memory.maxMb} MB → ${memory.endMb} MB`,
    );

    const goals = {
      fleetP99Under20ms: fleet.latencyMs.p99 < 20,
      fleetOver1000Rps: fleet.requestsPerSecond > 1000,
      detailP99Under20ms: detail.latencyMs.p99 < 20,
      loadWithoutErrors: loadErrors === 0,
      // The same two goals for the fleet list as browsers ask for it, first compressed, then revalidated.
      fleetCompressedP99Under20ms: fleetBrowser.latencyMs.p99 < 20,
      fleetCompressedOver1000Rps: fleetBrowser.requestsPerSecond > 1000,
      fleetRevalidateP99Under20ms: fleetRevalidate
        ? fleetRevalidate.latencyMs.p99 < 20
        : false,
      fleetRevalidateOver1000Rps: fleetRevalidate
        ? fleetRevalidate.requestsPerSecond > 1000
        : false,
      // Serving stays fair: the detail is answered while the fleet list is pulled as hard as it can be.
      loadDetailServed: loadDetail.requests > 0,
    };
    const result = {
      kind: 'serve',
      at: new Date().toISOString(),
      machine: { cpus: os.cpus().length, node: process.version },
      fleet: {
        accounts: options.accounts,
        clusters: options.clusters,
        regions: options.regions,
      },
      tool,
      readyS,
      answerBytes: {
        fleet: fleetBytes,
        detail: detailBytes,
        fleetEncoded,
        fleetPage: pageBytes,
        managementClusterList: managementClusterBytes,
      },
      managementClusterList: {
        name: managementCluster,
        clusters: managementClusterClusters,
      },
      endpoints: {
        fleet,
        detail,
        fleetPage,
        managementClusterList,
        fleetBrowser,
        fleetRevalidate,
      },
      peer: peerResult,
      load: {
        connections: options.loadConnections,
        durationS: options.loadDurationS,
        fleet: loadFleet,
        detail: loadDetail,
        detailProbe,
        eventLoopDelayMs,
        errors: loadErrors,
        backendRssMb: memory,
      },
      goals,
    };
    const out = path.join(RESULTS, `serve-${size}.json`);
    fs.writeFileSync(out, `${JSON.stringify(result, null, 2)}\n`);
    console.log(
      `goals: ${Object.entries(goals)
        .map(([k, v]) => `${k} ${v ? 'met' : 'MISSED'}`)
        .join(', ')}`,
    );
    console.log(`results in ${path.relative(REPO, out)}`);
    return result;
  } finally {
    await Promise.all(servers.map(s => s.close()));
    child.kill('SIGTERM');
    await Promise.race([new Promise(r => child.once('exit', r)), sleep(5000)]);
    if (child.exitCode === null) child.kill('SIGKILL');
    fs.closeSync(log);
    fs.rmSync(work, { recursive: true, force: true });
  }
}

async function measurePeer(options: {
  base: string;
  headers: Record<string, string>;
  peer: ReturnType<typeof teamEntities>;
  servers: ManagementClusterServer[];
  fleetUrl: string;
}) {
  const { base, headers, peer, servers } = options;
  const mcCalls = () => servers.reduce((n, s) => n + s.counter.totalOf(''), 0);
  const page = async (entity: (typeof peer)[number]['entity']) => {
    const t0 = performance.now();
    const res = await fetch(
      `${base}/api/kubernetes/services/${entity.metadata.name}`,
      {
        method: 'POST',
        headers: { ...headers, 'content-type': 'application/json' },
        body: JSON.stringify({
          entity: {
            apiVersion: entity.apiVersion,
            kind: entity.kind,
            metadata: { name: entity.metadata.name, namespace: 'default' },
          },
        }),
      },
    );
    const body = (await res.json()) as {
      items?: Array<{
        errors?: unknown[];
        resources?: Array<{ resources?: unknown[] }>;
      }>;
    };
    const errors = (body.items ?? []).flatMap(i => i.errors ?? []);
    return {
      ms: performance.now() - t0,
      objects: (body.items ?? [])
        .flatMap(i => i.resources ?? [])
        .reduce((n, r) => n + (r.resources?.length ?? 0), 0),
      ok: res.ok && errors.length === 0 && (body.items?.length ?? 0) > 0,
      firstError: res.ok ? errors[0] : body,
    };
  };
  // One page first, to warm the plugin up and check that it reads the clusters.
  const first = await page(peer[0].entity);
  if (!first.ok)
    throw new Error(
      `the Kubernetes backend did not answer the first page: ${JSON.stringify(
        first.firstError,
      )}`,
    );
  servers.forEach(s => s.counter.reset());
  const times: number[] = [];
  let failures = 0;
  let objects = 0;
  let next = 0;
  const started = performance.now();
  await Promise.all(
    Array.from({ length: BROWSER_CONCURRENCY }, async () => {
      while (next < peer.length) {
        const r = await page(peer[next++].entity);
        times.push(r.ms);
        objects += r.objects;
        if (!r.ok) failures++;
      }
    }),
  );
  const allPagesMs = performance.now() - started;
  const kubernetesCalls = mcCalls();
  times.sort((a, b) => a - b);

  servers.forEach(s => s.counter.reset());
  const fleetTimes: number[] = [];
  for (let i = 0; i < 20; i++) {
    const t0 = performance.now();
    const res = await fetch(options.fleetUrl, { headers });
    await res.arrayBuffer();
    fleetTimes.push(performance.now() - t0);
  }
  fleetTimes.sort((a, b) => a - b);
  return {
    team: PEER_TEAM,
    clusters: peer.length,
    kubernetes: {
      plugin: '@backstage/plugin-kubernetes-backend',
      pages: peer.length,
      concurrency: BROWSER_CONCURRENCY,
      managementClusterCalls: kubernetesCalls,
      /** Kubernetes objects the pages returned (the clusters' Cluster API and CAPA objects). */
      objects,
      allPagesMs: round(allPagesMs),
      pageMs: {
        p50: round(percentile(times, 50), 2),
        p99: round(percentile(times, 99), 2),
      },
      failures,
    },
    clusterdeck: {
      requests: fleetTimes.length,
      managementClusterCalls: mcCalls(),
      ms: {
        p50: round(percentile(fleetTimes, 50), 2),
        p99: round(percentile(fleetTimes, 99), 2),
      },
    },
  };
}

function nonSuccess(r: LoadResult): number {
  return Object.entries(r.statuses)
    .filter(([status]) => !['200', '2xx'].includes(status))
    .reduce((sum, [, n]) => sum + n, 0);
}

function line(name: string, r: LoadResult): string {
  return `${name} ${r.connections} conns ${r.durationS} s: ${
    r.requestsPerSecond
  } req/s, p50 ${r.latencyMs.p50} ms${
    r.latencyMs.p95 === undefined ? '' : `, p95 ${r.latencyMs.p95} ms`
  }, p99 ${r.latencyMs.p99} ms, ${r.errors} errors, statuses ${JSON.stringify(
    r.statuses,
  )}`;
}
