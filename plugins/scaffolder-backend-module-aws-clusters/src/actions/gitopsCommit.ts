import { InputError } from '@backstage/errors';
import { createTemplateAction } from '@backstage/plugin-scaffolder-node';
import {
  awsClusterDeletePermission,
  awsClusterManifestsApplyPermission,
  awsClustersAdministerPermission,
} from '@clusterdeck/plugin-aws-clusters-common';
import type { ClusterdeckConfig } from '@clusterdeck/plugin-aws-clusters-node';
import path from 'node:path';
import type { GitopsConfig } from '../config/moduleConfig';
import { AccessPolicy, assertOwnerRef } from '../lib/access';
import { releaseOnFailureInput } from '../lib/actionSchemas';
import { changeBranch, isOwnersBranch } from '../lib/changeBranch';
import { FleetApi } from '@clusterdeck/plugin-aws-clusters-node';
import { GitopsScope } from '../lib/gitopsScope';
import { repositoryPathOf, workspacePathOf } from '../lib/inputPaths';
import {
  assertBranchName,
  assertRepository,
  branchHead,
  commitToBranch,
  listFiles,
} from '../lib/localGit';
import { localRepositoryPath } from '../lib/localRepository';
import { releasingOnStepFailure } from '../lib/releaseOnFailure';
import { StepAudit } from '../lib/stepAudit';
import { examples } from './gitopsCommit.examples';

/** @public What `clusterdeck:gitops:commit` needs. */
export interface GitopsCommitActionOptions {
  /** Which organizations a group owns, and the management clusters: where its cluster folders are. */
  config: Pick<ClusterdeckConfig, 'organizations' | 'managementClusters'>;
  gitops: GitopsConfig;
  fleet: FleetApi;
  access: AccessPolicy;
  audit: StepAudit;
}

const ACTION_ID = 'clusterdeck:gitops:commit';

/**
 * `clusterdeck:gitops:commit`: commits workspace files onto a branch of the local GitOps
 * repository, the way a pull request would propose them, for platforms without a Git host. The
 * files must lie in the owner's cluster folders (administrators: also the role-identity and
 * account folders), and the branch is derived from the owner, the cluster and the change, so that
 * one team's change never lands in another team's folders or branches.
 * @public
 */
export function createGitopsCommitAction(options: GitopsCommitActionOptions) {
  const { config, gitops, access, audit } = options;
  return createTemplateAction({
    id: ACTION_ID,
    description:
      'Commits files of the workspace onto a branch of the local GitOps repository (clusterdeck.gitops.localRepository), ' +
      "based on its default branch, without touching the repository's working tree: the change waits there for review and merge. " +
      "Every file must lie in one of the owner's cluster folders (clusterdeck.gitops.clusterPath; administrators also the " +
      'role-identity and account folders). The branch is clusterdeck/<owner>/<cluster>/<change> (clusterdeck/<owner>/<change> without a cluster). ' +
      'Where the repository is on a Git host, use publish:github:pull-request (or another publish action) instead.',
    examples,
    supportsDryRun: true,
    schema: {
      input: {
        owner: z =>
          z
            .string()
            .describe(
              'The group the change is made for; the initiator must be allowed to change its clusters',
            ),
        cluster: z =>
          z
            .string()
            .optional()
            .describe(
              "The cluster's name; the files must lie in its folder. Leave out for changes that concern no one cluster (accounts)",
            ),
        change: z =>
          z
            .string()
            .describe(
              "A short name of the change (lowercase letters, digits and '-', at most 63), e.g. request or change-node-pool-def00",
            ),
        commitMessage: z =>
          z
            .string()
            .describe(
              'The commit message: the title on the first line, then the description',
            ),
        sourcePath: z =>
          z
            .string()
            .optional()
            .describe(
              'Workspace directory to commit (default: the whole workspace)',
            ),
        targetPath: z =>
          z
            .string()
            .optional()
            .describe(
              'Repository directory the files go to (default: the repository root)',
            ),
        remove: z =>
          z
            .array(z.string())
            .max(500)
            .optional()
            .describe(
              "Repository paths to delete in the same commit (clusterdeck:cluster:retire's removedPaths); each must lie in the same folders as the files, and the initiator needs aws-clusters.cluster.delete for the owner",
            ),
        releaseOnFailure: releaseOnFailureInput,
      },
      output: {
        repository: z =>
          z.string().describe('The local repository committed to'),
        branch: z =>
          z
            .string()
            .describe(
              'The branch the change is on: clusterdeck/<owner>/<cluster>/<change>',
            ),
        baseBranch: z =>
          z
            .string()
            .describe(
              'The branch the change is based on (clusterdeck.gitops.defaultBranch)',
            ),
        commitHash: z => z.string().describe('The head of the branch'),
        changedFiles: z =>
          z
            .array(z.string())
            .describe(
              'Repository paths the commit changed (empty when the branch had them already)',
            ),
        reviewCommand: z =>
          z
            .string()
            .describe(
              'A git command that shows the change against the base branch',
            ),
      },
    },
    async handler(ctx) {
      const credentials = await ctx.getInitiatorCredentials();
      const { owner, cluster, change } = ctx.input;
      await audit.run(
        ctx,
        {
          actionId: ACTION_ID,
          eventId: 'gitops-commit',
          severityLevel: 'medium',
          owner,
          refs: { ...(cluster ? { cluster } : {}), change },
        },
        step =>
          releasingOnStepFailure(
            ctx,
            options,
            { owner, actionId: ACTION_ID, credentials },
            async () => {
              assertOwnerRef(owner, 'owner');
              const branch = changeBranch({ owner, cluster, change });
              step.refs.branch = branch;
              await access.assertMayActFor(credentials, {
                permission: awsClusterManifestsApplyPermission,
                owner,
                what: 'propose GitOps changes',
              });
              // Deleting a cluster's files deletes the cluster once merged: what clusterdeck:cluster:retire asks for.
              if ((ctx.input.remove ?? []).length > 0)
                await access.assertMayActFor(credentials, {
                  permission: awsClusterDeletePermission,
                  owner,
                  what: 'remove cluster files in GitOps changes',
                  field: 'remove',
                });
              const baseBranch = gitops.defaultBranch;
              // The branch is derived and so always the owner's; the checks stand guard over the derivation.
              if (branch === baseBranch || !isOwnersBranch(branch, owner)) {
                throw new InputError(
                  `change: the branch ${branch} is not one of ${owner}'s change branches`,
                );
              }
              await assertBranchName(branch, 'change');

              const repository = localRepositoryPath(gitops);
              const sourceDir = workspacePathOf(
                ctx.workspacePath,
                ctx.input.sourcePath || '.',
                'sourcePath',
              );
              const targetPath = repositoryPathOf(
                ctx.input.targetPath || '.',
                'targetPath',
              );
              const files = await listFiles(sourceDir);
              const removed = (ctx.input.remove ?? []).map((p, i) =>
                repositoryPathOf(p, `remove[${i}]`),
              );
              if (files.length === 0 && removed.length === 0)
                throw new InputError(
                  `sourcePath: nothing to commit, ${
                    ctx.input.sourcePath || 'the workspace'
                  } is empty`,
                );
              const admin = await access.allows(
                credentials,
                awsClustersAdministerPermission,
              );
              const scope = GitopsScope.forOwner({
                gitops,
                config,
                owner,
                cluster,
                admin,
              });
              const planned = files.map(f =>
                path.posix.normalize(path.posix.join(targetPath, f)),
              );
              const outside = planned.find(file => !scope.holdsFile(file));
              if (outside) {
                throw new InputError(
                  `${
                    ctx.input.targetPath ? 'targetPath' : 'sourcePath'
                  }: ${outside} lies outside the folders this change may write (${scope.describe()}); nothing was committed`,
                );
              }

              const removedOutside = removed.findIndex(
                file => !scope.holdsFile(file),
              );
              if (removedOutside >= 0) {
                throw new InputError(
                  `remove[${removedOutside}]: ${
                    removed[removedOutside]
                  } lies outside the folders this change may write (${scope.describe()}); nothing was committed`,
                );
              }
              planned.push(...removed.map(file => `${file} (deleted)`));

              await assertRepository(repository);
              if (!(await branchHead(repository, baseBranch))) {
                throw new InputError(
                  `The GitOps repository has no branch ${baseBranch} (clusterdeck.gitops.defaultBranch)`,
                );
              }
              const reviewCommand = `git -C ${repository} diff ${baseBranch}...${branch}`;
              ctx.output('repository', repository);
              ctx.output('branch', branch);
              ctx.output('baseBranch', baseBranch);
              ctx.output('reviewCommand', reviewCommand);
              if (ctx.isDryRun) {
                ctx.logger.info(
                  `Dry run: would commit ${
                    planned.length
                  } files onto ${branch} (from ${baseBranch}) of ${repository}:\n${planned.join(
                    '\n',
                  )}`,
                );
                ctx.output('commitHash', 'dry-run');
                ctx.output('changedFiles', planned);
                return;
              }
              const profile = (ctx.user?.entity?.spec as any)?.profile ?? {};
              const author = profile.email
                ? {
                    name: profile.displayName ?? profile.email,
                    email: profile.email,
                  }
                : gitops.author;
              const result = await ctx.checkpoint({
                key: `commit-${branch}`,
                fn: () =>
                  commitToBranch({
                    repository,
                    branch,
                    baseBranch,
                    sourceDir,
                    targetPath,
                    message: ctx.input.commitMessage,
                    author,
                    removePaths: removed,
                  }),
              });
              step.refs.commitHash = result.commitHash;
              ctx.logger.info(
                result.changedFiles.length
                  ? `Committed ${
                      result.changedFiles.length
                    } files onto ${branch} (${result.commitHash.slice(
                      0,
                      12,
                    )}); review with: ${reviewCommand}`
                  : `${branch} already has these files (${result.commitHash.slice(
                      0,
                      12,
                    )})`,
              );
              ctx.output('commitHash', result.commitHash);
              ctx.output('changedFiles', result.changedFiles);
            },
          ),
      );
    },
  });
}
