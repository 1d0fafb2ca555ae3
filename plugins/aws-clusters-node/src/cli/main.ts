import { Command, CommanderError, Option } from 'commander';
import fs from 'node:fs';
import { parseAllDocuments } from 'yaml';
import { Problem, validateClusterRequest } from '@clusterdeck/plugin-aws-clusters-common';
import { manifestsToYaml, RENDER_FORMATS, renderClusterRequest } from '../render/renderClusterRequest';
import { RenderFormat } from '../render/types';

/** What a command run produced: text for stdout and stderr and the exit code. */
export interface CliOutcome {
  stdout: string;
  stderr: string;
  exitCode: number;
}

function readRequest(file: string): { request: unknown } | { problems: Problem[] } {
  let text: string;
  try {
    text = fs.readFileSync(file, 'utf8');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    const reason = code === 'ENOENT' ? 'no such file' : code === 'EISDIR' ? 'is a directory' : `cannot be read (${code})`;
    return { problems: [{ path: '', message: `${file}: ${reason}` }] };
  }
  const docs = parseAllDocuments(text);
  if (!Array.isArray(docs)) {
    return { problems: [{ path: '', message: `${file} holds no YAML document` }] };
  }
  const broken = docs.flatMap(doc => doc.errors);
  if (broken.length > 0) {
    const [first] = broken;
    const line = first.linePos?.[0];
    return {
      problems: [{ path: '', message: `${file} is not valid YAML${line ? ` (line ${line.line}, column ${line.col})` : ''}: ${first.message.split('\n')[0]}` }],
    };
  }
  const contents = docs.filter(doc => doc.contents !== null);
  if (contents.length !== 1) {
    return { problems: [{ path: '', message: `${file} must hold exactly one ClusterRequest document, not ${contents.length}` }] };
  }
  return { request: contents[0].toJS() };
}

function failure(problems: Problem[], file: string): CliOutcome {
  const lines = problems.map(p => (p.path ? `${file}: ${p.path}: ${p.message}` : p.message.startsWith(file) ? p.message : `${file}: ${p.message}`));
  return { stdout: '', stderr: `${lines.join('\n')}\n`, exitCode: 1 };
}

/**
 * Runs the command line on the given arguments (without node and script) and returns what it
 * would print. Kept free of process globals so that tests run it directly.
 */
export function runCli(args: string[]): CliOutcome {
  let outcome: CliOutcome = { stdout: '', stderr: '', exitCode: 0 };
  let helpText = '';
  const program = new Command('clusterdeck')
    .description('Validate and render Clusterdeck cluster requests')
    .exitOverride()
    .configureOutput({ writeOut: text => (helpText += text), writeErr: text => (outcome.stderr += text) });

  program
    .command('render')
    .description('print the manifests of a cluster request as multi-document YAML')
    .argument('<request>', 'the ClusterRequest YAML file')
    .addOption(new Option('-f, --format <format>', 'manifest format').choices([...RENDER_FORMATS]).default('capi'))
    .option('--base-domain <domain>', "the management cluster's base domain, for requests that name none")
    .action((file: string, opts: { format: RenderFormat; baseDomain?: string }) => {
      const read = readRequest(file);
      if ('problems' in read) {
        outcome = failure(read.problems, file);
        return;
      }
      const result = renderClusterRequest(read.request, { format: opts.format, baseDomain: opts.baseDomain });
      outcome = result.ok
        ? {
            stdout: manifestsToYaml(result.manifests),
            stderr: result.warnings.map(w => `${file}: ${w.path}: warning: ${w.message}\n`).join(''),
            exitCode: 0,
          }
        : failure(result.problems, file);
    });

  program
    .command('validate')
    .description('check a cluster request; prints every problem with its dotted path')
    .argument('<request...>', 'ClusterRequest YAML files')
    .action((files: string[]) => {
      const failures = files.map(file => {
        const read = readRequest(file);
        if ('problems' in read) {
          return failure(read.problems, file);
        }
        const result = validateClusterRequest(read.request);
        return result.ok ? undefined : failure(result.problems, file);
      });
      const failed = failures.filter((f): f is CliOutcome => f !== undefined);
      outcome = {
        stdout: failed.length ? '' : `${files.length} request${files.length > 1 ? 's' : ''} valid\n`,
        stderr: failed.map(f => f.stderr).join(''),
        exitCode: failed.length ? 1 : 0,
      };
    });

  try {
    program.parse(args, { from: 'user' });
  } catch (error) {
    if (error instanceof CommanderError) {
      const isHelp = error.code === 'commander.helpDisplayed' || error.code === 'commander.version' || error.code === 'commander.help';
      return { stdout: helpText, stderr: outcome.stderr, exitCode: isHelp ? 0 : 2 };
    }
    throw error;
  }
  return outcome;
}

/** Entry point of `bin/clusterdeck`. */
export function main(argv: string[]) {
  const outcome = runCli(argv.slice(2));
  process.stdout.write(outcome.stdout);
  process.stderr.write(outcome.stderr);
  process.exitCode = outcome.exitCode;
}
