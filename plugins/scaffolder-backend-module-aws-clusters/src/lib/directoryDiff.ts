import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { git } from './localGit';

/** A unified diff between two trees, with paths shown as `a/<label>/<file>` and `b/<label>/<file>`. */
async function diffTrees(scratch: string, label: string): Promise<string> {
  let out: string;
  try {
    out = await git(
      [
        'diff',
        '--no-index',
        '--no-color',
        '--no-ext-diff',
        '--src-prefix=a/',
        '--dst-prefix=b/',
        '--',
        'before',
        'after',
      ],
      scratch,
    );
  } catch (error: any) {
    // `git diff --no-index` exits with 1 when the trees differ; the diff is its output.
    if (error?.code !== 1 || typeof error.stdout !== 'string') throw error;
    out = error.stdout;
  }
  const base = label.replace(/\/+$/, '');
  // Only the header lines name the scratch folders; content lines stay as they are.
  return out
    .split('\n')
    .map(line =>
      /^(diff --git |--- |\+\+\+ )/.test(line)
        ? line.replace(/(^|\s)([ab])\/(before|after)\//g, `$1$2/${base}/`)
        : line,
    )
    .join('\n');
}

/**
 * Runs a change to a directory and returns the unified diff of what it did, as a reviewer reads
 * it: the directory copied aside before the change and compared with what it holds after (with
 * `removed`, with nothing, as when the change deletes it).
 * @public
 */
export async function diffOfChange<T>(options: {
  directory: string;
  /** How the directory is named in the diff (its repository path). */
  label: string;
  change: () => Promise<T>;
  removed?: boolean;
}): Promise<{ result: T; diff: string }> {
  const scratch = await fs.mkdtemp(path.join(os.tmpdir(), 'clusterdeck-diff-'));
  try {
    const before = path.join(scratch, 'before');
    const after = path.join(scratch, 'after');
    await fs.cp(options.directory, before, { recursive: true });
    const result = await options.change();
    if (options.removed) await fs.mkdir(after);
    else await fs.cp(options.directory, after, { recursive: true });
    return { result, diff: await diffTrees(scratch, options.label) };
  } finally {
    await fs.rm(scratch, { recursive: true, force: true });
  }
}
