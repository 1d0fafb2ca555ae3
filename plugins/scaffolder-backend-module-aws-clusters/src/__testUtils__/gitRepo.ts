import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

/** Runs git in a directory and returns its output. */
export function gitIn(dir: string, ...args: string[]): string {
  return execFileSync('git', args, {
    cwd: dir,
    encoding: 'utf8',
    env: { ...process.env, GIT_CONFIG_NOSYSTEM: '1' },
  }).trim();
}

/**
 * A throwaway non-bare GitOps repository with a `main` branch holding the given files, the way
 * the demo's `examples/gitops` is laid out.
 */
export function createGitRepo(files: Record<string, string>): {
  dir: string;
  remove(): void;
} {
  const dir = fs.mkdtempSync(
    path.join(os.tmpdir(), 'clusterdeck-test-gitops-'),
  );
  gitIn(dir, 'init', '--quiet', '--initial-branch=main');
  for (const [file, content] of Object.entries({
    'README.md': '# GitOps\n',
    ...files,
  })) {
    fs.mkdirSync(path.dirname(path.join(dir, file)), { recursive: true });
    fs.writeFileSync(path.join(dir, file), content);
  }
  gitIn(dir, 'add', '--all');
  gitIn(
    dir,
    '-c',
    'user.name=Test',
    '-c',
    'user.email=test@example.com',
    'commit',
    '--quiet',
    '-m',
    'Initial',
  );
  return {
    dir,
    remove: () => fs.rmSync(dir, { recursive: true, force: true }),
  };
}
