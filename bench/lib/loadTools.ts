import { execFile, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import type { LoadOptions, LoadResult } from './loadGenerator';
import { round } from './stats';

/*
 * Drives load from a second process: autocannon when it is installed in the repository,
 * else wrk when it is on PATH, else the Node load generator of this folder. All three keep
 * `connections` keep-alive connections busy for the duration (a closed loop).
 */

export type LoadTool = 'autocannon' | 'wrk' | 'node';

const REPO = path.resolve(__dirname, '..', '..');

export function availableTool(wanted: LoadTool | 'auto'): LoadTool {
  const autocannon = fs.existsSync(
    path.join(REPO, 'node_modules', 'autocannon', 'autocannon.js'),
  );
  const wrk =
    spawnSync('wrk', ['--version'], { encoding: 'utf8' }).error === undefined;
  if (wanted === 'autocannon' && !autocannon)
    throw new Error('autocannon is not installed in node_modules');
  if (wanted === 'wrk' && !wrk) throw new Error('wrk is not on PATH');
  if (wanted !== 'auto') return wanted;
  if (autocannon) return 'autocannon';
  return wrk ? 'wrk' : 'node';
}

function run(
  command: string,
  args: string[],
  timeoutMs: number,
): Promise<string> {
  return new Promise((resolve, reject) => {
    execFile(
      command,
      args,
      { cwd: REPO, maxBuffer: 64 * 2 ** 20, timeout: timeoutMs },
      (error, stdout, stderr) => {
        if (error)
          reject(new Error(`${command} failed: ${error.message}\n${stderr}`));
        else resolve(stdout);
      },
    );
  });
}

/** wrk prints durations as 812.00us, 1.23ms or 1.02s. */
function wrkMs(value: string): number {
  const m = /^([\d.]+)(us|ms|s|m)$/.exec(value.trim());
  if (!m) return NaN;
  const n = Number(m[1]);
  return m[2] === 'us'
    ? n / 1000
    : m[2] === 'ms'
    ? n
    : m[2] === 's'
    ? n * 1000
    : n * 60_000;
}

function parseWrk(out: string, options: LoadOptions): LoadResult {
  const pct = (p: string) =>
    wrkMs(new RegExp(`^\\s+${p}%\\s+(\\S+)`, 'm').exec(out)?.[1] ?? '');
  const requests = Number(
    /(\d+) requests in ([\d.]+)(\w+)/.exec(out)?.[1] ?? NaN,
  );
  const durationS = wrkMs(/\d+ requests in (\S+),/.exec(out)?.[1] ?? '') / 1000;
  const non2xx = Number(/Non-2xx or 3xx responses: (\d+)/.exec(out)?.[1] ?? 0);
  const socket =
    /Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)/.exec(
      out,
    );
  const errors = socket
    ? socket.slice(1).reduce((s, n) => s + Number(n), 0)
    : 0;
  const transfer = /Transfer\/sec:\s+([\d.]+)(\w+)/.exec(out);
  const unit: Record<string, number> = {
    B: 1,
    KB: 1024,
    MB: 2 ** 20,
    GB: 2 ** 30,
  };
  return {
    tool: 'wrk',
    url: options.url,
    connections: options.connections,
    durationS: round(durationS, 2),
    requests,
    requestsPerSecond: Number(
      /Requests\/sec:\s+([\d.]+)/.exec(out)?.[1] ?? NaN,
    ),
    latencyMs: {
      p50: pct('50'),
      p90: pct('90'),
      p99: pct('99'),
      max: wrkMs(/Latency\s+\S+\s+\S+\s+(\S+)/.exec(out)?.[1] ?? ''),
    },
    statuses: { '2xx': requests - non2xx, other: non2xx },
    errors,
    bytesPerSecond: transfer
      ? Math.round(Number(transfer[1]) * (unit[transfer[2]] ?? 1))
      : NaN,
  };
}

function parseAutocannon(out: string, options: LoadOptions): LoadResult {
  const r = JSON.parse(out);
  return {
    tool: 'autocannon',
    url: options.url,
    connections: options.connections,
    durationS: r.duration,
    requests: r.requests.total,
    requestsPerSecond: round(r.requests.average),
    latencyMs: {
      p50: r.latency.p50,
      p90: r.latency.p90,
      p99: r.latency.p99,
      max: r.latency.max,
    },
    statuses: { '2xx': r['2xx'], non2xx: r.non2xx },
    errors: r.errors + r.timeouts,
    bytesPerSecond: Math.round(r.throughput.average),
  };
}

/** Runs one load in a separate process with the chosen tool. */
export async function load(
  tool: LoadTool,
  options: LoadOptions,
): Promise<LoadResult> {
  const seconds = Math.max(1, Math.round(options.durationMs / 1000));
  const timeout = options.durationMs + 60_000;
  const headers = Object.entries(options.headers);
  if (tool === 'wrk') {
    const args = [
      '-t1',
      `-c${options.connections}`,
      `-d${seconds}s`,
      '--latency',
      '--timeout',
      '10s',
    ];
    for (const [k, v] of headers) args.push('-H', `${k}: ${v}`);
    return parseWrk(await run('wrk', [...args, options.url], timeout), options);
  }
  if (tool === 'autocannon') {
    const args = [
      path.join('node_modules', 'autocannon', 'autocannon.js'),
      '-j',
      '-c',
      String(options.connections),
      '-d',
      String(seconds),
    ];
    for (const [k, v] of headers) args.push('-H', `${k}=${v}`);
    return parseAutocannon(
      await run(process.execPath, [...args, options.url], timeout),
      options,
    );
  }
  const out = await run(
    process.execPath,
    [path.join(REPO, 'bench', 'bin', 'load'), JSON.stringify(options)],
    timeout,
  );
  return JSON.parse(out.trim().split('\n').pop()!);
}
