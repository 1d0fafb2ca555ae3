import { BackstageCredentials } from '@backstage/backend-plugin-api';
import { InputError } from '@backstage/errors';
import { createTemplateAction } from '@backstage/plugin-scaffolder-node';
import { cidrAllocationCreatePermission } from '@clusterdeck/plugin-aws-clusters-common';
import { AccessPolicy } from '../lib/access';
import { clusterRefInput, podSubnetsFor } from '../lib/cidrPlan';
import {
  CidrAllocation,
  FleetApi,
} from '@clusterdeck/plugin-aws-clusters-node';
import { StepAudit } from '../lib/stepAudit';
import { examples } from './allocateCidr.examples';

/** @public What `clusterdeck:cidr:allocate` needs. */
export interface AllocateCidrActionOptions {
  fleet: FleetApi;
  access: AccessPolicy;
  audit: StepAudit;
}

const ACTION_ID = 'clusterdeck:cidr:allocate';

/** How many times a block released by a failed later step is reserved again within one run. */
const MAX_REALLOCATIONS = 3;

/**
 * `clusterdeck:cidr:allocate`: reserves a VPC CIDR (and an ENI pod CIDR) from the fleet
 * backend's pools, on behalf of the initiating user and tagged with the cluster, so that the
 * fleet shows the cluster as requested.
 * @public
 */
export function createAllocateCidrAction(options: AllocateCidrActionOptions) {
  const { fleet, access, audit } = options;
  return createTemplateAction({
    id: ACTION_ID,
    description:
      "Reserves the VPC CIDR (and, for ENI mode, an extra CIDR for the pods) for a cluster from the fleet backend's pools, " +
      'on behalf of the initiating user. A retried task reuses the reservation; a block released because a later step failed ' +
      '(see releaseOnFailure of render, commit and apply) is reserved again.',
    examples,
    supportsDryRun: true,
    schema: {
      input: {
        clusterRef: z =>
          z
            .string()
            .describe(
              '<managementCluster>/<namespace>/<name> (clusterdeck:cluster:validate output clusterRef)',
            ),
        owner: z =>
          z.string().describe('The owning group, e.g. group:default/payments'),
        accountId: z =>
          z
            .string()
            .describe(
              'The AWS account the cluster goes into; it must admit the owner',
            ),
        pool: z => z.string().describe('The CIDR pool of the VPC block'),
        podCidrPool: z =>
          z
            .string()
            .optional()
            .describe(
              'ENI mode: the pool of the extra VPC CIDR the pod subnets are cut from',
            ),
        availabilityZones: z =>
          z
            .number()
            .int()
            .min(1)
            .max(3)
            .optional()
            .describe('Zones of the cluster, one pod subnet each (default 3)'),
      },
      output: {
        vpcCidr: z => z.string().describe('The reserved VPC CIDR'),
        podCidr: z =>
          z
            .string()
            .optional()
            .describe('The reserved extra VPC CIDR for ENI-mode pods'),
        podSubnetCidrs: z =>
          z
            .array(z.string())
            .describe('The ENI pod subnets, one per zone, cut from podCidr'),
        allocationIds: z =>
          z
            .array(z.string())
            .describe(
              'The reservations, to release when a later step fails (empty in a dry run)',
            ),
      },
    },
    async handler(ctx) {
      const { input } = ctx;
      const refs = {
        cluster: input.clusterRef,
        accountId: input.accountId,
        pool: input.pool,
      };
      await audit.run(
        ctx,
        {
          actionId: ACTION_ID,
          eventId: 'cidr-allocate',
          severityLevel: 'medium',
          owner: input.owner,
          refs,
        },
        async step => {
          clusterRefInput(input.clusterRef, 'clusterRef');
          const credentials = await ctx.getInitiatorCredentials();
          await access.assertMayActFor(credentials, {
            permission: cidrAllocationCreatePermission,
            owner: input.owner,
            accountId: input.accountId,
            what: 'reserve addresses',
          });
          const podPool = input.podCidrPool || undefined;

          if (ctx.isDryRun) {
            const pools = await fleet.listCidrPools(credentials);
            const preview = (name: string, field: string) => {
              const pool = pools.find(p => p.name === name);
              if (!pool?.nextFree)
                throw new InputError(
                  `${field}: CIDR pool ${name} is unknown or full`,
                );
              return pool.nextFree;
            };
            const vpcCidr = preview(input.pool, 'pool');
            const podCidr = podPool
              ? preview(podPool, 'podCidrPool')
              : undefined;
            ctx.logger.info(
              `Dry run: would reserve ${vpcCidr} from ${input.pool}${
                podCidr ? ` and ${podCidr} from ${podPool}` : ''
              } for ${input.clusterRef}`,
            );
            output(ctx, vpcCidr, podCidr, input.availabilityZones, []);
            return;
          }

          const reserve = async (
            kind: 'vpc' | 'pods',
            pool: string,
          ): Promise<CidrAllocation> => {
            let key = `reserve-${kind}`;
            for (let attempt = 0; attempt <= MAX_REALLOCATIONS; attempt++) {
              const allocation = await ctx.checkpoint({
                key,
                fn: () =>
                  findOrReserve(fleet, credentials, {
                    pool,
                    owner: input.owner,
                    cluster: input.clusterRef,
                  }),
              });
              const current = await fleet.listAllocations(credentials, pool);
              if (current.some(a => a.id === allocation.id)) {
                return allocation;
              }
              ctx.logger.info(
                `The reservation of ${allocation.cidr} was released since the last attempt; reserving again`,
              );
              key = `reserve-${kind}-after-${allocation.id}`;
            }
            throw new Error(
              `Could not keep a reservation in ${pool} for ${input.clusterRef}`,
            );
          };

          const vpc = await reserve('vpc', input.pool);
          const pods = podPool ? await reserve('pods', podPool) : undefined;
          step.refs.allocationIds = [vpc.id, ...(pods ? [pods.id] : [])];
          step.refs.cidrs = [vpc.cidr, ...(pods ? [pods.cidr] : [])];
          ctx.logger.info(
            `Reserved ${vpc.cidr} (${vpc.id})${
              pods ? ` and ${pods.cidr} (${pods.id})` : ''
            } for ${input.clusterRef}`,
          );
          output(ctx, vpc.cidr, pods?.cidr, input.availabilityZones, [
            vpc.id,
            ...(pods ? [pods.id] : []),
          ]);
        },
      );
    },
  });
}

function output(
  ctx: { output(name: any, value: any): void },
  vpcCidr: string,
  podCidr: string | undefined,
  zones: number | undefined,
  ids: string[],
) {
  ctx.output('vpcCidr', vpcCidr);
  if (podCidr) ctx.output('podCidr', podCidr);
  ctx.output(
    'podSubnetCidrs',
    podCidr ? podSubnetsFor(podCidr, zones ?? 3) : [],
  );
  ctx.output('allocationIds', ids);
}

/** The cluster's reservation in the pool if the user holds one (a resubmitted request), else a new one. */
async function findOrReserve(
  fleet: FleetApi,
  credentials: BackstageCredentials,
  body: { pool: string; owner: string; cluster: string },
): Promise<CidrAllocation> {
  const existing = (await fleet.listAllocations(credentials, body.pool)).find(
    a => a.cluster === body.cluster && a.owner === body.owner,
  );
  return existing ?? fleet.allocate(credentials, body);
}
