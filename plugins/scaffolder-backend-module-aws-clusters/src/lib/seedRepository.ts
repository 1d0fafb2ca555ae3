import type { LoggerService } from '@backstage/backend-plugin-api';
import fs from 'node:fs/promises';
import path from 'node:path';
import type { GitopsConfig } from '../config/moduleConfig';
import { commitAs, git } from './localGit';

function isRepository(folder: string): Promise<boolean> {
  return fs
    .stat(path.join(folder, '.git'))
    .then(() => true)
    .catch(() => false);
}

/**
 * Creates the local GitOps repository when it is configured and does not exist yet: a real Git
 * repository whose default branch holds, when `seedDirectory` names a folder, that folder's
 * files (the demo's is every cluster of its fleet as it would have been requested, so that day-2
 * templates find the clusters the portal shows). An existing repository is left alone, also one another process
 * made while this one was building its own. Returns whether it created one.
 */
export async function ensureLocalRepository(options: {
  gitops: Pick<
    GitopsConfig,
    'localRepository' | 'defaultBranch' | 'author' | 'seedDirectory'
  >;
  logger: Pick<LoggerService, 'info'>;
}): Promise<boolean> {
  const { gitops, logger } = options;
  if (!gitops.localRepository) return false;
  const repository = path.resolve(gitops.localRepository);
  if (await isRepository(repository)) return false;

  // Built beside the target and moved into place, so that a failure leaves no half repository.
  await fs.mkdir(path.dirname(repository), { recursive: true });
  const scratch = await fs.mkdtemp(
    path.join(path.dirname(repository), `.${path.basename(repository)}-`),
  );
  try {
    await git(
      ['init', '--quiet', '--initial-branch', gitops.defaultBranch],
      scratch,
    );
    await fs.writeFile(
      path.join(scratch, 'README.md'),
      '# GitOps repository\n\nWorkload clusters, role identities and accounts, as Clusterdeck renders them. ' +
        'Changes arrive on branches for review; the default branch is what the management clusters run.\n',
      'utf8',
    );
    if (gitops.seedDirectory) {
      const seed = path.resolve(gitops.seedDirectory);
      if (!(await fs.stat(seed).catch(() => undefined))?.isDirectory()) {
        throw new Error(
          `clusterdeck.gitops.seedDirectory: ${seed} is not a folder`,
        );
      }
      await fs.cp(seed, scratch, { recursive: true });
    }
    await git(['add', '--all'], scratch);
    await commitAs(
      scratch,
      gitops.author,
      gitops.seedDirectory
        ? `The fleet as it runs, from ${path.basename(
            path.resolve(gitops.seedDirectory),
          )}`
        : 'An empty GitOps repository',
    );
    await fs.rename(scratch, repository);
  } catch (error) {
    await fs.rm(scratch, { recursive: true, force: true });
    // Another backend starting at the same time (a second replica) made it first: use theirs.
    const code = (error as NodeJS.ErrnoException).code;
    if (
      (code === 'ENOTEMPTY' || code === 'EEXIST') &&
      (await isRepository(repository))
    )
      return false;
    throw error;
  }
  logger.info(
    `Created the local GitOps repository ${repository}${
      gitops.seedDirectory ? ` from ${gitops.seedDirectory}` : ''
    }`,
  );
  return true;
}
