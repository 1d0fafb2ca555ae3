import http from 'node:http';
import https from 'node:https';
import type { AddressInfo } from 'node:net';
import type {
  KubeObject,
  ManagementClusterSnapshot,
} from '@clusterdeck/plugin-aws-clusters-node';
import { MANAGEMENT_CLUSTER_KINDS } from '@clusterdeck/plugin-aws-clusters-node';
import { CallCounter, sleep } from './stats';

/*
 * A management cluster's Kubernetes API as far as Clusterdeck reads it, served over loopback from
 * a snapshot: API discovery (`/api`, `/apis`, `/apis/<group>`, `/apis/<group>/<version>`), lists
 * of every kind, cluster-wide and per namespace, with `limit` and `continue`, `labelSelector`
 * (equality terms), and single objects by name. Every request waits a fixed latency first and
 * needs the bearer token.
 */

export interface ManagementClusterServerOptions {
  latencyMs: number;
  /** The bearer token requests must carry. */
  token: string;
  /** Serve HTTPS with this key and certificate instead of HTTP. */
  tls?: { key: string; cert: string };
  /** Answer every request with this status instead (a fault). */
  failWith?: number;
}

interface KindInfo {
  group: string;
  version: string;
  kind: string;
  plural: string;
  namespaced: boolean;
}

function kindsOf(snapshot: ManagementClusterSnapshot): KindInfo[] {
  return Object.entries(MANAGEMENT_CLUSTER_KINDS).map(([key, k]) => {
    const objects =
      snapshot.objects[key as keyof typeof MANAGEMENT_CLUSTER_KINDS] ?? [];
    const version =
      objects[0]?.apiVersion.split('/')[1] ??
      (k.group.endsWith('.giantswarm.io') ? 'v1alpha1' : 'v1beta2');
    return {
      group: k.group,
      version,
      kind: k.kind,
      plural: k.plural,
      namespaced: k.namespaced,
    };
  });
}

function matchesSelector(object: KubeObject, selector: string | null): boolean {
  if (!selector) return true;
  const labels = object.metadata.labels ?? {};
  return selector.split(',').every(term => {
    const [key, value] = term.split(/!?=+/);
    const negated = term.includes('!=');
    if (value === undefined) return key in labels;
    return negated ? labels[key] !== value : labels[key] === value;
  });
}

/** A running management-cluster API server; `close()` stops it. */
export interface ManagementClusterServer {
  name: string;
  url: string;
  counter: CallCounter;
  options: ManagementClusterServerOptions;
  close(): Promise<void>;
}

export async function startManagementClusterServer(
  snapshot: ManagementClusterSnapshot,
  options: ManagementClusterServerOptions,
): Promise<ManagementClusterServer> {
  const kinds = kindsOf(snapshot);
  const objectsByPlural = new Map<string, KubeObject[]>();
  for (const [key, k] of Object.entries(MANAGEMENT_CLUSTER_KINDS)) {
    objectsByPlural.set(
      `${k.group}/${k.plural}`,
      snapshot.objects[key as keyof typeof MANAGEMENT_CLUSTER_KINDS] ?? [],
    );
  }
  const counter = new CallCounter();
  const groups = [...new Set(kinds.map(k => k.group))];

  const texts = new WeakMap<KubeObject, string>();
  const textOf = (o: KubeObject) => {
    let text = texts.get(o);
    if (text === undefined) {
      text = JSON.stringify(o);
      texts.set(o, text);
    }
    return text;
  };
  for (const list of objectsByPlural.values()) list.forEach(textOf);
  const send = (res: http.ServerResponse, status: number, body: unknown) =>
    sendText(res, status, JSON.stringify(body));
  const sendText = (res: http.ServerResponse, status: number, text: string) => {
    res.writeHead(status, {
      'content-type': 'application/json',
      'content-length': Buffer.byteLength(text),
    });
    res.end(text);
  };
  const status = (
    res: http.ServerResponse,
    code: number,
    reason: string,
    message: string,
  ) =>
    send(res, code, {
      kind: 'Status',
      apiVersion: 'v1',
      metadata: {},
      status: 'Failure',
      message,
      reason,
      code,
    });

  const handle = async (
    req: http.IncomingMessage,
    res: http.ServerResponse,
  ) => {
    const url = new URL(req.url ?? '/', 'http://localhost');
    const parts = url.pathname.split('/').filter(Boolean);
    const done = counter.start(
      describeCall(req.method ?? 'GET', parts, url.searchParams),
    );
    try {
      await sleep(options.latencyMs);
      if (options.failWith)
        return status(
          res,
          options.failWith,
          'InternalError',
          'an error on the server has prevented the request from succeeding',
        );
      if (req.headers.authorization !== `Bearer ${options.token}`)
        return status(res, 401, 'Unauthorized', 'Unauthorized');
      if (req.method !== 'GET')
        return status(
          res,
          405,
          'MethodNotAllowed',
          'the server does not allow this method on the requested resource',
        );
      if (url.pathname === '/version')
        return send(res, 200, {
          major: '1',
          minor: '33',
          gitVersion: 'v1.33.4',
        });
      if (url.pathname === '/api')
        return send(res, 200, { kind: 'APIVersions', versions: ['v1'] });
      if (url.pathname === '/apis') {
        return send(res, 200, {
          kind: 'APIGroupList',
          apiVersion: 'v1',
          groups: groups.map(g => {
            const versions = [
              ...new Set(kinds.filter(k => k.group === g).map(k => k.version)),
            ].map(v => ({ groupVersion: `${g}/${v}`, version: v }));
            return { name: g, versions, preferredVersion: versions[0] };
          }),
        });
      }
      if (parts[0] !== 'apis' || parts.length < 2)
        return status(
          res,
          404,
          'NotFound',
          'the server could not find the requested resource',
        );
      const group = parts[1];
      const groupKinds = kinds.filter(k => k.group === group);
      if (groupKinds.length === 0)
        return status(
          res,
          404,
          'NotFound',
          'the server could not find the requested resource',
        );
      if (parts.length === 2) {
        const versions = [...new Set(groupKinds.map(k => k.version))].map(
          v => ({ groupVersion: `${group}/${v}`, version: v }),
        );
        return send(res, 200, {
          kind: 'APIGroup',
          apiVersion: 'v1',
          name: group,
          versions,
          preferredVersion: versions[0],
        });
      }
      const version = parts[2];
      const versionKinds = groupKinds.filter(k => k.version === version);
      if (versionKinds.length === 0)
        return status(
          res,
          404,
          'NotFound',
          'the server could not find the requested resource',
        );
      if (parts.length === 3) {
        return send(res, 200, {
          kind: 'APIResourceList',
          apiVersion: 'v1',
          groupVersion: `${group}/${version}`,
          resources: versionKinds.map(k => ({
            name: k.plural,
            singularName: k.kind.toLowerCase(),
            namespaced: k.namespaced,
            kind: k.kind,
            verbs: ['get', 'list', 'watch'],
          })),
        });
      }
      // /apis/g/v/<plural>[/<name>] or /apis/g/v/namespaces/<ns>/<plural>[/<name>]
      let namespace: string | undefined;
      let rest = parts.slice(3);
      if (rest[0] === 'namespaces' && rest.length >= 3) {
        namespace = rest[1];
        rest = rest.slice(2);
      }
      const info = versionKinds.find(k => k.plural === rest[0]);
      if (!info || rest.length > 2)
        return status(
          res,
          404,
          'NotFound',
          'the server could not find the requested resource',
        );
      let objects = objectsByPlural.get(`${group}/${info.plural}`) ?? [];
      if (namespace)
        objects = objects.filter(o => o.metadata.namespace === namespace);
      if (rest.length === 2) {
        const found = objects.find(o => o.metadata.name === rest[1]);
        if (!found)
          return status(
            res,
            404,
            'NotFound',
            `${info.plural}.${group} "${rest[1]}" not found`,
          );
        return send(res, 200, found);
      }
      objects = objects.filter(o =>
        matchesSelector(o, url.searchParams.get('labelSelector')),
      );
      const limit = Number(url.searchParams.get('limit') ?? 0);
      const start = Number(url.searchParams.get('continue') ?? 0);
      if (!Number.isInteger(start) || start < 0)
        return status(
          res,
          410,
          'Expired',
          'the provided continue parameter is too old',
        );
      const end = limit > 0 ? start + limit : objects.length;
      // The page's text from each object's, written once: a real API server serializes in its own
      // process, not in the one measured.
      const head = JSON.stringify({
        apiVersion: `${group}/${version}`,
        kind: `${info.kind}List`,
        metadata: {
          resourceVersion: '1',
          ...(end < objects.length
            ? {
                continue: String(end),
                remainingItemCount: objects.length - end,
              }
            : {}),
        },
      });
      return sendText(
        res,
        200,
        `${head.slice(0, -1)},"items":[${objects
          .slice(start, end)
          .map(textOf)
          .join(',')}]}`,
      );
    } finally {
      done();
    }
  };

  const listener = (req: http.IncomingMessage, res: http.ServerResponse) => {
    handle(req, res).catch(error =>
      status(res, 500, 'InternalError', String(error)),
    );
  };
  const server = options.tls
    ? https.createServer(
        { key: options.tls.key, cert: options.tls.cert },
        listener,
      )
    : http.createServer(listener);
  server.keepAliveTimeout = 30_000;
  await new Promise<void>(resolve => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    name: snapshot.name,
    url: `${options.tls ? 'https' : 'http'}://127.0.0.1:${port}`,
    counter,
    options,
    close: () =>
      new Promise<void>(resolve => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

/** A short name of a request for the call counts: `list clusters`, `get awsclusters`, `discovery`. */
function describeCall(
  method: string,
  parts: string[],
  params: URLSearchParams,
): string {
  if (parts[0] !== 'apis' || parts.length <= 3) return `${method} discovery`;
  const rest = parts[3] === 'namespaces' ? parts.slice(5) : parts.slice(3);
  const verb = rest.length === 2 ? 'get' : 'list';
  return `${verb} ${rest[0]}${params.get('continue') ? ' (next page)' : ''}`;
}
