import { ConfigReader } from '@backstage/config';
import { AwsConfigSource } from '@clusterdeck/plugin-aws-clusters-backend-module-aws-config';
import {
  AwsRegionSnapshot,
  readClusterdeckConfig,
} from '@clusterdeck/plugin-aws-clusters-node';
import {
  AwsCollector,
  KubernetesCollector,
} from '@clusterdeck/plugin-aws-clusters-backend';
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { generatedFleetConfig } from '../plugins/aws-clusters-backend/src/__testUtils__/harness/generatedFleetConfig';
import { benchCredentials } from './lib/awsAnswerer';
import { fleetArgs, startFakeWorld } from './lib/fakeWorld';
import { MemorySampler, round } from './lib/stats';

/*
 * Refresh benchmark: a generated fleet, AWS answered at the SDK client level (AWS Config's
 * aggregator included) and each management cluster by a local HTTP server, every call delayed by
 * a fixed latency, all of it in a process of its own (lib/fakeWorld.ts). Two cold refreshes in
 * one run, each beside the Kubernetes collector: the AWS collector reading every account and
 * region, then the AWS Config source reading the aggregator (calls, wall time, peak memory of the
 * refreshing process, which holds only what the refresh reads; with `node --expose-gc` garbage is
 * collected before each).
 */

/** The account the benchmark's aggregator lives in. */
const AGGREGATOR_ACCOUNT = '111122223333';

const RESULTS = path.join(__dirname, 'results');

export interface RefreshOptions {
  accounts: number;
  clusters: number;
  regions: number;
  latencyMs: number;
}

/** The two ways of reading AWS the benchmark compares. */
export type RefreshPhase = 'per-account' | 'aws-config';

/**
 * Each way in a Node.js process of its own (the generated fleet, the fake AWS and the source in
 * it), one after the other, so that neither's memory or garbage weighs on the other's figures.
 */
export async function runRefresh(options: RefreshOptions) {
  console.log(
    `refresh ${options.accounts}x${options.clusters} (${options.regions} regions, ${options.latencyMs} ms/call):`,
  );
  const phases: Record<RefreshPhase, PhaseResult> = {} as any;
  for (const phase of ['per-account', 'aws-config'] as const)
    phases[phase] = await inChild(phase, options);
  const perAccount = phases['per-account'];
  const awsConfig = phases['aws-config'];
  const ratio = round(perAccount.awsCalls / Math.max(1, awsConfig.awsCalls));
  const warmRatio = round(
    perAccount.warm.awsCalls / Math.max(1, awsConfig.warm.awsCalls),
  );
  console.log(
    `  AWS calls: ${ratio}x fewer with AWS Config on a cold refresh, ${warmRatio}x on the next`,
  );
  const big = options.clusters >= 10_000;
  const result = {
    fleet: {
      accounts: options.accounts,
      clusters: options.clusters,
      regions: options.regions,
      latencyMs: options.latencyMs,
      cores: os.availableParallelism(),
    },
    perAccount,
    awsConfig,
    ratio: { awsCalls: ratio, awsCallsNextRefresh: warmRatio },
    goals: {
      twentyTimesFewerAwsCalls: big ? ratio >= 20 : undefined,
      awsConfigRefreshUnder10s: big ? awsConfig.ms < 10_000 : undefined,
      awsConfigRssUnder1_5GB: big ? awsConfig.peakRssMb < 1536 : undefined,
      coldRefreshUnder3s:
        options.clusters === 1000 ? perAccount.ms < 3000 : undefined,
    },
  };
  fs.mkdirSync(RESULTS, { recursive: true });
  fs.writeFileSync(
    path.join(RESULTS, `refresh-${options.accounts}x${options.clusters}.json`),
    `${JSON.stringify(result, null, 2)}\n`,
  );
  return result;
}

type PhaseResult = Awaited<ReturnType<typeof runRefreshPhase>>;

function inChild(
  phase: RefreshPhase,
  options: RefreshOptions,
): Promise<PhaseResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(
      process.execPath,
      [
        '--expose-gc',
        '--max-old-space-size=6144',
        path.join(__dirname, 'bin', 'bench'),
        'refresh-phase',
        phase,
        ...fleetArgs(options),
      ],
      { stdio: ['ignore', 'pipe', 'inherit'] },
    );
    let out = '';
    child.stdout.on('data', chunk => {
      out += chunk;
    });
    child.on('error', reject);
    child.on('exit', code => {
      const line = out.split('\n').find(l => l.startsWith('RESULT '));
      if (code !== 0 || !line)
        reject(new Error(`the ${phase} refresh ended with ${code}: ${out}`));
      else {
        out
          .split('\n')
          .filter(l => l && !l.startsWith('RESULT '))
          .forEach(l => console.log(l));
        resolve(JSON.parse(line.slice(7)));
      }
    });
  });
}

/**
 * One cold refresh of a generated fleet through one way of reading AWS, in this process; the
 * fleet, AWS and the management clusters in a process of their own (lib/fakeWorld.ts).
 */
export async function runRefreshPhase(
  phase: RefreshPhase,
  options: RefreshOptions,
) {
  const world = await startFakeWorld({
    ...options,
    awsConfig: phase === 'aws-config',
  });
  const base = generatedFleetConfig({
    accounts: options.accounts,
    regions: options.regions,
  });
  const clusterdeck = {
    ...base,
    managementClusters: base.managementClusters.map((mc: any) => ({
      ...mc,
      kubernetes: {
        url: world.managementClusters.find(s => s.name === mc.name)!.url,
        serviceAccountToken: world.token,
        skipTLSVerify: true,
      },
    })),
  };
  const config = readClusterdeckConfig(new ConfigReader({ clusterdeck }));
  const credentials = {
    getCredentialProvider: async (o?: { accountId?: string }) => ({
      sdkCredentialProvider: async () =>
        benchCredentials(o?.accountId ?? '000000000000'),
    }),
  };

  /** One cold refresh through `aws` beside the Kubernetes collector: time, calls, memory. */
  const measure = async (
    label: string,
    aws: { collect(): Promise<{ aws?: AwsRegionSnapshot[] }> },
    callsByOperation: () => Record<string, number>,
  ) => {
    (global as { gc?: () => void }).gc?.();
    await world.reset();
    const kubernetes = new KubernetesCollector({
      managementClusters: config.managementClusters,
      limits: config.limits,
    });
    const memory = new MemorySampler().start();
    const started = performance.now();
    let awsMs = 0;
    let kubernetesMs = 0;
    const [awsPart, mcPart] = await Promise.all([
      aws.collect().finally(() => {
        awsMs = performance.now() - started;
      }),
      kubernetes.collect().finally(() => {
        kubernetesMs = performance.now() - started;
      }),
    ]);
    const ms = performance.now() - started;
    const mem = memory.stop();
    const calls = await world.calls();
    const errors = [
      ...(awsPart.aws ?? []).flatMap(r => r.errors),
      ...(mcPart.managementClusters ?? []).flatMap(m => m.errors),
    ];
    const regions = awsPart.aws ?? [];
    const result = {
      ms: round(ms),
      // When each side was done, both running at once.
      awsMs: round(awsMs),
      kubernetesMs: round(kubernetesMs),
      awsCalls: calls.aws,
      kubernetesCalls: calls.kubernetes,
      errors: errors.length,
      firstError: errors[0],
      ...mem,
      awsCallsByOperation: callsByOperation(),
      // What was read, to check both ways read the same fleet.
      read: {
        vpcs: regions.reduce((n, r) => n + r.vpcs.length, 0),
        subnets: regions.reduce((n, r) => n + r.subnets.length, 0),
        autoScalingGroups: regions.reduce(
          (n, r) => n + r.autoScalingGroups.length,
          0,
        ),
        instances: regions.reduce((n, r) => n + r.instances.length, 0),
        eksNodegroups: regions.reduce((n, r) => n + r.eksNodegroups.length, 0),
        clusters: (mcPart.managementClusters ?? []).reduce(
          (n, m) => n + m.objects.clusters.length,
          0,
        ),
      },
    };
    console.log(
      `  ${label}: ${result.ms} ms (AWS done at ${result.awsMs} ms, Kubernetes at ${result.kubernetesMs} ms), ${result.awsCalls} AWS + ${result.kubernetesCalls} Kubernetes calls, ${result.errors} errors, peak RSS ${mem.peakRssMb} MB (from ${mem.startRssMb} MB), peak heap ${mem.peakHeapMb} MB; the fake world's process ${calls.rssMb} MB`,
    );
    if (errors.length > 0)
      console.log(`  first error: ${JSON.stringify(errors[0])}`);
    // The next refresh of the same source, as the scheduler runs it an interval later: what each
    // way keeps between refreshes (EKS descriptions, node groups, insights; the Config source the
    // items it read, asking only for those recorded since) is not read again. In between, 1% of
    // the recorded resources are recorded again, as when they change.
    (global as { gc?: () => void }).gc?.();
    await world.reset();
    const recordedAgain =
      phase === 'aws-config' ? await world.recordChanges(100) : undefined;
    const warmStarted = performance.now();
    const warmPart = await aws.collect();
    const warmCalls = await world.calls();
    const warm = {
      ...(recordedAgain !== undefined ? { recordedAgain } : {}),
      awsMs: round(performance.now() - warmStarted),
      awsCalls: warmCalls.aws,
      errors: (warmPart.aws ?? []).reduce((n, r) => n + r.errors.length, 0),
      awsCallsByOperation: callsByOperation(),
    };
    console.log(
      `  ${label}, the next refresh${
        recordedAgain !== undefined
          ? ` (${recordedAgain} resources recorded again since)`
          : ''
      }: AWS done in ${warm.awsMs} ms, ${warm.awsCalls} AWS calls, ${
        warm.errors
      } errors`,
    );
    return { ...result, warm };
  };

  try {
    if (phase === 'per-account') {
      const collector = new AwsCollector({
        accounts: config.accounts,
        limits: config.limits,
        credentials,
      });
      const result = await measure('per-account collection', collector, () => {
        const byOperation: Record<string, number> = {};
        for (const region of collector.lastStats?.regions ?? [])
          for (const [operation, n] of Object.entries(region.calls))
            byOperation[operation] = (byOperation[operation] ?? 0) + n;
        return byOperation;
      });
      return {
        ...result,
        maxAwsCallsInFlight: collector.lastStats?.maxInFlight,
      };
    }
    const configSource = new AwsConfigSource({
      aggregator: {
        name: 'org-aggregator',
        accountId: AGGREGATOR_ACCOUNT,
        region: 'us-east-1',
      },
      accounts: config.accounts,
      limits: config.limits,
      credentials,
    });
    const result = await measure(
      'AWS Config source',
      configSource,
      () => configSource.lastStats?.callsByOperation ?? {},
    );
    console.log(
      `  ${configSource.lastStats?.clusterRegions} account regions hold clusters; lists read directly where not recorded: ${configSource.lastStats?.notRecorded.length}`,
    );
    return {
      ...result,
      maxAwsCallsInFlight: configSource.lastStats?.maxInFlight,
      clusterRegions: configSource.lastStats?.clusterRegions,
      notRecorded: configSource.lastStats?.notRecorded.length,
    };
  } finally {
    await world.close();
  }
}
