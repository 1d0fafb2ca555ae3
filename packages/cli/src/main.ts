import { Command, CommanderError, Option } from 'commander';
import fs from 'node:fs';
import { parseAllDocuments } from 'yaml';
import {
  checkClusterReferences,
  uncheckedReferences,
  Problem,
  validateClusterRequest,
} from '@clusterdeck/plugin-aws-clusters-common';
import {
  manifestsToYaml,
  RENDER_FORMATS,
  renderClusterRequest,
  RenderFormat,
} from '@clusterdeck/plugin-aws-clusters-render';
import {
  ReferenceReader,
  referencesFromSnapshot,
  referencesFromUrl,
} from './fleetReferences';

/** What a command run produced: text for stdout and stderr and the exit code. */
export interface CliOutcome {
  stdout: string;
  stderr: string;
  exitCode: number;
}

function readRequest(
  file: string,
): { request: unknown } | { problems: Problem[] } {
  let text: string;
  try {
    text = fs.readFileSync(file, 'utf8');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    const reasons: Record<string, string> = {
      ENOENT: 'no such file',
      EISDIR: 'is a directory',
    };
    const reason = reasons[code ?? ''] ?? `cannot be read (${code})`;
    return { problems: [{ path: '', message: `${file}: ${reason}` }] };
  }
  const docs = parseAllDocuments(text);
  if (!Array.isArray(docs)) {
    return {
      problems: [{ path: '', message: `${file} holds no YAML document` }],
    };
  }
  const broken = docs.flatMap(doc => doc.errors);
  if (broken.length > 0) {
    const [first] = broken;
    const line = first.linePos?.[0];
    return {
      problems: [
        {
          path: '',
          message: `${file} is not valid YAML${
            line ? ` (line ${line.line}, column ${line.col})` : ''
          }: ${first.message.split('\n')[0]}`,
        },
      ],
    };
  }
  const contents = docs.filter(doc => doc.contents !== null);
  if (contents.length !== 1) {
    return {
      problems: [
        {
          path: '',
          message: `${file} must hold exactly one ClusterRequest document, not ${contents.length}`,
        },
      ],
    };
  }
  return { request: contents[0].toJS() };
}

function failure(problems: Problem[], file: string): CliOutcome {
  const lines = problems.map(p => {
    if (p.path) return `${file}: ${p.path}: ${p.message}`;
    return p.message.startsWith(file) ? p.message : `${file}: ${p.message}`;
  });
  return { stdout: '', stderr: `${lines.join('\n')}\n`, exitCode: 1 };
}

/** What the command line takes from its process, given explicitly so that tests set them. */
export interface CliEnvironment {
  env?: Record<string, string | undefined>;
  fetch?: typeof fetch;
}

/**
 * Runs the command line on the given arguments (without node and script) and returns what it
 * would print. Kept free of process globals so that tests run it directly.
 */
export async function runCli(
  args: string[],
  environment: CliEnvironment = {},
): Promise<CliOutcome> {
  const env = environment.env ?? {};
  const fetchImpl = environment.fetch ?? fetch;
  let outcome: CliOutcome = { stdout: '', stderr: '', exitCode: 0 };
  let helpText = '';
  const program = new Command('clusterdeck')
    .description('Validate and render Clusterdeck cluster requests')
    .exitOverride()
    .configureOutput({
      writeOut: text => (helpText += text),
      writeErr: text => (outcome.stderr += text),
    });

  program
    .command('render')
    .description(
      'print the manifests of a cluster request as multi-document YAML',
    )
    .argument('<request>', 'the ClusterRequest YAML file')
    .addOption(
      new Option('-f, --format <format>', 'manifest format')
        .choices([...RENDER_FORMATS])
        .default('capi'),
    )
    .option(
      '--base-domain <domain>',
      "the management cluster's base domain, for requests that name none",
    )
    .action(
      (file: string, opts: { format: RenderFormat; baseDomain?: string }) => {
        const read = readRequest(file);
        if ('problems' in read) {
          outcome = failure(read.problems, file);
          return;
        }
        const result = renderClusterRequest(read.request, {
          format: opts.format,
          baseDomain: opts.baseDomain,
        });
        outcome = result.ok
          ? {
              stdout: manifestsToYaml(result.manifests),
              stderr: result.warnings
                .map(w => `${file}: ${w.path}: warning: ${w.message}\n`)
                .join(''),
              exitCode: 0,
            }
          : failure(result.problems, file);
      },
    );

  program
    .command('validate')
    .description(
      'check a cluster request; prints every problem with its dotted path',
    )
    .argument('<request...>', 'ClusterRequest YAML files')
    .option(
      '--fleet <url|directory>',
      'also check what the request names (role identity, region, zones, release, transit gateway) against a Backstage URL (token in CLUSTERDECK_TOKEN) or a recorded snapshot directory',
    )
    .option(
      '--config <file>',
      "the app-config file whose clusterdeck block describes the snapshot's accounts and management clusters",
    )
    .action(
      async (files: string[], opts: { fleet?: string; config?: string }) => {
        let references: ReferenceReader | undefined;
        if (opts.fleet) {
          try {
            references = /^https?:\/\//.test(opts.fleet)
              ? referencesFromUrl(opts.fleet, env.CLUSTERDECK_TOKEN, fetchImpl)
              : await referencesFromSnapshot(opts.fleet, opts.config);
          } catch (error) {
            outcome = {
              stdout: '',
              stderr: `${(error as Error).message}\n`,
              exitCode: 2,
            };
            return;
          }
        }
        // Each file's problems, then what was not checked in it.
        let failed = 0;
        let stderr = '';
        const fail = (refused: CliOutcome) => {
          failed++;
          stderr += refused.stderr;
        };
        for (const file of files) {
          const read = readRequest(file);
          if ('problems' in read) {
            fail(failure(read.problems, file));
            continue;
          }
          const result = validateClusterRequest(read.request);
          if (!result.ok) {
            fail(failure(result.problems, file));
            continue;
          }
          if (!references) continue;
          const { request } = result.value;
          try {
            const known = await references(request.metadata.owner);
            const problems = checkClusterReferences(request, known);
            if (problems.length > 0) fail(failure(problems, file));
            // What nothing lists (releases, EKS versions, zones) is not checked: say so, as render does.
            stderr += uncheckedReferences(request, known)
              .map(w => `${file}: ${w.path}: warning: ${w.message}\n`)
              .join('');
          } catch (error) {
            fail({
              stdout: '',
              stderr: `${file}: ${(error as Error).message}\n`,
              exitCode: 1,
            });
          }
        }
        outcome = {
          stdout: failed
            ? ''
            : `${files.length} request${files.length > 1 ? 's' : ''} valid${
                references ? ' against the fleet' : ''
              }\n`,
          stderr,
          exitCode: failed ? 1 : 0,
        };
      },
    );

  try {
    await program.parseAsync(args, { from: 'user' });
  } catch (error) {
    if (error instanceof CommanderError) {
      const isHelp =
        error.code === 'commander.helpDisplayed' ||
        error.code === 'commander.version' ||
        error.code === 'commander.help';
      return {
        stdout: helpText,
        stderr: outcome.stderr,
        exitCode: isHelp ? 0 : 2,
      };
    }
    throw error;
  }
  return outcome;
}

/** Entry point of `bin/clusterdeck`. */
export async function main(argv: string[]) {
  const outcome = await runCli(argv.slice(2), { env: process.env });
  process.stdout.write(outcome.stdout);
  process.stderr.write(outcome.stderr);
  process.exitCode = outcome.exitCode;
}
