import * as autoScaling from '@aws-sdk/client-auto-scaling';
import * as configService from '@aws-sdk/client-config-service';
import * as ec2 from '@aws-sdk/client-ec2';
import * as eks from '@aws-sdk/client-eks';
import * as elb from '@aws-sdk/client-elastic-load-balancing';
import * as elbv2 from '@aws-sdk/client-elastic-load-balancing-v2';
import * as sts from '@aws-sdk/client-sts';
import { generateFleet } from '@clusterdeck/demo-fleet';
import { spawn } from 'node:child_process';
import crypto from 'node:crypto';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { installAwsAnswerer } from './awsAnswerer';
import { installAwsConfigAnswerer } from './awsConfigAnswerer';
import { startManagementClusterServer } from './managementClusterServer';

/*
 * The world a refresh reads, in a process of its own: a generated fleet, AWS answering from it
 * (the per-account answerer and, when asked for, AWS Config's aggregator) and one Kubernetes API
 * server per management cluster, each call after a fixed latency. The process measured holds none
 * of it: its AWS SDK clients' `send` hands each command (client, command, input, region and the
 * caller's access key) to this process over loopback HTTP and reads the answer as JSON, its times
 * (whose places the answer lists) revived as the SDK gives them, as `Date`. So the measured process's memory and event loop are
 * those of the refresh alone, and it pays for reading each answer, as it would from AWS.
 */

/** The SDK modules whose clients are answered, by client class name. */
const MODULES: Record<string, Record<string, any>> = {
  EC2Client: ec2,
  AutoScalingClient: autoScaling,
  EKSClient: eks,
  ElasticLoadBalancingClient: elb,
  ElasticLoadBalancingV2Client: elbv2,
  STSClient: sts,
  ConfigServiceClient: configService,
};

export interface FakeWorldOptions {
  accounts: number;
  clusters: number;
  regions: number;
  latencyMs: number;
  /** Answer AWS Config's aggregator too. */
  awsConfig: boolean;
}

interface Ready {
  port: number;
  token: string;
  managementClusters: Array<{ name: string; url: string }>;
}

/** Where an answer holds times, so that the reader revives those alone. */
function datePaths(value: unknown) {
  const out: Array<Array<string | number>> = [];
  const at: Array<string | number> = [];
  const walk = (v: unknown) => {
    if (v instanceof Date) out.push([...at]);
    else if (Array.isArray(v))
      for (let i = 0; i < v.length; i++) {
        at.push(i);
        walk(v[i]);
        at.pop();
      }
    else if (v && typeof v === 'object')
      for (const k in v) {
        at.push(k);
        walk((v as Record<string, unknown>)[k]);
        at.pop();
      }
  };
  walk(value);
  return out;
}

async function body(req: http.IncomingMessage): Promise<any> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  return chunks.length ? JSON.parse(Buffer.concat(chunks).toString()) : {};
}

/** Runs the fake world in this process (the child) and prints `READY <json>` when it serves. */
export async function serveFakeWorld(options: FakeWorldOptions) {
  const snapshot = generateFleet({
    accounts: options.accounts,
    clusters: options.clusters,
    regions: options.regions,
  });
  const token = crypto.randomBytes(16).toString('hex');
  const servers = await Promise.all(
    snapshot.managementClusters.map(mc =>
      startManagementClusterServer(mc, { latencyMs: options.latencyMs, token }),
    ),
  );
  const aws = installAwsAnswerer(snapshot, { latencyMs: options.latencyMs });
  const config = options.awsConfig
    ? installAwsConfigAnswerer(snapshot, { latencyMs: options.latencyMs })
    : undefined;
  const clients = new Map<string, any>();
  const clientOf = (name: string, region: string, accessKeyId: string) => {
    const key = `${name}/${region}/${accessKeyId}`;
    let client = clients.get(key);
    if (!client) {
      const Client = MODULES[name]?.[name];
      if (!Client) throw new Error(`no client ${name}`);
      client = new Client({
        region,
        credentials: { accessKeyId, secretAccessKey: 'bench' },
      });
      clients.set(key, client);
    }
    return client;
  };

  const server = http.createServer(async (req, res) => {
    const reply = (status: number, value: unknown) => {
      const text = JSON.stringify(value);
      res.writeHead(status, {
        'content-type': 'application/json',
        'content-length': Buffer.byteLength(text),
      });
      res.end(text);
    };
    try {
      const input = await body(req);
      switch (req.url) {
        case '/send': {
          const Command = MODULES[input.client]?.[input.command];
          if (!Command) throw new Error(`no command ${input.command}`);
          try {
            const output = await clientOf(
              input.client,
              input.region,
              input.accessKeyId,
            ).send(new Command(input.input));
            reply(200, { output, dates: datePaths(output) });
          } catch (error) {
            const e = error as Error & { $metadata?: unknown; Code?: string };
            reply(200, {
              error: {
                name: e.name,
                message: e.message,
                Code: e.Code,
                $metadata: e.$metadata,
              },
            });
          }
          return;
        }
        case '/calls': {
          const byOperation: Record<string, number> = {};
          for (const counter of [aws.counter, config?.counter])
            for (const [name, n] of counter?.byName ?? [])
              byOperation[name] = (byOperation[name] ?? 0) + n;
          reply(200, {
            aws: aws.counter.total + (config?.counter.total ?? 0),
            kubernetes: servers.reduce((n, s) => n + s.counter.totalOf(''), 0),
            byOperation,
            rssMb: Math.round(process.memoryUsage().rss / 2 ** 20),
          });
          return;
        }
        case '/reset':
          aws.counter.reset();
          config?.counter.reset();
          servers.forEach(s => s.counter.reset());
          reply(200, {});
          return;
        case '/record-changes':
          reply(200, { changed: config?.recordChanges(input.every) ?? 0 });
          return;
        default:
          reply(404, { error: { name: 'NotFound', message: req.url } });
      }
    } catch (error) {
      reply(500, { error: { name: 'Error', message: String(error) } });
    }
  });
  server.keepAliveTimeout = 60_000;
  await new Promise<void>(resolve =>
    server.listen(0, '127.0.0.1', () => resolve()),
  );
  const ready: Ready = {
    port: (server.address() as AddressInfo).port,
    token,
    managementClusters: servers.map(s => ({ name: s.name, url: s.url })),
  };
  process.on('SIGTERM', () => process.exit(0));
  console.log(`READY ${JSON.stringify(ready)}`);
}

/** The command-line options of `yarn bench` naming a generated fleet and its latency. */
export function fleetArgs(options: {
  accounts: number;
  clusters: number;
  regions: number;
  latencyMs: number;
}) {
  return [
    '--size',
    `${options.accounts}x${options.clusters}`,
    '--regions',
    String(options.regions),
    '--latency',
    String(options.latencyMs),
  ];
}

/** The parent's side: starts the fake world's process and sends every AWS SDK call there. */
export async function startFakeWorld(options: FakeWorldOptions) {
  const child = spawn(
    process.execPath,
    [
      '--max-old-space-size=8192',
      path.join(__dirname, '..', 'bin', 'bench'),
      'fake-world',
      ...fleetArgs(options),
      ...(options.awsConfig ? ['--aws-config'] : []),
    ],
    { stdio: ['ignore', 'pipe', 'inherit'] },
  );
  const ready = await new Promise<Ready>((resolve, reject) => {
    let out = '';
    child.stdout.on('data', chunk => {
      out += chunk;
      const line = out.split('\n').find(l => l.startsWith('READY '));
      if (line) resolve(JSON.parse(line.slice(6)));
    });
    child.on('error', reject);
    child.on('exit', code =>
      reject(new Error(`the fake world ended with ${code}: ${out}`)),
    );
  });
  const base = `http://127.0.0.1:${ready.port}`;
  const agent = new http.Agent({ keepAlive: true, maxSockets: 256 });
  const post = (route: string, value: unknown): Promise<any> =>
    new Promise((resolve, reject) => {
      const text = JSON.stringify(value);
      const req = http.request(
        `${base}${route}`,
        {
          method: 'POST',
          agent,
          headers: {
            'content-type': 'application/json',
            'content-length': Buffer.byteLength(text),
          },
        },
        res => {
          const chunks: Buffer[] = [];
          res.on('data', c => chunks.push(c));
          res.on('end', () => {
            try {
              const answer = JSON.parse(Buffer.concat(chunks).toString());
              for (const where of answer.dates ?? []) {
                let holder = answer.output;
                for (const key of where.slice(0, -1)) holder = holder[key];
                const last = where[where.length - 1];
                holder[last] = new Date(holder[last]);
              }
              resolve(answer);
            } catch (error) {
              reject(error);
            }
          });
          res.on('error', reject);
        },
      );
      req.on('error', reject);
      req.end(text);
    });

  // Every client of these classes sends its commands to the fake world.
  const replaced: Array<() => void> = [];
  for (const [name, module] of Object.entries(MODULES)) {
    const prototype = module[name].prototype;
    const own = Object.prototype.hasOwnProperty.call(prototype, 'send');
    const previous = prototype.send;
    prototype.send = async function send(command: any) {
      const region = await this.config.region();
      const credentials = await this.config.credentials();
      const answer = await post('/send', {
        client: name,
        command: command.constructor.name,
        input: command.input,
        region,
        accessKeyId: credentials.accessKeyId,
      });
      if (answer.error)
        throw Object.assign(new Error(answer.error.message), answer.error);
      return answer.output;
    };
    replaced.push(() => {
      if (own) prototype.send = previous;
      else delete prototype.send;
    });
  }

  return {
    token: ready.token,
    managementClusters: ready.managementClusters,
    /** Calls answered since the last reset, and the fake world's own memory. */
    calls: (): Promise<{
      aws: number;
      kubernetes: number;
      byOperation: Record<string, number>;
      rssMb: number;
    }> => post('/calls', {}),
    reset: () => post('/reset', {}),
    /** Records every `every`-th resource of the aggregator again now; how many. */
    recordChanges: async (every: number): Promise<number> =>
      (await post('/record-changes', { every })).changed,
    async close() {
      replaced.forEach(restore => restore());
      agent.destroy();
      child.kill();
    },
  };
}
