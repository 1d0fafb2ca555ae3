import { InputError } from '@backstage/errors';
import { createTemplateAction } from '@backstage/plugin-scaffolder-node';
import {
  AccountEnvironment,
  awsClusterNodePoolUpdatePermission,
  Problem,
} from '@clusterdeck/plugin-aws-clusters-common';
import yaml from 'yaml';
import type { GuardrailsConfig } from '../config/moduleConfig';
import {
  changedFilesOutputs,
  clusterFilesInputs,
  problemOutput,
  proposalOutputs,
} from '../lib/actionSchemas';
import { toChangeSlug } from '../lib/changeBranch';
import {
  checkClusterRequest,
  type ClusterRequestActionOptions,
} from '../lib/clusterChecks';
import {
  chartValues,
  deletingProblems,
  openClusterFiles,
} from '../lib/clusterFiles';
import { CLUSTER_FILES } from '../lib/gitopsLayout';
import { guardrailsFor, instanceTypeAllowed } from '../lib/guardrails';
import {
  editRequestNodePools,
  editValuesNodePools,
  NodePoolChange,
} from '../lib/nodePoolEdit';
import { outputChangedFiles, outputProposal } from '../lib/outputProposal';
import { ProblemsError } from '../lib/problems';
import { rewriteClusterFiles } from './renderCluster';
import { examples } from './updateNodePool.examples';

/** @public What `clusterdeck:nodePool:update` needs. */
export type UpdateNodePoolActionOptions = ClusterRequestActionOptions;

/**
 * `clusterdeck:nodePool:update`: changes one node pool's size or instance type, or adds a
 * pool, in a cluster's files in the workspace (a GitOps checkout), after checking the change
 * against the guardrails and the cluster's current state. The files then go out for review.
 * @public
 */
export function createUpdateNodePoolAction(
  options: UpdateNodePoolActionOptions,
) {
  const { config, guardrails, fleet } = options;
  return createTemplateAction({
    id: 'clusterdeck:nodePool:update',
    description:
      "Day-2: changes one node pool's minSize, maxSize or instance type, or adds a node pool, in the cluster's files of a GitOps checkout in the workspace " +
      `(${CLUSTER_FILES.request} re-rendered into ${CLUSTER_FILES.manifests}; or the cluster-aws values where there is no request), ` +
      "after checking it against the guardrails of the account's environment and the cluster's current state. Publish the result as a pull request.",
    examples,
    supportsDryRun: true,
    schema: {
      input: {
        cluster: clusterFilesInputs.cluster,
        operation: z =>
          z
            .enum(['change', 'add'])
            .describe('change an existing pool, or add one'),
        pool: z =>
          z
            .object({
              name: z
                .string()
                .describe('The pool to change, or the name of the new pool'),
              minSize: z.number().int().min(0).optional(),
              maxSize: z.number().int().min(1).optional(),
              instanceType: z.string().optional(),
              type: z
                .enum(['asg', 'karpenter', 'managed'])
                .optional()
                .describe(
                  'add: the pool type (default asg; EKS clusters take managed)',
                ),
              spot: z
                .object({ enabled: z.boolean() })
                .passthrough()
                .optional()
                .describe('add: spot settings'),
              labels: z
                .record(z.string())
                .optional()
                .describe('add: node labels'),
              taints: z
                .array(
                  z.object({
                    key: z.string(),
                    value: z.string().optional(),
                    effect: z.string(),
                  }),
                )
                .optional()
                .describe('add: node taints'),
              availabilityZones: z
                .array(z.string())
                .optional()
                .describe("add: zones (default the cluster's)"),
            })
            .describe('The pool and the values to set'),
        sourcePath: clusterFilesInputs.sourcePath,
        directory: clusterFilesInputs.directory,
      },
      output: {
        ...changedFilesOutputs,
        changes: z =>
          z
            .array(z.string())
            .describe(
              'What changed, one line per field: "pool: field old → new"',
            ),
        ...proposalOutputs,
        warnings: z => z.array(problemOutput(z)),
      },
    },
    async handler(ctx) {
      const { input } = ctx;
      const { credentials, detail, files } = await openClusterFiles(
        ctx,
        options,
        awsClusterNodePoolUpdatePermission,
        'change node pools',
      );
      const { ref, relative, requestText, format } = files;
      const {
        spot,
        labels,
        taints,
        availabilityZones,
        type,
        name,
        minSize,
        maxSize,
        instanceType,
      } = input.pool;
      const change: NodePoolChange = {
        operation: input.operation,
        name,
        minSize,
        maxSize,
        instanceType,
        spec: Object.fromEntries(
          Object.entries({
            type,
            spot,
            labels,
            taints,
            availabilityZones,
          }).filter(([, v]) => v !== undefined),
        ),
      };

      const problems: Problem[] = deletingProblems(detail.cluster);
      const warnings: Problem[] = [];
      const live = detail.nodePools?.find(
        p => p.name === name || p.name === `${ref.name}-${name}`,
      );
      if (
        input.operation === 'change' &&
        live &&
        maxSize !== undefined &&
        maxSize < live.current
      ) {
        warnings.push({
          path: 'pool.maxSize',
          message: `${live.current} nodes run in ${name} now; a maxSize of ${maxSize} scales it in`,
        });
      }
      if (input.operation === 'add' && live) {
        problems.push({
          path: 'pool.name',
          message: `the cluster runs a node pool ${live.name} already`,
        });
      }

      let changes: string[];
      let write: () => Promise<string[]>;

      if (requestText !== undefined) {
        const request = yaml.parse(requestText);
        const edit = editRequestNodePools(request, change);
        changes = edit.changes;
        problems.push(...edit.problems);
        if (edit.problems.length === 0) {
          const checked = await checkClusterRequest(
            { config, guardrails, fleet },
            { request, credentials, format, mode: 'update' },
          );
          problems.push(...checked.problems);
          warnings.push(
            ...checked.warnings.filter(
              w =>
                !w.message.startsWith('dropped') &&
                !w.message.startsWith('altered'),
            ),
          );
        }
        write = () => rewriteClusterFiles(config, files, request);
      } else {
        const chart = chartValues(files);
        if (!chart) {
          throw new InputError(
            `cluster: ${relative} has raw Cluster API manifests and no ${CLUSTER_FILES.request}; node pools of such clusters are changed by hand`,
          );
        }
        const { values } = chart;
        const edit = editValuesNodePools(values, change);
        changes = edit.changes;
        problems.push(...edit.problems);
        if (edit.problems.length === 0) {
          problems.push(
            ...checkValuesGuardrails(values, name, config, guardrails),
          );
        }
        write = () => chart.write();
      }
      for (const warning of warnings)
        ctx.logger.warn(`${warning.path}: ${warning.message}`);
      if (problems.length > 0) {
        throw new ProblemsError(
          `The node pool change of ${input.cluster} breaks these rules`,
          problems,
        );
      }

      // Rewriting files of the task's own workspace is the whole effect, so a dry run does it too.
      const written = await write();
      const verb = input.operation === 'add' ? 'Add' : 'Change';
      const title = `${verb} node pool ${name} of ${ref.name}`;
      ctx.logger.info(`${title}:\n${changes.join('\n')}`);
      outputChangedFiles(ctx, relative, written);
      ctx.output('changes', changes);
      const warned = warnings.length
        ? `\n\nWarnings:\n${warnings
            .map(w => `- ${w.path}: ${w.message}`)
            .join('\n')}`
        : '';
      outputProposal(ctx, {
        title,
        description: `${title} (${
          input.cluster
        }), requested through Clusterdeck.\n\n${changes
          .map(c => `- ${c}`)
          .join('\n')}${warned}`,
        owner: detail.cluster.owner,
        clusterName: ref.name,
        change: toChangeSlug(`${input.operation}-node-pool-${name}`),
      });
      ctx.output('warnings', warnings);
    },
  });
}

/** The guardrails that can be checked on chart values alone: instance type and node counts. */
function checkValuesGuardrails(
  values: any,
  poolName: string,
  config: UpdateNodePoolActionOptions['config'],
  guardrails: GuardrailsConfig,
): Problem[] {
  const problems: Problem[] = [];
  const accountId = values?.global?.providerSpecific?.awsAccountId;
  const account = config.accounts.find(a => a.id === String(accountId));
  if (!account) {
    return [
      {
        path: 'cluster',
        message: `the cluster's account ${
          accountId ?? '(none in its values)'
        } is not one Clusterdeck knows`,
      },
    ];
  }
  const environment: AccountEnvironment = account.environment;
  const rails = guardrailsFor(guardrails, environment);
  const pools: Record<string, any> = values.global.nodePools;
  const pool = pools[poolName];
  if (
    pool.minSize !== undefined &&
    pool.maxSize !== undefined &&
    pool.minSize > pool.maxSize
  ) {
    problems.push({
      path: 'pool.minSize',
      message: `must not exceed maxSize (${pool.maxSize})`,
    });
  }
  if (
    rails.instanceTypes &&
    pool.instanceType &&
    !instanceTypeAllowed(pool.instanceType, rails.instanceTypes)
  ) {
    problems.push({
      path: 'pool.instanceType',
      message: `${
        pool.instanceType
      } is not an allowed instance type in ${environment}; allowed: ${rails.instanceTypes.join(
        ', ',
      )}`,
    });
  }
  if (rails.maxNodesPerPool && pool.maxSize > rails.maxNodesPerPool) {
    problems.push({
      path: 'pool.maxSize',
      message: `${pool.maxSize} nodes exceed the ${environment} limit of ${rails.maxNodesPerPool} per node pool`,
    });
  }
  const total = Object.values(pools).reduce(
    (sum: number, p: any) =>
      sum + (typeof p?.maxSize === 'number' ? p.maxSize : 0),
    0,
  );
  if (rails.maxNodesPerCluster && total > rails.maxNodesPerCluster) {
    problems.push({
      path: 'pool.maxSize',
      message: `the node pools may grow to ${total} nodes, over the ${environment} limit of ${rails.maxNodesPerCluster} per cluster`,
    });
  }
  return problems;
}
