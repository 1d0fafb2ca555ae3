import { InputError } from '@backstage/errors';
import { createTemplateAction } from '@backstage/plugin-scaffolder-node';
import {
  awsClusterCreatePermission,
  clusterEntityName,
  validateClusterRequest,
} from '@clusterdeck/plugin-aws-clusters-common';
import { AccessPolicy, MAX_REF_LENGTH } from '../lib/access';
import { allocatedCidrInputs, clusterRequestInput } from '../lib/actionSchemas';
import { withAllocatedCidrs } from '../lib/cidrPlan';
import { FleetApi } from '@clusterdeck/plugin-aws-clusters-node';
import { ProblemsError } from '../lib/problems';
import { StepAudit } from '../lib/stepAudit';
import { examples } from './registerCluster.examples';

/** @public What `clusterdeck:cluster:register` needs. */
export interface RegisterClusterActionOptions {
  fleet: FleetApi;
  access: AccessPolicy;
  audit: StepAudit;
}

const ACTION_ID = 'clusterdeck:cluster:register';

/**
 * `clusterdeck:cluster:register`: records a cluster request in the fleet backend, so that the
 * team's cluster list and the catalog show the cluster as `requested` from the moment the
 * change is proposed until its management cluster reports it.
 * @public
 */
export function createRegisterClusterAction(
  options: RegisterClusterActionOptions,
) {
  const { fleet, access, audit } = options;
  return createTemplateAction({
    id: ACTION_ID,
    description:
      "Records a validated cluster request in the fleet backend: the cluster appears in its team's clusters and in the catalog " +
      'with status requested, until its management cluster reports it. Run it after the pull request (or apply) step.',
    examples,
    supportsDryRun: true,
    schema: {
      input: {
        request: clusterRequestInput,
        ...allocatedCidrInputs,
        branch: z =>
          z
            .string()
            .optional()
            .describe(
              "The GitOps branch the change was proposed on (clusterdeck:gitops:commit output branch), shown in the cluster's provisioning timeline",
            ),
        changeUrl: z =>
          z
            .string()
            .optional()
            .describe('The pull request that carries the change, if any'),
      },
      output: {
        clusterRef: z =>
          z.string().describe('<managementCluster>/<namespace>/<name>'),
        catalogEntityRef: z =>
          z
            .string()
            .describe(
              "The cluster's catalog entity, resource:default/<managementCluster>-<name>",
            ),
      },
    },
    async handler(ctx) {
      const claimed = (ctx.input.request as any)?.metadata?.owner;
      await audit.run(
        ctx,
        {
          actionId: ACTION_ID,
          eventId: 'cluster-register',
          severityLevel: 'medium',
          owner: typeof claimed === 'string' ? claimed : undefined,
        },
        async step => {
          const request = withAllocatedCidrs(ctx.input.request, {
            vpcCidr: ctx.input.vpcCidr || undefined,
            podCidr: ctx.input.podCidr || undefined,
          });
          const validation = validateClusterRequest(request);
          if (!validation.ok)
            throw new ProblemsError(
              'The cluster request is not valid',
              validation.problems,
              'request',
            );
          const { request: resolved, namespace } = validation.value;
          const cluster = {
            managementCluster: resolved.spec.managementCluster,
            namespace,
            name: resolved.metadata.name,
          };
          const ref = `${cluster.managementCluster}/${cluster.namespace}/${cluster.name}`;
          step.refs.cluster = ref;
          step.refs.accountId = resolved.spec.account.id;
          if (ref.length > MAX_REF_LENGTH) {
            throw new InputError(
              `request.spec.managementCluster: the cluster reference ${cluster.managementCluster}/... is longer than ${MAX_REF_LENGTH} characters`,
            );
          }
          const credentials = await ctx.getInitiatorCredentials();
          await access.assertMayActFor(credentials, {
            permission: awsClusterCreatePermission,
            owner: resolved.metadata.owner,
            accountId: resolved.spec.account.id,
            what: 'request clusters',
            field: 'request.metadata.owner',
          });
          if (ctx.isDryRun) {
            ctx.logger.info(
              `Would record the request of ${ref} for ${resolved.metadata.owner}`,
            );
          } else {
            await ctx.checkpoint({
              key: `register-${ref}`,
              fn: async () =>
                fleet.recordRequest(credentials, request, {
                  branch: ctx.input.branch || undefined,
                  changeUrl: ctx.input.changeUrl || undefined,
                }),
            });
            ctx.logger.info(
              `Recorded the request of ${ref}: it is listed as requested until ${cluster.managementCluster} reports it`,
            );
          }
          ctx.output('clusterRef', ref);
          ctx.output(
            'catalogEntityRef',
            `resource:default/${clusterEntityName(cluster)}`,
          );
        },
      );
    },
  });
}
