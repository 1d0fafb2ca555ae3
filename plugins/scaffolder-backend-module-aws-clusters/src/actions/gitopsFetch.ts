import { InputError, NotFoundError } from '@backstage/errors';
import { createTemplateAction } from '@backstage/plugin-scaffolder-node';
import {
  awsClusterReadPermission,
  awsClustersAdministerPermission,
} from '@clusterdeck/plugin-aws-clusters-common';
import type { ClusterdeckConfig } from '@clusterdeck/plugin-aws-clusters-node';
import { repositoryPathOf, workspacePathOf } from '../lib/inputPaths';
import type { GitopsConfig } from '../config/moduleConfig';
import { AccessPolicy } from '../lib/access';
import { clusterRefInput } from '../lib/cidrPlan';
import { FleetApi } from '@clusterdeck/plugin-aws-clusters-node';
import { clusterDirectory } from '../lib/gitopsLayout';
import { GitopsScope } from '../lib/gitopsScope';
import {
  assertBranchName,
  assertRepository,
  branchHead,
  exportTree,
} from '../lib/localGit';
import { localRepositoryPath } from '../lib/localRepository';
import { examples } from './gitopsFetch.examples';

/** @public What `clusterdeck:gitops:fetch` needs. */
export interface GitopsFetchActionOptions {
  /** Which organizations a group owns, and the management clusters: where its cluster folders are. */
  config: Pick<ClusterdeckConfig, 'organizations' | 'managementClusters'>;
  gitops: GitopsConfig;
  fleet: FleetApi;
  access: AccessPolicy;
}

/**
 * `clusterdeck:gitops:fetch`: copies a cluster's directory (or a path inside the owner's cluster
 * folders) of a branch of the local GitOps repository into the workspace, for day-2 changes
 * without a Git host.
 * @public
 */
export function createGitopsFetchAction(options: GitopsFetchActionOptions) {
  const { config, gitops, fleet, access } = options;
  return createTemplateAction({
    id: 'clusterdeck:gitops:fetch',
    description:
      'Copies files of a branch of the local GitOps repository (clusterdeck.gitops.localRepository) into the workspace: ' +
      "a cluster's directory (by cluster reference, for its owners) or a path inside the owner's cluster folders " +
      '(administrators: also the role-identity and account folders). Where the repository is on a Git host, use fetch:plain.',
    examples,
    supportsDryRun: true,
    schema: {
      input: {
        cluster: z =>
          z
            .string()
            .optional()
            .describe(
              "<managementCluster>/<namespace>/<name>: fetch this cluster's directory; its owners may",
            ),
        path: z =>
          z
            .string()
            .optional()
            .describe(
              "Repository path to fetch: with cluster, inside the cluster's directory; else inside the owner's cluster folders (needs owner)",
            ),
        owner: z =>
          z
            .string()
            .optional()
            .describe('With path: the group the change is for'),
        branch: z =>
          z
            .string()
            .optional()
            .describe(
              'Branch to read (default clusterdeck.gitops.defaultBranch)',
            ),
        targetPath: z =>
          z
            .string()
            .optional()
            .describe(
              'Workspace directory to write to (default: the same path as in the repository)',
            ),
      },
      output: {
        path: z => z.string().describe('The repository path fetched'),
        targetPath: z => z.string().describe('The workspace directory written'),
        files: z =>
          z
            .array(z.string())
            .describe('The files written, relative to targetPath'),
        commitHash: z => z.string().describe('The commit read'),
      },
    },
    async handler(ctx) {
      const credentials = await ctx.getInitiatorCredentials();
      const requested =
        ctx.input.path === undefined
          ? undefined
          : repositoryPathOf(ctx.input.path, 'path');
      let scope: GitopsScope;
      let repoPath: string;
      if (ctx.input.cluster) {
        const ref = clusterRefInput(ctx.input.cluster, 'cluster');
        await access.assertMayActForSomeone(
          credentials,
          awsClusterReadPermission,
          'read GitOps files',
        );
        const detail = await fleet.getCluster(ctx.input.cluster, credentials);
        if (!detail)
          throw new NotFoundError(
            `The fleet has no cluster ${ctx.input.cluster}`,
          );
        await access.assertMayActFor(credentials, {
          permission: awsClusterReadPermission,
          owner: detail.cluster.owner,
          what: 'read GitOps files',
          field: 'cluster',
        });
        scope = GitopsScope.folder(clusterDirectory(gitops, ref));
        repoPath = requested ?? clusterDirectory(gitops, ref);
      } else if (requested !== undefined && ctx.input.owner) {
        await access.assertMayActFor(credentials, {
          permission: awsClusterReadPermission,
          owner: ctx.input.owner,
          what: 'read GitOps files',
        });
        const admin = await access.allows(
          credentials,
          awsClustersAdministerPermission,
        );
        scope = GitopsScope.forOwner({
          gitops,
          config,
          owner: ctx.input.owner,
          admin,
        });
        repoPath = requested;
      } else {
        throw new InputError('cluster: give cluster, or path and owner');
      }
      if (!scope.holdsPath(repoPath)) {
        throw new InputError(
          `path: ${repoPath} lies outside the folders this fetch may read (${scope.describe()})`,
        );
      }
      const repository = localRepositoryPath(gitops);
      await assertRepository(repository);
      const branch = ctx.input.branch || gitops.defaultBranch;
      await assertBranchName(branch, 'branch');
      const commitHash = await branchHead(repository, branch);
      if (!commitHash)
        throw new NotFoundError(
          `The GitOps repository has no branch ${branch}`,
        );
      const targetPath = ctx.input.targetPath || repoPath;
      const target = workspacePathOf(
        ctx.workspacePath,
        targetPath,
        'targetPath',
      );
      // Reading the repository into the task's own workspace is all this does, so a dry run does it too.
      const files = await exportTree({
        repository,
        branch: commitHash,
        path: repoPath,
        target,
      });
      if (files.length === 0)
        throw new NotFoundError(`${repoPath} is empty or missing on ${branch}`);
      ctx.logger.info(
        `Fetched ${
          files.length
        } files of ${repoPath} at ${branch} (${commitHash.slice(0, 12)})`,
      );
      ctx.output('path', repoPath);
      ctx.output('targetPath', targetPath);
      ctx.output('files', files);
      ctx.output('commitHash', commitHash);
    },
  });
}
