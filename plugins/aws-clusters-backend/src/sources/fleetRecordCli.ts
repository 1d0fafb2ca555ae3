import { ConfigReader, type AppConfig, type Config } from '@backstage/config';
import { Command, CommanderError } from 'commander';
import fs from 'node:fs';
import path from 'node:path';
import { parse } from 'yaml';
import {
  readClusterdeckConfig,
  writeSnapshotDirectory,
} from '@clusterdeck/plugin-aws-clusters-node';
import { AwsCollector } from './aws/AwsCollector';
import { KubernetesCollector } from './kubernetes/KubernetesCollector';
import type {
  FleetSnapshot,
  FleetSource,
} from '@clusterdeck/plugin-aws-clusters-node';

/** @public What one run of `fleet-record` printed and how it ended. */
export interface FleetRecordOutcome {
  stdout: string;
  stderr: string;
  exitCode: number;
}

/** @public What `fleet-record` can be given instead of the live sources (tests). */
export interface FleetRecordOptions {
  /** Makes the sources from the configuration; the live AWS and Kubernetes collectors when absent. */
  sources?: (config: Config) => FleetSource[];
  env?: NodeJS.ProcessEnv;
  cwd?: string;
}

/** `${VAR}` in configuration values, as Backstage substitutes them from the environment. */
function substitute(
  value: unknown,
  env: NodeJS.ProcessEnv,
  missing: Set<string>,
): unknown {
  if (typeof value === 'string') {
    return value.replace(
      /\$\{([A-Za-z_][A-Za-z0-9_]*)\}/g,
      (_, name: string) => {
        if (env[name] === undefined) missing.add(name);
        return env[name] ?? '';
      },
    );
  }
  if (Array.isArray(value)) return value.map(v => substitute(v, env, missing));
  if (value && typeof value === 'object') {
    return Object.fromEntries(
      Object.entries(value).map(([k, v]) => [k, substitute(v, env, missing)]),
    );
  }
  return value;
}

function loadConfig(
  files: string[],
  env: NodeJS.ProcessEnv,
  cwd: string,
): { config: Config; missing: string[] } {
  const missing = new Set<string>();
  const configs = files.map(file => {
    const full = path.resolve(cwd, file);
    const data = substitute(
      parse(fs.readFileSync(full, 'utf8')) ?? {},
      env,
      missing,
    ) as AppConfig['data'];
    return { data, context: full };
  });
  return {
    config: ConfigReader.fromConfigs(configs),
    missing: [...missing].sort(),
  };
}

/** The live sources, as the backend makes them without a snapshot; recording never reads a snapshot. */
function liveSources(rootConfig: Config): FleetSource[] {
  const config = readClusterdeckConfig(rootConfig);
  const sources: FleetSource[] = [];
  if (config.sources.aws && config.accounts.length > 0)
    sources.push(AwsCollector.fromConfig({ config, rootConfig }));
  if (
    config.sources.kubernetes &&
    config.managementClusters.some(mc => mc.kubernetes)
  )
    sources.push(KubernetesCollector.fromConfig(rootConfig));
  return sources;
}

/**
 * Runs `fleet-record`: reads the fleet once with the live sources and the credentials of the
 * given app-config files (read-only calls: the AWS describes and lists of `docs/aws-iam.md`,
 * Kubernetes `list`), and writes what they returned as a snapshot folder that `SnapshotSource`
 * serves (`clusterdeck.snapshot.directory`). Failed calls are written beside the data as the
 * sources' errors and listed; the run fails only when nothing could be read.
 * @public
 */
export async function runFleetRecord(
  argv: string[],
  options: FleetRecordOptions = {},
): Promise<FleetRecordOutcome> {
  const out: string[] = [];
  const err: string[] = [];
  const program = new Command('fleet-record')
    .description(
      'Record the fleet (AWS accounts and management clusters) read-only into a snapshot folder',
    )
    .option(
      '--config <file>',
      'an app-config file (repeatable; later ones override earlier ones)',
      (v: string, all: string[]) => [...all, v],
      [] as string[],
    )
    .requiredOption(
      '--out <dir>',
      'the snapshot folder to write (its aws/ and management-clusters/ folders are replaced)',
    )
    .exitOverride()
    .configureOutput({
      writeOut: s => out.push(s),
      writeErr: s => err.push(s),
    });
  try {
    program.parse(argv, { from: 'user' });
  } catch (error) {
    return {
      stdout: out.join(''),
      stderr: err.join(''),
      exitCode: (error as CommanderError).exitCode ?? 1,
    };
  }
  const opts = program.opts<{ config: string[]; out: string }>();
  const cwd = options.cwd ?? process.cwd();
  const files = opts.config.length
    ? opts.config
    : ['app-config.yaml', 'app-config.local.yaml'].filter(f =>
        fs.existsSync(path.resolve(cwd, f)),
      );
  if (files.length === 0)
    return {
      stdout: '',
      stderr: 'no app-config file found; name one with --config\n',
      exitCode: 1,
    };
  let config: Config;
  try {
    const loaded = loadConfig(files, options.env ?? process.env, cwd);
    config = loaded.config;
    if (loaded.missing.length)
      err.push(
        `environment variables not set (read as empty): ${loaded.missing.join(
          ', ',
        )}\n`,
      );
    readClusterdeckConfig(config);
  } catch (error) {
    return {
      stdout: '',
      stderr: `${err.join('')}${(error as Error).message}\n`,
      exitCode: 1,
    };
  }
  const sources = (options.sources ?? liveSources)(config);
  if (sources.length === 0) {
    return {
      stdout: '',
      stderr:
        'nothing to record: configure clusterdeck.accounts or managementClusters[].kubernetes\n',
      exitCode: 1,
    };
  }
  const snapshot: FleetSnapshot = { aws: [], managementClusters: [] };
  for (const source of sources) {
    try {
      const part = await source.collect();
      snapshot.aws.push(...(part.aws ?? []));
      snapshot.managementClusters.push(...(part.managementClusters ?? []));
    } catch (error) {
      err.push(`source ${source.name} failed: ${(error as Error).message}\n`);
    }
  }
  const dir = path.resolve(cwd, opts.out);
  const written = writeSnapshotDirectory(dir, snapshot);
  const errors = [
    ...snapshot.aws.flatMap(s => s.errors),
    ...snapshot.managementClusters.flatMap(s => s.errors),
  ];
  for (const e of errors)
    err.push(
      `${e.source} ${e.operation}: ${e.code ? `${e.code}: ` : ''}${
        e.message
      }\n`,
    );
  out.push(
    `recorded ${snapshot.aws.length} account regions and ${snapshot.managementClusters.length} management clusters: ${written.length} files in ${dir}\n`,
  );
  if (errors.length)
    out.push(
      `${errors.length} calls failed; their lists are empty in the snapshot and listed above\n`,
    );
  const hasData = (lists: object) =>
    Object.values(lists).some(v => Array.isArray(v) && v.length > 0);
  const readNothing = ![
    ...snapshot.aws.map(r => hasData(r)),
    ...snapshot.managementClusters.map(m => hasData(m.objects)),
  ].some(Boolean);
  return {
    stdout: out.join(''),
    stderr: err.join(''),
    exitCode: readNothing ? 1 : 0,
  };
}

/** The command line entry point (`yarn fleet:record`). */
export async function main(argv: string[]) {
  const outcome = await runFleetRecord(argv.slice(2));
  process.stdout.write(outcome.stdout);
  process.stderr.write(outcome.stderr);
  process.exitCode = outcome.exitCode;
}
