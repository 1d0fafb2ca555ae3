import { ConfigReader } from '@backstage/config';
import { readClusterdeckConfig } from '@clusterdeck/plugin-aws-clusters-node';
import {
  AwsCollector,
  KubernetesCollector,
} from '@clusterdeck/plugin-aws-clusters-backend';
import { generateFleet } from '@clusterdeck/demo-fleet';
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { generatedFleetConfig } from '../plugins/aws-clusters-backend/src/__testUtils__/harness/generatedFleetConfig';
import { benchCredentials, installAwsAnswerer } from './lib/awsAnswerer';
import { startManagementClusterServer } from './lib/managementClusterServer';
import { naiveFleetView } from './lib/naiveBaseline';
import { MemorySampler, round } from './lib/stats';

/*
 * Refresh benchmark: a generated fleet, AWS answered at the SDK client level and each management
 * cluster by a local HTTP server, every call delayed by a fixed latency. A cold refresh of the
 * AWS and Kubernetes collectors (calls, wall time, peak memory) beside the naive baseline that
 * fetches per cluster for one view of the fleet, as per-cluster dashboards do.
 */

const RESULTS = path.join(__dirname, 'results');

export interface RefreshOptions {
  accounts: number;
  clusters: number;
  regions: number;
  latencyMs: number;
}

export async function runRefresh(options: RefreshOptions) {
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
  const base = generatedFleetConfig({
    accounts: options.accounts,
    regions: options.regions,
  });
  const clusterdeck = {
    ...base,
    managementClusters: base.managementClusters.map((mc: any) => ({
      ...mc,
      kubernetes: {
        url: servers.find(s => s.name === mc.name)!.url,
        serviceAccountToken: token,
        skipTLSVerify: true,
      },
    })),
  };
  const config = readClusterdeckConfig(new ConfigReader({ clusterdeck }));
  const answerer = installAwsAnswerer(snapshot, {
    latencyMs: options.latencyMs,
  });
  const credentials = {
    getCredentialProvider: async (o?: { accountId?: string }) => ({
      sdkCredentialProvider: async () =>
        benchCredentials(o?.accountId ?? '000000000000'),
    }),
  };
  try {
    const aws = new AwsCollector({
      accounts: config.accounts,
      limits: config.limits,
      credentials,
    });
    const kubernetes = new KubernetesCollector({
      managementClusters: config.managementClusters,
      limits: config.limits,
    });

    const memory = new MemorySampler().start();
    const started = performance.now();
    const [awsPart, mcPart] = await Promise.all([
      aws.collect(),
      kubernetes.collect(),
    ]);
    const refreshMs = performance.now() - started;
    const mem = memory.stop();
    const awsCalls = answerer.counter.totalOf('');
    const kubeCalls = servers.reduce((n, s) => n + s.counter.totalOf(''), 0);
    const errors = [
      ...(awsPart.aws ?? []).flatMap(r => r.errors),
      ...(mcPart.managementClusters ?? []).flatMap(m => m.errors),
    ];
    const awsCallsByOperation: Record<string, number> = {};
    for (const region of aws.lastStats?.regions ?? []) {
      for (const [operation, n] of Object.entries(region.calls))
        awsCallsByOperation[operation] =
          (awsCallsByOperation[operation] ?? 0) + n;
    }
    const clustersSeen = (mcPart.managementClusters ?? []).reduce(
      (n, m) => n + m.objects.clusters.length,
      0,
    );

    answerer.counter.reset();
    servers.forEach(s => s.counter.reset());
    const naive = await naiveFleetView({
      snapshot,
      servers,
      token,
      concurrency: config.limits.concurrency,
      concurrencyPerAccount: config.limits.concurrencyPerAccount,
      concurrencyPerManagementCluster:
        config.limits.concurrencyPerManagementCluster,
    });
    const naiveAws = answerer.counter.totalOf('');
    const naiveKube = servers.reduce((n, s) => n + s.counter.totalOf(''), 0);

    const result = {
      fleet: {
        accounts: options.accounts,
        clusters: options.clusters,
        regions: options.regions,
        clustersSeen,
        latencyMs: options.latencyMs,
      },
      refresh: {
        ms: round(refreshMs),
        awsCalls,
        kubernetesCalls: kubeCalls,
        errors: errors.length,
        ...mem,
        limits: config.limits,
        maxAwsCallsInFlight: aws.lastStats?.maxInFlight,
        awsCallsByOperation,
      },
      naive: {
        ms: round(naive.durationMs),
        awsCalls: naiveAws,
        kubernetesCalls: naiveKube,
        failures: naive.failures,
      },
      ratio: {
        calls: round((naiveAws + naiveKube) / (awsCalls + kubeCalls)),
        time: round(naive.durationMs / refreshMs),
      },
      goals: {
        coldRefreshUnder3s:
          options.clusters < 1000 ? undefined : refreshMs < 3000,
        twentyTimesFewerCalls:
          options.clusters < 1000
            ? undefined
            : (naiveAws + naiveKube) / (awsCalls + kubeCalls) >= 20,
      },
    };
    console.log(
      `refresh ${options.accounts}x${options.clusters} (${options.regions} regions, ${options.latencyMs} ms/call): ` +
        `${round(
          refreshMs,
        )} ms, ${awsCalls} AWS + ${kubeCalls} Kubernetes calls, ${
          errors.length
        } errors, peak RSS ${mem.peakRssMb} MB | ` +
        `naive: ${round(
          naive.durationMs,
        )} ms, ${naiveAws} AWS + ${naiveKube} Kubernetes calls | ratio calls ${
          result.ratio.calls
        }x, time ${result.ratio.time}x`,
    );
    if (errors.length > 0)
      console.log(`first error: ${JSON.stringify(errors[0])}`);
    fs.mkdirSync(RESULTS, { recursive: true });
    fs.writeFileSync(
      path.join(
        RESULTS,
        `refresh-${options.accounts}x${options.clusters}.json`,
      ),
      `${JSON.stringify(result, null, 2)}\n`,
    );
    return result;
  } finally {
    answerer.restore();
    await Promise.all(servers.map(s => s.close()));
  }
}
