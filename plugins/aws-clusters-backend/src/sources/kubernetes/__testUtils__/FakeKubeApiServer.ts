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

  /** Forgets the requests and the per-test behaviour. */
  reset() {
    this.requests.length = 0;
    this.override = undefined;
    this.delayMs = 0;
    this.pathPrefix = '';
    this.inFlight = 0;
    this.maxInFlight = 0;
  }

  async close() {
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
          resourceVersion: '12345',
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
