import { InputError } from '@backstage/errors';
import { execFile } from 'node:child_process';
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';

const run = promisify(execFile);

/** Runs git without prompts or the user's global settings getting in the way. */
export async function git(args: string[], cwd: string): Promise<string> {
  const { stdout } = await run('git', args, {
    cwd,
    maxBuffer: 64 * 1024 * 1024,
    env: {
      ...process.env,
      GIT_TERMINAL_PROMPT: '0',
      GIT_CONFIG_NOSYSTEM: '1',
      LC_ALL: 'C',
    },
  });
  return stdout;
}

/** A commit's author and committer. */
export interface GitIdentity {
  name: string;
  email: string;
}

/**
 * Commits what is staged in `cwd` as `identity`, whatever the machine's Git configuration says,
 * and without running the repository's hooks.
 */
export async function commitAs(
  cwd: string,
  identity: GitIdentity,
  message: string,
): Promise<void> {
  await git(
    [
      '-c',
      `user.name=${identity.name}`,
      '-c',
      `user.email=${identity.email}`,
      'commit',
      '--quiet',
      '--no-verify',
      '-m',
      message,
    ],
    cwd,
  );
}

/** Throws an InputError unless the name is a valid branch name. */
export async function assertBranchName(
  name: string,
  field: string,
): Promise<void> {
  if (name.includes('\0') || name.length > 255)
    throw new InputError(`${field}: is not a valid branch name`);
  try {
    await run('git', ['check-ref-format', '--branch', name]);
  } catch {
    throw new InputError(`${field}: "${name}" is not a valid branch name`);
  }
}

/** The commit a branch of the repository points at, or undefined when there is no such branch. */
export async function branchHead(
  repository: string,
  branch: string,
): Promise<string | undefined> {
  const out = await git(
    ['for-each-ref', '--format=%(objectname)', `refs/heads/${branch}`],
    repository,
  );
  return out.trim() || undefined;
}

/** Throws an InputError unless the path is a Git repository. */
export async function assertRepository(repository: string): Promise<void> {
  try {
    await git(['rev-parse', '--git-dir'], repository);
  } catch {
    throw new InputError(
      `${repository} is not a Git repository (clusterdeck.gitops.localRepository)`,
    );
  }
}

/** Every file under `dir` (relative, with forward slashes), skipping `.git`. */
export async function listFiles(dir: string, prefix = ''): Promise<string[]> {
  const entries = await fs
    .readdir(path.join(dir, prefix), { withFileTypes: true })
    .catch(() => []);
  const files: string[] = [];
  for (const entry of entries) {
    if (entry.name === '.git') continue;
    const rel = prefix ? `${prefix}/${entry.name}` : entry.name;
    if (entry.isDirectory()) files.push(...(await listFiles(dir, rel)));
    else if (entry.isFile()) files.push(rel);
  }
  return files.sort();
}

/** Copies the files of a branch under a path of the repository into a directory. */
export async function exportTree(options: {
  repository: string;
  branch: string;
  path: string;
  target: string;
}): Promise<string[]> {
  const spec =
    options.path === '.' || options.path === '' ? [] : ['--', options.path];
  const listing = await git(
    ['ls-tree', '-r', '-z', '--full-tree', options.branch, ...spec],
    options.repository,
  );
  const files: string[] = [];
  for (const line of listing.split('\0').filter(Boolean)) {
    const [meta, file] = line.split('\t');
    const [, type, oid] = meta.split(' ');
    if (type !== 'blob') continue;
    const { stdout } = await run('git', ['cat-file', 'blob', oid], {
      cwd: options.repository,
      encoding: 'buffer',
      maxBuffer: 64 * 1024 * 1024,
    });
    const base =
      options.path === '.' || options.path === ''
        ? ''
        : options.path.replace(/\/+$/, '');
    const relative =
      base && file.startsWith(`${base}/`) ? file.slice(base.length + 1) : file;
    const destination = path.join(options.target, relative);
    await fs.mkdir(path.dirname(destination), { recursive: true });
    await fs.writeFile(destination, stdout);
    files.push(relative);
  }
  return files;
}

/**
 * Commits the files of a directory onto a branch of a local repository without touching its
 * working tree: in a scratch clone, from the base branch (or the branch itself when it exists
 * already), then pushed back. Committing content the branch already has changes nothing.
 */
export async function commitToBranch(options: {
  repository: string;
  branch: string;
  baseBranch: string;
  sourceDir: string;
  targetPath: string;
  message: string;
  author: GitIdentity;
  /** Repository paths to delete in the same commit. */
  removePaths?: string[];
}): Promise<{ commitHash: string; changedFiles: string[]; created: boolean }> {
  const scratch = await fs.mkdtemp(
    path.join(os.tmpdir(), 'clusterdeck-gitops-'),
  );
  try {
    await git(
      ['clone', '--quiet', '--no-hardlinks', options.repository, scratch],
      os.tmpdir(),
    );
    const exists =
      (
        await git(['ls-remote', '--heads', 'origin', options.branch], scratch)
      ).trim() !== '';
    const start = exists
      ? `origin/${options.branch}`
      : `origin/${options.baseBranch}`;
    await git(['checkout', '--quiet', '-B', options.branch, start], scratch);
    const target = path.join(scratch, options.targetPath);
    for (const file of await listFiles(options.sourceDir)) {
      const destination = path.join(target, file);
      await fs.mkdir(path.dirname(destination), { recursive: true });
      await fs.copyFile(path.join(options.sourceDir, file), destination);
    }
    for (const removed of options.removePaths ?? []) {
      await git(
        ['rm', '-r', '--quiet', '--ignore-unmatch', '--', removed],
        scratch,
      );
    }
    await git(['add', '--all', '--', options.targetPath || '.'], scratch);
    const changedFiles = (
      await git(['diff', '--cached', '--name-only', '-z'], scratch)
    )
      .split('\0')
      .filter(Boolean);
    if (changedFiles.length > 0) {
      await commitAs(scratch, options.author, options.message);
    }
    if (changedFiles.length > 0 || !exists) {
      await git(
        [
          'push',
          '--quiet',
          'origin',
          `${options.branch}:refs/heads/${options.branch}`,
        ],
        scratch,
      );
    }
    const commitHash = (await git(['rev-parse', 'HEAD'], scratch)).trim();
    return { commitHash, changedFiles, created: !exists };
  } finally {
    await fs.rm(scratch, { recursive: true, force: true });
  }
}
