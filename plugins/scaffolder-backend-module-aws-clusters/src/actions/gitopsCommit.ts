import { InputError } from '@backstage/errors';
import { createTemplateAction } from '@backstage/plugin-scaffolder-node';
import { repositoryPathOf, workspacePathOf } from '../lib/inputPaths';
import path from 'node:path';
import type { GitopsConfig } from '../config/moduleConfig';
import { AccessPolicy } from '../lib/access';
import { releaseOnFailureInput } from '../lib/actionSchemas';
import { FleetApi } from '../lib/fleetApi';
import { assertBranchName, assertRepository, branchHead, commitToBranch, listFiles } from '../lib/localGit';
import { localRepositoryPath } from '../lib/localRepository';
import { releasingOnFailure } from '../lib/releaseOnFailure';
import { examples } from './gitopsCommit.examples';

/** @public What `clusterdeck:gitops:commit` needs. */
export interface GitopsCommitActionOptions {
  gitops: GitopsConfig;
  fleet: FleetApi;
  access: AccessPolicy;
}

/**
 * `clusterdeck:gitops:commit`: commits workspace files onto a new branch of the local GitOps
 * repository, the way a pull request would propose them, for platforms without a Git host.
 * @public
 */
export function createGitopsCommitAction(options: GitopsCommitActionOptions) {
  const { gitops, fleet, access } = options;
  return createTemplateAction({
    id: 'clusterdeck:gitops:commit',
    description:
      'Commits files of the workspace onto a new branch of the local GitOps repository (clusterdeck.gitops.localRepository), ' +
      "based on its default branch, without touching the repository's working tree: the change waits there for review and merge. " +
      'Where the repository is on a Git host, use publish:github:pull-request (or another publish action) instead.',
    examples,
    supportsDryRun: true,
    schema: {
      input: {
        owner: z => z.string().describe('The group the change is made for; the user must belong to it'),
        branchName: z => z.string().describe('The branch to create (or add to, when it exists)'),
        commitMessage: z => z.string().describe('The commit message: the title on the first line, then the description'),
        sourcePath: z => z.string().optional().describe('Workspace directory to commit (default: the whole workspace)'),
        targetPath: z => z.string().optional().describe('Repository directory the files go to (default: the repository root)'),
        baseBranch: z => z.string().optional().describe('The branch to start from (default clusterdeck.gitops.defaultBranch)'),
        releaseOnFailure: releaseOnFailureInput,
      },
      output: {
        repository: z => z.string().describe('The local repository committed to'),
        branch: z => z.string(),
        baseBranch: z => z.string(),
        commitHash: z => z.string().describe('The head of the branch'),
        changedFiles: z => z.array(z.string()).describe('Repository paths the commit changed (empty when the branch had them already)'),
        reviewCommand: z => z.string().describe('A git command that shows the change against the base branch'),
      },
    },
    async handler(ctx) {
      const credentials = await ctx.getInitiatorCredentials();
      await releasingOnFailure(
        { allocationIds: ctx.input.releaseOnFailure, fleet, credentials, logger: ctx.logger, dryRun: ctx.isDryRun },
        async () => {
          await access.assertMayActFor(credentials, { owner: ctx.input.owner, what: 'propose GitOps changes' });
          const { branchName } = ctx.input;
          const baseBranch = ctx.input.baseBranch || gitops.defaultBranch;
          await assertBranchName(branchName, 'branchName');
          await assertBranchName(baseBranch, 'baseBranch');
          const repository = localRepositoryPath(gitops);
          const sourceDir = workspacePathOf(ctx.workspacePath, ctx.input.sourcePath || '.', 'sourcePath');
          const targetPath = repositoryPathOf(ctx.input.targetPath || '.', 'targetPath');
          await assertRepository(repository);
          if (!(await branchHead(repository, baseBranch))) {
            throw new InputError(`baseBranch: the GitOps repository has no branch ${baseBranch}`);
          }
          const files = await listFiles(sourceDir);
          if (files.length === 0) throw new InputError(`sourcePath: nothing to commit, ${ctx.input.sourcePath || 'the workspace'} is empty`);
          const reviewCommand = `git -C ${repository} diff ${baseBranch}...${branchName}`;
          ctx.output('repository', repository);
          ctx.output('branch', branchName);
          ctx.output('baseBranch', baseBranch);
          ctx.output('reviewCommand', reviewCommand);
          if (ctx.isDryRun) {
            const planned = files.map(f => path.posix.join(targetPath, f));
            ctx.logger.info(`Dry run: would commit ${planned.length} files onto ${branchName} (from ${baseBranch}) of ${repository}:\n${planned.join('\n')}`);
            ctx.output('commitHash', 'dry-run');
            ctx.output('changedFiles', planned);
            return;
          }
          const profile = (ctx.user?.entity?.spec as any)?.profile ?? {};
          const author = profile.email ? { name: profile.displayName ?? profile.email, email: profile.email } : gitops.author;
          const result = await ctx.checkpoint({
            key: `commit-${branchName}`,
            fn: () =>
              commitToBranch({ repository, branch: branchName, baseBranch, sourceDir, targetPath, message: ctx.input.commitMessage, author }),
          });
          ctx.logger.info(
            result.changedFiles.length
              ? `Committed ${result.changedFiles.length} files onto ${branchName} (${result.commitHash.slice(0, 12)}); review with: ${reviewCommand}`
              : `${branchName} already has these files (${result.commitHash.slice(0, 12)})`,
          );
          ctx.output('commitHash', result.commitHash);
          ctx.output('changedFiles', result.changedFiles);
        },
      );
    },
  });
}
