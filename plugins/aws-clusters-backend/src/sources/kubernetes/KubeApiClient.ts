import http from 'node:http';
import {
  ApiException,
  ApisApi,
  ConfigurationOptions,
  CustomObjectsApi,
  KubeConfig,
  Observable,
  ObservableMiddleware,
  User,
  Watch,
} from '@kubernetes/client-node';
import pLimit from 'p-limit';

/**
 * @public A failed call to a Kubernetes API server. `code` is the HTTP status text without spaces
 * (`Forbidden`, `InternalServerError`), the Node.js or TLS error code (`ECONNREFUSED`,
 * `DEPTH_ZERO_SELF_SIGNED_CERT`), `InvalidResponse` for an answer that is not the expected JSON,
 * `TimeoutError` or `AbortError`.
 */
export class KubeApiError extends Error {
  readonly code: string;
  readonly status?: number;

  constructor(code: string, message: string, status?: number) {
    super(message);
    this.name = 'KubeApiError';
    this.code = code;
    this.status = status;
  }
}

/** @public How to reach one API server. */
export interface KubeApiClientOptions {
  /** The name the cluster is known by; it names the cluster and user of the kubeconfig built for it. */
  name: string;
  /** The API server's URL; a path in it (an API proxy) prefixes every request. */
  url: string;
  /** PEM certificates to trust instead of the system's. */
  ca?: string;
  skipTLSVerify?: boolean;
  /** A fixed bearer token, such as a service account's. */
  token?: string;
  /** Makes the bearer token for each call, for tokens that expire (EKS). Takes precedence over `token`. */
  tokenProvider?: () => Promise<string>;
  /** Time allowed for one call, from the request until the whole answer is read. */
  timeoutMs: number;
  /** Calls in flight at most. */
  concurrency: number;
}

/** @public An API group as discovery (`/apis`) describes it. */
export interface KubeApiGroup {
  name: string;
  versions: string[];
  preferredVersion?: string;
}

/** @public A resource of one group version as discovery (`/apis/<group>/<version>`) describes it. */
export interface KubeApiResource {
  name: string;
  kind: string;
  namespaced: boolean;
}

/** @public One page of a list. */
export interface KubeListPage {
  items: any[];
  /** The token for the next page; absent on the last page. */
  continue?: string;
  /** The list's resourceVersion, to watch from. */
  resourceVersion?: string;
}

/** @public One event of a watch, as the API server sends it. */
export interface KubeWatchEvent {
  type: 'ADDED' | 'MODIFIED' | 'DELETED' | 'BOOKMARK' | 'ERROR';
  object: any;
}

/** The name of the auth provider under which a token provider is registered with the kubeconfig. */
const TOKEN_PROVIDER = 'clusterdeck-token-provider';

/** The text of an HTTP status without spaces, e.g. `InternalServerError`. */
function httpStatusCode(status: number): string {
  const text = http.STATUS_CODES[status];
  return text ? text.replace(/[^A-Za-z0-9]/g, '') : `HTTP${status}`;
}

/** Reads the `message` of a Kubernetes `Status` answer, or the start of whatever text came back. */
function describeFailure(status: number, body: unknown): string {
  let text = typeof body === 'string' ? body : '';
  if (typeof body !== 'string' && body !== undefined)
    text = JSON.stringify(body);
  try {
    const parsed = JSON.parse(text);
    if (parsed && typeof parsed.message === 'string' && parsed.message) {
      return `HTTP ${status}: ${parsed.message}`;
    }
  } catch {
    // Not a Kubernetes Status object; fall back to the text.
  }
  const start = text.trim().slice(0, 300);
  return `HTTP ${status} ${http.STATUS_CODES[status] ?? ''}${
    start ? `: ${start}` : ''
  }`.trim();
}

/** Errors of the generated client's response parsing: the answer was not the JSON asked for. */
function isParseFailure(error: unknown): boolean {
  return (
    error instanceof SyntaxError ||
    (error instanceof Error &&
      /Cannot parse content|not supported by ObjectSerializer/.test(
        error.message,
      ))
  );
}

function asKubeApiError(error: unknown, what: string): KubeApiError {
  if (error instanceof KubeApiError) return error;
  if (error instanceof ApiException) {
    const status = Number(error.code);
    return new KubeApiError(
      httpStatusCode(status),
      describeFailure(status, error.body),
      status,
    );
  }
  if (isParseFailure(error)) {
    return new KubeApiError(
      'InvalidResponse',
      `The answer to ${what} is not valid JSON: ${(error as Error).message}`,
    );
  }
  const e = error as NodeJS.ErrnoException;
  return new KubeApiError(
    e?.code ?? e?.name ?? 'Error',
    e?.message ?? String(error),
  );
}

function invalid(what: string, reason: string): KubeApiError {
  return new KubeApiError('InvalidResponse', `The answer to ${what} ${reason}`);
}

/**
 * Reads one Kubernetes API server through `@kubernetes/client-node`: the client's `KubeConfig`
 * sets up TLS (CA, skipTLSVerify) and the bearer token, its generated APIs make the calls. On
 * top it adds what the generated client lacks: a time limit per call (which also covers reading
 * the answer), cancellation, a cap on calls in flight, and errors with a stable `code`.
 * @public
 */
export class KubeApiClient {
  private readonly apis: ApisApi;
  private readonly customObjects: CustomObjectsApi;
  private readonly limit: pLimit.Limit;
  private readonly watcher: Watch;
  private started = 0;
  private watchesStarted = 0;

  constructor(private readonly options: KubeApiClientOptions) {
    if (!(options.timeoutMs > 0))
      throw new TypeError('timeoutMs: must be more than 0');
    if (!Number.isInteger(options.concurrency) || options.concurrency < 1) {
      throw new TypeError('concurrency: must be a whole number of at least 1');
    }
    const kubeConfig = new KubeConfig();
    const user: User = options.tokenProvider
      ? {
          name: options.name,
          authProvider: { name: TOKEN_PROVIDER, config: {} },
        }
      : { name: options.name, token: options.token };
    kubeConfig.loadFromClusterAndUser(
      {
        name: options.name,
        server: options.url.replace(/\/+$/, ''),
        caData: options.ca
          ? Buffer.from(options.ca, 'utf8').toString('base64')
          : undefined,
        skipTLSVerify: options.skipTLSVerify ?? false,
      },
      user,
    );
    const tokenProvider = options.tokenProvider;
    if (tokenProvider) {
      kubeConfig.addAuthenticator({
        isAuthProvider: u => u?.authProvider?.name === TOKEN_PROVIDER,
        applyAuthentication: async (_user, opts) => {
          const token = await tokenProvider();
          opts.headers = { ...opts.headers, Authorization: `Bearer ${token}` };
        },
      });
    }
    this.apis = kubeConfig.makeApiClient(ApisApi);
    this.customObjects = kubeConfig.makeApiClient(CustomObjectsApi);
    this.limit = pLimit(options.concurrency);
    this.watcher = new Watch(kubeConfig);
  }

  /** Watches started so far (each a long-lived request, not counted in {@link calls}). */
  get watches(): number {
    return this.watchesStarted;
  }

  /**
   * Watches a resource in all namespaces from a resourceVersion, with bookmarks
   * (`GET /apis/<group>/<version>/<plural>?watch=true&resourceVersion=&allowWatchBookmarks=true`).
   * Resolves once the watch is open; `ended` settles when the server or the network ends it
   * (an error for an answer other than 200, such as 410 Gone), or when `signal` aborts it.
   */
  async watch(
    request: {
      group: string;
      version: string;
      plural: string;
      resourceVersion?: string;
      timeoutSeconds?: number;
    },
    onEvent: (event: KubeWatchEvent) => void,
    signal: AbortSignal,
  ): Promise<{ ended: Promise<KubeApiError | undefined> }> {
    const { group, version, plural } = request;
    const path = `/apis/${group}/${version}/${plural}`;
    this.watchesStarted += 1;
    let finish: (error: KubeApiError | undefined) => void = () => {};
    const ended = new Promise<KubeApiError | undefined>(resolve => {
      finish = resolve;
    });
    const controller = await this.watcher.watch(
      path,
      {
        allowWatchBookmarks: true,
        ...(request.resourceVersion
          ? { resourceVersion: request.resourceVersion }
          : {}),
        ...(request.timeoutSeconds
          ? { timeoutSeconds: request.timeoutSeconds }
          : {}),
      },
      (type: string, object: any) =>
        onEvent({ type: type as KubeWatchEvent['type'], object }),
      (error: any) => {
        if (!error || signal.aborted) {
          finish(undefined);
          return;
        }
        const status = Number(error.statusCode);
        finish(
          status
            ? new KubeApiError(
                httpStatusCode(status),
                `HTTP ${status} on watch ${path}`,
                status,
              )
            : asKubeApiError(error, `watch ${path}`),
        );
      },
    );
    if (signal.aborted) controller.abort();
    else
      signal.addEventListener('abort', () => controller.abort(), {
        once: true,
      });
    return { ended };
  }

  /** Calls started so far. */
  get calls(): number {
    return this.started;
  }

  /** The API groups the server serves (`GET /apis`). */
  async apiGroups(signal?: AbortSignal): Promise<KubeApiGroup[]> {
    const what = '/apis';
    const list = await this.call(what, signal, options =>
      this.apis.getAPIVersions(options),
    );
    if (!Array.isArray(list?.groups))
      throw invalid(what, 'has no list of groups');
    return list.groups.map(group => ({
      name: group.name,
      versions: (group.versions ?? []).map(v => v.version),
      preferredVersion: group.preferredVersion?.version,
    }));
  }

  /** The resources of one group version (`GET /apis/<group>/<version>`). */
  async apiResources(
    group: string,
    version: string,
    signal?: AbortSignal,
  ): Promise<KubeApiResource[]> {
    const what = `/apis/${group}/${version}`;
    const list = await this.call(what, signal, options =>
      this.customObjects.getAPIResources({ group, version }, options),
    );
    if (!Array.isArray(list?.resources))
      throw invalid(what, 'has no list of resources');
    return list.resources.map(r => ({
      name: r.name,
      kind: r.kind,
      namespaced: r.namespaced,
    }));
  }

  /**
   * One page of the objects of a resource in all namespaces
   * (`GET /apis/<group>/<version>/<plural>?limit=&continue=`).
   */
  async listPage(
    request: {
      group: string;
      version: string;
      plural: string;
      limit: number;
      continue?: string;
    },
    signal?: AbortSignal,
  ): Promise<KubeListPage> {
    const { group, version, plural } = request;
    const what = `/apis/${group}/${version}/${plural}`;
    const list = await this.call(what, signal, options =>
      this.customObjects.listCustomObjectForAllNamespaces(
        {
          group,
          version,
          plural,
          limit: request.limit,
          _continue: request.continue,
        },
        options,
      ),
    );
    if (!list || typeof list !== 'object' || !Array.isArray(list.items))
      throw invalid(what, 'is not a list of objects');
    const next = list.metadata?.continue;
    const resourceVersion = list.metadata?.resourceVersion;
    return {
      items: list.items,
      continue: typeof next === 'string' && next ? next : undefined,
      ...(typeof resourceVersion === 'string' && resourceVersion
        ? { resourceVersion }
        : {}),
    };
  }

  /**
   * Runs one call of the generated client within the concurrency cap and the time limit. The
   * signal reaches `fetch` through a middleware, so a timeout also stops reading a slow answer;
   * the race makes sure the call settles even if something before the request never does.
   */
  private call<T>(
    what: string,
    signal: AbortSignal | undefined,
    run: (options: ConfigurationOptions) => Promise<T>,
  ): Promise<T> {
    return this.limit(async () => {
      if (signal?.aborted)
        throw new KubeApiError('AbortError', 'The collection was aborted');
      this.started += 1;
      const controller = new AbortController();
      let timedOut = false;
      const timer = setTimeout(() => {
        timedOut = true;
        controller.abort();
      }, this.options.timeoutMs);
      const onAbort = () => controller.abort();
      signal?.addEventListener('abort', onAbort, { once: true });
      const stopped = new Promise<never>((_resolve, reject) => {
        controller.signal.addEventListener(
          'abort',
          () => reject(new Error('aborted')),
          { once: true },
        );
      });
      // The object-parameter APIs run on the generated observable layer, so the middleware is of that kind.
      const middleware: ObservableMiddleware = {
        pre: context => {
          context.setSignal(controller.signal);
          return new Observable(Promise.resolve(context));
        },
        post: context => new Observable(Promise.resolve(context)),
      };
      const options: ConfigurationOptions = {
        middleware: [middleware],
        middlewareMergeStrategy: 'append',
      };
      try {
        return await Promise.race([run(options), stopped]);
      } catch (error) {
        if (timedOut) {
          throw new KubeApiError(
            'TimeoutError',
            `No complete answer to ${what} within ${this.options.timeoutMs} ms`,
          );
        }
        if (signal?.aborted)
          throw new KubeApiError('AbortError', 'The collection was aborted');
        throw asKubeApiError(error, what);
      } finally {
        clearTimeout(timer);
        signal?.removeEventListener('abort', onAbort);
        controller.abort();
      }
    });
  }
}
