import { mockCredentials } from '@backstage/backend-test-utils';
import type {
  FleetSnapshot,
  FleetSource,
} from '@clusterdeck/plugin-aws-clusters-node';
import { fixtureFleet } from '../__testUtils__/fleetFixture';
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

describe('CIDR reservations: caps per owner, expiry and reclaim', () => {
  let backend: FleetBackend;
  let call: ReturnType<typeof httpClient>;
  let fleet: FleetSnapshot = fixtureFleet();
  const source: FleetSource = { name: 'fixture', collect: async () => fleet };

  beforeAll(async () => {
    backend = await startFleetBackend({
      sources: [source],
      clusterdeck: CONFIG,
    });
    await backend.refresh();
    call = httpClient(backend.server);
  });

  afterAll(async () => {
    await backend?.stop();
  });

  afterEach(() => {
    jest.useRealTimers();
  });

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

    await backend.refresh();
    expect((await list()).map(a => a.id)).toContain(forReported.body.id);

    // Two hours later: the unattached blocks expired; web-dev is gone from the fleet now.
    jest.useFakeTimers({
      now: start + 2 * 3_600_000,
      doNotFake: [
        'setTimeout',
        'setImmediate',
        'setInterval',
        'nextTick',
        'queueMicrotask',
        'performance',
      ],
    });
    fleet = fixtureFleet();
    fleet.managementClusters[0].objects.clusters =
      fleet.managementClusters[0].objects.clusters.filter(
        c => c.metadata.name !== 'web-dev',
      );
    await backend.refresh();
    const afterExpiry = await list();
    expect(afterExpiry.map(a => a.id)).toEqual([forReported.body.id]);
    expect(Date.parse(afterExpiry[0].releasedAfter)).toBeGreaterThan(
      start + 2 * 3_600_000,
    );

    // Past the grace period after web-dev was last seen, its block goes too.
    jest.setSystemTime(start + 5 * 3_600_000);
    await backend.refresh();
    expect(await list()).toEqual([]);
    fleet = fixtureFleet();
  });
});

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
