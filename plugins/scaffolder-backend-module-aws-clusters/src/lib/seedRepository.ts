import type { LoggerService } from '@backstage/backend-plugin-api';
import { loadFleetFile } from '@clusterdeck/plugin-aws-clusters-node';
import fs from 'node:fs/promises';
import path from 'node:path';
import type { GitopsConfig } from '../config/moduleConfig';
import { writeClusterFiles } from '../actions/renderCluster';
import { clusterDirectory } from './gitopsLayout';
import { git } from './localGit';

/**
 * Creates the local GitOps repository when it is configured and does not exist yet: a real Git
 * repository whose default branch holds, when `seedFleet` names a fleet definition, every
 * cluster of that fleet rendered as it would have been requested (request and manifests), so
 * that day-2 templates find the clusters the portal shows. An existing repository is left alone.
 * Returns whether it created one.
 */
export async function ensureLocalRepository(options: {
  gitops: Pick<
    GitopsConfig,
    'localRepository' | 'defaultBranch' | 'clusterPath' | 'author' | 'seedFleet'
  >;
  logger: Pick<LoggerService, 'info'>;
}): Promise<boolean> {
  const { gitops, logger } = options;
  if (!gitops.localRepository) return false;
  const repository = path.resolve(gitops.localRepository);
  const present = await fs
    .stat(path.join(repository, '.git'))
    .then(() => true)
    .catch(() => false);
  if (present) return false;

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
    let clusters = 0;
    if (gitops.seedFleet) {
      const fleet = loadFleetFile(path.resolve(gitops.seedFleet));
      for (const scenario of fleet.clusters) {
        const request = scenario.request as any;
        const managementCluster = fleet.managementClusters.find(
          mc => mc.name === request.spec.managementCluster,
        );
        const relative = clusterDirectory(gitops, {
          managementCluster: request.spec.managementCluster,
          namespace: `org-${request.metadata.organization}`,
          name: request.metadata.name,
        });
        await writeClusterFiles({
          directory: path.join(scratch, relative),
          request,
          format: 'cluster-aws',
          baseDomain: managementCluster?.baseDomain,
          catalogInfo: false,
        });
        clusters += 1;
      }
    }
    await git(['add', '--all'], scratch);
    const identity = [
      '-c',
      `user.name=${gitops.author.name}`,
      '-c',
      `user.email=${gitops.author.email}`,
    ];
    await git(
      [
        ...identity,
        'commit',
        '--quiet',
        '--no-verify',
        '-m',
        `The fleet as it runs: ${clusters} clusters`,
      ],
      scratch,
    );
    await fs.rename(scratch, repository);
  } catch (error) {
    await fs.rm(scratch, { recursive: true, force: true });
    throw error;
  }
  logger.info(
    `Created the local GitOps repository ${repository}${
      gitops.seedFleet ? ` from ${gitops.seedFleet}` : ''
    }`,
  );
  return true;
}
