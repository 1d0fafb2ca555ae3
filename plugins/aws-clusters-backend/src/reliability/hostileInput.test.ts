import fc from 'fast-check';
import { ControlledSource } from '../__testUtils__/harness/controlledSource';
import {
  FleetBackend,
  leadOf,
  startFleetBackend,
} from '../__testUtils__/harness/fleetBackend';
import {
  reliabilityConfig,
  reliabilityFleet,
  fuzzRuns,
  longRun,
} from '../__testUtils__/harness/fleets';
import { teamClusterRequest } from '../__testUtils__/harness/generatedFleetConfig';
import { Answer, httpClient } from '../__testUtils__/harness/httpClient';

/*
 * Property-based fuzzing of every REST parameter and body: whatever arrives, the answer is a 2xx
 * or a 4xx, never a 5xx, every 400 names the part of the request it refuses (`query owner: …`,
 * `path name: …`, `body request.spec.region: …`), and nothing is thrown past the router.
 * RELIABILITY_FUZZ_RUNS sets the cases per route (10,000 in `yarn test:reliability`).
 */

const RUNS = fuzzRuns(500);
jest.setTimeout(longRun() ? 30 * 60_000 : 120_000);

const ADMIN = 'user:default/admin';
const LEAD = leadOf('web');

const NASTY = [
  '',
  ' ',
  '..',
  '../../etc/passwd',
  '%',
  '%00',
  '\u0000',
  '\uFFFF',
  '\uD800',
  "' OR 1=1 --",
  '<script>alert(1)</script>',
  '__proto__',
  'constructor',
  'prototype',
  'toString',
  'group:default/web',
  'group:default/payments',
  'user:default/web-lead',
  'group:',
  'group:default/',
  'mc-eu-west-1',
  'org-web',
  'transit',
  '00000000-0000-0000-0000-000000000000',
  'a'.repeat(300),
  'x'.repeat(9_000),
  'NaN',
  '1e309',
  '-0',
  'null',
  'true',
  '[]',
  '{}',
];

const text = fc.oneof(
  { weight: 3, arbitrary: fc.string() },
  { weight: 2, arbitrary: fc.string({ unit: 'binary' }) },
  { weight: 2, arbitrary: fc.constantFrom(...NASTY) },
  {
    weight: 1,
    arbitrary: fc.stringMatching(/^(group|user):[a-z]{0,8}\/?[a-z-]{0,12}$/),
  },
);
const queryKey = fc.oneof(
  fc.constantFrom(
    'owner',
    'pool',
    'owner[]',
    'owner[a]',
    'pool[0]',
    '__proto__',
    '__proto__[owner]',
    'constructor[prototype]',
  ),
  fc.string({ maxLength: 12 }),
);
const query = fc
  .array(fc.tuple(queryKey, text), { maxLength: 4 })
  .map(pairs => {
    const params = new URLSearchParams();
    for (const [key, value] of pairs) params.append(key, value);
    const qs = params.toString();
    return qs ? `?${qs}` : '';
  });
/** Percent-encodes every byte, so that any text, and bytes that are not UTF-8 at all, reach the router. */
const percentEncode = (bytes: Uint8Array) =>
  Array.from(bytes, b => `%${b.toString(16).padStart(2, '0')}`).join('');
const segment = fc.oneof(
  {
    weight: 4,
    arbitrary: text
      .filter(s => s.length > 0)
      .map(s => percentEncode(Buffer.from(s, 'utf8'))),
  },
  {
    weight: 1,
    arbitrary: fc
      .uint8Array({ minLength: 1, maxLength: 40 })
      .map(percentEncode),
  },
);
const json = fc.jsonValue({ maxDepth: 3 });

/** How a 400 names a path parameter: the router's `path <name>: <reason>`, or Express's own refusal of bytes that are not UTF-8. */
const PATH_FIELD = /^path\b|^Failed to decode param/;

/**
 * How a 400 names the body: the router's own checks say `body <path>: <reason>`; a body that is
 * not a JSON object or array is refused earlier by the JSON body parser, whose message says the
 * body "is not valid JSON" (or where it stopped parsing).
 */
const BODY_FIELD =
  /^body\b|is not valid JSON|in JSON at position|Unexpected end of JSON input/;

/** A valid cluster request of the web team, to mutate. */
const VALID_REQUEST = teamClusterRequest('web', 'web-fuzz');

function leafPaths(
  value: unknown,
  prefix: Array<string | number> = [],
): Array<Array<string | number>> {
  if (Array.isArray(value))
    return [prefix, ...value.flatMap((v, i) => leafPaths(v, [...prefix, i]))];
  if (value && typeof value === 'object') {
    return [
      prefix,
      ...Object.entries(value).flatMap(([k, v]) =>
        leafPaths(v, [...prefix, k]),
      ),
    ];
  }
  return [prefix];
}
const REQUEST_PATHS = leafPaths(VALID_REQUEST).filter(p => p.length > 0);

/** Sets (or with `undefined`, deletes) the value at a path of a copy of the object. */
function mutate(
  base: unknown,
  path: Array<string | number>,
  value: unknown,
): unknown {
  const copy: any = structuredClone(base);
  let node = copy;
  for (const key of path.slice(0, -1)) node = node[key];
  const last = path[path.length - 1];
  if (value === undefined) delete node[last];
  else node[last] = value;
  return copy;
}

const mutation = fc.tuple(
  fc.oneof(
    fc.constantFrom(...REQUEST_PATHS),
    fc
      .constantFrom(...REQUEST_PATHS)
      .chain(p =>
        fc.string({ maxLength: 10 }).map(k => [...p.slice(0, -1), k]),
      ),
  ),
  fc.oneof(json, text, fc.constant(undefined), fc.integer(), fc.double()),
);
const mutatedRequest = fc
  .array(mutation, { minLength: 1, maxLength: 3 })
  .map(ms =>
    ms.reduce<unknown>((request, [path, value]) => {
      try {
        return mutate(request, path, value);
      } catch {
        return request; // the path no longer exists after an earlier mutation
      }
    }, VALID_REQUEST),
  );

describe('hostile input to every REST parameter and body', () => {
  const source = new ControlledSource(reliabilityFleet);
  let backend: FleetBackend;
  let call: ReturnType<typeof httpClient>;
  let someRef: string;
  const unhandled: unknown[] = [];
  const onUnhandled = (error: unknown) => unhandled.push(error);

  beforeAll(async () => {
    process.on('unhandledRejection', onUnhandled);
    process.on('uncaughtException', onUnhandled);
    backend = await startFleetBackend({
      sources: [source],
      clusterdeck: reliabilityConfig(),
    });
    await backend.refresh();
    call = httpClient(backend.server);
    someRef = (await call('GET', '/clusters', { user: ADMIN })).body.items.find(
      (c: any) => c.owner === 'group:default/web',
    ).ref;
  });

  afterAll(async () => {
    await backend?.stop();
    process.off('unhandledRejection', onUnhandled);
    process.off('uncaughtException', onUnhandled);
  });

  afterEach(() => {
    expect(unhandled).toEqual([]);
    expect(
      backend.logger.lines.filter(l => l.level === 'error').map(l => l.message),
    ).toEqual([]);
  });

  /** An answer to hostile input: one of the allowed statuses, and a 400 that names what it refuses. */
  function expectRefusedCleanly(
    answer: Answer,
    allowed: number[],
    field: RegExp,
    what: string,
  ) {
    if (!allowed.includes(answer.status)) {
      throw new Error(
        `${what}: status ${answer.status} (allowed ${allowed.join(
          ', ',
        )}): ${answer.text.slice(0, 500)}`,
      );
    }
    if (answer.status === 400) {
      const message: string = answer.body?.error?.message ?? '';
      if (!field.test(message))
        throw new Error(
          `${what}: the 400 does not name the field (${field}): ${message.slice(
            0,
            500,
          )}`,
        );
    }
  }

  const run = (
    property: fc.IAsyncPropertyWithHooks<any> | fc.IAsyncProperty<any>,
  ) => fc.assert(property, { numRuns: RUNS });

  it.each([
    ['/clusters'],
    ['/boundaries'],
    ['/accounts'],
    ['/cidr-pools'],
    ['/cidr-allocations'],
  ])('GET %s with any query', async path => {
    await run(
      fc.asyncProperty(
        query,
        fc.constantFrom(ADMIN, LEAD),
        async (qs, user) => {
          const answer = await call('GET', `${path}${qs}`, { user });
          expectRefusedCleanly(
            answer,
            [200, 400, 431],
            /^query\b/,
            `GET ${path}${qs.slice(0, 200)}`,
          );
        },
      ),
    );
  });

  it('GET /clusters/:managementCluster/:namespace/:name with any path', async () => {
    const [mc, ns, name] = someRef.split('/');
    await run(
      fc.asyncProperty(
        fc.tuple(
          fc.oneof(fc.constant(mc), segment),
          fc.oneof(fc.constant(ns), segment),
          fc.oneof(fc.constant(name), segment),
        ),
        fc.constantFrom(ADMIN, LEAD, leadOf('payments')),
        async ([a, b, c], user) => {
          const answer = await call('GET', `/clusters/${a}/${b}/${c}`, {
            user,
          });
          expectRefusedCleanly(
            answer,
            [200, 400, 403, 404, 431],
            PATH_FIELD,
            `GET /clusters/${a}/${b}/${c}`.slice(0, 300),
          );
        },
      ),
    );
  });

  it('POST /cidr-allocations with any body', async () => {
    const body = fc.oneof(
      json,
      fc.record(
        {
          pool: fc.oneof(fc.constant('transit'), text, json),
          owner: fc.oneof(fc.constant('group:default/web'), text, json),
          cluster: fc.oneof(text, json),
          extra: json,
        },
        { requiredKeys: [] },
      ),
    );
    await run(
      fc.asyncProperty(
        body,
        fc.constantFrom(ADMIN, LEAD),
        async (value, user) => {
          const answer = await call('POST', '/cidr-allocations', {
            user,
            body: value,
          });
          // 409: the pool ran out of blocks after the many valid requests among the cases.
          expectRefusedCleanly(
            answer,
            [201, 400, 403, 409, 413],
            BODY_FIELD,
            `POST /cidr-allocations ${JSON.stringify(value).slice(0, 300)}`,
          );
          if (answer.status === 201)
            await call('DELETE', `/cidr-allocations/${answer.body.id}`, {
              user: ADMIN,
            });
        },
      ),
    );
  });

  it('DELETE /cidr-allocations/:id with any id', async () => {
    await run(
      fc.asyncProperty(
        fc.oneof(segment, fc.uuid()),
        fc.constantFrom(ADMIN, LEAD),
        async (id, user) => {
          const answer = await call('DELETE', `/cidr-allocations/${id}`, {
            user,
          });
          expectRefusedCleanly(
            answer,
            [400, 403, 404, 431],
            PATH_FIELD,
            `DELETE /cidr-allocations/${id}`.slice(0, 300),
          );
        },
      ),
    );
  });

  it('POST /cluster-requests with any request, valid ones mutated', async () => {
    const body = fc.oneof(
      { weight: 4, arbitrary: mutatedRequest.map(request => ({ request })) },
      { weight: 1, arbitrary: json },
    );
    await run(
      fc.asyncProperty(
        body,
        fc.constantFrom(ADMIN, LEAD),
        async (value, user) => {
          const answer = await call('POST', '/cluster-requests', {
            user,
            body: value,
          });
          expectRefusedCleanly(
            answer,
            [201, 400, 403, 409, 413],
            BODY_FIELD,
            `POST /cluster-requests ${JSON.stringify(value).slice(0, 300)}`,
          );
          if (answer.status === 201)
            await call('DELETE', `/cluster-requests/${answer.body.ref}`, {
              user: ADMIN,
            });
        },
      ),
    );
  });

  it('DELETE /cluster-requests/:managementCluster/:namespace/:name with any path', async () => {
    await run(
      fc.asyncProperty(
        fc.tuple(segment, segment, segment),
        fc.constantFrom(ADMIN, LEAD),
        async ([a, b, c], user) => {
          const answer = await call(
            'DELETE',
            `/cluster-requests/${a}/${b}/${c}`,
            { user },
          );
          expectRefusedCleanly(
            answer,
            [400, 403, 404, 431],
            PATH_FIELD,
            `DELETE /cluster-requests/${a}/${b}/${c}`.slice(0, 300),
          );
        },
      ),
    );
  });

  it('bodies that are not JSON, or too large, on every POST', async () => {
    const raw = fc.oneof(
      fc.string(),
      fc.constantFrom(
        '{',
        '{"request":',
        '[1,',
        'null',
        '"x"',
        `{"pool":"${'x'.repeat(70_000)}"}`,
      ),
    );
    await run(
      fc.asyncProperty(
        raw,
        fc.constantFrom('/cidr-allocations', '/cluster-requests'),
        async (body, path) => {
          const answer = await call('POST', path, {
            user: ADMIN,
            rawBody: body,
          });
          expectRefusedCleanly(
            answer,
            [400, 413],
            BODY_FIELD,
            `POST ${path} ${body.slice(0, 200)}`,
          );
        },
      ),
    );
  });
});
