import http from 'node:http';
import https from 'node:https';
import type { AddressInfo } from 'node:net';
import type { TestCertificates } from './testCertificates';

/** One API group as the fake server serves it: each version with the plurals it holds. */
export interface FakeApiGroup {
  name: string;
  preferredVersion: string;
  versions: Record<
    string,
    Array<{ plural: string; kind: string; namespaced: boolean }>
  >;
}

/** A request the fake server received. */
export interface FakeRequest {
  path: string;
  query: URLSearchParams;
  authorization?: string;
}

/**
 * What to do instead of the normal answer: a status and body, `hang` (never answer), or
 * `stall` (send the headers and half a body, then nothing).
 */
export type FakeOverride =
  | { status: number; body: string; contentType?: string }
  | 'hang'
  | 'stall'
  | undefined;

/**
 * A Kubernetes API server reduced to what a list-only client uses: `/apis`, `/apis/<g>/<v>` and
 * paginated lists of `/apis/<g>/<v>/<plural>` from fixture objects. The continue token is the
 * offset into the list, as opaque as the real one to the client.
 */
export class FakeKubeApiServer {
  readonly requests: FakeRequest[] = [];
  /** Objects by `<group>/<plural>`, served at every version that holds the plural. */
  objects: Record<string, any[]> = {};
  groups: FakeApiGroup[] = [];
  /** The bearer token every request must carry; any token is taken when undefined. */
  token?: string | ((authorization: string | undefined) => boolean);
  /** Answers before the normal handling. */
  override?: (request: FakeRequest) => FakeOverride;
  /** A path the API is served under, as behind an API proxy; requests outside it get 404. */
  pathPrefix = '';
  /** Time each answer is held back, to make calls overlap. */
  delayMs = 0;
  inFlight = 0;
  maxInFlight = 0;
  /** The server's resourceVersion: every change made through {@link change} advances it. */
  resourceVersion = 1000;
  /** Watches from an older resourceVersion are answered 410 Gone (etcd compaction). */
  compactedBelow = 0;
  /** Answer a too old resourceVersion with HTTP 410 instead of an ERROR event in the stream. */
  goneAsHttpStatus = false;
  /** Holds back each watch event this long, to act as a slow network or server. */
  watchEventDelayMs = 0;

  private readonly history: Array<{
    rv: number;
    resource: string;
    type: string;
    object: any;
  }> = [];
  private readonly watchers = new Set<{
    resource: string;
    res: http.ServerResponse;
  }>();

  private readonly server: http.Server;

  private constructor(tls: TestCertificates | undefined) {
    const handler = (req: http.IncomingMessage, res: http.ServerResponse) =>
      this.handle(req, res);
    this.server = tls
      ? https.createServer({ key: tls.key, cert: tls.cert }, handler)
      : http.createServer(handler);
  }

  /** Starts a server on a free port of 127.0.0.1; HTTPS when certificates are given. */
  static async start(tls?: TestCertificates): Promise<FakeKubeApiServer> {
    const fake = new FakeKubeApiServer(tls);
    await new Promise<void>(resolve =>
      fake.server.listen(0, '127.0.0.1', resolve),
    );
    return fake;
  }

  get url(): string {
    const { port } = this.server.address() as AddressInfo;
    return `${
      this.server instanceof https.Server ? 'https' : 'http'
    }://127.0.0.1:${port}`;
  }

  /** Watches open now. */
  get openWatches(): number {
    return this.watchers.size;
  }

  /** Requests that listed (not watched) a resource. */
  listRequests(): FakeRequest[] {
    return this.requests.filter(
      r => r.path.split('/').length === 5 && r.query.get('watch') !== 'true',
    );
  }

  /**
   * Adds, changes or removes an object of `<group>/<plural>` as a controller would: the
   * resourceVersion advances and open watches of the resource get the event.
   */
  change(
    resource: string,
    type: 'ADDED' | 'MODIFIED' | 'DELETED',
    object: any,
  ): any {
    this.resourceVersion += 1;
    const stored = structuredClone(object);
    stored.metadata = {
      ...stored.metadata,
      resourceVersion: String(this.resourceVersion),
    };
    const key = (o: any) => `${o.metadata?.namespace}/${o.metadata?.name}`;
    const list = (this.objects[resource] ?? []).filter(
      o => key(o) !== key(stored),
    );
    if (type !== 'DELETED') list.push(stored);
    this.objects[resource] = list;
    const event = { rv: this.resourceVersion, resource, type, object: stored };
    this.history.push(event);
    for (const watcher of this.watchers)
      if (watcher.resource === resource) this.sendEvent(watcher.res, event);
    return stored;
  }

  /** Sends a bookmark with the current resourceVersion to every open watch. */
  bookmark() {
    for (const watcher of this.watchers) {
      this.sendEvent(watcher.res, {
        type: 'BOOKMARK',
        object: {
          kind: 'Bookmark',
          metadata: { resourceVersion: String(this.resourceVersion) },
        },
      });
    }
  }

  /** Forgets the history so far: a watch from an older version gets 410 Gone. */
  compact() {
    this.compactedBelow = this.resourceVersion;
  }

  /** Ends every open watch by closing its connection, as a dropped network would. */
  dropWatches() {
    for (const watcher of this.watchers) watcher.res.socket?.destroy();
    this.watchers.clear();
  }

  /** Ends every open watch cleanly, as the server does when a watch's timeout passes. */
  endWatches() {
    for (const watcher of this.watchers) watcher.res.end();
    this.watchers.clear();
  }

  private sendEvent(
    res: http.ServerResponse,
    event: { type: string; object: any },
  ) {
    const line = `${JSON.stringify({
      type: event.type,
      object: event.object,
    })}\n`;
    if (this.watchEventDelayMs > 0)
      setTimeout(() => res.write(line), this.watchEventDelayMs);
    else res.write(line);
  }

  private handleWatch(url: URL, res: http.ServerResponse) {
    const parts = url.pathname.split('/').filter(Boolean);
    const group = this.groups.find(g => g.name === parts[1]);
    const known = group?.versions[parts[2]]?.some(r => r.plural === parts[3]);
    if (!group || !known) {
      res.writeHead(404, { 'Content-Type': 'application/json' });
      res.end(JSON.stringify(status(404, 'NotFound', 'not found')));
      return;
    }
    const resource = `${group.name}/${parts[3]}`;
    const from = Number(url.searchParams.get('resourceVersion') ?? 0);
    if (from && from < this.compactedBelow) {
      const gone = status(
        410,
        'Expired',
        `too old resource version: ${from} (${this.compactedBelow})`,
      );
      if (this.goneAsHttpStatus) {
        res.writeHead(410, { 'Content-Type': 'application/json' });
        res.end(JSON.stringify(gone));
        return;
      }
      res.writeHead(200, { 'Content-Type': 'application/json' });
      res.end(`${JSON.stringify({ type: 'ERROR', object: gone })}\n`);
      return;
    }
    res.writeHead(200, {
      'Content-Type': 'application/json',
      'Transfer-Encoding': 'chunked',
    });
    res.flushHeaders();
    for (const event of this.history)
      if (event.resource === resource && event.rv > from)
        this.sendEvent(res, event);
    const watcher = { resource, res };
    this.watchers.add(watcher);
    res.on('close', () => this.watchers.delete(watcher));
  }

  /** Forgets the requests and the per-test behaviour. */
  reset() {
    this.requests.length = 0;
    this.override = undefined;
    this.delayMs = 0;
    this.pathPrefix = '';
    this.inFlight = 0;
    this.maxInFlight = 0;
    this.compactedBelow = 0;
    this.goneAsHttpStatus = false;
    this.watchEventDelayMs = 0;
    this.dropWatches();
  }

  async close() {
    this.dropWatches();
    this.server.closeAllConnections();
    await new Promise<void>(resolve => this.server.close(() => resolve()));
  }

  private handle(req: http.IncomingMessage, res: http.ServerResponse) {
    const url = new URL(req.url ?? '/', 'http://fake');
    const outside = !url.pathname.startsWith(`${this.pathPrefix}/`);
    url.pathname = outside
      ? '/outside-of-prefix'
      : url.pathname.slice(this.pathPrefix.length);
    const request: FakeRequest = {
      path: url.pathname,
      query: url.searchParams,
      authorization: req.headers.authorization,
    };
    this.requests.push(request);
    this.inFlight += 1;
    this.maxInFlight = Math.max(this.maxInFlight, this.inFlight);
    let done = false;
    const finish = () => {
      if (!done) {
        done = true;
        this.inFlight -= 1;
      }
    };
    res.on('close', finish);
    const send = (
      code: number,
      body: unknown,
      contentType = 'application/json',
    ) => {
      setTimeout(() => {
        res.writeHead(code, { 'Content-Type': contentType });
        res.end(typeof body === 'string' ? body : JSON.stringify(body));
        finish();
      }, this.delayMs);
    };

    const expected = this.token;
    const authorized =
      expected === undefined ||
      (typeof expected === 'function'
        ? expected(request.authorization)
        : request.authorization === `Bearer ${expected}`);
    if (!authorized) {
      send(401, status(401, 'Unauthorized', 'Unauthorized'));
      return;
    }
    const override = this.override?.(request);
    if (override === 'hang') return;
    if (override === 'stall') {
      res.writeHead(200, { 'Content-Type': 'application/json' });
      res.write('{"kind":"List","items":[');
      return;
    }
    if (override) {
      send(override.status, override.body, override.contentType);
      return;
    }
    if (url.searchParams.get('watch') === 'true') {
      this.handleWatch(url, res);
      return;
    }
    const answer = this.answer(url);
    send(answer.status, answer.body);
  }

  private answer(url: URL): { status: number; body: unknown } {
    const parts = url.pathname.split('/').filter(Boolean);
    if (parts[0] !== 'apis')
      return {
        status: 404,
        body: status(
          404,
          'NotFound',
          'the server could not find the requested resource',
        ),
      };
    if (parts.length === 1) {
      return {
        status: 200,
        body: {
          kind: 'APIGroupList',
          apiVersion: 'v1',
          groups: this.groups.map(g => ({
            name: g.name,
            versions: Object.keys(g.versions).map(version => ({
              groupVersion: `${g.name}/${version}`,
              version,
            })),
            preferredVersion: {
              groupVersion: `${g.name}/${g.preferredVersion}`,
              version: g.preferredVersion,
            },
          })),
        },
      };
    }
    const group = this.groups.find(g => g.name === parts[1]);
    const resources = group?.versions[parts[2]];
    if (!group || !resources || parts.length > 4) {
      return {
        status: 404,
        body: status(
          404,
          'NotFound',
          'the server could not find the requested resource',
        ),
      };
    }
    const groupVersion = `${group.name}/${parts[2]}`;
    if (parts.length === 3) {
      return {
        status: 200,
        body: {
          kind: 'APIResourceList',
          apiVersion: 'v1',
          groupVersion,
          resources: resources.map(r => ({
            name: r.plural,
            singularName: r.kind.toLowerCase(),
            namespaced: r.namespaced,
            kind: r.kind,
            verbs: ['get', 'list', 'watch'],
          })),
        },
      };
    }
    const resource = resources.find(r => r.plural === parts[3]);
    if (!resource)
      return {
        status: 404,
        body: status(
          404,
          'NotFound',
          'the server could not find the requested resource',
        ),
      };
    const all = (this.objects[`${group.name}/${resource.plural}`] ?? []).map(
      o => ({ ...o, apiVersion: groupVersion, kind: resource.kind }),
    );
    const limit = Number(url.searchParams.get('limit') ?? 0) || all.length;
    const offset = url.searchParams.get('continue')
      ? Number(
          Buffer.from(url.searchParams.get('continue')!, 'base64').toString(),
        )
      : 0;
    const items = all.slice(offset, offset + limit);
    const next =
      offset + limit < all.length
        ? Buffer.from(String(offset + limit)).toString('base64')
        : undefined;
    return {
      status: 200,
      body: {
        kind: `${resource.kind}List`,
        apiVersion: groupVersion,
        metadata: {
          resourceVersion: String(this.resourceVersion),
          ...(next ? { continue: next } : {}),
        },
        items,
      },
    };
  }
}

/** A Kubernetes `Status` answer. */
export function status(code: number, reason: string, message: string) {
  return {
    kind: 'Status',
    apiVersion: 'v1',
    metadata: {},
    status: 'Failure',
    message,
    reason,
    code,
  };
}
