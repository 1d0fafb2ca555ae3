import { createTemplateAction } from '@backstage/plugin-scaffolder-node';
import { awsClusterCreatePermission } from '@clusterdeck/plugin-aws-clusters-common';
import { workspacePathOf } from '../lib/inputPaths';
import {
  ClusterdeckConfig,
  FleetApi,
} from '@clusterdeck/plugin-aws-clusters-node';
import {
  manifestsToYaml,
  renderClusterRequest,
  RenderFormat,
} from '@clusterdeck/plugin-aws-clusters-render';
import fs from 'node:fs/promises';
import path from 'node:path';
import yaml from 'yaml';
import type { GitopsConfig } from '../config/moduleConfig';
import { AccessPolicy } from '../lib/access';
import {
  allocatedCidrInputs,
  clusterRequestInput,
  formatInput,
  problemOutput,
  releaseOnFailureInput,
} from '../lib/actionSchemas';
import { clusterEntity } from '../lib/catalogEntities';
import { withAllocatedCidrs } from '../lib/cidrPlan';
import { ClusterFiles, readIfExists } from '../lib/clusterFiles';
import { CLUSTER_FILES, clusterDirectory } from '../lib/gitopsLayout';
import { ProblemsError } from '../lib/problems';
import { releasingOnStepFailure } from '../lib/releaseOnFailure';
import { StepAudit } from '../lib/stepAudit';
import { examples } from './renderCluster.examples';

/** @public What `clusterdeck:cluster:render` needs. */
export interface RenderClusterActionOptions {
  config: Pick<ClusterdeckConfig, 'managementClusters'>;
  gitops: Pick<GitopsConfig, 'clusterPath'>;
  fleet: FleetApi;
  access: AccessPolicy;
  /** Records the releases of `releaseOnFailure`. */
  audit: StepAudit;
}

const ACTION_ID = 'clusterdeck:cluster:render';

/** The header of the request file: how it relates to the manifests beside it. */
const REQUEST_HEADER =
  'The request these manifests were rendered from. Day-2 changes (clusterdeck:nodePool:update)\n' +
  `edit this file and render ${CLUSTER_FILES.manifests} again; do not edit the manifests by hand.`;

/**
 * The files of one cluster in the GitOps repository: its request and manifests (and, when asked,
 * its catalog entity), by file name. Throws a `ProblemsError` when the request does not
 * render.
 * @public
 */
export function clusterFiles(options: {
  request: unknown;
  format: RenderFormat;
  baseDomain?: string;
  catalogInfo: boolean;
}) {
  const result = renderClusterRequest(options.request, {
    format: options.format,
    baseDomain: options.baseDomain,
  });
  if (!result.ok) {
    throw new ProblemsError(
      'The cluster request does not render',
      result.problems,
      'request',
    );
  }
  const requestDoc = new yaml.Document(options.request);
  requestDoc.commentBefore = REQUEST_HEADER;
  const files: Record<string, string> = {
    [CLUSTER_FILES.request]: requestDoc.toString({ lineWidth: 0 }),
    [CLUSTER_FILES.manifests]: manifestsToYaml(result.manifests),
  };
  if (options.catalogInfo) {
    files[CLUSTER_FILES.catalogInfo] = yaml.stringify(
      clusterEntity(result.resolved),
      { lineWidth: 0 },
    );
  }
  return { result, files };
}

/** Writes a cluster's files into a directory; shared with the node pool action, which re-renders. */
export async function writeClusterFiles(
  options: Parameters<typeof clusterFiles>[0] & { directory: string },
) {
  const { result, files } = clusterFiles(options);
  await fs.mkdir(options.directory, { recursive: true });
  for (const [name, content] of Object.entries(files)) {
    await fs.writeFile(path.join(options.directory, name), content, 'utf8');
  }
  return { result, files: Object.keys(files) };
}

/**
 * Renders a cluster's changed request again into its directory, for day-2 changes: the catalog
 * entity is written again where the directory has one, and is not among the files returned (the
 * change is the request and its manifests).
 */
export async function rewriteClusterFiles(
  config: Pick<ClusterdeckConfig, 'managementClusters'>,
  cluster: Pick<ClusterFiles, 'ref' | 'directory' | 'format'>,
  request: unknown,
): Promise<string[]> {
  const { directory, format } = cluster;
  const mc = config.managementClusters.find(
    m => m.name === cluster.ref.managementCluster,
  );
  const catalogInfo =
    (await readIfExists(path.join(directory, CLUSTER_FILES.catalogInfo))) !==
    undefined;
  const { files } = await writeClusterFiles({
    directory,
    request,
    format,
    baseDomain: mc?.baseDomain,
    catalogInfo,
  });
  return files.filter(f => f !== CLUSTER_FILES.catalogInfo);
}

/**
 * `clusterdeck:cluster:render`: writes a cluster's manifests (format `capi` or `cluster-aws`),
 * its request and its catalog entity into the workspace, ready for Backstage's publish actions.
 * @public
 */
export function createRenderClusterAction(options: RenderClusterActionOptions) {
  const { config, gitops, access } = options;
  return createTemplateAction({
    id: ACTION_ID,
    description:
      `Renders a cluster request into the workspace: ${CLUSTER_FILES.manifests} (the manifests, capi or cluster-aws), ` +
      `${CLUSTER_FILES.request} (the request, for day-2 changes) and ${CLUSTER_FILES.catalogInfo}, under a path the template chooses.`,
    examples,
    supportsDryRun: true,
    schema: {
      input: {
        request: clusterRequestInput,
        format: formatInput,
        targetPath: z =>
          z
            .string()
            .optional()
            .describe(
              "Workspace directory to write to; defaults to the cluster's directory of the GitOps layout (clusterdeck.gitops.clusterPath)",
            ),
        ...allocatedCidrInputs,
        catalogInfo: z =>
          z
            .boolean()
            .optional()
            .describe(`Also write ${CLUSTER_FILES.catalogInfo} (default true)`),
        releaseOnFailure: releaseOnFailureInput,
      },
      output: {
        targetPath: z => z.string().describe('The workspace directory written'),
        files: z =>
          z
            .array(z.string())
            .describe('The files written, relative to the workspace'),
        objects: z =>
          z
            .array(
              z.object({
                apiVersion: z.string(),
                kind: z.string(),
                namespace: z.string().optional(),
                name: z.string(),
              }),
            )
            .describe('The rendered objects'),
        warnings: z =>
          z
            .array(problemOutput(z))
            .describe(
              'Request fields the format expresses differently (cluster-aws)',
            ),
      },
    },
    async handler(ctx) {
      const credentials = await ctx.getInitiatorCredentials();
      const requestOwner = (ctx.input.request as any)?.metadata?.owner;
      await releasingOnStepFailure(
        ctx,
        options,
        {
          owner: typeof requestOwner === 'string' ? requestOwner : undefined,
          actionId: ACTION_ID,
          credentials,
        },
        async () => {
          const request = withAllocatedCidrs(ctx.input.request, {
            vpcCidr: ctx.input.vpcCidr || undefined,
            podCidr: ctx.input.podCidr || undefined,
          }) as any;
          const owner = request?.metadata?.owner;
          const accountId = request?.spec?.account?.id;
          if (typeof owner !== 'string' || typeof accountId !== 'string') {
            throw new ProblemsError(
              'The cluster request is incomplete',
              [
                ...(typeof owner !== 'string'
                  ? [{ path: 'metadata.owner', message: 'is required' }]
                  : []),
                ...(typeof accountId !== 'string'
                  ? [{ path: 'spec.account.id', message: 'is required' }]
                  : []),
              ],
              'request',
            );
          }
          await access.assertMayActFor(credentials, {
            permission: awsClusterCreatePermission,
            owner,
            accountId,
            what: 'render clusters',
            field: 'request.metadata.owner',
          });
          const mc = config.managementClusters.find(
            m => m.name === request.spec.managementCluster,
          );
          const relative =
            ctx.input.targetPath ||
            clusterDirectory(gitops, {
              managementCluster: String(request.spec.managementCluster),
              namespace: `org-${request.metadata.organization}`,
              name: String(request.metadata.name),
            });
          const directory = workspacePathOf(
            ctx.workspacePath,
            relative,
            'targetPath',
          );
          const { result, files } = await writeClusterFiles({
            directory,
            request,
            format: ctx.input.format,
            baseDomain: mc?.baseDomain,
            catalogInfo: ctx.input.catalogInfo ?? true,
          });
          if (!result.ok) return;
          for (const warning of result.warnings)
            ctx.logger.warn(`${warning.path}: ${warning.message}`);
          ctx.logger.info(
            `Rendered ${result.manifests.length} objects (${ctx.input.format}) into ${relative}`,
          );
          ctx.output('targetPath', relative);
          ctx.output(
            'files',
            files.map(f => path.posix.join(relative, f)),
          );
          ctx.output(
            'objects',
            result.manifests.map(m => ({
              apiVersion: m.apiVersion,
              kind: m.kind,
              ...(m.metadata.namespace
                ? { namespace: m.metadata.namespace }
                : {}),
              name: m.metadata.name,
            })),
          );
          ctx.output('warnings', result.warnings);
        },
      );
    },
  });
}
