import { mockCredentials, mockServices } from '@backstage/backend-test-utils';
import { NotAllowedError } from '@backstage/errors';
import {
  ClusterdeckAuthorizer,
  FleetApiClient,
  ServiceGrant,
} from '@clusterdeck/plugin-aws-clusters-node';
import type { AddressInfo } from 'node:net';
// The fleet backend's own test harness: its plugin on SQLite and PostgreSQL, as its route matrix runs it.
/* eslint-disable @backstage/no-mixed-plugin-imports, @backstage/no-forbidden-package-imports */
import { fixtureFleet } from '@clusterdeck/plugin-aws-clusters-backend/src/__testUtils__/fleetFixture';
import { databasesUnderTest } from '@clusterdeck/plugin-aws-clusters-backend/src/__testUtils__/localServices';
import {
  FleetBackend,
  startFleetBackend,
  USERS as FLEET_USERS,
} from '@clusterdeck/plugin-aws-clusters-backend/src/__testUtils__/harness/fleetBackend';
import { ADMIN_GROUP } from '@clusterdeck/plugin-aws-clusters-backend/src/__testUtils__/harness/generatedFleetConfig';
import {
  TEST_ACCOUNTS,
  webClusterRequest,
} from '@clusterdeck/plugin-aws-clusters-backend/src/__testUtils__/testServices';
/* eslint-enable @backstage/no-mixed-plugin-imports, @backstage/no-forbidden-package-imports */
import { MODULE_CONFIG, testAudit } from './__testUtils__/fixtures';
import { mockContext } from './__testUtils__/mockContext';
import { policyPermissions } from './__testUtils__/permissions';
import { createAllocateCidrAction } from './actions/allocateCidr';
import { createRegisterClusterAction } from './actions/registerCluster';
import { createRenderClusterAction } from './actions/renderCluster';
import { AccessPolicy } from './lib/access';

/*
 * The actions that write to the fleet, against the fleet backend itself (not the fake fleet API):
 * its plugin, its permission policy and its database, on SQLite and on PostgreSQL. An allowed run
 * leaves its row in the database; a refused one leaves nothing, whichever side refuses.
 */

jest.setTimeout(120_000);

const { ids, databases } = databasesUnderTest(
  'the fleet-writing actions against the fleet backend',
);

const WEB_LEAD = 'user:default/web-lead';
const PAYMENTS_LEAD = 'user:default/payments-lead';
const ADMIN = 'user:default/admin';

const CONFIG = {
  adminGroups: [ADMIN_GROUP],
  accounts: TEST_ACCOUNTS,
  cidrPools: [{ name: 'tgw', cidr: '10.0.0.0/8', prefixLength: 16 }],
  managementClusters: [
    { name: 'mc-test', region: 'eu-west-1', accountId: '111122223333' },
  ],
};

/** The scaffolder's access policy: the same policy and groups as the fleet backend's, and its own service grants. */
function accessWith(serviceGrants: ServiceGrant[]): AccessPolicy {
  return AccessPolicy.create({
    authorizer: ClusterdeckAuthorizer.create({
      permissions: policyPermissions({
        adminGroups: [ADMIN_GROUP],
        groups: FLEET_USERS,
      }),
      auth: mockServices.auth(),
      serviceGrants,
    }),
    accounts: TEST_ACCOUNTS,
  });
}

describe.each(ids)('the fleet-writing actions, on %s', id => {
  let backend: FleetBackend;
  let fleet: FleetApiClient;
  let access: AccessPolicy;

  beforeAll(async () => {
    backend = await startFleetBackend({
      sources: [{ name: 'fixture', collect: async () => fixtureFleet() }],
      clusterdeck: CONFIG,
      knex: await databases.init(id),
    });
    await backend.refresh();
    const { port } = (backend.server as { address(): AddressInfo }).address();
    fleet = FleetApiClient.create({
      discovery: {
        getBaseUrl: async () => `http://127.0.0.1:${port}/api/aws-clusters`,
      },
      auth: mockServices.auth(),
    });
    access = accessWith([]);
  });
  afterAll(() => backend?.stop());

  const services = () => ({ fleet, access, audit: testAudit().audit });
  /** What the fleet backend keeps, as an administrator sees it. */
  const allocations = () =>
    fleet.listAllocations(mockCredentials.user(ADMIN), 'tgw');
  const clusters = () => fleet.listClusters(mockCredentials.user(ADMIN));

  it('clusterdeck:cidr:allocate reserves a block the fleet backend keeps for the owning team, and nothing for another team', async () => {
    const input = {
      clusterRef: 'mc-test/org-web/web-new',
      owner: 'group:default/web',
      accountId: '444455556666',
      pool: 'tgw',
    };
    const refused = await createAllocateCidrAction(services())
      .handler(mockContext({ input, user: PAYMENTS_LEAD }))
      .catch(e => e);
    expect(refused).toBeInstanceOf(NotAllowedError);
    expect(await allocations()).toEqual([]);

    const ctx = mockContext({ input, user: WEB_LEAD });
    await createAllocateCidrAction(services()).handler(ctx);
    const [[, vpcCidr]] = ctx.output.mock.calls.filter(
      ([name]) => name === 'vpcCidr',
    );
    expect(await allocations()).toEqual([
      expect.objectContaining({
        pool: 'tgw',
        cidr: vpcCidr,
        owner: 'group:default/web',
        cluster: 'mc-test/org-web/web-new',
        createdBy: WEB_LEAD,
      }),
    ]);
  });

  it('clusterdeck:cidr:allocate started by a plugin the scaffolder trusts but the fleet backend does not is refused by the fleet backend, which keeps nothing', async () => {
    // The scaffolder's own grants let plugin:scaffolder reserve; the fleet's defaults only let it read.
    const trusting = accessWith([
      {
        subject: 'plugin:scaffolder',
        allow: ['aws-clusters.cidr-allocation.create'],
      },
    ]);
    const before = await allocations();
    const error = await createAllocateCidrAction({
      ...services(),
      access: trusting,
    })
      .handler(
        mockContext({
          input: {
            clusterRef: 'mc-test/org-web/web-svc',
            owner: 'group:default/web',
            accountId: '444455556666',
            pool: 'tgw',
          },
          credentials: mockCredentials.service('plugin:scaffolder'),
        }),
      )
      .catch(e => e);
    expect(error).toBeInstanceOf(NotAllowedError);
    expect(await allocations()).toEqual(before);
  });

  it('clusterdeck:cluster:render gives back the blocks of a request that does not render: the fleet backend no longer keeps them', async () => {
    const reserve = mockContext({
      input: {
        clusterRef: 'mc-test/org-web/web-bad',
        owner: 'group:default/web',
        accountId: '444455556666',
        pool: 'tgw',
      },
      user: WEB_LEAD,
    });
    await createAllocateCidrAction(services()).handler(reserve);
    const [[, allocationIds]] = reserve.output.mock.calls.filter(
      ([name]) => name === 'allocationIds',
    );
    expect(allocationIds).toHaveLength(1);
    expect((await allocations()).map(a => a.id)).toContain(allocationIds[0]);

    const request = webClusterRequest('web-bad', '10.78.0.0/16');
    delete (request.spec as Record<string, unknown>).release;
    const error = await createRenderClusterAction({
      ...services(),
      config: { managementClusters: CONFIG.managementClusters },
      gitops: MODULE_CONFIG.gitops,
    })
      .handler(
        mockContext({
          input: {
            request,
            format: 'cluster-aws' as const,
            releaseOnFailure: allocationIds,
          },
          user: WEB_LEAD,
        }),
      )
      .catch(e => e);
    expect(error.message).toMatch(/request\.spec\.release/);
    expect((await allocations()).map(a => a.id)).not.toContain(
      allocationIds[0],
    );
  });

  it('clusterdeck:cluster:register records the request in the fleet backend for the owning team, and nothing for another team', async () => {
    const request = webClusterRequest('web-reg', '10.77.0.0/16');
    const refused = await createRegisterClusterAction(services())
      .handler(mockContext({ input: { request }, user: PAYMENTS_LEAD }))
      .catch(e => e);
    expect(refused).toBeInstanceOf(NotAllowedError);
    expect((await clusters()).map(c => c.ref)).not.toContain(
      'mc-test/org-web/web-reg',
    );

    const ctx = mockContext({
      input: { request, branch: 'clusterdeck/web/web-reg/request' },
      user: WEB_LEAD,
    });
    await createRegisterClusterAction(services()).handler(ctx);
    expect(ctx.output).toHaveBeenCalledWith(
      'clusterRef',
      'mc-test/org-web/web-reg',
    );
    expect(await clusters()).toContainEqual(
      expect.objectContaining({
        ref: 'mc-test/org-web/web-reg',
        owner: 'group:default/web',
        status: 'requested',
      }),
    );
  });

  it('the fleet client lists the clusters of one owner, management cluster or account as the fleet backend filters them', async () => {
    const admin = mockCredentials.user(ADMIN);
    const all = await clusters();
    const payments = all.find(c => c.name === 'pay-prod')!;
    const names = (list: Array<{ name: string }>) => list.map(c => c.name);
    expect(
      names(await fleet.listClusters(admin, { accountId: payments.accountId })),
    ).toEqual(names(all.filter(c => c.accountId === payments.accountId)));
    expect(
      names(await fleet.listClusters(admin, { owner: 'group:default/web' })),
    ).toEqual(names(all.filter(c => c.owner === 'group:default/web')));
    expect(
      await fleet.listClusters(admin, { managementCluster: 'mc-test' }),
    ).toEqual(all);
    expect(
      await fleet.listClusters(admin, { managementCluster: 'mc-other' }),
    ).toEqual([]);
    // The web lead reads none of the payments team's clusters, filtered or not.
    expect(
      await fleet.listClusters(mockCredentials.user(WEB_LEAD), {
        accountId: payments.accountId,
      }),
    ).toEqual([]);
    await expect(
      fleet.listClusters(admin, { accountId: '1234' }),
    ).rejects.toThrow('accountId: must be exactly 12 digits');
  });
});
