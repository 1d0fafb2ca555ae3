import { createTemplateAction } from '@backstage/plugin-scaffolder-node';
import {
  awsClusterCreatePermission,
  formatProblems,
  uncheckedReferences,
  validateClusterRequest,
} from '@clusterdeck/plugin-aws-clusters-common';
import {
  clusterClaimInput,
  clusterRequestInput,
  formatInput,
  problemOutput,
} from '../lib/actionSchemas';
import {
  checkClusterRequest,
  type ClusterRequestActionOptions,
} from '../lib/clusterChecks';
import { clusterDirectory, clusterEntityName } from '../lib/gitopsLayout';
import { ProblemsError } from '../lib/problems';
import { examples } from './validateCluster.examples';

/** @public What `clusterdeck:cluster:validate` needs. */
export type ValidateClusterActionOptions = ClusterRequestActionOptions;

/**
 * `clusterdeck:cluster:validate`: checks a cluster request against the domain rules, the
 * platform team's guardrails and the live fleet, and fails with every problem at its path.
 * @public
 */
export function createValidateClusterAction(
  options: ValidateClusterActionOptions,
) {
  const { config, guardrails, gitops, fleet, access } = options;
  return createTemplateAction({
    id: 'clusterdeck:cluster:validate',
    description:
      "Validates a cluster request: its structure, the platform team's guardrails for the account's environment " +
      '(regions, flavors, instance types, node limits, private API or allow-list, zones), and the live fleet ' +
      '(CIDR free, name unused on the management cluster, account admits the owner, quota headroom, and every reference: ' +
      "the role identity exists on the management cluster, assumes a role in the requested account and admits the organization's namespace; " +
      'region, zones, release and transit gateway exist and belong to the account). ' +
      'Fails with every problem and its dotted path. Creates nothing.',
    examples,
    supportsDryRun: true,
    schema: {
      input: {
        request: clusterRequestInput,
        ...clusterClaimInput,
        format: z =>
          formatInput(z)
            .optional()
            .describe(
              'Also check that the request renders in this format (release, Kubernetes version, base domain)',
            ),
      },
      output: {
        clusterRef: z =>
          z.string().describe('<managementCluster>/<namespace>/<name>'),
        managementCluster: z => z.string(),
        namespace: z => z.string().describe('org-<organization>'),
        name: z => z.string(),
        owner: z => z.string().describe('The owning group'),
        accountId: z => z.string(),
        accountName: z => z.string(),
        environment: z =>
          z
            .string()
            .describe("The account's environment, whose guardrails applied"),
        gitopsPath: z =>
          z
            .string()
            .describe(
              "The cluster's directory in the GitOps repository (clusterdeck.gitops.clusterPath)",
            ),
        catalogEntityRef: z =>
          z
            .string()
            .describe(
              "The cluster's catalog entity, resource:default/<managementCluster>-<name>",
            ),
        warnings: z =>
          z
            .array(problemOutput(z))
            .describe('What was not checked, or will be changed by the chart'),
        request: z =>
          clusterRequestInput(z).describe(
            'The request as validated, for the later steps (render) to take',
          ),
      },
    },
    async handler(ctx) {
      const credentials = await ctx.getInitiatorCredentials();
      const owner = (ctx.input.request as any)?.metadata?.owner;
      if (owner === undefined) {
        // Who may validate is decided for the owner, so a request without one stops here, before the fleet is asked.
        const structural = validateClusterRequest(ctx.input.request);
        throw new ProblemsError(
          'The cluster request breaks these rules',
          structural.ok
            ? [{ path: 'metadata.owner', message: 'is required' }]
            : structural.problems,
          'request',
        );
      }
      await access.assertMayActFor(credentials, {
        permission: awsClusterCreatePermission,
        owner,
        what: 'request clusters',
        field: 'request.metadata.owner',
      });
      const result = await checkClusterRequest(
        { config, guardrails, fleet },
        {
          request: ctx.input.request,
          credentials,
          cidrPool: ctx.input.cidrPool || undefined,
          podCidrPool: ctx.input.podCidrPool || undefined,
          format: ctx.input.format,
          mode: 'create',
        },
      );
      if (result.problems.length > 0 || !result.resolved || !result.ref) {
        for (const warning of result.warnings)
          ctx.logger.warn(`${warning.path}: ${warning.message}`);
        throw new ProblemsError(
          'The cluster request breaks these rules',
          result.problems,
          'request',
        );
      }
      const { metadata, spec } = result.resolved.request;
      // What nothing lists (the management cluster's releases, EKS versions, the region's zones) passed unchecked.
      const warnings = [
        ...result.warnings,
        ...uncheckedReferences(
          result.resolved.request,
          await fleet.getReferences(credentials, metadata.owner),
        ),
      ];
      for (const warning of warnings)
        ctx.logger.warn(`${warning.path}: ${warning.message}`);
      const cluster = {
        managementCluster: spec.managementCluster,
        namespace: result.resolved.namespace,
        name: metadata.name,
      };
      const warned = warnings.length
        ? `; warnings:\n${formatProblems(warnings)}`
        : '';
      ctx.logger.info(
        `${result.ref} may be requested by ${metadata.owner}: ${spec.flavor} in ${spec.region}, account ${result.accountName} (${result.environment})${warned}`,
      );
      ctx.output('clusterRef', result.ref);
      ctx.output('managementCluster', cluster.managementCluster);
      ctx.output('namespace', cluster.namespace);
      ctx.output('name', cluster.name);
      ctx.output('owner', metadata.owner);
      ctx.output('accountId', spec.account.id);
      ctx.output('accountName', result.accountName!);
      ctx.output('environment', result.environment!);
      ctx.output('gitopsPath', clusterDirectory(gitops, cluster));
      ctx.output(
        'catalogEntityRef',
        `resource:default/${clusterEntityName(cluster)}`,
      );
      ctx.output('warnings', warnings);
      ctx.output('request', ctx.input.request);
    },
  });
}
