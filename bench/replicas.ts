import { writeSnapshotDirectory } from '@clusterdeck/plugin-aws-clusters-node';
import { generateFleet } from '@clusterdeck/demo-fleet';
import { ChildProcess, spawn } from 'node:child_process';
import crypto from 'node:crypto';
import fs from 'node:fs';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import knexFactory from 'knex';
import { generatedFleetConfig } from '../plugins/aws-clusters-backend/src/__testUtils__/harness/generatedFleetConfig';
import { freePort, waitForFleet } from './lib/backendProcess';
import { availableTool, load, LoadTool } from './lib/loadTools';
import type { LoadResult } from './lib/loadGenerator';
import { round, sleep } from './lib/stats';

/*
 * Replicas under load: two backends on one PostgreSQL database (127.0.0.1:5432) behind a local
 * round-robin proxy, against one backend behind the same proxy: requests per second and latency of
 * the fleet list (compressed, as browsers ask) and of a cluster detail, and how often the fleet was
 * refreshed across the pair, idle and under load, with a short refresh interval (the scheduler's
 * lock in the database lets one replica refresh per interval; the other reloads what it stored).
 * The proxy runs in this process, the load generator in another: four processes share the
 * machine's cores. The backends log at info, which is where their refreshes are counted.
 */

const REPO = path.resolve(__dirname, '..');
const RESULTS = path.join(__dirname, 'results');
const PG = { host: '127.0.0.1', port: 5432, user: 'postgres' };

export interface ReplicasOptions {
  accounts: number;
  clusters: number;
  regions: number;
  connections: number;
  durationS: number;
  /** Seconds between refreshes while measuring. */
  refreshS: number;
  tool: LoadTool | 'auto';
}

/** A round-robin HTTP proxy on 127.0.0.1 over the given upstream ports. */
async function startProxy(upstreams: number[]) {
  const agent = new http.Agent({ keepAlive: true, maxSockets: 256 });
  let next = 0;
  const forwarded = upstreams.map(() => 0);
  const server = http.createServer((req, res) => {
    const i = next++ % upstreams.length;
    forwarded[i]++;
    const upstream = http.request(
      {
        host: '127.0.0.1',
        port: upstreams[i],
        method: req.method,
        path: req.url,
        headers: req.headers,
        agent,
      },
      answer => {
        res.writeHead(answer.statusCode ?? 502, answer.headers);
        answer.pipe(res);
      },
    );
    upstream.on('error', () => {
      res.writeHead(502).end();
    });
    req.pipe(upstream);
  });
  const port = await freePort();
  await new Promise<void>(r => server.listen(port, '127.0.0.1', r));
  return {
    url: `http://127.0.0.1:${port}`,
    forwarded,
    close: () =>
      new Promise<void>(r => {
        agent.destroy();
        server.close(() => r());
      }),
  };
}

function refreshesIn(logFile: string, from: number): number {
  return fs
    .readFileSync(logFile, 'utf8')
    .slice(from)
    .split('\n')
    .filter(l => l.includes('Fleet refreshed in')).length;
}

export async function runReplicas(options: ReplicasOptions) {
  const tool = availableTool(options.tool);
  const size = `${options.accounts}x${options.clusters}`;
  const work = fs.mkdtempSync(path.join(os.tmpdir(), 'clusterdeck-replicas-'));
  const fleetDir = path.join(work, 'fleet');
  writeSnapshotDirectory(
    fleetDir,
    generateFleet({
      accounts: options.accounts,
      clusters: options.clusters,
      regions: options.regions,
      seed: 'bench',
    }),
  );
  // Databases of this run only (Backstage makes one per plugin with this prefix), dropped after.
  const prefix = `bench_${crypto.randomBytes(4).toString('hex')}_`;
  const token = crypto.randomBytes(24).toString('hex');
  const ports = [await freePort(), await freePort()];
  fs.mkdirSync(RESULTS, { recursive: true });
  const children: ChildProcess[] = [];
  const logs = ports.map((_, i) =>
    path.join(RESULTS, `replicas-${size}.backend-${i + 1}.log`),
  );
  const proxies: Array<Awaited<ReturnType<typeof startProxy>>> = [];
  try {
    for (const [i, port] of ports.entries()) {
      const config = {
        backend: {
          baseUrl: `http://127.0.0.1:${port}`,
          listen: { host: '127.0.0.1', port },
          database: { client: 'pg', connection: PG, prefix },
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
          refresh: {
            frequency: { seconds: options.refreshS },
            timeout: { minutes: 5 },
          },
          permissions: {
            services: [
              { subject: 'bench', allow: ['aws-clusters.cluster.read'] },
            ],
          },
        },
      };
      const configFile = path.join(work, `app-config.${i + 1}.yaml`);
      fs.writeFileSync(configFile, JSON.stringify(config, null, 2));
      const log = fs.openSync(logs[i], 'w');
      children.push(
        spawn(
          process.execPath,
          [
            path.join(__dirname, 'bin', 'serve-backend'),
            '--config',
            configFile,
          ],
          {
            cwd: REPO,
            stdio: ['ignore', log, log],
            env: { ...process.env, NODE_ENV: 'production', LOG_LEVEL: 'info' },
          },
        ),
      );
      fs.closeSync(log);
      // The second starts once the first has made the database, as a rolling deployment would.
      await waitForFleet(
        `http://127.0.0.1:${port}`,
        token,
        options.clusters,
        children[i],
        180_000,
      );
    }
    const items = await waitForFleet(
      `http://127.0.0.1:${ports[1]}`,
      token,
      options.clusters,
      children[1],
      60_000,
    );
    const detailRef = items[Math.floor(items.length / 2)].ref;
    const headers = {
      authorization: `Bearer ${token}`,
      'accept-encoding': 'gzip, deflate, br, zstd',
    };

    const measure = async (label: string, upstreams: number[]) => {
      const proxy = await startProxy(upstreams);
      proxies.push(proxy);
      const run = (url: string) =>
        load(tool, {
          url,
          headers,
          connections: options.connections,
          durationMs: options.durationS * 1000,
        });
      const fleetUrl = `${proxy.url}/api/aws-clusters/clusters`;
      const detailUrl = `${proxy.url}/api/aws-clusters/clusters/${detailRef}`;
      await load(tool, {
        url: detailUrl,
        headers,
        connections: 4,
        durationMs: 2000,
      });
      const logSizes = logs.map(l => fs.statSync(l).size);
      const startedAt = Date.now();
      const fleet = await run(fleetUrl);
      const detail = await run(detailUrl);
      const seconds = (Date.now() - startedAt) / 1000;
      const refreshes = logs.map((l, i) => refreshesIn(l, logSizes[i]));
      await proxy.close();
      const result = {
        backends: upstreams.length,
        fleet: summary(fleet),
        detail: summary(detail),
        forwarded: [...proxy.forwarded],
        seconds: round(seconds),
        refreshesPerBackend: refreshes,
        intervals: round(seconds / options.refreshS),
      };
      console.log(
        `${label}: fleet (compressed) ${result.fleet.rps} req/s p99 ${
          result.fleet.p99
        } ms, detail ${result.detail.rps} req/s p99 ${
          result.detail.p99
        } ms; requests per backend ${result.forwarded.join(
          ' / ',
        )}; refreshes per backend ${refreshes.join(' / ')} in ${
          result.seconds
        } s (${result.intervals} intervals of ${options.refreshS} s)`,
      );
      return result;
    };

    console.log(
      `replicas ${size} on PostgreSQL, ${
        options.connections
      } connections, load from ${tool}, ${os.availableParallelism()} cores`,
    );
    // Without load: how many refreshes the pair runs in four intervals.
    const idleSizes = logs.map(l => fs.statSync(l).size);
    await sleep(4 * options.refreshS * 1000);
    const idle = {
      seconds: 4 * options.refreshS,
      refreshesPerBackend: logs.map((l, i) => refreshesIn(l, idleSizes[i])),
    };
    console.log(
      `idle: refreshes per backend ${idle.refreshesPerBackend.join(' / ')} in ${
        idle.seconds
      } s (4 intervals of ${options.refreshS} s)`,
    );
    const one = await measure('one backend behind the proxy', [ports[0]]);
    const pair = await measure('two backends behind the proxy', ports);
    const result = {
      kind: 'replicas',
      at: new Date().toISOString(),
      fleet: {
        accounts: options.accounts,
        clusters: options.clusters,
        regions: options.regions,
      },
      tool,
      cores: os.availableParallelism(),
      refreshS: options.refreshS,
      idle,
      one,
      pair,
      ratio: {
        fleet: round(pair.fleet.rps / one.fleet.rps, 2),
        detail: round(pair.detail.rps / one.detail.rps, 2),
      },
      // One refresh per interval across the pair (one more or fewer where the window cuts an
      // interval), rather than one per replica.
      refreshOncePerInterval:
        Math.abs(idle.refreshesPerBackend.reduce((a, b) => a + b, 0) - 4) <=
          1 &&
        pair.refreshesPerBackend.reduce((a, b) => a + b, 0) <=
          Math.ceil(pair.intervals) + 1,
    };
    console.log(
      `pair / one: fleet ${result.ratio.fleet}x, detail ${result.ratio.detail}x; one refresh per interval across the pair: ${result.refreshOncePerInterval}`,
    );
    fs.writeFileSync(
      path.join(RESULTS, `replicas-${size}.json`),
      `${JSON.stringify(result, null, 2)}\n`,
    );
    return result;
  } finally {
    await Promise.all(proxies.map(p => p.close().catch(() => undefined)));
    for (const child of children) child.kill('SIGTERM');
    await sleep(3000);
    for (const child of children)
      if (child.exitCode === null) child.kill('SIGKILL');
    await dropDatabases(prefix);
    fs.rmSync(work, { recursive: true, force: true });
  }
}

function summary(r: LoadResult) {
  return {
    rps: r.requestsPerSecond,
    p50: r.latencyMs.p50,
    p99: r.latencyMs.p99,
    errors: r.errors,
    statuses: r.statuses,
  };
}

async function dropDatabases(prefix: string) {
  const db = knexFactory({
    client: 'pg',
    connection: { ...PG, database: 'postgres' },
  });
  try {
    const { rows } = await db.raw(
      'SELECT datname FROM pg_database WHERE datname LIKE ?',
      [`${prefix}%`],
    );
    for (const { datname } of rows as Array<{ datname: string }>)
      await db.raw(`DROP DATABASE IF EXISTS "${datname}" WITH (FORCE)`);
  } finally {
    await db.destroy();
  }
}
