import { NotFoundError } from '@backstage/errors';
import { awsClusterReadPermission } from '@clusterdeck/plugin-aws-clusters-common';
import Router from 'express-promise-router';
import { provisioningTimeline } from '../../fleet/provisioningTimeline';
import { clusterPath, parse } from '../inputs';
import { RouteContext } from './RouteContext';

/** `GET /clusters/:managementCluster/:namespace/:name/provisioning`: the cluster's provisioning timeline. */
export function provisioningRoutes(ctx: RouteContext) {
  const { fleet, authorizer } = ctx.options;
  const router = Router();

  router.get(
    '/clusters/:managementCluster/:namespace/:name/provisioning',
    async (req, res) => {
      const credentials = await ctx.credentialsOf(req);
      const params = parse(clusterPath, req.params, 'path');
      const ref = `${params.managementCluster}/${params.namespace}/${params.name}`;
      const model = fleet.current();
      const record = model.byRef.get(ref);
      const request = (await ctx.storedRequests()).find(r => r.ref === ref);
      // A reported cluster's owner decides; a requested one's is the request's.
      const owner =
        record?.owner ?? (request?.reportedAt ? undefined : request?.owner);
      // A cluster the caller may not see gets the answer of one that does not exist.
      if (
        owner === undefined ||
        !(await authorizer.allows(credentials, awsClusterReadPermission, owner))
      ) {
        throw new NotFoundError(
          `no cluster ${params.name} in ${params.namespace} on ${params.managementCluster}`,
        );
      }
      res.json({
        ...provisioningTimeline({ ref, record, request, now: new Date() }),
        sources: model.sources.filter(s => record?.sources.includes(s.source)),
      });
    },
  );

  return router;
}
