import { Command, CommanderError, InvalidArgumentError } from 'commander';
import fs from 'node:fs';
import path from 'node:path';
import {
  buildDemoFleet,
  demoCostFiles,
  DEMO_FLEET_DIR,
  loadFleetFile,
} from './buildDemoFleet';
import { demoGitopsFiles, DEMO_GITOPS_DIR } from './demoGitops';
import { generateFleet, GENERATED_REGIONS } from './generateFleet';
import {
  snapshotFiles,
  writeSnapshotDirectory,
} from '@clusterdeck/plugin-aws-clusters-node';

/** @public What one run of `fleet-generate` printed and how it ended. */
export interface FleetGenerateOutcome {
  stdout: string;
  stderr: string;
  exitCode: number;
}

function count(name: string, min: number, max: number) {
  return (value: string) => {
    const n = Number(value);
    if (!Number.isInteger(n) || n < min || n > max) {
      throw new InvalidArgumentError(
        `${name} must be a whole number from ${min} to ${max}`,
      );
    }
    return n;
  };
}

function megabytes(dir: string, files: string[]): string {
  const bytes = files.reduce(
    (sum, f) => sum + fs.statSync(path.join(dir, f)).size,
    0,
  );
  return (bytes / 1e6).toFixed(1);
}

/** Regenerates the demo fleet and its GitOps repository, or with `check` only reports whether the committed files drifted. */
function demo(out: string | undefined, check: boolean): FleetGenerateOutcome {
  const dir = path.resolve(out ?? DEMO_FLEET_DIR);
  const snapshot = buildDemoFleet();
  const gitops = demoGitopsFiles(
    loadFleetFile(path.join(DEMO_FLEET_DIR, 'fleet.yaml')),
  );
  const costs = demoCostFiles(snapshot);
  if (!check) {
    const written = writeSnapshotDirectory(dir, snapshot);
    for (const [file, text] of costs) {
      fs.mkdirSync(path.dirname(path.join(dir, file)), { recursive: true });
      fs.writeFileSync(path.join(dir, file), text, 'utf8');
      written.push(file);
    }
    fs.rmSync(path.join(dir, DEMO_GITOPS_DIR), {
      recursive: true,
      force: true,
    });
    for (const [file, text] of gitops) {
      fs.mkdirSync(path.dirname(path.join(dir, file)), { recursive: true });
      fs.writeFileSync(path.join(dir, file), text, 'utf8');
    }
    return {
      stdout: `wrote the demo fleet: ${written.length} files and ${gitops.size} GitOps files in ${dir}\n`,
      stderr: '',
      exitCode: 0,
    };
  }
  const drifted = [...snapshotFiles(snapshot), ...costs, ...gitops]
    .filter(
      ([file, text]) =>
        !fs.existsSync(path.join(dir, file)) ||
        fs.readFileSync(path.join(dir, file), 'utf8') !== text,
    )
    .map(([file]) => file);
  return drifted.length
    ? {
        stdout: '',
        stderr: `the demo fleet is out of date (run fleet-generate --demo): ${drifted.join(
          ', ',
        )}\n`,
        exitCode: 1,
      }
    : { stdout: 'the demo fleet is up to date\n', stderr: '', exitCode: 0 };
}

function synthetic(options: {
  accounts: number;
  clusters: number;
  regions: number;
  seed: string;
  out: string;
}): FleetGenerateOutcome {
  const dir = path.resolve(options.out);
  const t0 = performance.now();
  const snapshot = generateFleet(options);
  const t1 = performance.now();
  const written = writeSnapshotDirectory(dir, snapshot);
  const t2 = performance.now();
  const lines = [
    `generated ${options.accounts} accounts x ${
      options.clusters
    } clusters over ${options.regions} regions (seed ${
      options.seed
    }) in ${Math.round(t1 - t0)} ms`,
    `wrote ${written.length} files (${megabytes(
      dir,
      written,
    )} MB) to ${dir} in ${Math.round(t2 - t1)} ms`,
    'account ids are synthetic (000000 + six digits)',
  ];
  return { stdout: `${lines.join('\n')}\n`, stderr: '', exitCode: 0 };
}

/**
 * Runs `fleet-generate` on its arguments (without node and script) and returns what it would
 * print; free of process globals so that tests call it directly.
 * @public
 */
export function runFleetGenerate(args: string[]): FleetGenerateOutcome {
  let outcome: FleetGenerateOutcome = { stdout: '', stderr: '', exitCode: 0 };
  const program = new Command('fleet-generate')
    .description(
      'Write fleet snapshots: the curated demo fleet, or synthetic fleets of any size',
    )
    .option('--demo', 'rebuild examples/demo-fleet from its fleet.yaml')
    .option(
      '--check',
      'with --demo: only report whether the committed files are up to date',
    )
    .option(
      '--accounts <n>',
      'synthetic fleet: number of accounts',
      count('--accounts', 1, 999_999),
    )
    .option(
      '--clusters <n>',
      'synthetic fleet: number of workload clusters',
      count('--clusters', 0, 60_000),
    )
    .option(
      '--regions <n>',
      `synthetic fleet: regions per account (1-${GENERATED_REGIONS.length})`,
      count('--regions', 1, GENERATED_REGIONS.length),
      3,
    )
    .option(
      '--seed <seed>',
      'synthetic fleet: PRNG seed; the same seed gives the same fleet',
      'clusterdeck',
    )
    .option(
      '--out <dir>',
      'where to write (the demo: its own folder by default)',
    )
    .exitOverride()
    .configureOutput({
      writeOut: text => (outcome.stdout += text),
      writeErr: text => (outcome.stderr += text),
    })
    .action(opts => {
      if (opts.demo) {
        outcome = demo(opts.out, !!opts.check);
      } else if (
        opts.accounts === undefined ||
        opts.clusters === undefined ||
        !opts.out
      ) {
        outcome = {
          stdout: '',
          stderr: 'give --demo, or --accounts, --clusters and --out\n',
          exitCode: 1,
        };
      } else {
        outcome = synthetic(opts);
      }
    });
  try {
    program.parse(args, { from: 'user' });
  } catch (error) {
    if (error instanceof CommanderError) {
      return { ...outcome, exitCode: error.exitCode };
    }
    return {
      ...outcome,
      stderr: `${outcome.stderr}${(error as Error).message}\n`,
      exitCode: 1,
    };
  }
  return outcome;
}

/** @public Entry point of `bin/fleet-generate`. */
export function main(argv: string[]) {
  const outcome = runFleetGenerate(argv.slice(2));
  process.stdout.write(outcome.stdout);
  process.stderr.write(outcome.stderr);
  process.exitCode = outcome.exitCode;
}
