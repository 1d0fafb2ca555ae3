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

jest.setTimeout(120_000);

const { ids, databases } = databasesUnderTest('the route matrix');

/** Who calls: the Authorization header each sends. */
const CALLERS = {
  admin: mockCredentials.user.header('user:default/admin'),
  owningLead: mockCredentials.user.header('user:default/web-lead'),
  otherTeam: mockCredentials.user.header('user:default/payments-lead'),
  noGroup: mockCredentials.user.header('user:default/nobody'),
  trustedPlugin: mockCredentials.service.header({
    onBehalfOf: mockCredentials.service('plugin:scaffolder'),
    targetPluginId: 'aws-clusters',
  }),
  untrustedService: mockCredentials.service.header({
    onBehalfOf: mockCredentials.service('plugin:other'),
    targetPluginId: 'aws-clusters',
  }),
  externalToken: mockCredentials.service.header({
    onBehalfOf: mockCredentials.service('external:ci'),
    targetPluginId: 'aws-clusters',
  }),
  // The test backend treats a request without a header as a default user: this header means "no credentials".
  unauthenticated: mockCredentials.none.header(),
} as const;
type Caller = keyof typeof CALLERS;

const WEB_DEV = 'mc-test/org-web/web-dev';
/** The payments account's own transit gateway, and one the platform shares with the development account. */
const PAYMENTS_TGW = 'tgw-0a1b2c3d4e5f60718';
const SHARED_TGW = 'tgw-0123456789abcdef0';

/** The longest organization a cluster request may name: its namespace `org-<organization>` has 63 characters. */
const LONG_ORGANIZATION = 'o'.repeat(57);
/** The longest owner: the catalog's longest namespace and name (63 characters each). */
const LONG_OWNER = `group:${'n'.repeat(63)}/${'w'.repeat(63)}`;

/**
 * The fixture fleet with what AWS and the management cluster report for requests: zones,
 * transit gateways (owned, and shared through RAM), EKS versions, Giant Swarm releases.
 */
function matrixFleet(): FleetSnapshot {
  const snapshot = fixtureFleet();
  const [payments, development] = snapshot.aws;
  const zones = ['a', 'b', 'c'].map(letter => ({
    ZoneName: `eu-west-1${letter}`,
    ZoneId: `euw1-az${letter.charCodeAt(0) - 96}`,
    ZoneType: 'availability-zone',
    State: 'available' as const,
    RegionName: 'eu-west-1',
  }));
  const gateway = (id: string, owner: string) => ({
    TransitGatewayId: id,
    OwnerId: owner,
    State: 'available' as const,
    Tags: [{ Key: 'Name', Value: id }],
  });
  payments.availabilityZones = zones;
  development.availabilityZones = zones;
  payments.transitGateways = [gateway(PAYMENTS_TGW, payments.accountId)];
  development.transitGateways = [gateway(SHARED_TGW, '111122223333')];
  payments.eksClusterVersions = [
    { clusterVersion: '1.33', versionStatus: 'STANDARD_SUPPORT' },
    { clusterVersion: '1.32', versionStatus: 'EXTENDED_SUPPORT' },
    { clusterVersion: '1.29', versionStatus: 'UNSUPPORTED' },
  ];
  // An identity for the longest organization a request may name (57 characters).
  snapshot.managementClusters[0].objects.awsClusterRoleIdentities.push({
    apiVersion: 'infrastructure.cluster.x-k8s.io/v1beta2',
    kind: 'AWSClusterRoleIdentity',
    metadata: { name: 'long-org' },
    spec: {
      roleARN: 'arn:aws:iam::444455556666:role/capa-long-org',
      allowedNamespaces: { list: [`org-${LONG_ORGANIZATION}`] },
    },
  });
  snapshot.managementClusters[0].objects.releases = [
    ['aws-31.1.0', 'active'],
    ['aws-30.2.0', 'deprecated'],
    ['eks-34.0.0', 'active'],
  ].map(([name, state]) => ({
    apiVersion: 'release.giantswarm.io/v1alpha1',
    kind: 'Release',
    metadata: { name },
    spec: { apps: [], components: [], state },
  }));
  return snapshot;
}

/**
 * Each route and what each caller gets: a status, and for lists the cluster names or owners the
 * answer holds. The trusted plugin is the scaffolder with the default grants (read clusters and
 * reservations); an untrusted service and an external token have no grant.
 */
interface Expectation {
  status: number;
  /** For lists: what the answer may contain, checked exactly. */
  items?: string[];
}
type Row = Record<Caller, Expectation>;

const ok = (items?: string[]): Expectation => ({
  status: 200,
  ...(items ? { items } : {}),
});
const status = (code: number): Expectation => ({ status: code });

/**
 * A row of a route that readers use: the trusted plugin as its grants say, while services without
 * a grant are refused, and a caller without credentials too.
 */
const readers = (
  row: Pick<
    Row,
    'admin' | 'owningLead' | 'otherTeam' | 'noGroup' | 'trustedPlugin'
  >,
): Row => ({
  ...row,
  untrustedService: status(403),
  externalToken: status(403),
  unauthenticated: status(401),
});

/**
 * A row of a route only those who may request clusters use: the default grants give services
 * none of it, and a caller without credentials is refused.
 */
const requesters = (
  row: Pick<Row, 'admin' | 'owningLead' | 'otherTeam' | 'noGroup'>,
): Row => ({
  ...row,
  trustedPlugin: status(403),
  untrustedService: status(403),
  externalToken: status(403),
  unauthenticated: status(401),
});

const LISTS: Record<
  string,
  {
    path: string;
    item: (x: any) => string;
    row: Row;
    /** Where the answer's list is, when not in `items`. */
    items?: (body: any) => any[];
  }
> = {
  clusters: {
    path: '/clusters',
    item: c => c.name,
    row: readers({
      admin: ok(['pay-prod', 'web-dev']),
      owningLead: ok(['web-dev']),
      otherTeam: ok(['pay-prod']),
      noGroup: ok([]),
      trustedPlugin: ok(['pay-prod', 'web-dev']),
    }),
  },
  // The filters and pages narrow what the caller may read; they never widen it.
  clustersOfPaymentsAccount: {
    path: '/clusters?accountId=123456789012',
    item: c => c.name,
    row: readers({
      admin: ok(['pay-prod']),
      owningLead: ok([]),
      otherTeam: ok(['pay-prod']),
      noGroup: ok([]),
      trustedPlugin: ok(['pay-prod']),
    }),
  },
  clustersFirstPage: {
    path: '/clusters?managementCluster=mc-test&limit=1',
    item: c => c.name,
    row: readers({
      admin: ok(['pay-prod']),
      owningLead: ok(['web-dev']),
      otherTeam: ok(['pay-prod']),
      noGroup: ok([]),
      trustedPlugin: ok(['pay-prod']),
    }),
  },
  accounts: {
    path: '/accounts',
    item: a => a.name,
    row: readers({
      admin: ok(['development', 'payments-prod']),
      owningLead: ok(['development']),
      otherTeam: ok(['development', 'payments-prod']),
      noGroup: ok([]),
      trustedPlugin: ok(['development', 'payments-prod']),
    }),
  },
  boundaries: {
    path: '/boundaries',
    item: () => '',
    row: readers({
      admin: ok(),
      owningLead: ok(),
      otherTeam: ok(),
      noGroup: ok(),
      trustedPlugin: ok(),
    }),
  },
  cidrPools: {
    path: '/cidr-pools',
    item: p => p.name,
    row: readers({
      admin: ok(['tgw']),
      owningLead: ok(['tgw']),
      otherTeam: ok(['tgw']),
      noGroup: ok(['tgw']),
      trustedPlugin: ok(['tgw']),
    }),
  },
  cidrAllocations: {
    path: '/cidr-allocations',
    item: a => a.owner,
    row: readers({
      admin: ok(['group:default/payments', 'group:default/web']),
      owningLead: ok(['group:default/web']),
      otherTeam: ok(['group:default/payments']),
      noGroup: ok([]),
      trustedPlugin: ok(['group:default/payments', 'group:default/web']),
    }),
  },
  // References a request may name: only to callers who may request clusters, each scoped to
  // the accounts and namespaces the caller may use (an account it may not use is unknown: 404).
  referenceManagementClusters: {
    path: '/references/management-clusters',
    item: m => m.name,
    row: requesters({
      admin: ok(['mc-test']),
      owningLead: ok(['mc-test']),
      otherTeam: ok(['mc-test']),
      noGroup: ok([]),
    }),
  },
  referenceRegionsOfPaymentsAccount: {
    path: '/references/regions?accountId=123456789012',
    item: r => `${r.name}:${(r.zones ?? []).join('+')}`,
    row: requesters({
      admin: ok(['eu-west-1:eu-west-1a+eu-west-1b+eu-west-1c']),
      owningLead: status(404),
      otherTeam: ok(['eu-west-1:eu-west-1a+eu-west-1b+eu-west-1c']),
      noGroup: status(404),
    }),
  },
  referenceRoleIdentities: {
    path: '/references/role-identities?managementCluster=mc-test',
    item: i => i.name,
    row: requesters({
      admin: ok(['dev-shared', 'long-org', 'payments-prod']),
      owningLead: ok(['dev-shared']),
      otherTeam: ok(['dev-shared', 'payments-prod']),
      noGroup: ok([]),
    }),
  },
  referenceReleases: {
    path: '/references/releases?managementCluster=mc-test',
    item: r => r.version,
    row: requesters({
      admin: ok(['31.1.0']),
      owningLead: ok(['31.1.0']),
      otherTeam: ok(['31.1.0']),
      noGroup: ok([]),
    }),
  },
  referenceEksReleases: {
    path: '/references/releases?managementCluster=mc-test&flavor=eks',
    item: r => r.version,
    row: requesters({
      admin: ok(['34.0.0']),
      owningLead: ok(['34.0.0']),
      otherTeam: ok(['34.0.0']),
      noGroup: ok([]),
    }),
  },
  referenceEksVersions: {
    path: '/references/releases?managementCluster=mc-test&flavor=eks&kind=kubernetes',
    item: r => r.version,
    row: requesters({
      admin: ok(['1.32', '1.33']),
      owningLead: ok(['1.32', '1.33']),
      otherTeam: ok(['1.32', '1.33']),
      noGroup: ok([]),
    }),
  },
  referenceGatewaysOfPaymentsAccount: {
    path: '/references/transit-gateways?accountId=123456789012',
    item: t => t.id,
    row: requesters({
      admin: ok([PAYMENTS_TGW]),
      owningLead: status(404),
      otherTeam: ok([PAYMENTS_TGW]),
      noGroup: status(404),
    }),
  },
  referenceGatewaysOfDevelopmentAccount: {
    path: '/references/transit-gateways?accountId=444455556666',
    item: t => t.id,
    row: requesters({
      admin: ok([SHARED_TGW]),
      owningLead: ok([SHARED_TGW]),
      otherTeam: ok([SHARED_TGW]),
      noGroup: status(404),
    }),
  },
  // Cost per cluster and team: only of the clusters the caller may read.
  costs: {
    path: '/costs',
    item: c => c.cluster.split('/')[2],
    items: body => body.clusters,
    row: readers({
      admin: ok(['pay-prod', 'web-dev']),
      owningLead: ok(['web-dev']),
      otherTeam: ok(['pay-prod']),
      noGroup: ok([]),
      trustedPlugin: ok(['pay-prod', 'web-dev']),
    }),
  },
  costTeamsOfWeb: {
    path: '/costs?owner=group:default/web',
    item: t => `${t.owner}:${t.months.map((m: any) => m.amount).join('+')}`,
    items: body => body.teams,
    row: readers({
      admin: ok(['group:default/web:310+150']),
      owningLead: ok(['group:default/web:310+150']),
      otherTeam: ok([]),
      noGroup: ok([]),
      trustedPlugin: ok(['group:default/web:310+150']),
    }),
  },
  referenceIdentitiesForWeb: {
    path: '/references?owner=group:default/web',
    item: i => i.name,
    items: body => body.managementClusters[0].roleIdentities,
    row: requesters({
      admin: ok(['dev-shared', 'long-org', 'payments-prod']),
      owningLead: ok(['dev-shared']),
      otherTeam: status(403),
      noGroup: status(403),
    }),
  },
  referencesForWeb: {
    path: '/references?owner=group:default/web',
    item: a => a.id,
    items: body => body.accounts,
    row: requesters({
      admin: ok(['123456789012', '444455556666']),
      owningLead: ok(['444455556666']),
      otherTeam: status(403),
      noGroup: status(403),
    }),
  },
};

/** Writes (and the detail read) on the web team's things. */
const WRITES: Record<string, Row> = {
  clusterDetail: {
    admin: status(200),
    owningLead: status(200),
    otherTeam: status(404),
    noGroup: status(404),
    trustedPlugin: status(200),
    untrustedService: status(404),
    externalToken: status(404),
    unauthenticated: status(401),
  },
  reserve: {
    admin: status(201),
    owningLead: status(201),
    otherTeam: status(403),
    noGroup: status(403),
    trustedPlugin: status(403),
    untrustedService: status(403),
    externalToken: status(403),
    unauthenticated: status(401),
  },
  release: {
    admin: status(204),
    owningLead: status(204),
    otherTeam: status(404),
    noGroup: status(404),
    trustedPlugin: status(404),
    untrustedService: status(404),
    externalToken: status(404),
    unauthenticated: status(401),
  },
  request: {
    admin: status(201),
    owningLead: status(201),
    otherTeam: status(403),
    noGroup: status(403),
    trustedPlugin: status(403),
    untrustedService: status(403),
    externalToken: status(403),
    unauthenticated: status(401),
  },
  withdraw: {
    admin: status(204),
    owningLead: status(204),
    otherTeam: status(404),
    noGroup: status(404),
    trustedPlugin: status(404),
    untrustedService: status(404),
    externalToken: status(404),
    unauthenticated: status(401),
  },
};

const CONFIG = {
  adminGroups: ['group:default/platform'],
  accounts: TEST_ACCOUNTS,
  cidrPools: [
    {
      name: 'tgw',
      cidr: '10.0.0.0/8',
      prefixLength: 16,
      maxUnattachedPerOwner: 50,
    },
  ],
  managementClusters: [
    { name: 'mc-test', region: 'eu-west-1', accountId: '111122223333' },
  ],
  cost: { payerAccountId: '111122223333' },
  // The longest owner (a group outside the default namespace) gets its organization by mapping only.
  organizations: { [LONG_ORGANIZATION]: LONG_OWNER },
};

/** Cost Explorer's answer for the fixture fleet's clusters (groups by tag value and linked account). */
const COST_PAGE = {
  ResultsByTime: [
    ['2026-10', '1240', '310'],
    ['2026-11', '750', '150'],
  ].map(([month, pay, web]) => ({
    TimePeriod: { Start: `${month}-01`, End: `${month}-28` },
    Groups: [
      {
        Keys: ['giantswarm.io/cluster$pay-prod', '123456789012'],
        Metrics: { UnblendedCost: { Amount: pay, Unit: 'USD' } },
      },
      {
        Keys: ['giantswarm.io/cluster$web-dev', '444455556666'],
        Metrics: { UnblendedCost: { Amount: web, Unit: 'USD' } },
      },
    ],
  })),
};

describe.each(ids)('every route for every kind of caller, on %s', id => {
  let backend: FleetBackend;
  let call: ReturnType<typeof httpClient>;
  const as = (caller: Caller) => ({
    headers: { authorization: CALLERS[caller] },
  });
  const callers = Object.keys(CALLERS) as Caller[];

  beforeAll(async () => {
    const knex = await databases.init(id);
    const source: FleetSource = {
      name: 'fixture',
      collect: async () => matrixFleet(),
      getCostAndUsage: async () => COST_PAGE,
    };
    backend = await startFleetBackend({
      sources: [source],
      clusterdeck: CONFIG,
      knex,
    });
    await backend.refresh();
    await backend.runTask('aws-clusters:cost');
    call = httpClient(backend.server);
    // One reservation of each team, so that lists show whose reservations a caller sees.
    const reserved = await Promise.all([
      call('POST', '/cidr-allocations', {
        ...as('owningLead'),
        body: { pool: 'tgw', owner: 'group:default/web' },
      }),
      call('POST', '/cidr-allocations', {
        ...as('otherTeam'),
        body: { pool: 'tgw', owner: 'group:default/payments' },
      }),
    ]);
    if (reserved.some(r => r.status !== 201))
      throw new Error(
        `could not reserve: ${reserved.map(r => r.text).join('; ')}`,
      );
  });

  /** What a caller observed of a list: its status, and for answers with items, what they hold. */
  const observed = (
    answer: { status: number; body: any },
    item: (x: any) => string,
    expected: Expectation,
    items: (body: any) => any[] = body => body.items,
  ): Expectation => ({
    status: answer.status,
    ...(expected.items && answer.status === 200
      ? { items: [...new Set<string>(items(answer.body).map(item))].sort() }
      : {}),
  });
  /** The message of a 404, with the id or name it was asked about replaced. */
  const notFoundMessage = (
    answer: { status: number; body: any },
    asked: string,
  ) =>
    answer.status === 404
      ? String(answer.body.error.message).replace(asked, '<asked>')
      : undefined;

  afterAll(async () => {
    await backend?.stop();
  });

  describe.each(Object.entries(LISTS))(
    'GET %s',
    (_name, { path, item, row, items }) => {
      it.each(callers)('as %s', async caller => {
        const answer = await call('GET', path, as(caller));
        expect({
          caller,
          ...observed(answer, item, row[caller], items),
        }).toEqual({
          caller,
          ...row[caller],
        });
      });
    },
  );

  it.each(callers)('GET /clusters/%s… of the web team', async caller => {
    const answer = await call('GET', `/clusters/${WEB_DEV}`, as(caller));
    const missing = await call(
      'GET',
      '/clusters/mc-test/org-web/web-none',
      as(caller),
    );
    const expected = WRITES.clusterDetail[caller].status;
    // A cluster the caller may not read is answered exactly like one that does not exist.
    expect({
      caller,
      status: answer.status,
      message: notFoundMessage(answer, 'web-dev'),
    }).toEqual({
      caller,
      status: expected,
      message:
        expected === 404 ? notFoundMessage(missing, 'web-none') : undefined,
    });
  });

  it.each(callers)(
    'GET /clusters/…/provisioning of the web team as %s: reported and requested clusters',
    async caller => {
      const reported = await call(
        'GET',
        `/clusters/${WEB_DEV}/provisioning`,
        as(caller),
      );
      const requestedName = `web-timeline-${callers.indexOf(caller)}`;
      const recorded = await call('POST', '/cluster-requests', {
        ...as('owningLead'),
        body: {
          request: webClusterRequest(
            requestedName,
            `10.${150 + callers.indexOf(caller)}.0.0/16`,
          ),
          branch: `clusterdeck/web/${requestedName}/create`,
        },
      });
      expect(recorded.status).toBe(201);
      const requested = await call(
        'GET',
        `/clusters/mc-test/org-web/${requestedName}/provisioning`,
        as(caller),
      );
      const missing = await call(
        'GET',
        '/clusters/mc-test/org-web/web-none/provisioning',
        as(caller),
      );
      const expected = WRITES.clusterDetail[caller].status;
      expect({
        caller,
        reported: reported.status,
        requested: requested.status,
        message: notFoundMessage(requested, requestedName),
      }).toEqual({
        caller,
        reported: expected,
        requested: expected,
        message:
          expected === 404 ? notFoundMessage(missing, 'web-none') : undefined,
      });
      // What a reader of the timelines sees: the reported cluster done, the requested one waiting.
      const seen =
        expected === 200
          ? {
              reported: [reported.body.ref, reported.body.phase],
              requested: [
                requested.body.phase,
                requested.body.request?.by,
                requested.body.request?.branch,
                requested.body.blocking?.stepId,
              ],
            }
          : undefined;
      expect(seen).toEqual(
        expected === 200
          ? {
              reported: [WEB_DEV, 'ready'],
              requested: [
                'requested',
                'user:default/web-lead',
                `clusterdeck/web/${requestedName}/create`,
                'cluster-object',
              ],
            }
          : undefined,
      );
      await call(
        'DELETE',
        `/cluster-requests/mc-test/org-web/${requestedName}`,
        as('owningLead'),
      );
    },
  );

  it.each(callers)(
    'POST /cidr-allocations for the web team as %s, and DELETE of a web reservation',
    async caller => {
      const before = (await call('GET', '/cidr-allocations', as('admin'))).body
        .items.length;
      const reserve = await call('POST', '/cidr-allocations', {
        ...as(caller),
        body: { pool: 'tgw', owner: 'group:default/web' },
      });
      expect({ caller, status: reserve.status }).toEqual({
        caller,
        status: WRITES.reserve[caller].status,
      });
      const after = (await call('GET', '/cidr-allocations', as('admin'))).body
        .items.length;
      expect(after).toBe(before + (reserve.status === 201 ? 1 : 0));

      const target = (
        await call('POST', '/cidr-allocations', {
          ...as('admin'),
          body: { pool: 'tgw', owner: 'group:default/web' },
        })
      ).body;
      const release = await call(
        'DELETE',
        `/cidr-allocations/${target.id}`,
        as(caller),
      );
      expect({ caller, status: release.status }).toEqual({
        caller,
        status: WRITES.release[caller].status,
      });
      const left = (
        await call('GET', '/cidr-allocations', as('admin'))
      ).body.items.map((a: any) => a.id);
      expect(left.includes(target.id)).toBe(release.status !== 204);
      const unknownId = '00000000-0000-4000-8000-000000000000';
      const missing = await call(
        'DELETE',
        `/cidr-allocations/${unknownId}`,
        as(caller),
      );
      expect(notFoundMessage(release, target.id)).toBe(
        release.status === 404
          ? notFoundMessage(missing, unknownId)
          : undefined,
      );
    },
  );

  it.each(callers)(
    'POST /cluster-requests for the web team as %s, and DELETE of a web request',
    async caller => {
      const name = `web-${callers.indexOf(caller)}`;
      const record = await call('POST', '/cluster-requests', {
        ...as(caller),
        body: {
          request: webClusterRequest(
            name,
            `10.${100 + callers.indexOf(caller)}.0.0/16`,
          ),
        },
      });
      expect({ caller, status: record.status }).toEqual({
        caller,
        status: WRITES.request[caller].status,
      });
      const listed = (
        await call('GET', '/clusters', as('admin'))
      ).body.items.map((c: any) => c.name);
      expect(listed.includes(name)).toBe(record.status === 201);

      const target = `web-w${callers.indexOf(caller)}`;
      expect(
        (
          await call('POST', '/cluster-requests', {
            ...as('owningLead'),
            body: { request: webClusterRequest(target, '10.200.0.0/16') },
          })
        ).status,
      ).toBe(201);
      const withdraw = await call(
        'DELETE',
        `/cluster-requests/mc-test/org-web/${target}`,
        as(caller),
      );
      expect({ caller, status: withdraw.status }).toEqual({
        caller,
        status: WRITES.withdraw[caller].status,
      });
      const still = (
        await call('GET', '/clusters', as('admin'))
      ).body.items.map((c: any) => c.name);
      expect(still.includes(target)).toBe(withdraw.status !== 204);
      // The team withdraws what the caller could not, so that every caller starts alike.
      const cleanup = await call(
        'DELETE',
        `/cluster-requests/mc-test/org-web/${target}`,
        as('owningLead'),
      );
      expect(cleanup.status).toBe(withdraw.status === 204 ? 404 : 204);
    },
  );

  it.each(callers)(
    'GET /health as %s: details for administrators only, never an account id or ARN to others',
    async caller => {
      const answer = await call('GET', '/health', as(caller));
      const admin = caller === 'admin';
      expect({
        status: answer.status,
        keys: Object.keys(answer.body).sort(),
        accountIds: /\d{12}|arn:/.test(answer.text),
      }).toEqual({
        status: 200,
        keys: admin
          ? ['loadedAt', 'refresh', 'sources']
          : ['loadedAt', 'refreshedAt', 'status'],
        accountIds: admin,
      });
    },
  );

  it('stores the longest values the routes accept, and refuses longer ones naming the field', async () => {
    // The catalog's longest names and namespaces are 63 characters.
    const longOwner = `group:${'n'.repeat(63)}/${'w'.repeat(63)}`;
    const longCluster = `mc-test/org-web/${'c'.repeat(
      255 - 'mc-test/org-web/'.length,
    )}`;
    const reserved = await call('POST', '/cidr-allocations', {
      ...as('admin'),
      body: { pool: 'tgw', owner: longOwner, cluster: longCluster },
    });
    expect(reserved.status).toBe(201);
    expect(reserved.body).toEqual(
      expect.objectContaining({ owner: longOwner, cluster: longCluster }),
    );
    const tooLong = await call('POST', '/cidr-allocations', {
      ...as('admin'),
      body: { pool: 'tgw', owner: `${longOwner}w`, cluster: `${longCluster}c` },
    });
    expect(tooLong.status).toBe(400);
    expect(tooLong.body.error.message).toMatch(
      /body owner: "w{64}" is not a valid entity name/,
    );
    expect(tooLong.body.error.message).toMatch(
      /body cluster: must be at most 255 characters/,
    );
    expect(
      (
        await call(
          'DELETE',
          `/cidr-allocations/${reserved.body.id}`,
          as('admin'),
        )
      ).status,
    ).toBe(204);
  });

  it.each([
    ['owningLead', 'group:default/web', 'payments'],
    // Not group:default/payments: a group of another catalog namespace has no organization by its name.
    ['admin', 'group:teamx/payments', 'payments'],
  ] as const)(
    'refuses as %s a request of %s in the organization %s, naming the field, and records nothing',
    async (caller, owner, organization) => {
      const request: any = webClusterRequest('web-elsewhere', '10.230.0.0/16');
      request.metadata.owner = owner;
      request.metadata.organization = organization;
      const answer = await call('POST', '/cluster-requests', {
        ...as(caller),
        body: { request },
      });
      expect({
        status: answer.status,
        message: answer.body.error?.message,
      }).toEqual({
        status: 400,
        message: expect.stringMatching(
          new RegExp(
            `^body request\\.metadata\\.organization: payments is not an organization of ${owner}`,
          ),
        ),
      });
      expect(
        (await call('GET', '/clusters', as('admin'))).body.items.map(
          (c: any) => c.name,
        ),
      ).not.toContain('web-elsewhere');
    },
  );

  it('records the longest cluster request the route accepts, and refuses longer values naming the field', async () => {
    const longOwner = LONG_OWNER;
    const name = `w${'l'.repeat(19)}`;
    const branch = `clusterdeck/${'b'.repeat(255 - 'clusterdeck/'.length)}`;
    const changeUrl = `https://git.example.com/${'p'.repeat(
      1024 - 'https://git.example.com/'.length,
    )}`;
    expect([branch.length, changeUrl.length]).toEqual([255, 1024]);
    const longest = () => {
      const request: any = webClusterRequest(name, '10.220.0.0/16');
      request.metadata.organization = LONG_ORGANIZATION;
      request.metadata.owner = longOwner;
      request.spec.account.roleIdentity = 'long-org';
      return request;
    };
    const ref = `mc-test/org-${LONG_ORGANIZATION}/${name}`;
    const record = (body: object) =>
      call('POST', '/cluster-requests', { ...as('admin'), body });

    const recorded = await record({ request: longest(), branch, changeUrl });
    expect({ status: recorded.status, body: recorded.body }).toEqual({
      status: 201,
      body: { ref },
    });
    const timeline = await call(
      'GET',
      `/clusters/${ref}/provisioning`,
      as('admin'),
    );
    expect(timeline.body.request).toEqual(
      expect.objectContaining({ branch, changeUrl }),
    );

    const tooLong = [
      [{ branch: `${branch}b` }, /^body branch: /],
      [{ changeUrl: `${changeUrl}p` }, /^body changeUrl: /],
      [
        { organization: `${LONG_ORGANIZATION}o` },
        /^body request\.metadata\.organization: must be at most 57 characters/,
      ],
      [
        { owner: `${longOwner}w` },
        /^body request\.metadata\.owner: "w{64}" is not a valid entity name/,
      ],
    ] as const;
    for (const [change, message] of tooLong) {
      const request = longest();
      request.metadata.name = 'web-too-long';
      if ('organization' in change)
        request.metadata.organization = change.organization;
      if ('owner' in change) request.metadata.owner = change.owner;
      const answer = await record({
        request,
        branch: 'branch' in change ? change.branch : branch,
        changeUrl: 'changeUrl' in change ? change.changeUrl : changeUrl,
      });
      expect({
        status: answer.status,
        message: answer.body.error.message,
      }).toEqual({
        status: 400,
        message: expect.stringMatching(message),
      });
    }
    expect(
      (await call('GET', '/clusters', as('admin'))).body.items.map(
        (c: any) => c.name,
      ),
    ).not.toContain('web-too-long');
    expect(
      (await call('DELETE', `/cluster-requests/${ref}`, as('admin'))).status,
    ).toBe(204);
  });
});

describe.each(ids)('GET /costs when Cost Explorer refuses, on %s', id => {
  let backend: FleetBackend;
  let call: ReturnType<typeof httpClient>;
  const callers = Object.keys(CALLERS) as Caller[];

  beforeAll(async () => {
    const source: FleetSource = {
      name: 'fixture',
      collect: async () => matrixFleet(),
      // Cost Explorer's AccessDeniedException, in the words IAM gives every refusal.
      getCostAndUsage: async () => {
        throw Object.assign(
          new Error(
            'User: arn:aws:sts::111122223333:assumed-role/clusterdeck-cost/backstage is not authorized to perform: ce:GetCostAndUsage on resource: arn:aws:ce:us-east-1:111122223333:/GetCostAndUsage because no identity-based policy allows the ce:GetCostAndUsage action',
          ),
          { name: 'AccessDeniedException' },
        );
      },
    };
    backend = await startFleetBackend({
      sources: [source],
      clusterdeck: CONFIG,
      knex: await databases.init(id),
    });
    await backend.refresh();
    await backend.runTask('aws-clusters:cost');
    call = httpClient(backend.server);
  });

  afterAll(async () => {
    await backend?.stop();
  });

  /** What each caller reads of the failure: AWS's own words, or that it could not be read. */
  const HIDDEN =
    'Cost Explorer could not be read: the error is shown to administrators only; ask the platform team';
  const MESSAGES: Partial<Record<Caller, RegExp>> = {
    admin: /^AccessDeniedException: User: arn:aws:sts::111122223333:/,
    owningLead: new RegExp(`^${HIDDEN}$`),
    otherTeam: new RegExp(`^${HIDDEN}$`),
    noGroup: new RegExp(`^${HIDDEN}$`),
    trustedPlugin: new RegExp(`^${HIDDEN}$`),
  };

  it.each(callers)(
    'as %s: AWS words (account ids, ARNs) for administrators only',
    async caller => {
      const answer = await call('GET', '/costs', {
        headers: { authorization: CALLERS[caller] },
      });
      expect({
        status: answer.status,
        awsWords: /\d{12}|arn:/.test(answer.text),
        message: MESSAGES[caller]?.test(answer.body?.message ?? ''),
      }).toEqual({
        status: LISTS.costs.row[caller].status,
        awsWords: caller === 'admin',
        message: MESSAGES[caller] ? true : undefined,
      });
    },
  );
});
