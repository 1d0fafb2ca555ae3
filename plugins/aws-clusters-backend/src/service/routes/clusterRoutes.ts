import { NotFoundError } from '@backstage/errors';
import {
  awsClusterReadPermission,
  ClusterDetail,
} from '@clusterdeck/plugin-aws-clusters-common';
import type express from 'express';
import Router from 'express-promise-router';
import { boundariesView } from '../../fleet/boundariesView';
import { scalingView } from '../../fleet/scalingView';
import { connectView } from '../../fleet/connectView';
import { topologyView } from '../../fleet/topologyView';
import { upgradeInsightsView } from '../../fleet/upgradeInsightsView';
import { sendEncoded } from '../EncodedAnswer';
import { clusterPath, ownerQuery, parse } from '../inputs';
import { RouteContext } from './RouteContext';

/** `GET /clusters`, `GET /clusters/:managementCluster/:namespace/:name` and `GET /boundaries`. */
export function clusterRoutes(ctx: RouteContext) {
  const { fleet, config, authorizer } = ctx.options;
  const router = Router();

  /** The fleet, the owner asked for and the owners whose clusters the caller may read. */
  const listed = async (req: express.Request, what: string) => {
    const credentials = await ctx.credentialsOf(req);
    const { owner } = parse(ownerQuery, req.query, 'query');
    const model = fleet.current();
    const mayRead = await ctx.listFilter(
      credentials,
      awsClusterReadPermission,
      what,
    );
    return { owner, model, mayRead };
  };

  router.get('/clusters', async (req, res) => {
    const { owner, model, mayRead } = await listed(req, 'clusters');
    const requested = (await ctx.requestedClusters(model, mayRead)).filter(
      c => !owner || c.owner === owner,
    );
    const requestedJson =
      requested.length === 0 ? '' : JSON.stringify(requested);
    const held = ctx.answers.of(model);
    // The key holds everything the answer's bytes depend on, the caller's visibility first.
    const answer = held.lists.get(
      JSON.stringify([mayRead.key, owner ?? '', requestedJson]),
      () => {
        const reported = model.clusters.flatMap((c, i) =>
          mayRead(c.owner) && (!owner || c.owner === owner)
            ? [held.summaries[i]]
            : [],
        );
        return JSON.stringify(
          ctx.list(model, [...reported, ...requested], mayRead),
        );
      },
    );
    await sendEncoded(req, res, answer);
  });

  router.get(
    '/clusters/:managementCluster/:namespace/:name',
    async (req, res) => {
      const credentials = await ctx.credentialsOf(req);
      const params = parse(clusterPath, req.params, 'path');
      const model = fleet.current();
      const cluster = model.byRef.get(
        `${params.managementCluster}/${params.namespace}/${params.name}`,
      );
      // A cluster the caller may not see gets the answer of one that does not exist.
      if (
        !cluster ||
        !(await authorizer.allows(
          credentials,
          awsClusterReadPermission,
          cluster.owner,
        ))
      ) {
        throw new NotFoundError(
          `no cluster ${params.name} in ${params.namespace} on ${params.managementCluster}`,
        );
      }
      const answer = ctx.answers.of(model).details.get(cluster.ref, () => {
        const summary = ctx.extras.summary(cluster);
        const insights = upgradeInsightsView(cluster);
        const cost = ctx.extras.costView(summary);
        const detail: ClusterDetail = {
          cluster: summary,
          topology: topologyView(cluster, summary.apiEndpoint),
          boundaries: boundariesView(model, [cluster], config.adminGroups),
          nodePools: scalingView(cluster),
          sources: model.sources.filter(s =>
            cluster.sources.includes(s.source),
          ),
          ...(insights.length ? { upgradeInsights: insights } : {}),
          connect: connectView(summary, config.connect),
          ...(cost ? { cost } : {}),
        };
        return JSON.stringify({ ...detail, generatedAt: model.generatedAt });
      });
      await sendEncoded(req, res, answer);
    },
  );

  router.get('/boundaries', async (req, res) => {
    const { owner, model, mayRead } = await listed(req, 'boundaries');
    const visible = model.clusters.filter(
      c => mayRead(c.owner) && (!owner || c.owner === owner),
    );
    res.json({
      ...boundariesView(model, visible, config.adminGroups),
      generatedAt: model.generatedAt,
      ...ctx.errorsFor(model, mayRead),
    });
  });

  return router;
}
