import { findFreeCidr } from '@clusterdeck/plugin-aws-clusters-common';
import type {
  AccountView,
  ClusterDetail,
  ClusterSummary,
  FleetReferences,
} from '@clusterdeck/plugin-aws-clusters-common';
import { randomUUID } from 'node:crypto';
import http from 'node:http';
import { AddressInfo } from 'node:net';
import type { CidrAllocation } from '@clusterdeck/plugin-aws-clusters-node';
import { fleetReferences } from './fixtures';

/** The fleet a fake backend serves. */
export interface FakeFleetState {
  /** User entity ref → the user and their groups. */
  users: Record<string, string[]>;
  adminGroups: string[];
  accounts: AccountView[];
  clusters: ClusterSummary[];
  details: Record<string, ClusterDetail>;
  pools: Array<{
    name: string;
    cidr: string;
    prefixLength: number;
    accounts?: string[];
  }>;
  allocations: CidrAllocation[];
  /** CIDRs of VPCs that exist in the fleet. */
  vpcCidrs: string[];
  /** Cluster requests recorded through `POST /cluster-requests`. */
  requested: Array<{ ref: string; owner: string; request: any }>;
  /** Template entities the fake catalog serves, by `<namespace>/<name>`. */
  templates: Record<string, any>;
  /** What requests may name; `GET /references` gives the accounts that admit the owner. */
  references: FleetReferences;
}

/** One request the fake received. */
export interface FakeFleetRequest {
  method: string;
  path: string;
  /** The user the call was made for, or `service`. */
  caller: string;
  body?: any;
}

/** A running fake of the fleet backend's REST API on 127.0.0.1. */
export interface FakeFleetApi {
  url: string;
  /** A catalog that knows the users of the fleet state (for the scaffolder's user lookup). */
  catalogUrl: string;
  state: FakeFleetState;
  requests: FakeFleetRequest[];
  /** Makes the next request matching method, path prefix (and body, when given) fail with this status. */
  failNext(
    method: string,
    pathPrefix: string,
    status: number,
    when?: (body: any) => boolean,
  ): void;
  close(): Promise<void>;
}

function callerOf(header: string | undefined): string {
  const token = header?.replace(/^Bearer /, '') ?? '';
  const prefix = 'mock-service-token:';
  if (token.startsWith(prefix)) {
    const payload = JSON.parse(token.slice(prefix.length));
    return payload.obo ?? 'service';
  }
  return 'anonymous';
}

/**
 * Serves the routes of `/api/aws-clusters` the scaffolder actions use, with the same rules as
 * the real router: admins (and the service itself) see and act on everything, others on what
 * their groups own. Tokens are the mock auth service's, so the caller is known.
 */
export async function startFakeFleetApi(
  initial: Partial<FakeFleetState>,
): Promise<FakeFleetApi> {
  const state: FakeFleetState = {
    users: {},
    adminGroups: ['group:default/platform'],
    accounts: [],
    clusters: [],
    details: {},
    pools: [],
    allocations: [],
    vpcCidrs: [],
    requested: [],
    templates: {},
    references: fleetReferences(),
    ...initial,
  };
  const requests: FakeFleetRequest[] = [];
  const failures: Array<{
    method: string;
    pathPrefix: string;
    status: number;
    when?: (body: any) => boolean;
  }> = [];

  const server = http.createServer((req, res) => {
    let raw = '';
    req.on('data', chunk => (raw += chunk));
    req.on('end', () => {
      const url = new URL(req.url ?? '/', 'http://fake');
      // The scaffolder looks the initiating user and the template up in the catalog; answer as a catalog would.
      const byName = url.pathname.match(
        /^\/api\/catalog\/entities\/by-name\/(user|template)\/([^/]+)\/([^/]+)$/,
      );
      if (url.pathname.startsWith('/api/catalog/')) {
        const [, kind, namespace, name] = byName ?? [];
        const ref = byName ? `${kind}:${namespace}/${name}` : undefined;
        if (kind === 'user' && ref && state.users[ref]) {
          res.writeHead(200, { 'Content-Type': 'application/json' });
          res.end(
            JSON.stringify({
              apiVersion: 'backstage.io/v1alpha1',
              kind: 'User',
              metadata: { name, namespace },
              spec: {
                profile: { email: `${name}@example.com` },
                memberOf: state.users[ref].filter(r => r.startsWith('group:')),
              },
            }),
          );
        } else if (
          kind === 'template' &&
          state.templates[`${namespace}/${name}`]
        ) {
          res.writeHead(200, { 'Content-Type': 'application/json' });
          res.end(JSON.stringify(state.templates[`${namespace}/${name}`]));
        } else {
          res.writeHead(404, { 'Content-Type': 'application/json' });
          res.end(
            JSON.stringify({
              error: { name: 'NotFoundError', message: 'not found' },
            }),
          );
        }
        return;
      }
      const path = url.pathname.replace(/^\/api\/aws-clusters/, '');
      const caller = callerOf(req.headers.authorization);
      const body = raw ? JSON.parse(raw) : undefined;
      requests.push({
        method: req.method ?? 'GET',
        path: `${path}${url.search}`,
        caller,
        body,
      });
      const send = (status: number, payload?: unknown) => {
        res.writeHead(
          status,
          payload === undefined ? {} : { 'Content-Type': 'application/json' },
        );
        res.end(payload === undefined ? undefined : JSON.stringify(payload));
      };
      const error = (status: number, name: string, message: string) =>
        send(status, {
          error: { name, message },
          response: { statusCode: status },
        });
      const failure = failures.findIndex(
        f =>
          f.method === req.method &&
          path.startsWith(f.pathPrefix) &&
          (!f.when || f.when(body)),
      );
      if (failure >= 0) {
        const [f] = failures.splice(failure, 1);
        error(f.status, 'Error', 'injected failure');
        return;
      }
      if (caller === 'anonymous') {
        error(401, 'AuthenticationError', 'no token');
        return;
      }
      const refs = caller === 'service' ? [] : state.users[caller] ?? [caller];
      const admin =
        caller === 'service' || refs.some(r => state.adminGroups.includes(r));
      const list = (items: unknown[]) =>
        send(200, { items, generatedAt: new Date().toISOString(), errors: [] });
      const taken = () => [
        ...state.allocations.map(a => a.cidr),
        ...state.vpcCidrs,
      ];

      if (req.method === 'GET' && path === '/accounts') {
        list(
          state.accounts.filter(
            a => admin || a.owners.some(o => refs.includes(o)),
          ),
        );
      } else if (req.method === 'GET' && path === '/references') {
        const owner = url.searchParams.get('owner') ?? '';
        if (!admin && !refs.includes(owner)) {
          error(
            403,
            'NotAllowedError',
            `you may not request clusters for ${owner}`,
          );
          return;
        }
        const admitting = state.accounts
          .filter(a => admin || a.owners.includes(owner))
          .map(a => a.id);
        send(200, {
          ...state.references,
          accounts: state.references.accounts.filter(a =>
            admitting.includes(a.id),
          ),
        });
      } else if (req.method === 'GET' && path === '/clusters') {
        list(state.clusters.filter(c => admin || refs.includes(c.owner)));
      } else if (req.method === 'GET' && path.startsWith('/clusters/')) {
        const ref = path
          .slice('/clusters/'.length)
          .split('/')
          .map(decodeURIComponent)
          .join('/');
        const cluster = state.clusters.find(c => c.ref === ref);
        if (!cluster) error(404, 'NotFoundError', `no cluster ${ref}`);
        else if (!admin && !refs.includes(cluster.owner))
          error(
            403,
            'NotAllowedError',
            `you may not see cluster ${cluster.name}`,
          );
        else
          send(
            200,
            state.details[ref] ?? { cluster, nodePools: [], sources: [] },
          );
      } else if (req.method === 'GET' && path === '/boundaries') {
        send(200, {
          environments: [
            {
              name: 'unknown',
              accounts: [
                {
                  account: {
                    id: '000000000000',
                    name: 'all',
                    owners: [],
                    regions: [],
                  },
                  shared: false,
                  teams: [],
                  roleIdentities: [],
                  access: [],
                  vpcs: state.vpcCidrs.map(cidr => ({
                    cidrs: [cidr],
                    shared: false,
                    clusters: [],
                  })),
                },
              ],
            },
          ],
          findings: [],
        });
      } else if (req.method === 'GET' && path === '/cidr-pools') {
        list(
          state.pools.map(pool => ({
            ...pool,
            allocated: state.allocations.filter(a => a.pool === pool.name)
              .length,
            nextFree: findFreeCidr(pool.cidr, pool.prefixLength, taken()),
          })),
        );
      } else if (req.method === 'GET' && path === '/cidr-allocations') {
        const pool = url.searchParams.get('pool');
        list(
          state.allocations.filter(
            a =>
              (!pool || a.pool === pool) &&
              (admin || refs.includes(a.owner) || a.createdBy === caller),
          ),
        );
      } else if (req.method === 'POST' && path === '/cidr-allocations') {
        if (!admin && !refs.includes(body.owner)) {
          error(
            403,
            'NotAllowedError',
            `you may not reserve addresses for ${body.owner}`,
          );
          return;
        }
        const pool = state.pools.find(p => p.name === body.pool);
        if (!pool) {
          error(
            400,
            'InputError',
            `body pool: no CIDR pool named ${body.pool}`,
          );
          return;
        }
        const cidr = findFreeCidr(pool.cidr, pool.prefixLength, taken());
        if (!cidr) {
          error(
            409,
            'ConflictError',
            `CIDR pool ${pool.name} has no free block left`,
          );
          return;
        }
        const allocation: CidrAllocation = {
          id: randomUUID(),
          pool: pool.name,
          cidr,
          ...(body.cluster ? { cluster: body.cluster } : {}),
          owner: body.owner,
          createdBy: caller,
          createdAt: new Date().toISOString(),
        };
        state.allocations.push(allocation);
        send(201, allocation);
      } else if (
        req.method === 'DELETE' &&
        path.startsWith('/cidr-allocations/')
      ) {
        const id = path.slice('/cidr-allocations/'.length);
        const allocation = state.allocations.find(a => a.id === id);
        if (!allocation)
          error(404, 'NotFoundError', `no CIDR allocation ${id}`);
        else if (
          !admin &&
          !refs.includes(allocation.owner) &&
          allocation.createdBy !== caller
        )
          error(403, 'NotAllowedError', 'you may not release this allocation');
        else {
          state.allocations = state.allocations.filter(a => a.id !== id);
          send(204);
        }
      } else if (req.method === 'POST' && path === '/cluster-requests') {
        const { metadata, spec } = body?.request ?? {};
        const ref = `${spec?.managementCluster}/org-${metadata?.organization}/${metadata?.name}`;
        if (!admin && !refs.includes(metadata?.owner))
          error(
            403,
            'NotAllowedError',
            `you may not request clusters for ${metadata?.owner}`,
          );
        else if (
          state.clusters.some(c => c.ref === ref) ||
          state.requested.some(r => r.ref === ref)
        )
          error(409, 'ConflictError', `cluster ${ref} already exists`);
        else {
          state.requested.push({
            ref,
            owner: metadata.owner,
            request: body.request,
          });
          send(201, { ref });
        }
      } else {
        error(404, 'NotFoundError', `no route ${req.method} ${path}`);
      }
    });
  });
  // Long fuzzing runs keep the event loop busy for seconds; with Node's 5 s default the server can
  // close an idle keep-alive socket just as the client reuses it, failing a call with ECONNRESET
  // that has nothing to do with the action under test.
  server.keepAliveTimeout = 60_000;
  await new Promise<void>(resolve => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/api/aws-clusters`,
    catalogUrl: `http://127.0.0.1:${port}/api/catalog`,
    state,
    requests,
    failNext(method, pathPrefix, status, when) {
      failures.push({ method, pathPrefix, status, when });
    },
    close: () => new Promise(resolve => server.close(() => resolve())),
  };
}
