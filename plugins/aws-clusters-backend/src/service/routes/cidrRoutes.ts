import { NotFoundError, InputError } from '@backstage/errors';
import {
  cidrAllocationCreatePermission,
  cidrAllocationDeletePermission,
  cidrAllocationReadPermission,
  findFreeCidr,
} from '@clusterdeck/plugin-aws-clusters-common';
import Router from 'express-promise-router';
import { z } from 'zod';
import type { FleetModel } from '../../fleet/buildFleetModel';
import { audited } from '../audited';
import { ReservationQuotaError } from '../CidrReservations';
import { clusterRefSchema, entityRef, noQuery, parse } from '../inputs';
import { RouteContext } from './RouteContext';

const poolQuery = z.strictObject({ pool: z.string().max(100).optional() });
const reserveBody = z.strictObject({
  pool: z.string().max(100),
  owner: entityRef,
  cluster: clusterRefSchema.optional(),
});
const allocationPath = z.object({ id: z.string().uuid() });

/** Every VPC CIDR the fleet uses, so allocations never hand out a block already in use. */
function fleetCidrs(model: FleetModel): string[] {
  const cidrs: string[] = [];
  for (const region of model.regions.values()) {
    for (const { vpc } of region.vpcs.values()) {
      for (const association of vpc.CidrBlockAssociationSet ?? [])
        if (association.CidrBlock) cidrs.push(association.CidrBlock);
      if (vpc.CidrBlock) cidrs.push(vpc.CidrBlock);
    }
  }
  return cidrs;
}

/** `GET /cidr-pools` and the reservations: `GET|POST /cidr-allocations`, `DELETE /cidr-allocations/:id`. */
export function cidrRoutes(ctx: RouteContext) {
  const { fleet, db, config, authorizer, reservations, auditor, logger } =
    ctx.options;
  const router = Router();

  router.get('/cidr-pools', async (req, res) => {
    const credentials = await ctx.credentialsOf(req);
    parse(noQuery, req.query, 'query');
    const mayRead = await ctx.listFilter(
      credentials,
      cidrAllocationReadPermission,
      'CIDR pools',
    );
    const model = fleet.current();
    const allocations = await db.listAllocations();
    const inUse = fleetCidrs(model);
    const items = config.cidrPools.map(pool => {
      const ofPool = allocations
        .filter(a => a.pool === pool.name)
        .map(a => a.cidr);
      const {
        maxUnattachedPerOwner: _cap,
        maxPerCluster: _perCluster,
        ...shown
      } = pool;
      return {
        ...shown,
        allocated: ofPool.length,
        maxUnattachedPerOwner: reservations.capOf(pool),
        maxPerCluster: reservations.perClusterOf(pool),
        nextFree: findFreeCidr(pool.cidr, pool.prefixLength, [
          ...ofPool,
          ...inUse,
        ]),
      };
    });
    res.json(ctx.list(model, items, mayRead));
  });

  router.get('/cidr-allocations', async (req, res) => {
    const credentials = await ctx.credentialsOf(req);
    const { pool } = parse(poolQuery, req.query, 'query');
    const mayRead = await ctx.listFilter(
      credentials,
      cidrAllocationReadPermission,
      'CIDR reservations',
    );
    const me = ctx.nameOf(credentials);
    const allocations = await db.listAllocations(pool);
    const attached = reservations.attached(
      allocations,
      await ctx.attachableClusters(fleet.current()),
    );
    const items = allocations
      .filter(a => mayRead(a.owner) || a.createdBy === me)
      .map(a => {
        const releasedAfter = reservations.releasedAfter(a, attached);
        return releasedAfter ? { ...a, releasedAfter } : a;
      });
    res.json({ items, generatedAt: new Date().toISOString(), errors: [] });
  });

  router.post('/cidr-allocations', async (req, res) => {
    const credentials = await ctx.credentialsOf(req);
    const body = parse(reserveBody, req.body ?? {}, 'body');
    const meta = {
      action: 'reserve',
      pool: body.pool,
      owner: body.owner,
      ...(body.cluster ? { cluster: body.cluster } : {}),
    };
    try {
      const allocation = await audited(
        auditor,
        { eventId: 'cidr-allocation', request: req, meta },
        async () => {
          await authorizer.assert(credentials, cidrAllocationCreatePermission, {
            owner: body.owner,
            what: 'reserve addresses',
          });
          const pool = config.cidrPools.find(p => p.name === body.pool);
          if (!pool)
            throw new InputError(`body pool: no CIDR pool named ${body.pool}`);
          const model = fleet.current();
          const createdBy = ctx.nameOf(credentials);
          return reservations.reserve(
            { pool, owner: body.owner, cluster: body.cluster, createdBy },
            await ctx.attachableClusters(model),
            fleetCidrs(model),
          );
        },
        reserved => ({ id: reserved.id, cidr: reserved.cidr }),
      );
      logger.info(
        `Reserved ${allocation.cidr} from ${allocation.pool} for ${allocation.owner}`,
      );
      res.status(201).json(allocation);
    } catch (error) {
      if (!(error instanceof ReservationQuotaError)) throw error;
      // Backstage's error handler has no 429: the body has its shape all the same.
      res.status(429).json({
        error: { name: error.name, message: error.message },
        request: { method: req.method, url: req.originalUrl },
        response: { statusCode: 429 },
      });
    }
  });

  router.delete('/cidr-allocations/:id', async (req, res) => {
    const credentials = await ctx.credentialsOf(req);
    const { id } = parse(allocationPath, req.params, 'path');
    await audited(
      auditor,
      {
        eventId: 'cidr-allocation',
        request: req,
        meta: { action: 'release', id },
      },
      async () => {
        const allocation = await db.getAllocation(id).catch(() => undefined);
        const mayRelease =
          allocation &&
          (allocation.createdBy === ctx.nameOf(credentials) ||
            (await authorizer.allows(
              credentials,
              cidrAllocationDeletePermission,
              allocation.owner,
            )));
        // A reservation the caller may not release is answered as one that does not exist.
        if (!allocation || !mayRelease)
          throw new NotFoundError(`no CIDR allocation ${id}`);
        await db.release(id);
      },
    );
    res.status(204).end();
  });

  return router;
}
