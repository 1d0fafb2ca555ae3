import {
  AuthService,
  BackstageCredentials,
  HttpAuthService,
  LoggerService,
  PermissionsService,
  UserInfoService,
} from '@backstage/backend-plugin-api';
import { ConflictError, InputError, NotAllowedError, NotFoundError } from '@backstage/errors';
import { AuthorizeResult, ConditionalPolicyDecision } from '@backstage/plugin-permission-common';
import { createConditionAuthorizer, PermissionRuleset } from '@backstage/plugin-permission-node';
import {
  AccountView,
  awsClusterReadPermission,
  ClusterDetail,
  ClusterSummary,
  findFreeCidr,
  formatPath,
  ListResponse,
  validateClusterRequest,
} from '@clusterdeck/plugin-aws-clusters-common';
import type { ClusterdeckConfig } from '@clusterdeck/plugin-aws-clusters-node';
import express from 'express';
import Router from 'express-promise-router';
import { z } from 'zod';
import { ClusterdeckDatabase, StoredClusterRequest } from '../database/ClusterdeckDatabase';
import type { ClusterRecord, FleetModel } from '../fleet/buildFleetModel';
import { boundariesView } from '../fleet/boundariesView';
import { scalingView } from '../fleet/scalingView';
import { clusterSummary } from '../fleet/summaryView';
import { topologyView } from '../fleet/topologyView';
import { accountViews } from '../fleet/accountView';
import { requestedClusterSummary, requestRef } from '../fleet/requestedClusters';
import type { ClusterQuery } from '../permissions/rules';
import { AnswerCache, sendEncoded } from './EncodedAnswer';
import { FleetService } from './FleetService';

/** What the router needs. */
export interface RouterOptions {
  fleet: FleetService;
  db: ClusterdeckDatabase;
  config: ClusterdeckConfig;
  httpAuth: HttpAuthService;
  userInfo: UserInfoService;
  auth: AuthService;
  permissions: PermissionsService;
  ruleset: PermissionRuleset<ClusterRecord, ClusterQuery>;
  logger: LoggerService;
}

const entityRef = z.string().regex(/^(group|user):([a-z0-9][-a-z0-9_.]*\/)?[A-Za-z0-9][-A-Za-z0-9_.]*$/, {
  error: 'must be an entity reference such as group:default/payments',
});
const name = z.string().regex(/^[a-z0-9]([-a-z0-9.]{0,251}[a-z0-9])?$/, { error: 'must be a Kubernetes object name' });

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
  const { fleet, db, config, httpAuth, userInfo, auth, permissions, ruleset } = options;
  const authorizeCluster = createConditionAuthorizer(ruleset);
  const router = Router();
  const json = express.json({ limit: '64kb' });
  // A body that is not JSON is the caller's error, named as such whatever the parser's wording.
  router.use((req, res, next) =>
    json(req, res, (error?: { type?: string; message?: string }) =>
      next(error?.type === 'entity.parse.failed' ? new InputError(`body: is not valid JSON: ${error.message}`) : error),
    ),
  );

  const credentialsOf = (req: express.Request) => httpAuth.credentials(req, { allow: ['user', 'service'] });

  async function callerRefs(credentials: BackstageCredentials): Promise<{ refs: string[]; admin: boolean }> {
    if (auth.isPrincipal(credentials, 'service')) return { refs: [], admin: true };
    if (!auth.isPrincipal(credentials, 'user')) return { refs: [], admin: false };
    const info = await userInfo.getUserInfo(credentials);
    const refs = info.ownershipEntityRefs;
    return { refs, admin: refs.some(r => config.adminGroups.includes(r)) };
  }

  /**
   * Whether the caller may read clusters of an owner (the permission rules look only at the
   * owner), and a key that is the same for every caller the decision treats alike.
   */
  async function readableOwners(credentials: BackstageCredentials): Promise<((owner: string) => boolean) & { key: string }> {
    const [decision] = await permissions.authorizeConditional([{ permission: awsClusterReadPermission }], { credentials });
    if (decision.result === AuthorizeResult.ALLOW) return Object.assign(() => true, { key: 'all' });
    if (decision.result === AuthorizeResult.DENY) return Object.assign(() => false, { key: 'none' });
    return Object.assign((owner: string) => authorizeCluster(decision, { owner } as ClusterRecord), { key: JSON.stringify((decision as ConditionalPolicyDecision).conditions) });
  }

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

  async function visibleClusters(model: FleetModel, credentials: BackstageCredentials): Promise<ClusterRecord[]> {
    const mayRead = await readableOwners(credentials);
    return model.clusters.filter(c => mayRead(c.owner));
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

  /** Requested clusters the management clusters have not reported yet, as the caller may see them. */
  async function requestedClusters(model: FleetModel, mayRead: (owner: string) => boolean) {
    const pending = (await storedRequests()).filter(r => !model.byRef.has(r.ref));
    return pending.filter(r => mayRead(r.owner)).map(r => requestedClusterSummary(r, config));
  }

  function list<T>(model: FleetModel, items: T[]): ListResponse<T> {
    return { items, generatedAt: model.generatedAt, errors: model.sources.filter(s => s.stale) };
  }

  router.get('/clusters', async (req, res) => {
    const { owner } = parse(ownerQuery, req.query, 'query');
    const model = fleet.current();
    const credentials = await credentialsOf(req);
    const mayRead = await readableOwners(credentials);
    const requested = (await requestedClusters(model, mayRead)).filter(c => !owner || c.owner === owner);
    const requestedJson = requested.length === 0 ? '' : JSON.stringify(requested);
    const held = answersOf(model);
    // The key holds everything the answer's bytes depend on, the caller's visibility first.
    const answer = held.lists.get(JSON.stringify([mayRead.key, owner ?? '', requestedJson]), () => {
      const reported = model.clusters.flatMap((c, i) => (mayRead(c.owner) && (!owner || c.owner === owner) ? [held.summaries[i]] : []));
      return JSON.stringify(list(model, [...reported, ...requested]));
    });
    await sendEncoded(req, res, answer);
  });

  router.post('/cluster-requests', async (req, res) => {
    const body = parse(z.strictObject({ request: z.unknown() }), req.body ?? {}, 'body');
    const validation = validateClusterRequest(body.request);
    if (!validation.ok) {
      throw new InputError(validation.problems.map(p => `body request.${p.path}: ${p.message}`).join('; '));
    }
    const { request, namespace } = validation.value;
    const spec = request.spec;
    if (!config.managementClusters.some(mc => mc.name === spec.managementCluster)) {
      throw new InputError(`body request.spec.managementCluster: no management cluster named ${spec.managementCluster}`);
    }
    const account = config.accounts.find(a => a.id === spec.account.id);
    if (!account) throw new InputError(`body request.spec.account.id: account ${spec.account.id} is not configured`);
    const credentials = await credentialsOf(req);
    const { refs, admin } = await callerRefs(credentials);
    const owner = request.metadata.owner;
    if (!admin && !refs.includes(owner)) throw new NotAllowedError(`you may not request clusters for ${owner}`);
    if (!admin && !account.owners.includes(owner)) {
      throw new NotAllowedError(`account ${account.name} (${account.id}) does not admit ${owner}`);
    }
    const ref = requestRef(request, namespace);
    if (fleet.current().byRef.has(ref)) throw new ConflictError(`cluster ${ref} already exists`);
    const createdBy = auth.isPrincipal(credentials, 'user') ? credentials.principal.userEntityRef : 'service';
    await db.saveRequest({ ref, owner, request, createdBy, createdAt: new Date().toISOString() });
    requestWrites += 1;
    options.logger.info(`Recorded the request of cluster ${ref} for ${owner}`);
    res.status(201).json({ ref });
  });

  router.delete('/cluster-requests/:managementCluster/:namespace/:name', async (req, res) => {
    const params = parse(clusterPath, req.params, 'path');
    const ref = `${params.managementCluster}/${params.namespace}/${params.name}`;
    const stored = (await db.listRequests()).find(r => r.ref === ref);
    if (!stored) throw new NotFoundError(`no requested cluster ${ref}`);
    const { refs, admin } = await callerRefs(await credentialsOf(req));
    if (!admin && !refs.includes(stored.owner) && !refs.includes(stored.createdBy)) {
      throw new NotAllowedError(`you may not withdraw the request of ${ref}`);
    }
    await db.deleteRequests([ref]);
    requestWrites += 1;
    res.status(204).end();
  });

  router.get('/clusters/:managementCluster/:namespace/:name', async (req, res) => {
    const params = parse(clusterPath, req.params, 'path');
    const model = fleet.current();
    const cluster = model.byRef.get(`${params.managementCluster}/${params.namespace}/${params.name}`);
    if (!cluster) throw new NotFoundError(`no cluster ${params.name} in ${params.namespace} on ${params.managementCluster}`);
    const credentials = await credentialsOf(req);
    const [decision] = await permissions.authorizeConditional([{ permission: awsClusterReadPermission }], { credentials });
    const allowed = decision.result === AuthorizeResult.ALLOW || (decision.result === AuthorizeResult.CONDITIONAL && authorizeCluster(decision, cluster));
    if (!allowed) throw new NotAllowedError(`you may not see cluster ${params.name}`);
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
    const { owner } = parse(ownerQuery, req.query, 'query');
    const model = fleet.current();
    const visible = (await visibleClusters(model, await credentialsOf(req))).filter(c => !owner || c.owner === owner);
    res.json({ ...boundariesView(model, visible, config.adminGroups), generatedAt: model.generatedAt, errors: model.sources.filter(s => s.stale) });
  });

  router.get('/accounts', async (req, res) => {
    parse(z.strictObject({}), req.query, 'query');
    const model = fleet.current();
    const { refs, admin } = await callerRefs(await credentialsOf(req));
    const items: AccountView[] = accountViews(model).filter(a => admin || a.owners.some(o => refs.includes(o)));
    res.json(list(model, items));
  });

  router.get('/cidr-pools', async (req, res) => {
    parse(z.strictObject({}), req.query, 'query');
    await credentialsOf(req);
    const model = fleet.current();
    const allocations = await db.listAllocations();
    const items = config.cidrPools.map(pool => {
      const taken = [...allocations.filter(a => a.pool === pool.name).map(a => a.cidr), ...fleetCidrs(model)];
      return { ...pool, allocated: allocations.filter(a => a.pool === pool.name).length, nextFree: findFreeCidr(pool.cidr, pool.prefixLength, taken) };
    });
    res.json(list(model, items));
  });

  router.get('/cidr-allocations', async (req, res) => {
    const { pool } = parse(z.strictObject({ pool: z.string().max(100).optional() }), req.query, 'query');
    const { refs, admin } = await callerRefs(await credentialsOf(req));
    const items = (await db.listAllocations(pool)).filter(a => admin || refs.includes(a.owner) || refs.includes(a.createdBy));
    res.json({ items, generatedAt: new Date().toISOString(), errors: [] });
  });

  router.post('/cidr-allocations', async (req, res) => {
    const body = parse(
      z.strictObject({ pool: z.string().max(100), owner: entityRef, cluster: z.string().max(300).optional() }),
      req.body ?? {},
      'body',
    );
    const credentials = await credentialsOf(req);
    const { refs, admin } = await callerRefs(credentials);
    if (!admin && !refs.includes(body.owner)) {
      throw new NotAllowedError(`you may not reserve addresses for ${body.owner}`);
    }
    const pool = config.cidrPools.find(p => p.name === body.pool);
    if (!pool) throw new InputError(`body pool: no CIDR pool named ${body.pool}`);
    const createdBy = auth.isPrincipal(credentials, 'user') ? credentials.principal.userEntityRef : 'service';
    const taken = fleetCidrs(fleet.current());
    const allocation = await db.allocate({ pool: pool.name, cluster: body.cluster, owner: body.owner, createdBy }, allocated =>
      findFreeCidr(pool.cidr, pool.prefixLength, [...allocated, ...taken]),
    );
    options.logger.info(`Reserved ${allocation.cidr} from ${pool.name} for ${body.owner}`);
    res.status(201).json(allocation);
  });

  router.delete('/cidr-allocations/:id', async (req, res) => {
    const { id } = parse(z.object({ id: z.string().uuid() }), req.params, 'path');
    const { refs, admin } = await callerRefs(await credentialsOf(req));
    const allocation = await db.getAllocation(id);
    if (!admin && !refs.includes(allocation.owner) && !refs.includes(allocation.createdBy)) {
      throw new NotAllowedError('you may not release this allocation');
    }
    await db.release(id);
    res.status(204).end();
  });

  router.get('/health', async (_req, res) => {
    res.json(fleet.health());
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
