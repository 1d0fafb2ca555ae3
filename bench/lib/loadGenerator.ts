import http from 'node:http';
import { percentile, round } from './stats';

/*
 * A closed-loop HTTP load generator for loopback: `connections` keep-alive connections, each
 * sending its next request as soon as the previous answer is read, for a fixed time. Used by the
 * serving benchmark when neither autocannon nor wrk is installed, in a process of its own.
 */

export interface LoadOptions {
  url: string;
  headers: Record<string, string>;
  connections: number;
  durationMs: number;
}

export interface LoadResult {
  tool: string;
  url: string;
  connections: number;
  durationS: number;
  requests: number;
  requestsPerSecond: number;
  /** p95 where the tool reports it (the Node generator does; wrk and autocannon do not). */
  latencyMs: {
    p50: number;
    p90: number;
    p95?: number;
    p99: number;
    max: number;
  };
  statuses: Record<string, number>;
  errors: number;
  bytesPerSecond: number;
}

export async function runLoad(options: LoadOptions): Promise<LoadResult> {
  const url = new URL(options.url);
  const agent = new http.Agent({
    keepAlive: true,
    maxSockets: options.connections,
  });
  const latencies: number[] = [];
  const statuses: Record<string, number> = {};
  let errors = 0;
  let bytes = 0;
  const started = performance.now();
  const stopAt = started + options.durationMs;

  const one = () =>
    new Promise<void>(resolve => {
      const t0 = performance.now();
      const req = http.request(
        {
          host: url.hostname,
          port: url.port,
          path: `${url.pathname}${url.search}`,
          method: 'GET',
          headers: options.headers,
          agent,
        },
        res => {
          res.on('data', chunk => {
            bytes += chunk.length;
          });
          res.on('end', () => {
            latencies.push(performance.now() - t0);
            statuses[res.statusCode ?? 0] =
              (statuses[res.statusCode ?? 0] ?? 0) + 1;
            resolve();
          });
          res.on('error', () => {
            errors++;
            resolve();
          });
        },
      );
      req.on('error', () => {
        errors++;
        resolve();
      });
      req.end();
    });

  await Promise.all(
    Array.from({ length: options.connections }, async () => {
      while (performance.now() < stopAt) await one();
    }),
  );
  const seconds = (performance.now() - started) / 1000;
  agent.destroy();
  latencies.sort((a, b) => a - b);
  return {
    tool: 'node',
    url: options.url,
    connections: options.connections,
    durationS: round(seconds, 2),
    requests: latencies.length,
    requestsPerSecond: round(latencies.length / seconds),
    latencyMs: {
      p50: round(percentile(latencies, 50), 2),
      p90: round(percentile(latencies, 90), 2),
      p95: round(percentile(latencies, 95), 2),
      p99: round(percentile(latencies, 99), 2),
      max: round(latencies[latencies.length - 1] ?? NaN, 2),
    },
    statuses,
    errors,
    bytesPerSecond: Math.round(bytes / seconds),
  };
}

/** Entry point of the load process: options as JSON in argv[2], the result as JSON on stdout. */
export function main(argv: string[]) {
  const options = JSON.parse(argv[2]) as LoadOptions;
  runLoad(options).then(
    result => {
      process.stdout.write(`${JSON.stringify(result)}\n`);
    },
    error => {
      console.error(error);
      process.exit(1);
    },
  );
}
