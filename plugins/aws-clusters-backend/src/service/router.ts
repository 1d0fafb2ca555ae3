import { InputError } from '@backstage/errors';
import express from 'express';
import Router from 'express-promise-router';
import { accountRoutes } from './routes/accountRoutes';
import { cidrRoutes } from './routes/cidrRoutes';
import { clusterRequestRoutes } from './routes/clusterRequestRoutes';
import { clusterRoutes } from './routes/clusterRoutes';
import { costRoutes } from './routes/costRoutes';
import { healthRoutes } from './routes/healthRoutes';
import { provisioningRoutes } from './routes/provisioningRoutes';
import { referenceRoutes } from './routes/referenceRoutes';
import { RouteContext, RouterOptions } from './routes/RouteContext';

export type { RouterOptions };

/** Builds the REST API of the aws-clusters plugin, one set of routes per resource. */
export async function createRouter(
  options: RouterOptions,
): Promise<express.Router> {
  const router = Router();
  const json = express.json({ limit: '64kb' });
  // A body that is not JSON is the caller's error, named as such whatever the parser's wording.
  router.use((req, res, next) =>
    json(req, res, (error?: { type?: string; message?: string }) =>
      next(
        error?.type === 'entity.parse.failed'
          ? new InputError(`body: is not valid JSON: ${error.message}`)
          : error,
      ),
    ),
  );
  const ctx = new RouteContext(options);
  router.use(clusterRoutes(ctx));
  router.use(provisioningRoutes(ctx));
  router.use(clusterRequestRoutes(ctx));
  router.use(accountRoutes(ctx));
  router.use(cidrRoutes(ctx));
  router.use(referenceRoutes(ctx));
  router.use(costRoutes(ctx));
  router.use(healthRoutes(ctx));
  return router;
}
