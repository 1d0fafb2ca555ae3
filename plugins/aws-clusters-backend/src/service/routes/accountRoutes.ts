import {
  AccountView,
  awsClusterReadPermission,
} from '@clusterdeck/plugin-aws-clusters-common';
import Router from 'express-promise-router';
import { accountViews } from '../../fleet/accountView';
import { noQuery, parse } from '../inputs';
import { RouteContext } from './RouteContext';

/** `GET /accounts`: the accounts that admit an owner whose clusters the caller may read. */
export function accountRoutes(ctx: RouteContext) {
  const router = Router();
  router.get('/accounts', async (req, res) => {
    const credentials = await ctx.credentialsOf(req);
    parse(noQuery, req.query, 'query');
    const model = ctx.options.fleet.current();
    const mayRead = await ctx.listFilter(
      credentials,
      awsClusterReadPermission,
      'accounts',
    );
    const items: AccountView[] = accountViews(model).filter(a =>
      a.owners.some(o => mayRead(o)),
    );
    res.json(ctx.list(model, items, mayRead));
  });
  return router;
}
