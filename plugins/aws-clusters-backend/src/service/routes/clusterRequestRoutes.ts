import { ConflictError, InputError, NotFoundError } from '@backstage/errors';
import {
  awsClusterCreatePermission,
  checkClusterReferences,
  validateClusterRequest,
} from '@clusterdeck/plugin-aws-clusters-common';
import Router from 'express-promise-router';
import { z } from 'zod';
import { requestRef } from '../../fleet/requestedClusters';
import { audited } from '../audited';
import { clusterPath, COLUMN, parse } from '../inputs';
import { organizationsOf } from '../organizations';
import { fleetReferencesOf, referencesForOwner } from './fleetReferencesOf';
import { RouteContext } from './RouteContext';

const requestBody = z.strictObject({
  request: z.unknown(),
  /** The GitOps branch the change was proposed on, shown in the cluster's provisioning timeline. */
  branch: z.string().min(1).max(COLUMN).optional(),
  /** The pull request or change that carries it. */
  changeUrl: z
    .url({ protocol: /^https?$/ })
    .max(1024)
    .optional(),
});

/** `POST /cluster-requests` and `DELETE /cluster-requests/:managementCluster/:namespace/:name`. */
export function clusterRequestRoutes(ctx: RouteContext) {
  const { fleet, db, config, authorizer, auditor, logger } = ctx.options;
  const router = Router();

  router.post('/cluster-requests', async (req, res) => {
    const credentials = await ctx.credentialsOf(req);
    const body = parse(requestBody, req.body ?? {}, 'body');
    const validation = validateClusterRequest(body.request);
    if (!validation.ok) {
      throw new InputError(
        validation.problems
          .map(p => `body request.${p.path}: ${p.message}`)
          .join('; '),
      );
    }
    const { request, namespace } = validation.value;
    const spec = request.spec;
    const owner = request.metadata.owner;
    const ref = requestRef(request, namespace);
    await audited(
      auditor,
      {
        eventId: 'cluster-request',
        request: req,
        meta: { action: 'record', ref, owner },
      },
      async () => {
        await authorizer.assert(credentials, awsClusterCreatePermission, {
          owner,
          what: 'request clusters',
        });
        if (owner.length > COLUMN)
          throw new InputError(
            `body request.metadata.owner: must be at most ${COLUMN} characters`,
          );
        // The cluster's namespace must be one of the owner's: never another team's, nor one a
        // group of another catalog namespace would get by its name alone.
        const organizations = organizationsOf(owner, config.organizations);
        if (!organizations.includes(request.metadata.organization))
          throw new InputError(
            `body request.metadata.organization: ${
              request.metadata.organization
            } is not an organization of ${owner} (its organizations: ${
              organizations.join(', ') || 'none'
            }; clusterdeck.organizations maps others)`,
          );
        if (
          !config.managementClusters.some(
            mc => mc.name === spec.managementCluster,
          )
        ) {
          throw new InputError(
            `body request.spec.managementCluster: no management cluster named ${spec.managementCluster}`,
          );
        }
        if (ref.length > COLUMN)
          throw new InputError(
            `body request.metadata.name: the cluster reference ${ref} is longer than ${COLUMN} characters`,
          );
        const account = config.accounts.find(a => a.id === spec.account.id);
        if (!account)
          throw new InputError(
            `body request.spec.account.id: account ${spec.account.id} is not configured`,
          );
        const admin = await authorizer.isAdmin(credentials);
        if (!account.owners.includes(owner) && !admin) {
          throw new InputError(
            `body request.spec.account.id: account ${account.name} (${account.id}) does not admit ${owner}`,
          );
        }
        // What the request names must exist and belong together, or CAPA would build elsewhere or
        // never; checked against what the owner may use, so no answer names another team's.
        const wrong = checkClusterReferences(
          request,
          referencesForOwner(
            fleetReferencesOf(fleet, config),
            config,
            owner,
            admin,
          ),
        );
        if (wrong.length > 0)
          throw new InputError(
            wrong.map(p => `body request.${p.path}: ${p.message}`).join('; '),
          );
        if (fleet.current().byRef.has(ref))
          throw new ConflictError(
            `body request.metadata.name: cluster ${ref} already exists`,
          );
        await db.saveRequest({
          ref,
          owner,
          request,
          createdBy: ctx.nameOf(credentials),
          createdAt: new Date().toISOString(),
          ...(body.branch ? { branch: body.branch } : {}),
          ...(body.changeUrl ? { changeUrl: body.changeUrl } : {}),
        });
        ctx.requestsChanged();
      },
    );
    logger.info(`Recorded the request of cluster ${ref} for ${owner}`);
    res.status(201).json({ ref });
  });

  router.delete(
    '/cluster-requests/:managementCluster/:namespace/:name',
    async (req, res) => {
      const credentials = await ctx.credentialsOf(req);
      const params = parse(clusterPath, req.params, 'path');
      const ref = `${params.managementCluster}/${params.namespace}/${params.name}`;
      await audited(
        auditor,
        {
          eventId: 'cluster-request',
          request: req,
          meta: { action: 'withdraw', ref },
        },
        async () => {
          const stored = (await db.listRequests()).find(r => r.ref === ref);
          const mayWithdraw =
            stored &&
            (ctx.nameOf(credentials) === stored.createdBy ||
              (await authorizer.allows(
                credentials,
                awsClusterCreatePermission,
                stored.owner,
              )));
          // A request the caller may not withdraw is answered as one that does not exist.
          if (!stored || !mayWithdraw)
            throw new NotFoundError(`no requested cluster ${ref}`);
          await db.deleteRequests([ref]);
          ctx.requestsChanged();
        },
      );
      res.status(204).end();
    },
  );

  return router;
}
