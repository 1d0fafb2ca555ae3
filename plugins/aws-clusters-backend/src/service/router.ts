import { AuditorService, AuthService, BackstageCredentials, HttpAuthService, LoggerService } from '@backstage/backend-plugin-api';
import { ConflictError, InputError, NotAllowedError, NotFoundError } from '@backstage/errors';
import {
  AccountView,
  awsClusterCreatePermission,
  awsClusterReadPermission,
  cidrAllocationCreatePermission,
  cidrAllocationDeletePermission,
  cidrAllocationReadPermission,
  ClusterDetail,
  ClusterSummary,
  findFreeCidr,
  formatPath,
  ListResponse,
  SourceStatus,
  validateClusterRequest,
} from '@clusterdeck/plugin-aws-clusters-common';
import type { AwsClusterPermission, ClusterdeckAuthorizer, ClusterdeckConfig, OwnerFilter } from '@clusterdeck/plugin-aws-clusters-node';
import express from 'express';
import Router from 'express-promise-router';
import { z } from 'zod';
import { ClusterdeckDatabase, StoredClusterRequest } from '../database/ClusterdeckDatabase';
import type { FleetModel } from '../fleet/buildFleetModel';
import { boundariesView } from '../fleet/boundariesView';
import { scalingView } from '../fleet/scalingView';
import { clusterSummary } from '../fleet/summaryView';
import { topologyView } from '../fleet/topologyView';
import { accountViews } from '../fleet/accountView';
import { requestedClusterSummary, requestRef } from '../fleet/requestedClusters';
import { audited } from './audited';
import { CidrReservations, ReservationQuotaError } from './CidrReservations';
import { AnswerCache, sendEncoded } from './EncodedAnswer';
import { FleetService } from './FleetService';

/** What the router needs. */
export interface RouterOptions {
  fleet: FleetService;
  db: ClusterdeckDatabase;
  config: ClusterdeckConfig;
  httpAuth: HttpAuthService;
  auth: AuthService;
  authorizer: ClusterdeckAuthorizer;
  reservations: CidrReservations;
  auditor: AuditorService;
  logger: LoggerService;
}

/** The longest value a string column holds on every database Backstage runs on. */
const COLUMN = 255;

const entityRef = z
  .string()
  .max(COLUMN, { error: `must be at most ${COLUMN} characters` })
  .regex(/^(group|user):([a-z0-9][-a-z0-9_.]*\/)?[A-Za-z0-9][-A-Za-z0-9_.]*$/, {
    error: 'must be an entity reference such as group:default/payments',
  });
const name = z.string().regex(/^[a-z0-9]([-a-z0-9.]{0,251}[a-z0-9])?$/, { error: 'must be a Kubernetes object name' });
const clusterRefSchema = z
  .string()
  .max(COLUMN, { error: `must be at most ${COLUMN} characters` })
  .regex(/^[a-z0-9]([-a-z0-9.]*[a-z0-9])?\/[a-z0-9]([-a-z0-9]*[a-z0-9])?\/[a-z0-9]([-a-z0-9.]*[a-z0-9])?$/, {
    error: 'must be a cluster reference <managementCluster>/<namespace>/<name>',
  });

function parse<T extends z.ZodType>(schema: T, input: unknown, where: string): z.output<T> {
  const result = schema.safeParse(input);
  if (!result.success) {
    const details = result.error.issues.map(i => {
      const path = formatPath(i.path);
      return `${where}${path ? ` ${path}` : ''}: ${i.code === 'unrecognized_keys' ? `unknown ${i.keys.join(', ')}` : i.message}`;
    });
    throw new InputError(details.join('; '));
  }
  return result.data;
}

// Schemas are made once: zod compiles a schema on its first use, which is work not to repeat per request.
const ownerQuery = z.strictObject({ owner: entityRef.optional() });
const clusterPath = z.object({ managementCluster: name, namespace: name, name });

/**
 * Bytes of ready answers kept per fleet model: fleet lists (one per kind of caller, owner filter
 * and set of pending requests) and cluster details (one per cluster, the same for every caller
 * allowed to read it). Least recently used answers go first; all go with their model.
 */
const FLEET_LIST_BYTES = 96 * 2 ** 20;
const CLUSTER_DETAIL_BYTES = 16 * 2 ** 20;
/** How long one read of the stored cluster requests serves the fleet lists of this replica. */
const REQUESTS_SHARED_MS = 100;

/** Builds the REST API of the aws-clusters plugin. */
export async function createRouter(options: RouterOptions): Promise<express.Router> {
  const { fleet, db, config, httpAuth, auth, authorizer, reservations, auditor } = options;
  const router = Router();
  const json = express.json({ limit: '64kb' });
  // A body that is not JSON is the caller's error, named as such whatever the parser's wording.
  router.use((req, res, next) =>
    json(req, res, (error?: { type?: string; message?: string }) =>
      next(error?.type === 'entity.parse.failed' ? new InputError(`body: is not valid JSON: ${error.message}`) : error),
    ),
  );

  const credentialsOf = (req: express.Request) => httpAuth.credentials(req, { allow: ['user', 'service'] });
  const createdByOf = (credentials: BackstageCredentials) => authorizer.nameOf(credentials);

  /**
   * Ready answers per fleet model. The fleet list is summarized once per model, then filtered,
   * serialized, hashed and compressed once per permission decision key, owner filter and set of
   * visible pending requests (everything its bytes depend on), so that a request costs its
   * permission check and a lookup, whatever the fleet's size.
   */
  const answers = new WeakMap<FleetModel, { summaries: ClusterSummary[]; lists: AnswerCache; details: AnswerCache }>();
  function answersOf(model: FleetModel) {
    let held = answers.get(model);
    if (!held) {
      held = { summaries: model.clusters.map(clusterSummary), lists: new AnswerCache(FLEET_LIST_BYTES), details: new AnswerCache(CLUSTER_DETAIL_BYTES) };
      answers.set(model, held);
    }
    return held;
  }

  /**
   * The stored cluster requests. One read serves the requests that come within
   * {@link REQUESTS_SHARED_MS} of its start, unless this replica recorded or withdrew a request
   * since: what this replica writes shows at once, what another replica writes within that time
   * (the fleet itself reaches other replicas within their reload interval). A database read per
   * fleet-list request would cost more than the rest of the request.
   */
  let requestWrites = 0;
  let sharedRead: { writes: number; at: number; requests: Promise<StoredClusterRequest[]> } | undefined;
  function storedRequests(): Promise<StoredClusterRequest[]> {
    const now = performance.now();
    if (!sharedRead || sharedRead.writes !== requestWrites || now - sharedRead.at > REQUESTS_SHARED_MS) {
      const read = { writes: requestWrites, at: now, requests: db.listRequests() };
      sharedRead = read;
      read.requests.catch(() => {
        if (sharedRead === read) sharedRead = undefined;
      });
    }
    return sharedRead.requests;
  }

  /**
   * The owners whose data a list may show. A user the policy denies sees an empty list; a
   * service that configuration grants nothing is refused, so that it learns it needs a grant.
   */
  async function listFilter(credentials: BackstageCredentials, permission: AwsClusterPermission, what: string): Promise<OwnerFilter> {
    const filter = await authorizer.owners(credentials, permission);
    if (filter.key === 'none' && !auth.isPrincipal(credentials, 'user')) {
      throw new NotAllowedError(`${createdByOf(credentials)} may not list ${what} (${permission.name})`);
    }
    return filter;
  }

  /** Requested clusters the management clusters have not reported yet, as the caller may see them. */
  async function requestedClusters(model: FleetModel, mayRead: OwnerFilter) {
    const pending = (await storedRequests()).filter(r => !model.byRef.has(r.ref));
    return pending.filter(r => mayRead(r.owner)).map(r => requestedClusterSummary(r, config));
  }

  /** Clusters reservations count as attached to: reported ones and pending requests. */
  async function attachedClusters(model: FleetModel) {
    return CidrReservations.attachedClusters(
      model,
      (await storedRequests()).map(r => r.ref),
    );
  }

  /**
   * The failed sources a caller is told about: those of the accounts and management clusters
   * its visible clusters depend on; the others only as a count.
   */
  function errorsFor(model: FleetModel, mayRead: OwnerFilter): Pick<ListResponse<unknown>, 'errors' | 'otherErrors'> {
    const stale = model.sources.filter(s => s.stale);
    if (stale.length === 0) return { errors: [] };
    if (mayRead.key === 'all') return { errors: stale };
    const relevant = new Set(model.clusters.filter(c => mayRead(c.owner)).flatMap(c => c.sources));
    const errors: SourceStatus[] = stale.filter(s => relevant.has(s.source));
    return errors.length === stale.length ? { errors } : { errors, otherErrors: stale.length - errors.length };
  }

  function list<T>(model: FleetModel, items: T[], mayRead: OwnerFilter): ListResponse<T> {
    return { items, generatedAt: model.generatedAt, ...errorsFor(model, mayRead) };
  }

  router.get('/clusters', async (req, res) => {
    const { owner } = parse(ownerQuery, req.query, 'query');
    const model = fleet.current();
    const credentials = await credentialsOf(req);
    const mayRead = await listFilter(credentials, awsClusterReadPermission, 'clusters');
    const requested = (await requestedClusters(model, mayRead)).filter(c => !owner || c.owner === owner);
    const requestedJson = requested.length === 0 ? '' : JSON.stringify(requested);
    const held = answersOf(model);
    // The key holds everything the answer's bytes depend on, the caller's visibility first.
    const answer = held.lists.get(JSON.stringify([mayRead.key, owner ?? '', requestedJson]), () => {
      const reported = model.clusters.flatMap((c, i) => (mayRead(c.owner) && (!owner || c.owner === owner) ? [held.summaries[i]] : []));
      return JSON.stringify(list(model, [...reported, ...requested], mayRead));
    });
    await sendEncoded(req, res, answer);
  });

  router.post('/cluster-requests', async (req, res) => {
    const credentials = await credentialsOf(req);
    const body = parse(z.strictObject({ request: z.unknown() }), req.body ?? {}, 'body');
    const validation = validateClusterRequest(body.request);
    if (!validation.ok) {
      throw new InputError(validation.problems.map(p => `body request.${p.path}: ${p.message}`).join('; '));
    }
    const { request, namespace } = validation.value;
    const spec = request.spec;
    const owner = request.metadata.owner;
    const ref = requestRef(request, namespace);
    await audited(auditor, { eventId: 'cluster-request', request: req, meta: { action: 'record', ref, owner } }, async () => {
      await authorizer.assert(credentials, awsClusterCreatePermission, { owner, what: 'request clusters' });
      if (owner.length > COLUMN) throw new InputError(`body request.metadata.owner: must be at most ${COLUMN} characters`);
      if (!config.managementClusters.some(mc => mc.name === spec.managementCluster)) {
        throw new InputError(`body request.spec.managementCluster: no management cluster named ${spec.managementCluster}`);
      }
      if (ref.length > COLUMN) throw new InputError(`body request.metadata.name: the cluster reference ${ref} is longer than ${COLUMN} characters`);
      const account = config.accounts.find(a => a.id === spec.account.id);
      if (!account) throw new InputError(`body request.spec.account.id: account ${spec.account.id} is not configured`);
      if (!account.owners.includes(owner) && !(await authorizer.isAdmin(credentials))) {
        throw new InputError(`body request.spec.account.id: account ${account.name} (${account.id}) does not admit ${owner}`);
      }
      if (fleet.current().byRef.has(ref)) throw new ConflictError(`body request.metadata.name: cluster ${ref} already exists`);
      await db.saveRequest({ ref, owner, request, createdBy: createdByOf(credentials), createdAt: new Date().toISOString() });
      requestWrites += 1;
    });
    options.logger.info(`Recorded the request of cluster ${ref} for ${owner}`);
    res.status(201).json({ ref });
  });

  router.delete('/cluster-requests/:managementCluster/:namespace/:name', async (req, res) => {
    const credentials = await credentialsOf(req);
    const params = parse(clusterPath, req.params, 'path');
    const ref = `${params.managementCluster}/${params.namespace}/${params.name}`;
    await audited(auditor, { eventId: 'cluster-request', request: req, meta: { action: 'withdraw', ref } }, async () => {
      const stored = (await db.listRequests()).find(r => r.ref === ref);
      const mayWithdraw =
        stored && (createdByOf(credentials) === stored.createdBy || (await authorizer.allows(credentials, awsClusterCreatePermission, stored.owner)));
      // A request the caller may not withdraw is answered as one that does not exist.
      if (!stored || !mayWithdraw) throw new NotFoundError(`no requested cluster ${ref}`);
      await db.deleteRequests([ref]);
      requestWrites += 1;
    });
    res.status(204).end();
  });

  router.get('/clusters/:managementCluster/:namespace/:name', async (req, res) => {
    const credentials = await credentialsOf(req);
    const params = parse(clusterPath, req.params, 'path');
    const model = fleet.current();
    const cluster = model.byRef.get(`${params.managementCluster}/${params.namespace}/${params.name}`);
    // A cluster the caller may not see gets the answer of one that does not exist.
    if (!cluster || !(await authorizer.allows(credentials, awsClusterReadPermission, cluster.owner))) {
      throw new NotFoundError(`no cluster ${params.name} in ${params.namespace} on ${params.managementCluster}`);
    }
    const answer = answersOf(model).details.get(cluster.ref, () => {
      const summary = clusterSummary(cluster);
      const detail: ClusterDetail = {
        cluster: summary,
        topology: topologyView(cluster, summary.apiEndpoint),
        boundaries: boundariesView(model, [cluster], config.adminGroups),
        nodePools: scalingView(cluster),
        sources: model.sources.filter(s => cluster.sources.includes(s.source)),
      };
      return JSON.stringify({ ...detail, generatedAt: model.generatedAt });
    });
    await sendEncoded(req, res, answer);
  });

  router.get('/boundaries', async (req, res) => {
    const credentials = await credentialsOf(req);
    const { owner } = parse(ownerQuery, req.query, 'query');
    const model = fleet.current();
    const mayRead = await listFilter(credentials, awsClusterReadPermission, 'boundaries');
    const visible = model.clusters.filter(c => mayRead(c.owner) && (!owner || c.owner === owner));
    res.json({ ...boundariesView(model, visible, config.adminGroups), generatedAt: model.generatedAt, ...errorsFor(model, mayRead) });
  });

  router.get('/accounts', async (req, res) => {
    const credentials = await credentialsOf(req);
    parse(z.strictObject({}), req.query, 'query');
    const model = fleet.current();
    const mayRead = await listFilter(credentials, awsClusterReadPermission, 'accounts');
    const items: AccountView[] = accountViews(model).filter(a => a.owners.some(o => mayRead(o)));
    res.json(list(model, items, mayRead));
  });

  router.get('/cidr-pools', async (req, res) => {
    const credentials = await credentialsOf(req);
    parse(z.strictObject({}), req.query, 'query');
    const mayRead = await listFilter(credentials, cidrAllocationReadPermission, 'CIDR pools');
    const model = fleet.current();
    const allocations = await db.listAllocations();
    const inUse = fleetCidrs(model);
    const items = config.cidrPools.map(pool => {
      const ofPool = allocations.filter(a => a.pool === pool.name).map(a => a.cidr);
      const { maxUnattachedPerOwner: _cap, ...shown } = pool;
      return {
        ...shown,
        allocated: ofPool.length,
        maxUnattachedPerOwner: reservations.capOf(pool),
        nextFree: findFreeCidr(pool.cidr, pool.prefixLength, [...ofPool, ...inUse]),
      };
    });
    res.json(list(model, items, mayRead));
  });

  router.get('/cidr-allocations', async (req, res) => {
    const credentials = await credentialsOf(req);
    const { pool } = parse(z.strictObject({ pool: z.string().max(100).optional() }), req.query, 'query');
    const mayRead = await listFilter(credentials, cidrAllocationReadPermission, 'CIDR reservations');
    const me = createdByOf(credentials);
    const attached = await attachedClusters(fleet.current());
    const items = (await db.listAllocations(pool))
      .filter(a => mayRead(a.owner) || a.createdBy === me)
      .map(a => {
        const releasedAfter = reservations.releasedAfter(a, attached);
        return releasedAfter ? { ...a, releasedAfter } : a;
      });
    res.json({ items, generatedAt: new Date().toISOString(), errors: [] });
  });

  router.post('/cidr-allocations', async (req, res) => {
    const credentials = await credentialsOf(req);
    const body = parse(z.strictObject({ pool: z.string().max(100), owner: entityRef, cluster: clusterRefSchema.optional() }), req.body ?? {}, 'body');
    try {
      const allocation = await audited(
        auditor,
        { eventId: 'cidr-allocation', request: req, meta: { action: 'reserve', pool: body.pool, owner: body.owner, ...(body.cluster ? { cluster: body.cluster } : {}) } },
        async () => {
          await authorizer.assert(credentials, cidrAllocationCreatePermission, { owner: body.owner, what: 'reserve addresses' });
          const pool = config.cidrPools.find(p => p.name === body.pool);
          if (!pool) throw new InputError(`body pool: no CIDR pool named ${body.pool}`);
          const model = fleet.current();
          return reservations.reserve(
            { pool, owner: body.owner, cluster: body.cluster, createdBy: createdByOf(credentials) },
            await attachedClusters(model),
            fleetCidrs(model),
          );
        },
        reserved => ({ id: reserved.id, cidr: reserved.cidr }),
      );
      options.logger.info(`Reserved ${allocation.cidr} from ${allocation.pool} for ${allocation.owner}`);
      res.status(201).json(allocation);
    } catch (error) {
      if (!(error instanceof ReservationQuotaError)) throw error;
      res.status(429).json({ error: { name: error.name, message: error.message }, request: { method: req.method, url: req.originalUrl }, response: { statusCode: 429 } });
    }
  });

  router.delete('/cidr-allocations/:id', async (req, res) => {
    const credentials = await credentialsOf(req);
    const { id } = parse(z.object({ id: z.string().uuid() }), req.params, 'path');
    await audited(auditor, { eventId: 'cidr-allocation', request: req, meta: { action: 'release', id } }, async () => {
      const allocation = await db.getAllocation(id).catch(() => undefined);
      const mayRelease =
        allocation && (allocation.createdBy === createdByOf(credentials) || (await authorizer.allows(credentials, cidrAllocationDeletePermission, allocation.owner)));
      // A reservation the caller may not release is answered as one that does not exist.
      if (!allocation || !mayRelease) throw new NotFoundError(`no CIDR allocation ${id}`);
      await db.release(id);
    });
    res.status(204).end();
  });

  router.get('/health', async (req, res) => {
    const credentials = await httpAuth.credentials(req, { allow: ['user', 'service', 'none'] });
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

/** Every VPC CIDR the fleet uses, so allocations never hand out a block already in use. */
function fleetCidrs(model: FleetModel): string[] {
  const cidrs: string[] = [];
  for (const region of model.regions.values()) {
    for (const { vpc } of region.vpcs.values()) {
      for (const association of vpc.CidrBlockAssociationSet ?? []) if (association.CidrBlock) cidrs.push(association.CidrBlock);
      if (vpc.CidrBlock) cidrs.push(vpc.CidrBlock);
    }
  }
  return cidrs;
}
