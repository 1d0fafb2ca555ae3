import {
  mockCredentials,
  mockServices,
  startTestBackend,
} from '@backstage/backend-test-utils';
import type { FleetSource } from '@clusterdeck/plugin-aws-clusters-node';
import request from 'supertest';
import { fixtureFleet } from './__testUtils__/fleetFixture';
import {
  sourcesModule,
  TEST_ACCOUNTS,
  testPermissions,
  testUserInfo,
  webClusterRequest,
} from './__testUtils__/testServices';
import { awsClustersPlugin } from './plugin';

const USERS: Record<string, string[]> = {
  'user:default/nora.lind': [
    'user:default/nora.lind',
    'group:default/platform',
  ],
  'user:default/amara.okafor': [
    'user:default/amara.okafor',
    'group:default/payments',
  ],
  'user:default/liam.walsh': ['user:default/liam.walsh', 'group:default/web'],
  'user:default/nobody': ['user:default/nobody'],
};

const userInfo = testUserInfo(USERS);
const permissions = testPermissions(['group:default/platform']);
const fixtureSource: FleetSource = {
  name: 'fixture',
  collect: async () => fixtureFleet(),
};
const fixtureModule = sourcesModule([fixtureSource], 'fixture');

jest.setTimeout(30_000);

const as = (user: string) => mockCredentials.user.header(user);

describe('aws-clusters routes', () => {
  let server: any;

  const scheduler = mockServices.scheduler.mock();

  beforeAll(async () => {
    const backend = await startTestBackend({
      features: [
        scheduler.factory,
        awsClustersPlugin,
        fixtureModule,
        userInfo,
        permissions,
        mockServices.rootConfig.factory({
          data: {
            clusterdeck: {
              sources: { aws: false, kubernetes: false },
              adminGroups: ['group:default/platform'],
              accounts: TEST_ACCOUNTS,
              cidrPools: [
                { name: 'tgw', cidr: '10.0.0.0/8', prefixLength: 16 },
              ],
              managementClusters: [
                {
                  name: 'mc-test',
                  region: 'eu-west-1',
                  accountId: '111122223333',
                },
              ],
            },
          },
        }),
      ],
    });
    server = backend.server;
    // Run the scheduled refresh as the scheduler would.
    const refresh = scheduler.scheduleTask.mock.calls.find(
      ([task]) => task.id === 'aws-clusters:refresh',
    )![0];
    await refresh.fn(new AbortController().signal);
  });

  it.each([
    ['an admin', 'user:default/nora.lind', ['pay-prod', 'web-dev']],
    ['the payments lead', 'user:default/amara.okafor', ['pay-prod']],
    ['the web lead', 'user:default/liam.walsh', ['web-dev']],
    ['a user of no team', 'user:default/nobody', []],
  ])(
    'lists to %s only the clusters they may see',
    async (_who, user, names) => {
      const res = await request(server)
        .get('/api/aws-clusters/clusters')
        .set('Authorization', as(user));
      expect(res.status).toBe(200);
      expect(res.body.items.map((c: any) => c.name)).toEqual(names);
      expect(res.body).toHaveProperty('generatedAt');
      expect(res.body.errors).toEqual([]);
    },
  );

  it('joins a cluster to its account, owner and pools', async () => {
    const res = await request(server)
      .get('/api/aws-clusters/clusters?owner=group:default/payments')
      .set('Authorization', as('user:default/nora.lind'));
    expect(res.body.items).toEqual([
      expect.objectContaining({
        ref: 'mc-test/org-payments/pay-prod',
        owner: 'group:default/payments',
        ownerSource: 'annotation',
        accountId: '123456789012',
        environment: 'production',
        flavor: 'ec2',
        status: 'ready',
        apiMode: 'private',
        kubernetesVersion: '1.33.4',
        nodes: { desired: 4, ready: 4, min: 2, max: 4 },
      }),
    ]);
  });

  it('serves a cluster detail to its owner and answers another team as if it did not exist', async () => {
    const path = '/api/aws-clusters/clusters/mc-test/org-payments/pay-prod';
    const own = await request(server)
      .get(path)
      .set('Authorization', as('user:default/amara.okafor'));
    expect(own.status).toBe(200);
    expect(own.body.topology.vpc).toEqual(
      expect.objectContaining({
        id: 'vpc-0000000000000000a',
        cidrs: ['10.1.0.0/16'],
      }),
    );
    expect(own.body.nodePools[0]).toEqual(
      expect.objectContaining({
        name: 'def00',
        kind: 'asg',
        min: 2,
        max: 4,
        desired: 4,
      }),
    );
    expect(own.body.nodePools[0].warnings[0]).toMatch(/at its maximum/);
    const other = await request(server)
      .get(path)
      .set('Authorization', as('user:default/liam.walsh'));
    const missing = await request(server)
      .get('/api/aws-clusters/clusters/mc-test/org-payments/pay-none')
      .set('Authorization', as('user:default/liam.walsh'));
    expect(other.status).toBe(404);
    expect(other.body.error).toEqual({
      name: 'NotFoundError',
      message: 'no cluster pay-prod in org-payments on mc-test',
    });
    expect(missing.body.error).toEqual({
      name: 'NotFoundError',
      message: 'no cluster pay-none in org-payments on mc-test',
    });
    expect(JSON.stringify(other.body)).not.toContain('vpc-0000000000000000a');
  });

  it('answers 404 for an unknown cluster and 400 naming a bad parameter', async () => {
    const missing = await request(server)
      .get('/api/aws-clusters/clusters/mc-test/org-payments/nope')
      .set('Authorization', as('user:default/nora.lind'));
    expect(missing.status).toBe(404);
    const bad = await request(server)
      .get('/api/aws-clusters/clusters?owner=payments')
      .set('Authorization', as('user:default/nora.lind'));
    expect(bad.status).toBe(400);
    expect(bad.body.error.message).toMatch(
      /query owner: must be an entity reference/,
    );
    const unknown = await request(server)
      .get('/api/aws-clusters/clusters?colour=blue')
      .set('Authorization', as('user:default/nora.lind'));
    expect(unknown.status).toBe(400);
    expect(unknown.body.error.message).toMatch(/colour/);
  });

  it('refuses unauthenticated callers', async () => {
    const res = await request(server)
      .get('/api/aws-clusters/clusters')
      .set('Authorization', mockCredentials.none.header());
    expect(res.status).toBe(401);
    const forged = await request(server)
      .get('/api/aws-clusters/clusters')
      .set('Authorization', mockCredentials.user.invalidHeader());
    expect(forged.status).toBe(401);
  });

  it("lists only the accounts the caller's teams may use", async () => {
    const web = await request(server)
      .get('/api/aws-clusters/accounts')
      .set('Authorization', as('user:default/liam.walsh'));
    expect(web.body.items.map((a: any) => a.id)).toEqual(['444455556666']);
    const admin = await request(server)
      .get('/api/aws-clusters/accounts')
      .set('Authorization', as('user:default/nora.lind'));
    expect(admin.body.items.map((a: any) => a.id)).toEqual([
      '123456789012',
      '444455556666',
    ]);
    expect(admin.body.items[0].usage[0]).toEqual(
      expect.objectContaining({ region: 'eu-west-1', vpcs: 1 }),
    );
  });

  it("shows boundaries and findings without naming other teams' clusters", async () => {
    const res = await request(server)
      .get('/api/aws-clusters/boundaries')
      .set('Authorization', as('user:default/liam.walsh'));
    expect(res.status).toBe(200);
    expect(JSON.stringify(res.body)).not.toContain('pay-prod');
    const refs = res.body.environments.flatMap((e: any) =>
      e.accounts.flatMap((a: any) =>
        a.vpcs.flatMap((v: any) => v.clusters.map((c: any) => c.ref)),
      ),
    );
    expect(refs).toEqual(['mc-test/org-web/web-dev']);
  });

  it("allocates CIDRs for the caller's team only, never overlapping the fleet", async () => {
    const res = await request(server)
      .post('/api/aws-clusters/cidr-allocations')
      .set('Authorization', as('user:default/liam.walsh'))
      .send({ pool: 'tgw', owner: 'group:default/web' });
    expect(res.status).toBe(201);
    expect(res.body.cidr).toBe('10.0.0.0/16');
    const second = await request(server)
      .post('/api/aws-clusters/cidr-allocations')
      .set('Authorization', as('user:default/liam.walsh'))
      .send({ pool: 'tgw', owner: 'group:default/web' });
    expect(second.body.cidr).toBe('10.3.0.0/16');
    const foreign = await request(server)
      .post('/api/aws-clusters/cidr-allocations')
      .set('Authorization', as('user:default/liam.walsh'))
      .send({ pool: 'tgw', owner: 'group:default/payments' });
    expect(foreign.status).toBe(403);
    const badBody = await request(server)
      .post('/api/aws-clusters/cidr-allocations')
      .set('Authorization', as('user:default/liam.walsh'))
      .send({ pool: 'tgw', owner: 'group:default/web', size: 16 });
    expect(badBody.status).toBe(400);
    expect(badBody.body.error.message).toMatch(/size/);
    const othersList = await request(server)
      .get('/api/aws-clusters/cidr-allocations')
      .set('Authorization', as('user:default/amara.okafor'));
    expect(othersList.body.items).toEqual([]);
    const release = await request(server)
      .delete(`/api/aws-clusters/cidr-allocations/${res.body.id}`)
      .set('Authorization', as('user:default/amara.okafor'));
    expect(release.status).toBe(404);
    const own = await request(server)
      .delete(`/api/aws-clusters/cidr-allocations/${res.body.id}`)
      .set('Authorization', as('user:default/liam.walsh'));
    expect(own.status).toBe(204);
  });

  it('shows a requested cluster to its team as requested until the management cluster reports it', async () => {
    const clusterRequest = webClusterRequest(
      'web-new',
      '10.20.0.0/16',
      'Storefront',
    );
    const post = (user: string, body: object) =>
      request(server)
        .post('/api/aws-clusters/cluster-requests')
        .set('Authorization', as(user))
        .send(body);

    const foreign = await post('user:default/amara.okafor', {
      request: clusterRequest,
    });
    expect(foreign.status).toBe(403);
    const notAdmitted = await post('user:default/liam.walsh', {
      request: {
        ...clusterRequest,
        spec: {
          ...clusterRequest.spec,
          account: { id: '123456789012', roleIdentity: 'payments-prod' },
        },
      },
    });
    expect(notAdmitted.status).toBe(400);
    expect(notAdmitted.body.error.message).toMatch(
      /^body request\.spec\.account\.id: account payments-prod \(123456789012\) does not admit group:default\/web/,
    );
    const invalid = await post('user:default/liam.walsh', {
      request: {
        ...clusterRequest,
        spec: { ...clusterRequest.spec, region: 'mars-1' },
      },
    });
    expect(invalid.status).toBe(400);
    expect(invalid.body.error.message).toMatch(/body request\.spec\.region/);
    const unknownMc = await post('user:default/liam.walsh', {
      request: {
        ...clusterRequest,
        spec: { ...clusterRequest.spec, managementCluster: 'mc-nope' },
      },
    });
    expect(unknownMc.status).toBe(400);
    expect(unknownMc.body.error.message).toMatch(
      /spec\.managementCluster: no management cluster named mc-nope/,
    );

    const created = await post('user:default/liam.walsh', {
      request: clusterRequest,
    });
    expect(created.status).toBe(201);
    expect(created.body).toEqual({ ref: 'mc-test/org-web/web-new' });
    expect(
      (await post('user:default/liam.walsh', { request: clusterRequest }))
        .status,
    ).toBe(409);

    const web = await request(server)
      .get('/api/aws-clusters/clusters')
      .set('Authorization', as('user:default/liam.walsh'));
    expect(web.body.items.find((c: any) => c.name === 'web-new')).toEqual(
      expect.objectContaining({
        ref: 'mc-test/org-web/web-new',
        status: 'requested',
        owner: 'group:default/web',
        accountName: 'development',
        environment: 'development',
        nodes: { desired: 0, ready: 0, min: 2, max: 5 },
        description: 'Storefront',
      }),
    );
    const payments = await request(server)
      .get('/api/aws-clusters/clusters')
      .set('Authorization', as('user:default/amara.okafor'));
    expect(payments.body.items.map((c: any) => c.name)).toEqual(['pay-prod']);

    const path = '/api/aws-clusters/cluster-requests/mc-test/org-web/web-new';
    expect(
      (
        await request(server)
          .delete(path)
          .set('Authorization', as('user:default/amara.okafor'))
      ).status,
    ).toBe(404);
    expect(
      (
        await request(server)
          .delete(path)
          .set('Authorization', as('user:default/liam.walsh'))
      ).status,
    ).toBe(204);
    const after = await request(server)
      .get('/api/aws-clusters/clusters')
      .set('Authorization', as('user:default/liam.walsh'));
    expect(after.body.items.map((c: any) => c.name)).toEqual(['web-dev']);
  });

  it('reports only a status without authentication, and every source to admins', async () => {
    const anonymous = await request(server).get('/api/aws-clusters/health');
    expect(anonymous.status).toBe(200);
    expect(Object.keys(anonymous.body).sort()).toEqual([
      'loadedAt',
      'refreshedAt',
      'status',
    ]);
    expect(anonymous.body.status).toBe('ok');
    expect(JSON.stringify(anonymous.body)).not.toMatch(/\d{12}|arn:/);
    const lead = await request(server)
      .get('/api/aws-clusters/health')
      .set('Authorization', as('user:default/liam.walsh'));
    expect(lead.body.sources).toBeUndefined();
    const res = await request(server)
      .get('/api/aws-clusters/health')
      .set('Authorization', as('user:default/nora.lind'));
    expect(res.status).toBe(200);
    expect(res.body.refresh.sources).toEqual([
      expect.objectContaining({ name: 'fixture' }),
    ]);
    expect(res.body.sources.map((s: any) => s.source)).toEqual(
      expect.arrayContaining([
        'aws:123456789012:eu-west-1',
        'aws:444455556666:eu-west-1',
        'kubernetes:mc-test',
      ]),
    );
  });
});
