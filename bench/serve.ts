import { writeSnapshotDirectory } from '@clusterdeck/plugin-aws-clusters-node';
import { generateFleet } from '@clusterdeck/demo-fleet';
import { spawn } from 'node:child_process';
import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { generatedFleetConfig } from '../plugins/aws-clusters-backend/src/__testUtils__/harness/generatedFleetConfig';
import { freePort, waitForFleet } from './lib/backendProcess';
import { availableTool, load, LoadTool } from './lib/loadTools';
import type { LoadResult } from './lib/loadGenerator';
import { percentile, round, sleep } from './lib/stats';

/*
 * Serving benchmark: a running backend (bench/serveBackend.ts, its own process) serving a
 * generated fleet from its snapshot directory, driven from a second process on loopback. Measures
 * p50/p99 and requests per second of the fleet list and of one cluster detail, then holds 200
 * connections for 30 seconds against both and watches the backend's memory.
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
    clusterdeck: {
      ...generatedFleetConfig({
        accounts: options.accounts,
        regions: options.regions,
      }),
      snapshot: { directory: fleetDir },
      refresh: { frequency: { hours: 1 }, timeout: { minutes: 10 } },
      // The benchmark reads the fleet with its external-access token, which needs a grant.
      permissions: {
        services: [
          { subject: 'plugin:catalog', allow: ['aws-clusters.cluster.read'] },
          {
            subject: 'plugin:scaffolder',
            allow: [
              'aws-clusters.cluster.read',
              'aws-clusters.cidr-allocation.read',
            ],
          },
          { subject: 'bench', allow: ['aws-clusters.cluster.read'] },
        ],
      },
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
      env: { ...process.env, NODE_ENV: 'production', LOG_LEVEL: 'warn' },
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
    const fleetUrl = `${base}/api/aws-clusters/clusters`;
    const detailUrl = `${base}/api/aws-clusters/clusters/${detailRef}`;
    const fleetBytes = (await (await fetch(fleetUrl, { headers })).text())
      .length;
    const detailBytes = (await (await fetch(detailUrl, { headers })).text())
      .length;
    console.log(
      `backend ready in ${readyS} s; fleet answer ${round(
        fleetBytes / 1024,
      )} KiB, detail ${round(detailBytes / 1024)} KiB`,
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
      answerBytes: { fleet: fleetBytes, detail: detailBytes, fleetEncoded },
      endpoints: { fleet, detail, fleetBrowser, fleetRevalidate },
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
    child.kill('SIGTERM');
    await Promise.race([new Promise(r => child.once('exit', r)), sleep(5000)]);
    if (child.exitCode === null) child.kill('SIGKILL');
    fs.closeSync(log);
    fs.rmSync(work, { recursive: true, force: true });
  }
}

function nonSuccess(r: LoadResult): number {
  return Object.entries(r.statuses)
    .filter(([status]) => !['200', '2xx'].includes(status))
    .reduce((sum, [, n]) => sum + n, 0);
}

function line(name: string, r: LoadResult): string {
  return `${name} ${r.connections} conns ${r.durationS} s: ${
    r.requestsPerSecond
  } req/s, p50 ${r.latencyMs.p50} ms, p99 ${r.latencyMs.p99} ms, ${
    r.errors
  } errors, statuses ${JSON.stringify(r.statuses)}`;
}
