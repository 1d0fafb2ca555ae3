import { InputError, NotFoundError } from '@backstage/errors';
import { createTemplateAction } from '@backstage/plugin-scaffolder-node';
import { repositoryPathOf, workspacePathOf } from '../lib/inputPaths';
import type { GitopsConfig } from '../config/moduleConfig';
import { AccessPolicy } from '../lib/access';
import { parseClusterRef } from '../lib/cidrPlan';
import { FleetApi } from '../lib/fleetApi';
import { clusterDirectory } from '../lib/gitopsLayout';
import { assertBranchName, assertRepository, branchHead, exportTree } from '../lib/localGit';
import { localRepositoryPath } from '../lib/localRepository';
import { examples } from './gitopsFetch.examples';

/** @public What `clusterdeck:gitops:fetch` needs. */
export interface GitopsFetchActionOptions {
  gitops: GitopsConfig;
  fleet: FleetApi;
  access: AccessPolicy;
}

/**
 * `clusterdeck:gitops:fetch`: copies a cluster's directory (or any path) of a branch of the
 * local GitOps repository into the workspace, for day-2 changes without a Git host.
 * @public
 */
export function createGitopsFetchAction(options: GitopsFetchActionOptions) {
  const { gitops, fleet, access } = options;
  return createTemplateAction({
    id: 'clusterdeck:gitops:fetch',
    description:
      'Copies files of a branch of the local GitOps repository (clusterdeck.gitops.localRepository) into the workspace: ' +
      "a cluster's directory (by cluster reference, for its owners) or a path. Where the repository is on a Git host, use fetch:plain.",
    examples,
    supportsDryRun: true,
    schema: {
      input: {
        cluster: z => z.string().optional().describe("<managementCluster>/<namespace>/<name>: fetch this cluster's directory; its owners may"),
        path: z => z.string().optional().describe('Repository path to fetch instead of a cluster directory (needs owner)'),
        owner: z => z.string().optional().describe('With path: the group the change is for'),
        branch: z => z.string().optional().describe('Branch to read (default clusterdeck.gitops.defaultBranch)'),
        targetPath: z => z.string().optional().describe('Workspace directory to write to (default: the same path as in the repository)'),
      },
      output: {
        path: z => z.string().describe('The repository path fetched'),
        targetPath: z => z.string().describe('The workspace directory written'),
        files: z => z.array(z.string()).describe('The files written, relative to targetPath'),
        commitHash: z => z.string().describe('The commit read'),
      },
    },
    async handler(ctx) {
      const credentials = await ctx.getInitiatorCredentials();
      let repoPath = ctx.input.path === undefined ? undefined : repositoryPathOf(ctx.input.path, 'path');
      if (ctx.input.cluster) {
        const ref = parseClusterRef(ctx.input.cluster);
        if (!ref) throw new InputError(`cluster: "${ctx.input.cluster}" is not <managementCluster>/<namespace>/<name>`);
        const detail = await fleet.getCluster(ctx.input.cluster, credentials);
        if (!detail) throw new NotFoundError(`The fleet has no cluster ${ctx.input.cluster}`);
        await access.assertMayActFor(credentials, { owner: detail.cluster.owner, what: 'change clusters' });
        repoPath ??= clusterDirectory(gitops, ref);
      } else if (repoPath && ctx.input.owner) {
        await access.assertMayActFor(credentials, { owner: ctx.input.owner, what: 'change GitOps files' });
      } else {
        throw new InputError('cluster: give cluster, or path and owner');
      }
      const repository = localRepositoryPath(gitops);
      await assertRepository(repository);
      const branch = ctx.input.branch || gitops.defaultBranch;
      await assertBranchName(branch, 'branch');
      const commitHash = await branchHead(repository, branch);
      if (!commitHash) throw new NotFoundError(`The GitOps repository has no branch ${branch}`);
      const targetPath = ctx.input.targetPath || repoPath;
      const target = workspacePathOf(ctx.workspacePath, targetPath, 'targetPath');
      // Reading the repository into the task's own workspace is all this does, so a dry run does it too.
      const files = await exportTree({ repository, branch: commitHash, path: repoPath, target });
      if (files.length === 0) throw new NotFoundError(`${repoPath} is empty or missing on ${branch}`);
      ctx.logger.info(`Fetched ${files.length} files of ${repoPath} at ${branch} (${commitHash.slice(0, 12)})`);
      ctx.output('path', repoPath);
      ctx.output('targetPath', targetPath);
      ctx.output('files', files);
      ctx.output('commitHash', commitHash);
    },
  });
}
