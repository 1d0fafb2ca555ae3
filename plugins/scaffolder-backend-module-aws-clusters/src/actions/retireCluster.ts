import { createTemplateAction } from '@backstage/plugin-scaffolder-node';
import {
  awsClusterDeletePermission,
  CLUSTERDECK_ANNOTATIONS,
  Problem,
} from '@clusterdeck/plugin-aws-clusters-common';
import type { FleetApi } from '@clusterdeck/plugin-aws-clusters-node';
import fs from 'node:fs/promises';
import yaml from 'yaml';
import type { GitopsConfig } from '../config/moduleConfig';
import { AccessPolicy } from '../lib/access';
import { clusterFilesInputs, proposalOutputs } from '../lib/actionSchemas';
import { openClusterFiles } from '../lib/clusterFiles';
import { diffOfChange } from '../lib/directoryDiff';
import { clusterDirectory } from '../lib/gitopsLayout';
import { listFiles } from '../lib/localGit';
import { outputProposal } from '../lib/outputProposal';
import { ProblemsError } from '../lib/problems';
import { examples } from './retireCluster.examples';

/** @public What `clusterdeck:cluster:retire` needs. */
export interface RetireClusterActionOptions {
  gitops: Pick<GitopsConfig, 'clusterPath'>;
  fleet: FleetApi;
  access: AccessPolicy;
}

/** Whether any of the cluster's objects, or its chart values, carry the deletion-protection annotation. */
function deletionProtected(manifestDocs: any[]): boolean {
  const key = CLUSTERDECK_ANNOTATIONS.deletionProtection;
  return manifestDocs.some(doc => {
    if (doc?.metadata?.annotations?.[key] === 'true') return true;
    if (doc?.kind !== 'ConfigMap' || typeof doc?.data?.values !== 'string')
      return false;
    const values = yaml.parse(doc.data.values);
    return values?.global?.metadata?.annotations?.[key] === 'true';
  });
}

/**
 * `clusterdeck:cluster:retire`: removes a cluster's directory from a GitOps checkout in the
 * workspace and names the repository paths to delete, for a reviewed change that makes the
 * management cluster delete the cluster. Refused for clusters annotated
 * `clusterdeck.io/deletion-protection: "true"`; production clusters need their name typed again.
 * @public
 */
export function createRetireClusterAction(options: RetireClusterActionOptions) {
  const { gitops } = options;
  return createTemplateAction({
    id: 'clusterdeck:cluster:retire',
    description:
      'Day-2: retires a cluster: checks that it is not protected (clusterdeck.io/deletion-protection: "true" on the live Cluster or in its files) and, for production clusters, that confirmName repeats its name; then removes its directory from the GitOps checkout in the workspace and outputs the repository paths for clusterdeck:gitops:commit\'s remove input, with the diff. Its CIDR block is released by the fleet backend once the cluster has been gone for the configured grace period.',
    examples,
    supportsDryRun: true,
    schema: {
      input: {
        cluster: clusterFilesInputs.cluster,
        confirmName: z =>
          z
            .string()
            .max(63)
            .optional()
            .describe(
              "The cluster's name typed again; production clusters need it",
            ),
        reason: z =>
          z
            .string()
            .max(500)
            .optional()
            .describe('Why the cluster goes, for the reviewers'),
        sourcePath: clusterFilesInputs.sourcePath,
      },
      output: {
        removedPaths: z =>
          z.array(z.string()).describe('Repository paths the change deletes'),
        diff: z => z.string().describe('A unified diff of the removal'),
        ...proposalOutputs,
      },
    },
    async handler(ctx) {
      const { input } = ctx;
      const { detail, files } = await openClusterFiles(
        ctx,
        options,
        awsClusterDeletePermission,
        'retire clusters',
      );
      const { ref, directory, manifestDocs } = files;
      const summary = detail.cluster;
      const problems: Problem[] = [];
      if (summary.deletionProtection || deletionProtected(manifestDocs)) {
        problems.push({
          path: 'cluster',
          message: `${ref.name} is protected from deletion (${CLUSTERDECK_ANNOTATIONS.deletionProtection}: "true"); remove the annotation in a reviewed change first`,
        });
      }
      if (
        summary.environment === 'production' &&
        input.confirmName?.trim() !== ref.name
      ) {
        problems.push({
          path: 'confirmName',
          message: input.confirmName
            ? `"${input.confirmName}" is not the cluster's name; type ${ref.name} to retire this production cluster`
            : `type the cluster's name (${ref.name}) to retire this production cluster`,
        });
      }
      if (problems.length > 0) {
        throw new ProblemsError(`${input.cluster} cannot be retired`, problems);
      }

      const repositoryDir = clusterDirectory(gitops, ref);
      const removedPaths = (await listFiles(directory)).map(
        f => `${repositoryDir}/${f}`,
      );
      // Removing the directory from the task's own workspace is the whole effect here; the
      // publish step deletes the paths in the repository.
      const { diff } = await diffOfChange({
        directory,
        label: repositoryDir,
        removed: true,
        change: () => fs.rm(directory, { recursive: true, force: true }),
      });
      const title = `Retire cluster ${ref.name}`;
      const reason = input.reason ? `\n\nReason: ${input.reason}` : '';
      ctx.logger.info(`${title}: removes\n${removedPaths.join('\n')}`);
      ctx.output('removedPaths', removedPaths);
      ctx.output('diff', diff);
      outputProposal(ctx, {
        title,
        description:
          `${title} (${input.cluster}, ${
            summary.environment ?? 'no environment'
          }, account ${
            summary.accountId ?? 'unknown'
          }), requested through Clusterdeck.${reason}\n\n` +
          `Merging this deletes the cluster: the management cluster removes its Cluster API objects and CAPA deletes its AWS resources. ` +
          `Its CIDR reservation is released once the cluster has been gone from the fleet for the grace period (clusterdeck.cidrReservations.releaseAfterGoneHours).\n\n` +
          `Removed:\n${removedPaths.map(p => `- ${p}`).join('\n')}\n`,
        owner: summary.owner,
        clusterName: ref.name,
        change: 'retire',
      });
    },
  });
}
