import { mockCredentials } from '@backstage/backend-test-utils';
import type {
  FleetSnapshot,
  FleetSource,
} from '@clusterdeck/plugin-aws-clusters-node';
import { fixtureFleet } from '../__testUtils__/fleetFixture';
import { databasesUnderTest } from '../__testUtils__/localServices';
import {
  TEST_ACCOUNTS,
  webClusterRequest,
} from '../__testUtils__/testServices';
import {
  FleetBackend,
  startFleetBackend,
} from '../__testUtils__/harness/fleetBackend';
import { httpClient } from '../__testUtils__/harness/httpClient';

jest.setTimeout(60_000);

const { ids, databases } = databasesUnderTest('CIDR reservations');

const WEB = {
  headers: {
    authorization: mockCredentials.user.header('user:default/web-lead'),
  },
};
const PAYMENTS = {
  headers: {
    authorization: mockCredentials.user.header('user:default/payments-lead'),
  },
};
const ADMIN = {
  headers: { authorization: mockCredentials.user.header('user:default/admin') },
};

const CONFIG = {
  adminGroups: ['group:default/platform'],
  accounts: TEST_ACCOUNTS,
  cidrPools: [
    { name: 'shared', cidr: '10.0.0.0/12', prefixLength: 16 },
    {
      name: 'roomy',
      cidr: '10.64.0.0/12',
      prefixLength: 16,
      maxUnattachedPerOwner: 5,
    },
  ],
  managementClusters: [
    { name: 'mc-test', region: 'eu-west-1', accountId: '111122223333' },
  ],
  cidrReservations: { unattachedExpiryHours: 1, releaseAfterGoneHours: 2 },
};

/** A backend on the fixture fleet for the tests of a suite: started before them, stopped after, on real time between tests. */
function suiteBackend(options: {
  source: FleetSource;
  clusterdeck: object;
  knex?: () => Promise<any>;
}) {
  const suite = {} as {
    backend: FleetBackend;
    call: ReturnType<typeof httpClient>;
  };
  beforeAll(async () => {
    suite.backend = await startFleetBackend({
      sources: [options.source],
      clusterdeck: options.clusterdeck,
      ...(options.knex ? { knex: await options.knex() } : {}),
    });
    await suite.backend.refresh();
    suite.call = httpClient(suite.backend.server);
  });
  afterAll(async () => {
    await suite.backend?.stop();
  });
  afterEach(() => {
    jest.useRealTimers();
  });
  return suite;
}

/** Moves the clock the backend reads (Date) to `now`, leaving timers alone. */
function clockAt(now: number) {
  jest.useFakeTimers({
    now,
    doNotFake: [
      'setTimeout',
      'setImmediate',
      'setInterval',
      'nextTick',
      'queueMicrotask',
      'performance',
    ],
  });
}

describe('CIDR reservations: caps per owner, expiry and reclaim', () => {
  let fleet: FleetSnapshot = fixtureFleet();
  const suite = suiteBackend({
    source: { name: 'fixture', collect: async () => fleet },
    clusterdeck: CONFIG,
  });
  const call: ReturnType<typeof httpClient> = (...args) => suite.call(...args);

  it('refuses one team draining a pool at its cap, with how to release one, while another team still reserves', async () => {
    const reserve = (who: typeof WEB, owner: string, body: object = {}) =>
      call('POST', '/cidr-allocations', {
        ...who,
        body: { pool: 'shared', owner, ...body },
      });
    const web = [];
    for (let i = 0; i < 3; i++)
      web.push(await reserve(WEB, 'group:default/web'));
    expect(web.map(r => r.status)).toEqual([201, 201, 201]);
    const refused = await reserve(WEB, 'group:default/web');
    expect(refused.status).toBe(429);
    expect(refused.body.error.name).toBe('ReservationQuotaError');
    expect(refused.body.error.message).toMatch(
      /group:default\/web already holds 3 reservations of the pool shared/,
    );
    expect(refused.body.error.message).toMatch(
      /Release one with DELETE \/api\/aws-clusters\/cidr-allocations\/<id>/,
    );
    expect(refused.body.error.message).toContain(web[0].body.id);
    // An admin acting for the team is held to the same cap: the cap protects the pool, not the caller.
    expect((await reserve(ADMIN, 'group:default/web')).status).toBe(429);
    // The other team is not affected, in this pool or another.
    expect((await reserve(PAYMENTS, 'group:default/payments')).status).toBe(
      201,
    );
    // A pool with its own cap allows more.
    const roomy = [];
    for (let i = 0; i < 6; i++)
      roomy.push(
        (
          await call('POST', '/cidr-allocations', {
            ...WEB,
            body: { pool: 'roomy', owner: 'group:default/web' },
          })
        ).status,
      );
    expect(roomy).toEqual([201, 201, 201, 201, 201, 429]);

    // A reservation whose cluster is requested no longer counts against the cap.
    const forCluster = await reserve(ADMIN, 'group:default/web');
    expect(forCluster.status).toBe(429);
    await call('DELETE', `/cidr-allocations/${web[0].body.id}`, WEB);
    const attached = await reserve(WEB, 'group:default/web', {
      cluster: 'mc-test/org-web/web-new',
    });
    expect(attached.status).toBe(201);
    expect(
      (
        await call('POST', '/cluster-requests', {
          ...WEB,
          body: { request: webClusterRequest('web-new', attached.body.cidr) },
        })
      ).status,
    ).toBe(201);
    expect((await reserve(WEB, 'group:default/web')).status).toBe(201);
    expect((await reserve(WEB, 'group:default/web')).status).toBe(429);

    // Concurrent reservations never end above the cap.
    const burst = await Promise.all(
      Array.from({ length: 8 }, () =>
        reserve(PAYMENTS, 'group:default/payments'),
      ),
    );
    expect(burst.filter(r => r.status === 201)).toHaveLength(2);
    expect(burst.filter(r => r.status === 429)).toHaveLength(6);
    const held = (await call('GET', '/cidr-allocations?pool=shared', PAYMENTS))
      .body.items;
    expect(held).toHaveLength(3);
  });

  it('releases unattached reservations after their expiry and those of clusters gone after the grace period', async () => {
    const list = async () =>
      (await call('GET', '/cidr-allocations?pool=roomy', ADMIN)).body
        .items as any[];
    const start = Date.now();
    // The web-dev cluster is reported: a block reserved for it is attached and says when it would go.
    const forReported = await call('POST', '/cidr-allocations', {
      ...WEB,
      body: {
        pool: 'roomy',
        owner: 'group:default/web',
        cluster: 'mc-test/org-web/web-dev',
      },
    });
    expect(forReported.status).toBe(201);
    const unattached = (await list()).filter(a => !a.cluster);
    expect(unattached.length).toBe(5);
    expect(
      unattached.every(
        a =>
          Date.parse(a.releasedAfter) - Date.parse(a.createdAt) === 3_600_000,
      ),
    ).toBe(true);
    expect(
      (await list()).find(a => a.id === forReported.body.id).releasedAfter,
    ).toBeUndefined();

    await suite.backend.refresh();
    expect((await list()).map(a => a.id)).toContain(forReported.body.id);

    // Two hours later: the unattached blocks expired; web-dev is gone from the fleet now.
    clockAt(start + 2 * 3_600_000);
    fleet = fixtureFleet();
    fleet.managementClusters[0].objects.clusters =
      fleet.managementClusters[0].objects.clusters.filter(
        c => c.metadata.name !== 'web-dev',
      );
    await suite.backend.refresh();
    const afterExpiry = await list();
    expect(afterExpiry.map(a => a.id)).toEqual([forReported.body.id]);
    expect(Date.parse(afterExpiry[0].releasedAfter)).toBeGreaterThan(
      start + 2 * 3_600_000,
    );

    // Past the grace period after web-dev was last seen, its block goes too.
    jest.setSystemTime(start + 5 * 3_600_000);
    await suite.backend.refresh();
    expect(await list()).toEqual([]);
    fleet = fixtureFleet();
  });
});

describe.each(ids)(
  'CIDR reservations attached only to clusters of their owner, on %s',
  id => {
    const PAY_PROD = 'mc-test/org-payments/pay-prod';
    const suite = suiteBackend({
      source: { name: 'fixture', collect: async () => fixtureFleet() },
      clusterdeck: {
        ...CONFIG,
        cidrReservations: { unattachedExpiryHours: 1, requestExpiryHours: 2 },
      },
      knex: () => databases.init(id),
    });
    const call: ReturnType<typeof httpClient> = (...args) =>
      suite.call(...args);

    const reserve = (who: typeof WEB, owner: string, cluster?: string) =>
      call('POST', '/cidr-allocations', {
        ...who,
        body: { pool: 'shared', owner, ...(cluster ? { cluster } : {}) },
      });
    const statuses = async (
      count: number,
      who: typeof WEB,
      owner: string,
      cluster?: string,
    ) => {
      const seen = [];
      for (let i = 0; i < count; i++)
        seen.push((await reserve(who, owner, cluster)).status);
      return seen;
    };

    it("refuses a team naming another team's cluster at its cap, alike for a cluster that does not exist, while the other team still reserves", async () => {
      // pay-prod is reported and belongs to payments: for web it is no cluster at all.
      expect(await statuses(2, WEB, 'group:default/web', PAY_PROD)).toEqual([
        201, 201,
      ]);
      expect(
        await statuses(
          1,
          WEB,
          'group:default/web',
          'mc-test/org-payments/none',
        ),
      ).toEqual([201]);
      const foreign = await reserve(WEB, 'group:default/web', PAY_PROD);
      const unknown = await reserve(
        WEB,
        'group:default/web',
        'mc-test/org-payments/none',
      );
      const none = await reserve(WEB, 'group:default/web');
      expect(foreign.status).toBe(429);
      // The same answer whether the cluster exists or not, and as when naming no cluster.
      expect(foreign.body).toEqual(unknown.body);
      expect(foreign.body.error).toEqual(none.body.error);
      expect(foreign.text).not.toMatch(/pay-prod|none/);
      // What web holds expires like blocks reserved for no cluster.
      const held = (
        await call('GET', '/cidr-allocations?pool=shared', WEB)
      ).body.items.filter((a: any) => a.owner === 'group:default/web');
      expect(held).toHaveLength(3);
      expect(held.every((a: any) => a.releasedAfter)).toBe(true);

      // Payments reserves for its own cluster: two blocks count as pay-prod's, more count against its cap.
      expect(
        await statuses(6, PAYMENTS, 'group:default/payments', PAY_PROD),
      ).toEqual([201, 201, 201, 201, 201, 429]);
      const payments = (
        await call('GET', '/cidr-allocations?pool=shared', PAYMENTS)
      ).body.items;
      expect(payments.filter((a: any) => !a.releasedAfter)).toHaveLength(2);
      const pools = (await call('GET', '/cidr-pools', PAYMENTS)).body.items;
      expect(pools.find((p: any) => p.name === 'shared')).toEqual(
        expect.objectContaining({ maxUnattachedPerOwner: 3, maxPerCluster: 2 }),
      );
    });

    it('lets a requested cluster that is never reported stop holding its blocks after the expiry time', async () => {
      const start = Date.now();
      const { cidr, id: reserved } = (
        await call('POST', '/cidr-allocations', {
          ...WEB,
          body: {
            pool: 'roomy',
            owner: 'group:default/web',
            cluster: 'mc-test/org-web/web-later',
          },
        })
      ).body;
      expect(
        (
          await call('POST', '/cluster-requests', {
            ...WEB,
            body: { request: webClusterRequest('web-later', cidr) },
          })
        ).status,
      ).toBe(201);
      const mine = async () =>
        (
          await call('GET', '/cidr-allocations?pool=roomy', WEB)
        ).body.items.find((a: any) => a.id === reserved);
      await suite.backend.refresh();
      expect(await mine()).toBeDefined();
      expect((await mine()).releasedAfter).toBeUndefined();
      // Three hours on, the request no longer holds the block: it went an hour after it was made.
      clockAt(start + 3 * 3_600_000);
      expect(Date.parse((await mine()).releasedAfter)).toBeLessThan(Date.now());
      await suite.backend.refresh();
      expect(await mine()).toBeUndefined();
    });
  },
);

describe('the sources a list names in its errors', () => {
  it("names only the failing sources of the caller's clusters, and counts the others", async () => {
    const failing = (): FleetSnapshot => {
      const fleet = fixtureFleet();
      const region = fleet.aws.find(r => r.accountId === '123456789012')!;
      region.errors = [
        {
          source: 'aws:123456789012:eu-west-1',
          operation: 'DescribeVpcs',
          code: 'AccessDenied',
          message:
            'User: arn:aws:sts::123456789012:assumed-role/clusterdeck/reader is not authorized to perform: ec2:DescribeVpcs',
          at: new Date().toISOString(),
        },
      ];
      return fleet;
    };
    const backend = await startFleetBackend({
      sources: [{ name: 'fixture', collect: async () => failing() }],
      clusterdeck: CONFIG,
    });
    try {
      await backend.refresh();
      const call = httpClient(backend.server);
      const web = await call('GET', '/clusters', WEB);
      expect(web.body.errors).toEqual([]);
      expect(web.body.otherErrors).toBe(1);
      expect(web.text).not.toMatch(/123456789012|arn:/);
      const webBoundaries = await call('GET', '/boundaries', WEB);
      expect(webBoundaries.body.errors).toEqual([]);
      expect(webBoundaries.text).not.toMatch(/123456789012|not authorized/);
      const payments = await call('GET', '/clusters', PAYMENTS);
      expect(payments.body.errors.map((e: any) => e.source)).toEqual([
        'aws:123456789012:eu-west-1',
      ]);
      expect(payments.body.otherErrors).toBeUndefined();
      const admin = await call('GET', '/clusters', ADMIN);
      expect(admin.body.errors).toHaveLength(1);
    } finally {
      await backend.stop();
    }
  });
});
