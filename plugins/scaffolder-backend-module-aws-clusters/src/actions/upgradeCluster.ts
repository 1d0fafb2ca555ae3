import { InputError } from '@backstage/errors';
import { createTemplateAction } from '@backstage/plugin-scaffolder-node';
import {
  awsClusterUpgradePermission,
  checkUpgrade,
  clusterVersionSupport,
  minorOf,
  Problem,
  versionSupportCalendar,
} from '@clusterdeck/plugin-aws-clusters-common';
import type {
  ClusterdeckConfig,
  FleetApi,
} from '@clusterdeck/plugin-aws-clusters-node';
import yaml from 'yaml';
import type { GitopsConfig } from '../config/moduleConfig';
import { AccessPolicy } from '../lib/access';
import {
  changedFilesOutputs,
  clusterFilesInputs,
  proposalOutputs,
} from '../lib/actionSchemas';
import { toChangeSlug } from '../lib/changeBranch';
import {
  chartValues,
  deletingProblems,
  openClusterFiles,
} from '../lib/clusterFiles';
import { diffOfChange } from '../lib/directoryDiff';
import { CLUSTER_FILES } from '../lib/gitopsLayout';
import { outputChangedFiles, outputProposal } from '../lib/outputProposal';
import { ProblemsError } from '../lib/problems';
import { rewriteClusterFiles } from './renderCluster';
import { examples } from './upgradeCluster.examples';

/** @public What `clusterdeck:cluster:upgrade` needs. */
export interface UpgradeClusterActionOptions {
  config: Pick<ClusterdeckConfig, 'managementClusters' | 'versionSupport'>;
  gitops: Pick<GitopsConfig, 'clusterPath'>;
  fleet: FleetApi;
  access: AccessPolicy;
  /** The day support is judged on; the clock by default. */
  now?: () => Date;
}

/** A diff longer than this is cut in the proposal's description (the branch holds all of it). */
const DESCRIPTION_DIFF_LIMIT = 60_000;

/**
 * `clusterdeck:cluster:upgrade`: moves a cluster to its next Kubernetes minor (EKS and plain
 * Cluster API clusters) or to a newer `cluster-aws` release, in its files of a GitOps checkout
 * in the workspace, after checking the upgrade rules; outputs the diff for review.
 * @public
 */
export function createUpgradeClusterAction(
  options: UpgradeClusterActionOptions,
) {
  const { config } = options;
  const calendar = versionSupportCalendar(config.versionSupport);
  return createTemplateAction({
    id: 'clusterdeck:cluster:upgrade',
    description:
      "Day-2: upgrades a cluster in its files of a GitOps checkout in the workspace: the cluster-aws release of chart-managed clusters, else the Kubernetes version (EKS: the next minor only). Checks one minor at a time, releases and versions the management cluster offers (as to new requests: its Release objects and the versions EKS reports, else clusterdeck.references), support dates and node pools not behind the control plane; writes nothing when a check fails. Outputs the diff for the dry run and the proposal's description.",
    examples,
    supportsDryRun: true,
    schema: {
      input: {
        cluster: clusterFilesInputs.cluster,
        target: z =>
          z
            .string()
            .max(64)
            .describe(
              'The release (31.1.0) of a cluster-aws cluster, or the Kubernetes version (1.34; EC2 Cluster API clusters: 1.34.2)',
            ),
        sourcePath: clusterFilesInputs.sourcePath,
        directory: clusterFilesInputs.directory,
      },
      output: {
        ...changedFilesOutputs,
        from: z => z.string().describe('The version or release before'),
        to: z => z.string().describe('The version or release after'),
        diff: z => z.string().describe("A unified diff of the cluster's files"),
        ...proposalOutputs,
        description: z =>
          z
            .string()
            .describe('A description for the pull request, with the diff'),
      },
    },
    async handler(ctx) {
      const { input } = ctx;
      const { credentials, detail, files } = await openClusterFiles(
        ctx,
        options,
        awsClusterUpgradePermission,
        'upgrade clusters',
      );
      const { ref, directory, relative, manifestDocs, format } = files;
      const summary = detail.cluster;
      const request = files.requestText
        ? yaml.parse(files.requestText)
        : undefined;
      const chart = chartValues(files);
      const values = chart?.values;
      if (!request && format === 'capi') {
        throw new InputError(
          `cluster: ${relative} has raw Cluster API manifests and no ${CLUSTER_FILES.request}; such clusters are upgraded by hand`,
        );
      }
      const kind = format === 'cluster-aws' ? 'release' : 'kubernetes';
      const current = {
        kubernetesVersion:
          summary.kubernetesVersion ?? request?.spec?.kubernetesVersion,
        release:
          summary.release ??
          request?.spec?.release ??
          values?.global?.release?.version,
      };
      const target = input.target.trim();
      const problems: Problem[] = deletingProblems(summary);
      if (
        kind === 'kubernetes' &&
        summary.flavor === 'ec2' &&
        !/^\d+\.\d+\.\d+$/.test(target)
      ) {
        problems.push({
          path: 'target',
          message: `an EC2 Cluster API cluster needs a full Kubernetes version such as ${
            minorOf(target) ?? '1.34'
          }.2`,
        });
      }
      // Offered as to new requests: the management cluster's Release objects of the cluster's
      // flavor and the versions EKS reports, else configuration.
      const offered = (
        await options.fleet.getReferences(credentials, summary.owner)
      ).managementClusters.find(m => m.name === ref.managementCluster);
      if (
        kind === 'kubernetes' &&
        summary.flavor === 'eks' &&
        !offered?.eksVersions
      )
        ctx.logger.warn(
          `target: nothing lists the EKS versions ${ref.managementCluster} offers, so ${target} is not checked against them`,
        );
      const nodePools = manifestDocs
        .filter(d => d?.kind === 'MachinePool')
        .map(d => ({
          name: String(d.metadata?.name ?? ''),
          version: d.spec?.template?.spec?.version,
        }));
      problems.push(
        ...checkUpgrade({
          kind,
          flavor: summary.flavor,
          current,
          target,
          nodePools,
          allowed: {
            // The offered minors are EKS's list; EC2 clusters follow their releases or support dates.
            kubernetesVersions:
              summary.flavor === 'eks' ? offered?.eksVersions : undefined,
            releases:
              summary.flavor === 'eks'
                ? offered?.eksReleases
                : offered?.releases,
          },
          calendar,
          now: options.now?.() ?? new Date(),
        }),
      );
      if (problems.length > 0) {
        throw new ProblemsError(
          `The upgrade of ${input.cluster} breaks these rules`,
          problems,
        );
      }

      const from =
        (kind === 'release' ? current.release : current.kubernetesVersion) ??
        'unknown';
      // Rewriting files of the task's own workspace is the whole effect, so a dry run does it too.
      const { result: written, diff } = await diffOfChange({
        directory,
        label: relative.replace(/^\.\//, ''),
        change: async () => {
          if (request) {
            request.spec =
              kind === 'release'
                ? { ...request.spec, release: target }
                : { ...request.spec, kubernetesVersion: target };
            return rewriteClusterFiles(config, files, request);
          }
          values.global = {
            ...values.global,
            release: { ...values.global?.release, version: target },
          };
          return chart!.write();
        },
      });
      const what = kind === 'release' ? 'release' : 'Kubernetes';
      const title = `Upgrade ${ref.name} to ${what} ${target}`;
      const support = clusterVersionSupport(
        kind === 'release'
          ? { release: target }
          : { kubernetesVersion: target },
        calendar,
        options.now?.() ?? new Date(),
      );
      const judged = support.release ?? support.kubernetes;
      const supportLine = judged?.endsOn
        ? `\n\n${what} ${target} is supported until ${judged.endsOn}.`
        : '';
      const shownDiff =
        diff.length > DESCRIPTION_DIFF_LIMIT
          ? `${diff.slice(
              0,
              DESCRIPTION_DIFF_LIMIT,
            )}\n... (cut; the branch holds the whole change)`
          : diff;
      ctx.logger.info(`${title}:\n${diff}`);
      outputChangedFiles(ctx, relative, written);
      ctx.output('from', from);
      ctx.output('to', target);
      ctx.output('diff', diff);
      outputProposal(ctx, {
        title,
        description: `${title} (${input.cluster}, from ${from}), requested through Clusterdeck.${supportLine}\n\n\`\`\`diff\n${shownDiff}\`\`\`\n`,
        owner: summary.owner,
        clusterName: ref.name,
        change: toChangeSlug(`upgrade-${target}`),
      });
    },
  });
}
