import { NotFoundError } from '@backstage/errors';
import {
  awsClusterReadPermission,
  type CostsResponse,
} from '@clusterdeck/plugin-aws-clusters-common';
import Router from 'express-promise-router';
import { teamCosts } from '../../cost/costViews';
import { clusterSummary } from '../../fleet/summaryView';
import { COST_FAILURE_HIDDEN } from '../ClusterExtras';
import { ownerQuery, parse } from '../inputs';
import { RouteContext } from './RouteContext';

/** `GET /costs`: cost per cluster and per team per month, for the clusters the caller may read. */
export function costRoutes(ctx: RouteContext) {
  const { fleet, authorizer } = ctx.options;
  const router = Router();

  router.get('/costs', async (req, res) => {
    const credentials = await ctx.credentialsOf(req);
    const { owner } = parse(ownerQuery, req.query, 'query');
    const mayRead = await ctx.listFilter(
      credentials,
      awsClusterReadPermission,
      'costs',
    );
    const costs = ctx.extras.costService;
    if (!costs)
      throw new NotFoundError(
        'cost is not read: clusterdeck.cost is not configured',
      );
    const index = costs.current();
    const model = fleet.current();
    const clusters = model.clusters
      .filter(c => mayRead(c.owner) && (!owner || c.owner === owner))
      .map(c => {
        const summary = clusterSummary(c);
        return {
          owner: c.owner,
          view: ctx.extras.costView(summary)!,
          ref: c.ref,
        };
      });
    const { state } = index;
    // AWS's answer to a failed read names the payer account and roles: administrators only.
    const failure =
      state.failure &&
      ((await authorizer.isAdmin(credentials))
        ? state.failure
        : `Cost Explorer could not be read: ${COST_FAILURE_HIDDEN}`);
    const answer: CostsResponse = {
      status: state.status,
      tagKey: state.tagKey,
      metric: state.metric,
      ...(state.readAt ? { readAt: state.readAt } : {}),
      ...(failure || state.message
        ? { message: failure || state.message }
        : {}),
      clusters: clusters.map(c => ({
        cluster: c.ref,
        owner: c.owner,
        ...c.view,
      })),
      teams: teamCosts(clusters),
    };
    res.json(answer);
  });

  return router;
}
