import { Command, InvalidArgumentError } from 'commander';
import { runBrowser } from './browser';
import { serveFakeWorld } from './lib/fakeWorld';
import { runLatency } from './latency';
import { runRefresh, runRefreshPhase } from './refresh';
import { runRender } from './render';
import { runReplicas } from './replicas';
import { runServe } from './serve';

function positive(value: string): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 1)
    throw new InvalidArgumentError('must be a positive whole number');
  return n;
}

function wholeNumber(value: string): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 0)
    throw new InvalidArgumentError('must be a whole number');
  return n;
}

function sizes(value: string): Array<{ accounts: number; clusters: number }> {
  return value.split(',').map(s => {
    const m = /^(\d+)x(\d+)$/.exec(s.trim());
    if (!m)
      throw new InvalidArgumentError(
        `"${s}" is not ACCOUNTSxCLUSTERS, e.g. 100x1000`,
      );
    return { accounts: Number(m[1]), clusters: Number(m[2]) };
  });
}

/** The generated fleet a served benchmark runs against: `--size` (one) and `--regions`. */
function fleetOptions(command: Command): Command {
  return command
    .option(
      '--size <AxC>',
      'accounts x clusters of the generated fleet',
      sizes,
      sizes('100x1000'),
    )
    .option('--regions <n>', 'regions per account', positive, 3);
}

/** Entry point of `yarn bench`: the refresh, serving and browser benchmarks, results in bench/results. */
export function main(argv: string[]) {
  const program = new Command('bench').description(
    'Clusterdeck benchmarks; results are written to bench/results/*.json',
  );

  program
    .command('refresh')
    .description(
      'cold refreshes of a generated fleet through per-account collection and through the AWS Config source, each beside the Kubernetes collector',
    )
    .option(
      '--size <AxC>',
      'accounts x clusters, comma-separated',
      sizes,
      sizes('10x50,50x500,100x1000'),
    )
    .option('--regions <n>', 'regions per account', positive, 3)
    .option(
      '--latency <ms>',
      'delay of every AWS and Kubernetes call',
      positive,
      20,
    )
    .action(async opts => {
      for (const size of opts.size)
        await runRefresh({
          ...size,
          regions: opts.regions,
          latencyMs: opts.latency,
        });
    });

  // Run by `refresh` in a process of its own for each way of reading AWS; prints RESULT <json>.
  program
    .command('refresh-phase <phase>', { hidden: true })
    .requiredOption('--size <AxC>', 'accounts x clusters', sizes)
    .option('--regions <n>', 'regions per account', positive, 3)
    .option('--latency <ms>', 'delay of every call', positive, 20)
    .action(async (phase, opts) => {
      if (phase !== 'per-account' && phase !== 'aws-config')
        throw new InvalidArgumentError('phase: per-account or aws-config');
      const result = await runRefreshPhase(phase, {
        ...opts.size[0],
        regions: opts.regions,
        latencyMs: opts.latency,
      });
      console.log(`RESULT ${JSON.stringify(result)}`);
      process.exit(0);
    });

  // The fake world a refresh phase reads (lib/fakeWorld.ts), in a process of its own; prints READY <json>.
  program
    .command('fake-world', { hidden: true })
    .requiredOption('--size <AxC>', 'accounts x clusters', sizes)
    .option('--regions <n>', 'regions per account', positive, 3)
    .option('--latency <ms>', 'delay of every call', positive, 20)
    .option('--aws-config', "answer AWS Config's aggregator too", false)
    .action(async opts => {
      await serveFakeWorld({
        ...opts.size[0],
        regions: opts.regions,
        latencyMs: opts.latency,
        awsConfig: opts.awsConfig,
      });
    });

  fleetOptions(
    program
      .command('serve')
      .description(
        "p50/p99 and requests per second of the fleet list (whole, a page of 100 and one management cluster's) and cluster-detail endpoints of a running backend, a team lead's clusters through Backstage's Kubernetes backend beside them, then 200 connections for 30 s",
      ),
  )
    .option(
      '--connections <n>',
      'connections while measuring latency',
      positive,
      50,
    )
    .option('--duration <s>', 'seconds per measured endpoint', positive, 15)
    .option(
      '--load-connections <n>',
      'connections of the load phase',
      positive,
      200,
    )
    .option('--load-duration <s>', 'seconds of the load phase', positive, 30)
    .option(
      '--tool <name>',
      'autocannon, wrk, node or auto (the first installed of these)',
      'auto',
    )
    .option(
      '--peer-latency <ms>',
      'delay of every management-cluster call the Kubernetes backend makes',
      positive,
      20,
    )
    .action(async opts => {
      for (const size of opts.size) {
        await runServe({
          peerLatencyMs: opts.peerLatency,
          ...size,
          regions: opts.regions,
          connections: opts.connections,
          durationS: opts.duration,
          loadConnections: opts.loadConnections,
          loadDurationS: opts.loadDuration,
          tool: opts.tool,
        });
      }
    });

  fleetOptions(
    program
      .command('replicas')
      .description(
        'two backends on PostgreSQL behind a local round-robin proxy against one: requests per second, and refreshes across the pair',
      ),
  )
    .option('--connections <n>', 'connections of the load', positive, 50)
    .option('--duration <s>', 'seconds per measured endpoint', positive, 15)
    .option(
      '--refresh <s>',
      'seconds between refreshes while measuring',
      positive,
      10,
    )
    .option('--tool <name>', 'autocannon, wrk, node or auto', 'auto')
    .action(async opts => {
      for (const size of opts.size)
        await runReplicas({
          ...size,
          regions: opts.regions,
          connections: opts.connections,
          durationS: opts.duration,
          refreshS: opts.refresh,
          tool: opts.tool,
        });
    });

  program
    .command('latency')
    .description(
      'time from a change on a management cluster to the fleet API through the watches and to an open page in Chromium, and list calls in steady state beside polling (1,000 clusters on 10 fake API servers)',
    )
    .option('--clusters <n>', 'clusters of the generated fleet', positive, 1000)
    .option('--changes <n>', 'changes measured one at a time', positive, 100)
    .option('--steady <s>', 'seconds of the steady-state window', positive, 60)
    .option(
      '--page-changes <n>',
      'changes measured on an open cluster page in Chromium (0: none)',
      wholeNumber,
      20,
    )
    .option(
      '--build',
      'build packages/app first (else its existing build, built only when there is none)',
    )
    .action(async opts => {
      await runLatency({
        clusters: opts.clusters,
        managementClusters: 10,
        changes: opts.changes,
        steadySeconds: opts.steady,
        refreshMinutes: 5,
        pageChanges: opts.pageChanges,
        build: !!opts.build,
      });
      // The backend's watches and keep-alive connections would hold the process open.
      process.exit(0);
    });

  program
    .command('render')
    .description(
      'median and p99 of validating and rendering one example request, per format',
    )
    .action(() => runRender());

  program
    .command('browser')
    .description(
      "time to first render in Chromium of a cluster's topology card (3 zones, 20 pools), a team's Clusters table and the fleet overview",
    )
    .option('--clusters <n>', "clusters of the team's table", positive, 1000)
    .option(
      '--runs <n>',
      'measured runs of each view and measure',
      positive,
      10,
    )
    .option('--goal <ms>', "the route change's median goal", positive, 300)
    .option(
      '--no-build',
      'serve the existing packages/app/dist instead of building it first',
    )
    .action(async opts => {
      await runBrowser({
        clusters: opts.clusters,
        runs: opts.runs,
        build: opts.build,
        goalMs: opts.goal,
      });
    });

  program.parseAsync(argv).catch(error => {
    console.error(error instanceof Error ? error.message : error);
    process.exit(1);
  });
}
