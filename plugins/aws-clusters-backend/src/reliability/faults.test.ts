import { syntheticAccountId } from '@clusterdeck/demo-fleet';
import request from 'supertest';
import {
  ControlledSource,
  SourceFault,
} from '../__testUtils__/harness/controlledSource';
import {
  as,
  FleetBackend,
  startFleetBackend,
} from '../__testUtils__/harness/fleetBackend';
import {
  reliabilityConfig,
  reliabilityFleet,
} from '../__testUtils__/harness/fleets';

jest.setTimeout(60_000);

/** How long any answer may take while a source fails (the fleet is 40 clusters, served from memory). */
const ANSWER_BOUND_MS = 500;
const ADMIN = as('user:default/admin');

const AWS_TARGET = `aws:${syntheticAccountId(1)}:eu-west-1`;
const MC_TARGET = 'kubernetes:mc-eu-central-1';

const FAULTS: Array<[string, SourceFault, RegExp]> = [
  [
    'AccessDenied on a whole account and region',
    {
      kind: 'calls',
      targets: [AWS_TARGET],
      code: 'AccessDenied',
      message: 'User is not authorized to perform: ec2:DescribeVpcs',
    },
    /AccessDenied/,
  ],
  [
    'a throttling storm across every account',
    {
      kind: 'calls',
      targets: ['eu-west-1', 'eu-central-1'].flatMap(r =>
        [1, 2, 3, 4, 5].map(a => `aws:${syntheticAccountId(a)}:${r}`),
      ),
      operations: [
        'DescribeInstances',
        'DescribeAutoScalingGroups',
        'DescribeScalingActivities',
      ],
      code: 'ThrottlingException',
      message: 'Rate exceeded',
    },
    /ThrottlingException/,
  ],
  [
    'timeouts of every call to an account',
    {
      kind: 'calls',
      targets: [AWS_TARGET],
      code: 'TimeoutError',
      message: 'the call took longer than 20000 ms',
    },
    /TimeoutError/,
  ],
  [
    'a management cluster answering 500',
    {
      kind: 'calls',
      targets: [MC_TARGET],
      code: '500',
      message: 'Internal Server Error',
    },
    /500/,
  ],
  [
    'a management cluster with a certificate that does not verify',
    {
      kind: 'calls',
      targets: [MC_TARGET],
      code: 'UNABLE_TO_VERIFY_LEAF_SIGNATURE',
      message: 'unable to verify the first certificate',
    },
    /UNABLE_TO_VERIFY_LEAF_SIGNATURE/,
  ],
];

async function timedGet(server: any, path: string) {
  const started = Date.now();
  const res = await request(server).get(path).set('Authorization', ADMIN);
  return { res, ms: Date.now() - started };
}

/** Every read endpoint, each answered within the bound and without a server error. */
async function readEverything(server: any, detailPath: string) {
  const paths = [
    '/clusters',
    detailPath,
    '/boundaries',
    '/accounts',
    '/cidr-pools',
    '/cidr-allocations',
    '/health',
  ];
  const answers = await Promise.all(
    paths.map(p => timedGet(server, `/api/aws-clusters${p}`)),
  );
  for (const [i, { res, ms }] of answers.entries()) {
    expect({ path: paths[i], status: res.status }).toEqual({
      path: paths[i],
      status: 200,
    });
    expect(ms).toBeLessThan(ANSWER_BOUND_MS);
  }
  return Object.fromEntries(paths.map((p, i) => [p, answers[i].res.body]));
}

describe('a failing source', () => {
  const source = new ControlledSource(reliabilityFleet);
  let backend: FleetBackend;
  let refs: string[];
  let awsAffected: string;
  let mcAffected: string;

  beforeAll(async () => {
    backend = await startFleetBackend({
      sources: [source],
      clusterdeck: reliabilityConfig(),
    });
    await backend.refresh();
    const res = await request(backend.server)
      .get('/api/aws-clusters/clusters')
      .set('Authorization', ADMIN);
    expect(res.body.errors).toEqual([]);
    refs = res.body.items.map((c: any) => c.ref);
    expect(refs.length).toBe(40);
    const byRef = (pred: (c: any) => boolean) =>
      res.body.items.find(pred).ref as string;
    awsAffected = byRef(
      c => c.accountId === syntheticAccountId(1) && c.region === 'eu-west-1',
    );
    mcAffected = byRef(c => c.managementCluster === 'mc-eu-central-1');
  });

  afterAll(async () => {
    await backend?.stop();
  });

  afterEach(async () => {
    // Whatever a case did, the next one starts from a healthy fleet.
    source.fault = undefined;
    await backend.refresh();
  });

  const detailOf = (ref: string) => `/clusters/${ref}`;

  it.each(FAULTS)(
    '%s: serves the last good data marked stale with the reason, and recovers',
    async (_name, fault, reason) => {
      const affected =
        fault.kind === 'calls' && fault.targets[0].startsWith('kubernetes:')
          ? mcAffected
          : awsAffected;
      const before = await readEverything(backend.server, detailOf(affected));

      source.fault = fault;
      await backend.refresh();
      const during = await readEverything(backend.server, detailOf(affected));

      // Nothing is lost: the same clusters with the same data as before the fault.
      expect(during['/clusters'].items.map((c: any) => c.ref)).toEqual(refs);
      expect(during[detailOf(affected)].topology).toEqual(
        before[detailOf(affected)].topology,
      );
      expect(during[detailOf(affected)].nodePools).toEqual(
        before[detailOf(affected)].nodePools,
      );

      // Every failing target is reported stale with the reason, in lists, details and health.
      const targets = (fault as Extract<SourceFault, { kind: 'calls' }>)
        .targets;
      const stale = during['/clusters'].errors;
      expect(stale.map((s: any) => s.source).sort()).toEqual(
        [...targets].sort(),
      );
      for (const status of stale) {
        expect(status).toEqual(
          expect.objectContaining({
            stale: true,
            error: expect.stringMatching(reason),
          }),
        );
        // Stale data keeps the time it was last fetched, which is before the failing refresh.
        expect(status.fetchedAt).toBeDefined();
      }
      const detailSources = during[detailOf(affected)].sources.filter(
        (s: any) => s.stale,
      );
      expect(detailSources.length).toBeGreaterThan(0);
      expect(detailSources[0].error).toMatch(reason);
      expect(during['/health'].sources.filter((s: any) => s.stale).length).toBe(
        targets.length,
      );

      // The fault clears: the next refresh serves fresh data and nothing is stale.
      source.fault = undefined;
      await backend.refresh();
      const after = await readEverything(backend.server, detailOf(affected));
      expect(after['/clusters'].errors).toEqual([]);
      expect(after['/clusters'].items.map((c: any) => c.ref)).toEqual(refs);
      expect(after['/health'].sources.every((s: any) => !s.stale)).toBe(true);
    },
  );

  it('keeps everything when the source fails outright, reporting it in health, and recovers', async () => {
    source.fault = {
      kind: 'reject',
      message: 'snapshot directory /nowhere does not exist or cannot be read',
    };
    await backend.refresh();
    const during = await readEverything(backend.server, detailOf(awsAffected));
    expect(during['/clusters'].items.map((c: any) => c.ref)).toEqual(refs);
    const failed = during['/health'].refresh.sources.find(
      (s: any) => s.name === source.name,
    );
    expect(failed.error).toMatch(/does not exist/);
    expect(during['/clusters'].errors).toEqual([
      expect.objectContaining({
        source: source.name,
        stale: true,
        error: expect.stringMatching(/does not exist/),
      }),
    ]);
    expect(
      backend.logger.lines.some(
        l => l.level === 'warn' && /Source controlled failed/.test(l.message),
      ),
    ).toBe(true);

    source.fault = undefined;
    await backend.refresh();
    const after = await readEverything(backend.server, detailOf(awsAffected));
    expect(after['/clusters'].errors).toEqual([]);
  });

  it('answers within the bound while a refresh hangs, and reports the timeout once it is aborted', async () => {
    source.fault = { kind: 'hang' };
    const controller = new AbortController();
    const refreshing = backend.refresh(controller.signal);
    // Requests never wait for a refresh: they read the fleet held in memory.
    for (let i = 0; i < 5; i++) {
      const during = await readEverything(
        backend.server,
        detailOf(awsAffected),
      );
      expect(during['/clusters'].items.map((c: any) => c.ref)).toEqual(refs);
    }
    // The scheduler aborts a task that outlives its timeout.
    controller.abort(new Error('refresh timed out after 3 minutes'));
    await refreshing;
    const after = await readEverything(backend.server, detailOf(awsAffected));
    expect(after['/clusters'].items.map((c: any) => c.ref)).toEqual(refs);
    expect(after['/clusters'].errors).toEqual([
      expect.objectContaining({
        source: source.name,
        stale: true,
        error: expect.stringMatching(/timed out/),
      }),
    ]);
  });

  it('keeps serving everything while an account and a management cluster answer in the wrong shape, and recovers', async () => {
    source.fault = { kind: 'malformed', targets: [AWS_TARGET, MC_TARGET] };
    // Whether or not the refresh copes, the backend must: the scheduler only logs a failed task.
    await backend.refresh().catch(() => undefined);
    const during = await readEverything(backend.server, detailOf(awsAffected));
    // Every real cluster is still served.
    expect(during['/clusters'].items.map((c: any) => c.ref)).toEqual(
      expect.arrayContaining(refs),
    );

    source.fault = undefined;
    await backend.refresh();
    const after = await readEverything(backend.server, detailOf(awsAffected));
    expect(after['/clusters'].items.map((c: any) => c.ref)).toEqual(refs);
    expect(after['/clusters'].errors).toEqual([]);
  });

  // Known defect: the join iterates fields such as InternetGateway.Attachments without checking
  // their type, so one account answering in the wrong shape fails the whole refresh (every other
  // account and management cluster stays at its previous data) instead of only its own part.
  // When the join is made tolerant, this test fails: make it a plain `it`.
  it.failing(
    'completes a refresh in which one account and one management cluster answer in the wrong shape',
    async () => {
      source.fault = { kind: 'malformed', targets: [AWS_TARGET, MC_TARGET] };
      await backend.refresh();
      const during = await readEverything(
        backend.server,
        detailOf(awsAffected),
      );
      expect(during['/clusters'].items.map((c: any) => c.ref)).toEqual(
        expect.arrayContaining(refs),
      );
      expect(backend.logger.lines.filter(l => l.level === 'error')).toEqual([]);
    },
  );
});
