import { NotFoundError } from '@backstage/errors';
import {
  awsClusterReadPermission,
  ClusterDetail,
  ClusterSummary,
  ListResponse,
} from '@clusterdeck/plugin-aws-clusters-common';
import type express from 'express';
import Router from 'express-promise-router';
import { z } from 'zod';
import { boundariesView } from '../../fleet/boundariesView';
import { scalingView } from '../../fleet/scalingView';
import { connectView } from '../../fleet/connectView';
import { topologyView } from '../../fleet/topologyView';
import { upgradeInsightsView } from '../../fleet/upgradeInsightsView';
import { sendEncoded } from '../EncodedAnswer';
import { fleetListPage, listCursorSchema } from '../fleetListPage';
import {
  accountId,
  clusterPath,
  entityRef,
  name,
  ownerQuery,
  parse,
} from '../inputs';
import { RouteContext } from './RouteContext';

/** The most clusters one page of the fleet list holds. */
const MAX_PAGE = 500;
const PAGE_LIMIT = `must be a whole number from 1 to ${MAX_PAGE}`;

const clusterListQuery = z
  .strictObject({
    owner: entityRef.optional(),
    managementCluster: name.optional(),
    accountId: accountId.optional(),
    limit: z
      .string()
      .regex(/^\d+$/, { error: PAGE_LIMIT })
      .transform(Number)
      .refine(n => n >= 1 && n <= MAX_PAGE, { error: PAGE_LIMIT })
      .optional(),
    cursor: listCursorSchema.optional(),
  })
  .refine(q => !q.cursor || q.limit !== undefined, {
    path: ['cursor'],
    error: 'is given with a limit only',
  });

/** `GET /clusters`, `GET /clusters/:managementCluster/:namespace/:name` and `GET /boundaries`. */
export function clusterRoutes(ctx: RouteContext) {
  const { fleet, config, authorizer } = ctx.options;
  const router = Router();

  /** The query, the fleet and the owners whose clusters the caller may read. */
  const listed = async <T extends z.ZodType>(
    req: express.Request,
    schema: T,
    what: string,
  ) => {
    const credentials = await ctx.credentialsOf(req);
    const query = parse(schema, req.query, 'query');
    const model = fleet.current();
    const mayRead = await ctx.listFilter(
      credentials,
      awsClusterReadPermission,
      what,
    );
    return { query, model, mayRead };
  };

  router.get('/clusters', async (req, res) => {
    const { query, model, mayRead } = await listed(
      req,
      clusterListQuery,
      'clusters',
    );
    // The filters narrow what the caller may read: a filter naming what it may not read finds nothing.
    const matches = (c: ClusterSummary) =>
      (!query.owner || c.owner === query.owner) &&
      (!query.managementCluster ||
        c.managementCluster === query.managementCluster) &&
      (!query.accountId || c.accountId === query.accountId);
    const requested = (await ctx.requestedClusters(model, mayRead)).filter(
      matches,
    );
    const held = ctx.answers.of(model);
    const reported = () =>
      held.summaries.filter(c => mayRead(c.owner) && matches(c));
    // The key holds everything the answer's bytes depend on, the caller's visibility first.
    const key = [
      mayRead.key,
      query.owner ?? '',
      query.managementCluster ?? '',
      query.accountId ?? '',
      requested.length === 0 ? '' : JSON.stringify(requested),
    ];
    const { limit, cursor } = query;
    const answer =
      limit === undefined
        ? held.lists.get(JSON.stringify(key), () =>
            JSON.stringify(
              ctx.list(model, [...reported(), ...requested], mayRead),
            ),
          )
        : held.pages.get(
            JSON.stringify([...key, limit, cursor ?? null]),
            () => {
              const page = fleetListPage(
                { reported: reported(), requested },
                limit,
                cursor,
              );
              const body: ListResponse<ClusterSummary> = {
                ...ctx.list(model, page.items, mayRead),
                total: page.total,
                ...(page.nextCursor ? { nextCursor: page.nextCursor } : {}),
              };
              return JSON.stringify(body);
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
    const {
      query: { owner },
      model,
      mayRead,
    } = await listed(req, ownerQuery, 'boundaries');
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
