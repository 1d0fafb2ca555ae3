import { isError } from '@backstage/errors';
import fc from 'fast-check';
import { validate as validateJsonSchema } from 'jsonschema';
import yaml from 'yaml';
import { CheckpointStore } from '../__testUtils__/checkpointStore';
import {
  bootstrapSettings,
  FakeAws,
  noSleep,
  policyFolder,
  testSessions,
} from '../__testUtils__/fakeAws';
import { FakeFleetApi, startFakeFleetApi } from '../__testUtils__/fakeFleetApi';
import {
  ACTION_IDS,
  BASE_CONFIG,
  fleetState,
  MODULE_CONFIG,
  paymentsRequest,
  testAccessPolicy,
  testAudit,
  USERS,
} from '../__testUtils__/fixtures';
import { createGitRepo } from '../__testUtils__/gitRepo';
import { mockContext } from '../__testUtils__/mockContext';
import { clusterdeckActions } from '../createClusterdeckActions';
import { FleetApiClient } from '@clusterdeck/plugin-aws-clusters-node';
import { mockServices } from '@backstage/backend-test-utils';

/*
 * Property-based fuzzing of every scaffolder action's input, the way the scaffolder's runner
 * calls an action: the input is first checked against the action's JSON schema (a failure names
 * the property), then the handler runs. Whatever arrives, the step either succeeds or fails with
 * an InputError naming the input it refuses (`email: …`, `request.spec.region: …`), a
 * NotAllowedError, or a conflict; never a TypeError or any other unhandled exception.
 * RELIABILITY_FUZZ_RUNS sets the cases per action (10,000 in `yarn test:reliability`).
 */

const RUNS = Number(process.env.RELIABILITY_FUZZ_RUNS) || 60;
jest.setTimeout(RUNS > 1000 ? 60 * 60_000 : 180_000);

const NASTY = [
  '',
  ' ',
  '..',
  '../../etc/passwd',
  '/etc/passwd',
  '-rf',
  '--upload-pack=touch /tmp/pwned',
  'main; rm -rf /',
  '%00',
  '\u0000',
  '\uD800',
  '__proto__',
  'constructor',
  '${{ parameters.name }}',
  'group:default/web',
  'group:default/payments',
  'group:',
  'mc-eu-prod',
  'mc-eu-prod/org-payments/pay-prod',
  'mc-eu-prod/org-web/web-dev',
  '123456789012',
  '444455556666',
  'new-account',
  'ou-ab12-payments1',
  'r-ab12',
  'aws+fuzz@example.com',
  'tgw-routed',
  'def00',
  'a'.repeat(300),
  'x'.repeat(9_000),
  'NaN',
  '-1',
  'null',
  '[]',
  '{}',
];

const text = fc.oneof(
  { weight: 3, arbitrary: fc.string() },
  { weight: 1, arbitrary: fc.string({ unit: 'binary' }) },
  { weight: 4, arbitrary: fc.constantFrom(...NASTY) },
);
const value = fc.oneof(
  { weight: 4, arbitrary: text },
  { weight: 2, arbitrary: fc.jsonValue({ maxDepth: 3 }) },
  { weight: 1, arbitrary: fc.integer({ min: -5, max: 100 }) },
  { weight: 1, arbitrary: fc.array(text, { maxLength: 3 }) },
  { weight: 1, arbitrary: fc.constant(undefined) },
);

/**
 * The inputs of the action's examples as the runner would pass them: template expressions in
 * fields that are not strings become values of the field's type (a valid cluster request for
 * `request`), and only inputs the schema accepts are kept.
 */
function exampleInputs(action: {
  id: string;
  examples?: Array<{ example: string }>;
  schema?: { input?: any };
}): Array<Record<string, unknown>> {
  const properties: Record<string, any> =
    action.schema?.input?.properties ?? {};
  const typeOf = (key: string) =>
    [
      properties[key]?.type,
      ...(properties[key]?.anyOf ?? []).map((t: any) => t.type),
    ]
      .flat()
      .filter(Boolean);
  const rendered = (action.examples ?? [])
    .flatMap(e =>
      (yaml.parse(e.example)?.steps ?? []).map(
        (s: any) => (s.input ?? {}) as Record<string, unknown>,
      ),
    )
    .map(input =>
      Object.fromEntries(
        Object.entries(input).map(([key, v]) => {
          if (key === 'request') return [key, paymentsRequest()];
          if (
            typeof v !== 'string' ||
            !v.includes('${{') ||
            typeOf(key).includes('string')
          )
            return [key, v];
          const placeholders: Record<string, unknown> = {
            array: [],
            number: 1,
            integer: 1,
            boolean: false,
          };
          const type = typeOf(key)[0];
          return [key, type in placeholders ? placeholders[type] : {}];
        }),
      ),
    );
  const valid = rendered.filter(
    input => validateJsonSchema(input, action.schema?.input ?? {}).valid,
  );
  return valid.length > 0 ? valid : rendered;
}

function leafPaths(
  v: unknown,
  prefix: Array<string | number> = [],
): Array<Array<string | number>> {
  if (Array.isArray(v))
    return [prefix, ...v.flatMap((x, i) => leafPaths(x, [...prefix, i]))];
  if (v && typeof v === 'object')
    return [
      prefix,
      ...Object.entries(v).flatMap(([k, x]) => leafPaths(x, [...prefix, k])),
    ];
  return [prefix];
}

function valueAt(v: unknown, path: Array<string | number>): unknown {
  return path.reduce<any>(
    (node, key) =>
      node === null || typeof node !== 'object' ? undefined : node[key],
    v,
  );
}

function mutate(
  base: unknown,
  path: Array<string | number>,
  to: unknown,
): unknown {
  const copy: any = structuredClone(base);
  let node = copy;
  for (const key of path.slice(0, -1)) {
    if (node === null || typeof node !== 'object') return base;
    node = node[key];
  }
  if (node === null || typeof node !== 'object') return base;
  const last = path[path.length - 1];
  if (to === undefined) delete node[last];
  else node[last] = to;
  return copy;
}

/** Inputs of one action: its examples with one to three values replaced, removed or added, or an object of random keys. */
function inputsFor(action: {
  id: string;
  examples?: Array<{ example: string }>;
  schema?: { input?: any };
}) {
  const bases = exampleInputs(action);
  const keys = Object.keys(action.schema?.input?.properties ?? {});
  const mutated = fc.constantFrom(...bases).chain(base => {
    const paths = leafPaths(base).filter(p => p.length > 0);
    const at = fc.oneof(
      fc.constantFrom(...paths),
      fc.constantFrom(...keys).map(k => [k]),
      fc.string({ maxLength: 8 }).map(k => [k]),
    );
    return fc
      .array(fc.tuple(at, value), { minLength: 1, maxLength: 3 })
      .map(
        changes =>
          changes.reduce<unknown>(
            (input, [p, v]) => mutate(input, p, v),
            base,
          ) as Record<string, unknown>,
      );
  });
  // Values replaced by others of the same type, so that most cases pass the schema and reach the handler.
  const typed = fc.constantFrom(...bases).chain(base => {
    const leaves = leafPaths(base).filter(
      p =>
        p.length > 0 &&
        ['string', 'number', 'boolean'].includes(typeof valueAt(base, p)),
    );
    const sameType = (p: Array<string | number>) => {
      const current = valueAt(base, p);
      if (typeof current === 'number')
        return fc.integer({ min: -3, max: 100_000 });
      if (typeof current === 'boolean') return fc.boolean();
      return text;
    };
    return fc
      .array(
        fc
          .constantFrom(...leaves)
          .chain(p => sameType(p).map(v => [p, v] as const)),
        { minLength: 1, maxLength: 3 },
      )
      .map(
        changes =>
          changes.reduce<unknown>(
            (input, [p, v]) => mutate(input, [...p], v),
            base,
          ) as Record<string, unknown>,
      );
  });
  const random = fc.dictionary(
    fc.oneof(fc.constantFrom(...keys), fc.string({ maxLength: 8 })),
    value,
    { maxKeys: 6 },
  );
  return fc.oneof(
    { weight: 5, arbitrary: typed },
    { weight: 3, arbitrary: mutated },
    { weight: 1, arbitrary: random },
  );
}

/** How a refusal names an input: a line that starts with one of the action's input names (or a dotted path in it). */
function namesAnInput(message: string, keys: string[]): boolean {
  return message
    .split('\n')
    .some(line =>
      keys.some(
        k =>
          line.startsWith(`${k}:`) ||
          line.startsWith(`${k}.`) ||
          line.startsWith(`${k}[`),
      ),
    );
}

/** Refusals that are about who asks or about the state of the world, not about the input's shape. */
const STATE_ERRORS = new Set([
  'NotAllowedError',
  'ConflictError',
  'NotFoundError',
]);

describe('hostile input to every scaffolder action', () => {
  let fake: FakeFleetApi;
  let aws: FakeAws;
  let repo: ReturnType<typeof createGitRepo>;
  let actions: ReturnType<typeof clusterdeckActions>;

  beforeAll(async () => {
    fake = await startFakeFleetApi(fleetState());
    aws = new FakeAws();
    repo = createGitRepo({
      'management-clusters/mc-eu-prod/organizations/payments/.keep': '',
    });
    actions = clusterdeckActions({
      base: BASE_CONFIG,
      settings: {
        ...MODULE_CONFIG,
        gitops: { ...MODULE_CONFIG.gitops, localRepository: repo.dir },
        accountBootstrap: bootstrapSettings(policyFolder()),
      },
      fleet: FleetApiClient.create({
        discovery: { getBaseUrl: async () => fake.url },
        auth: mockServices.auth(),
      }),
      access: testAccessPolicy(),
      audit: testAudit().audit,
      sessions: testSessions(),
      retry: { ...noSleep, attempts: 2 },
    });
  });
  afterAll(async () => {
    aws.restore();
    repo.remove();
    await fake.close();
  });

  it('fuzzes every action the module registers', () => {
    expect(actions.map(a => a.id).sort()).toEqual([...ACTION_IDS].sort());
  });

  it.each(ACTION_IDS)(
    '%s fails only with a refusal naming the input',
    async id => {
      const action = actions.find(a => a.id === id)!;
      const keys = Object.keys((action.schema?.input as any)?.properties ?? {});
      let ran = 0;
      await fc.assert(
        fc.asyncProperty(
          inputsFor(action as any),
          fc.boolean(),
          fc.constantFrom(USERS.admin, USERS.payments, USERS.web),
          async (input, isDryRun, user) => {
            const checked = validateJsonSchema(
              input,
              action.schema!.input as any,
            );
            if (!checked.valid) {
              // The runner fails the step with these; each names the property it refuses.
              const unnamed = checked.errors.filter(
                e =>
                  !/^(instance\.|requires property|is not|does not)/.test(
                    e.property === 'instance' ? e.message : e.property,
                  ),
              );
              if (unnamed.length > 0)
                throw new Error(
                  `${id}: the schema refuses without naming a property: ${unnamed
                    .map(e => e.stack)
                    .join('; ')}`,
                );
              return;
            }
            ran += 1;
            const ctx = mockContext({
              input,
              user,
              isDryRun,
              checkpoints: new CheckpointStore(),
              workspacePath: undefined,
            });
            try {
              await action.handler(ctx as any);
            } catch (error) {
              if (!isError(error))
                throw new Error(`${id} threw a non-error: ${String(error)}`);
              if (STATE_ERRORS.has(error.name)) return;
              if (
                error.name === 'InputError' &&
                namesAnInput(error.message, keys)
              )
                return;
              throw new Error(
                `${id} failed without naming an input (${error.name}): ${
                  error.message
                }\ninput: ${JSON.stringify(input).slice(0, 500)}`,
              );
            }
          },
        ),
        { numRuns: RUNS },
      );
      // The cases exercised the handler, not only the schema.
      expect(ran).toBeGreaterThan(RUNS / 4);
    },
  );
});
