import Router from 'express-promise-router';
import { RouteContext } from './RouteContext';

/** `GET /health`: a status for anyone, the sources and their errors for admins. */
export function healthRoutes(ctx: RouteContext) {
  const { fleet, httpAuth, authorizer } = ctx.options;
  const router = Router();
  router.get('/health', async (req, res) => {
    const credentials = await httpAuth.credentials(req, {
      allow: ['user', 'service', 'none'],
    });
    const health = fleet.health();
    // The sources name accounts and carry AWS's own messages (ARNs): for administrators only.
    if (await authorizer.isAdmin(credentials)) {
      res.json(health);
      return;
    }
    let status = 'ok';
    if (health.sources.length === 0) status = 'empty';
    else if (health.sources.some(s => s.stale)) status = 'degraded';
    res.json({
      status,
      ...(health.refresh ? { refreshedAt: health.refresh.startedAt } : {}),
      ...(health.loadedAt ? { loadedAt: health.loadedAt } : {}),
    });
  });
  return router;
}
