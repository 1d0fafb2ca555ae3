import {
  mockCredentials,
  mockServices,
  startTestBackend,
} from '@backstage/backend-test-utils';
import type { FleetSnapshot } from '@clusterdeck/plugin-aws-clusters-node';
import type { AddressInfo } from 'node:net';
import { fixtureFleet } from '../../__testUtils__/fleetFixture';
import {
  sourcesModule,
  TEST_ACCOUNTS,
  testPermissions,
  testUserInfo,
  webClusterRequest,
} from '../../__testUtils__/testServices';
import { awsClustersPlugin } from '../../plugin';

const ADMIN = 'user:default/nora.lind';
const PAYMENTS = 'user:default/amara.okafor';
const WEB = 'user:default/liam.walsh';
const USERS: Record<string, string[]> = {
  [ADMIN]: [ADMIN, 'group:default/platform'],
  [PAYMENTS]: [PAYMENTS, 'group:default/payments'],
  [WEB]: [WEB, 'group:default/web'],
};

// Identities as CAPA documents them: a list, a selector, `{}` (every namespace), and none at all.
function fleet(): FleetSnapshot {
  const snapshot = fixtureFleet();
  const mc = snapshot.managementClusters[0];
  const identity = (
    name: string,
    account: string,
    allowedNamespaces?: unknown,
  ) => ({
    apiVersion: 'infrastructure.cluster.x-k8s.io/v1beta2',
    kind: 'AWSClusterRoleIdentity',
    metadata: { name },
    spec: {
      roleARN: `arn:aws:iam::${account}:role/${name}`,
      sourceIdentityRef: {
        kind: 'AWSClusterControllerIdentity',
        name: 'default',
      },
      ...(allowedNamespaces !== undefined ? { allowedNamespaces } : {}),
    },
  });
  mc.objects.awsClusterRoleIdentities.push(
    identity('web-by-label', '444455556666', {
      selector: {
        matchExpressions: [
          {
            key: 'kubernetes.io/metadata.name',
            operator: 'In',
            values: ['org-web'],
          },
        ],
      },
    }),
    identity('dev-everyone', '444455556666', {}),
    identity('dev-unusable', '444455556666'),
    identity('shared-services', '111122223333', { list: ['org-platform'] }),
  );
  // A cluster-eks release as Giant Swarm publishes it (giantswarm/releases eks/v34.0.0/release.yaml).
  mc.objects.releases.push({
    apiVersion: 'release.giantswarm.io/v1alpha1',
    kind: 'Release',
    metadata: { name: 'eks-34.0.0' },
    spec: {
      components: [
        { name: 'cluster-eks', catalog: 'cluster', version: '1.2.1' },
        { name: 'kubernetes', version: '1.34.4' },
      ],
      date: '2026-02-24T08:50:53Z',
      state: 'active',
    },
  });
  snapshot.aws[0].transitGatewayAttachments.push({
    TransitGatewayId: 'tgw-0123456789abcdef0',
    TransitGatewayOwnerId: '111122223333',
    State: 'available',
    VpcId: 'vpc-0000000000000000a',
  } as any);
  return snapshot;
}

describe('reference routes', () => {
  let base: string;
  let stop: () => Promise<void>;

  beforeAll(async () => {
    const scheduler = mockServices.scheduler.mock();
    const snapshot = fleet();
    const backend = await startTestBackend({
      features: [
        scheduler.factory,
        awsClustersPlugin,
        sourcesModule(
          [{ name: 'fixture', collect: async () => structuredClone(snapshot) }],
          'fixture',
        ),
        testUserInfo(USERS),
        testPermissions(['group:default/platform']),
        mockServices.rootConfig.factory({
          data: {
            clusterdeck: {
              sources: { aws: false, kubernetes: false },
              adminGroups: ['group:default/platform'],
              accounts: TEST_ACCOUNTS,
              managementClusters: [
                {
                  name: 'mc-test',
                  region: 'eu-west-1',
                  accountId: '111122223333',
                  // Its account is the platform's own; the clusters it runs are production ones.
                  environment: 'production',
                  baseDomain: 'test.example.com',
                },
              ],
              organizations: {
                payments: 'group:default/payments',
                web: 'group:default/web',
                platform: 'group:default/platform',
              },
              references: {
                releases: { 'mc-test': ['31.1.0', '30.2.0'] },
                eksVersions: ['1.33', '1.32'],
                zones: {
                  'eu-west-1': ['eu-west-1a', 'eu-west-1b', 'eu-west-1c'],
                },
                transitGateways: {
                  '111122223333': [
                    {
                      id: 'tgw-0123456789abcdef0',
                      name: 'shared',
                      region: 'eu-west-1',
                      ownerAccountId: '111122223333',
                    },
                  ],
                  '444455556666': [
                    {
                      id: 'tgw-0fedcba9876543210',
                      name: 'dev',
                      region: 'eu-west-1',
                      ownerAccountId: '111122223333',
                    },
                  ],
                },
              },
            },
          },
        }),
      ],
    });
    base = `http://127.0.0.1:${
      (backend.server.address() as AddressInfo).port
    }/api/aws-clusters`;
    stop = () => backend.stop();
    const task = scheduler.scheduleTask.mock.calls.find(
      ([t]) => t.id === 'aws-clusters:refresh',
    )![0];
    await task.fn(new AbortController().signal);
  });

  afterAll(() => stop?.());

  async function get(path: string, user?: string, authorization?: string) {
    const res = await fetch(`${base}${path}`, {
      headers: {
        Authorization: authorization ?? mockCredentials.user.header(user),
      },
    });
    return {
      status: res.status,
      body: await res.json().catch(() => undefined),
    };
  }
  const names = (body: any) =>
    body.items.map((i: any) => i.name ?? i.id ?? i.version);

  it('refuses callers without credentials, and services granted nothing, on every reference route', async () => {
    const untrusted = mockCredentials.service.header({
      onBehalfOf: mockCredentials.service('plugin:other'),
      targetPluginId: 'aws-clusters',
    });
    for (const path of [
      '/references?owner=group:default/web',
      '/references/management-clusters',
      '/references/regions?accountId=444455556666',
    ]) {
      expect(
        (await get(path, undefined, mockCredentials.none.header())).status,
      ).toBe(401);
      expect((await get(path, undefined, untrusted)).status).toBe(403);
    }
  });

  it('lists the management clusters to those who may request clusters, with the environment configured for each', async () => {
    const { status, body } = await get('/references/management-clusters', WEB);
    expect(status).toBe(200);
    expect(body.items).toEqual([
      {
        name: 'mc-test',
        region: 'eu-west-1',
        accountId: '111122223333',
        environment: 'production',
        baseDomain: 'test.example.com',
      },
    ]);
    expect(
      (await get('/references/management-clusters?x=1', WEB)).body.error
        .message,
    ).toBe('query: unknown x');
  });

  it("lists an account's regions with their zones, and answers an account the caller may not use as unknown", async () => {
    expect(
      (await get('/references/regions?accountId=444455556666', WEB)).body.items,
    ).toEqual([
      { name: 'eu-west-1', zones: ['eu-west-1a', 'eu-west-1b', 'eu-west-1c'] },
    ]);
    const refused = await get(
      '/references/regions?accountId=123456789012',
      WEB,
    );
    expect(refused.status).toBe(404);
    expect(refused.body.error.message).toBe(
      'no account 123456789012 you may request clusters in',
    );
    expect(
      (await get('/references/regions?accountId=999999999999', WEB)).status,
    ).toBe(404);
    expect(
      (await get('/references/regions?accountId=12', WEB)).body.error.message,
    ).toBe('query accountId: must be exactly 12 digits');
    // Without an account, the regions the platform knows, for a new account.
    expect(
      (await get('/references/regions', ADMIN)).body.items.map(
        (r: any) => r.name,
      ),
    ).toEqual(['eu-west-1']);
  });

  it('lists only the role identities of the chosen account that admit the owner, with their role ARN', async () => {
    const web = await get(
      '/references/role-identities?managementCluster=mc-test&accountId=444455556666&owner=group:default/web',
      WEB,
    );
    expect(web.status).toBe(200);
    expect(names(web.body)).toEqual([
      'dev-shared',
      'web-by-label',
      'dev-everyone',
    ]);
    expect(web.body.items[0]).toEqual({
      name: 'dev-shared',
      managementCluster: 'mc-test',
      roleARN: 'arn:aws:iam::444455556666:role/capa-controller',
      accountId: '444455556666',
      allowedNamespaces: { list: ['org-web', 'org-payments'] },
    });
    const payments = await get(
      '/references/role-identities?managementCluster=mc-test&accountId=123456789012&owner=group:default/payments',
      PAYMENTS,
    );
    expect(names(payments.body)).toEqual(['payments-prod']);
    // Without an account: every account the caller may use, never another team's.
    expect(
      names(
        (
          await get(
            '/references/role-identities?managementCluster=mc-test',
            WEB,
          )
        ).body,
      ),
    ).toEqual(['dev-shared', 'web-by-label', 'dev-everyone']);
  });

  it('refuses role identities for an owner the caller may not act for, an account it may not use, an unknown management cluster', async () => {
    const otherOwner = await get(
      '/references/role-identities?managementCluster=mc-test&owner=group:default/payments',
      WEB,
    );
    expect(otherOwner.status).toBe(403);
    expect(otherOwner.body.error.message).toMatch(
      /may not request clusters for group:default\/payments/,
    );
    expect(
      (
        await get(
          '/references/role-identities?managementCluster=mc-test&accountId=123456789012',
          WEB,
        )
      ).status,
    ).toBe(404);
    const unknown = await get(
      '/references/role-identities?managementCluster=mc-nowhere',
      WEB,
    );
    expect(unknown.status).toBe(404);
    expect(unknown.body.error.message).toBe(
      'no management cluster named mc-nowhere',
    );
  });

  it("lists a management cluster's releases of each flavor, and the EKS versions it offers", async () => {
    expect(
      names(
        (await get('/references/releases?managementCluster=mc-test', WEB)).body,
      ),
    ).toEqual(['31.1.0', '30.2.0']);
    // EKS clusters take the eks-* releases, never the EC2 (aws-*) ones.
    const eksReleases = await get(
      '/references/releases?managementCluster=mc-test&flavor=eks',
      WEB,
    );
    expect(eksReleases.body).toMatchObject({
      items: [{ version: '34.0.0', flavor: 'eks' }],
      known: true,
    });
    const eks = await get(
      '/references/releases?managementCluster=mc-test&flavor=eks&kind=kubernetes',
      WEB,
    );
    expect(eks.body).toMatchObject({
      items: [
        { version: '1.33', flavor: 'eks' },
        { version: '1.32', flavor: 'eks' },
      ],
      known: true,
    });
    expect(
      (
        await get(
          '/references/releases?managementCluster=mc-test&kind=kubernetes',
          WEB,
        )
      ).body.error.message,
    ).toBe('query kind: Kubernetes versions are listed for EKS only');
    expect(
      (await get('/references/releases?managementCluster=mc-nowhere', WEB))
        .status,
    ).toBe(404);
    expect(
      (
        await get(
          '/references/releases?managementCluster=mc-test&flavor=gke',
          WEB,
        )
      ).body.error.message,
    ).toBe('query flavor: must be ec2 or eks');
  });

  it("lists the transit gateways an account reaches, configured or attached, and refuses another team's account", async () => {
    expect(
      (await get('/references/transit-gateways?accountId=444455556666', WEB))
        .body.items,
    ).toEqual([
      {
        id: 'tgw-0fedcba9876543210',
        name: 'dev',
        region: 'eu-west-1',
        ownerAccountId: '111122223333',
      },
    ]);
    const attached = await get(
      '/references/transit-gateways?accountId=123456789012',
      PAYMENTS,
    );
    expect(attached.body.items).toEqual([
      {
        id: 'tgw-0123456789abcdef0',
        attached: true,
        region: 'eu-west-1',
        ownerAccountId: '111122223333',
      },
    ]);
    expect(
      (
        await get(
          '/references/transit-gateways?accountId=444455556666&region=eu-central-1',
          WEB,
        )
      ).body.items,
    ).toEqual([]);
    expect(
      (await get('/references/transit-gateways?accountId=123456789012', WEB))
        .status,
    ).toBe(404);
  });

  it('gives the checks everything they need for an owner, without the accounts that do not admit it', async () => {
    const { status, body } = await get(
      '/references?owner=group:default/web',
      WEB,
    );
    expect(status).toBe(200);
    expect(body.accounts.map((a: any) => a.id)).toEqual(['444455556666']);
    expect(Object.keys(body.transitGateways).sort()).toEqual([
      '111122223333',
      '444455556666',
    ]);
    expect(body.managementClusters[0]).toMatchObject({
      name: 'mc-test',
      releases: ['31.1.0', '30.2.0'],
    });
    expect(
      (await get('/references?owner=group:default/payments', WEB)).status,
    ).toBe(403);
    expect((await get('/references', WEB)).body.error.message).toMatch(
      /^query owner: /,
    );
  });

  it("gives an owner's bundle only the role identities of its accounts that admit its namespaces; an admin's has every one", async () => {
    const identities = (body: any) =>
      body.managementClusters[0].roleIdentities.map((i: any) => i.name).sort();
    const web = await get('/references?owner=group:default/web', WEB);
    expect(identities(web.body)).toEqual([
      'dev-everyone',
      'dev-shared',
      'web-by-label',
    ]);
    // Nothing of the payments account's identity: neither its name nor its role.
    expect(JSON.stringify(web.body)).not.toMatch(
      /payments-prod|arn:aws:iam::123456789012/,
    );
    const admin = await get('/references?owner=group:default/web', ADMIN);
    expect(identities(admin.body)).toEqual([
      'dev-everyone',
      'dev-shared',
      'dev-unusable',
      'payments-prod',
      'shared-services',
      'web-by-label',
    ]);
  });

  it('gives a group of another catalog namespace no organization by its name alone', async () => {
    const identities = async (owner: string) =>
      names(
        (
          await get(
            `/references/role-identities?managementCluster=mc-test&owner=${owner}`,
            ADMIN,
          )
        ).body,
      ).sort();
    expect(await identities('group:default/payments')).toEqual([
      'dev-everyone',
      'dev-shared',
      'payments-prod',
    ]);
    // group:teamx/payments is not group:default/payments: org-payments is not its namespace.
    expect(await identities('group:teamx/payments')).toEqual([]);
  });

  describe('POST /cluster-requests', () => {
    async function record(request: unknown, user = WEB) {
      const res = await fetch(`${base}/cluster-requests`, {
        method: 'POST',
        headers: {
          Authorization: mockCredentials.user.header(user),
          'Content-Type': 'application/json',
        },
        body: JSON.stringify({ request }),
      });
      return {
        status: res.status,
        body: await res.json().catch(() => undefined),
      };
    }
    const listed = async () =>
      (await get('/clusters', WEB)).body.items.map((c: any) => c.name);

    it.each([
      [
        'a missing identity',
        (r: any) => {
          r.spec.account.roleIdentity = 'no-such-identity';
        },
        /body request\.spec\.account\.roleIdentity: mc-test has no AWSClusterRoleIdentity named no-such-identity/,
      ],
      // Another team's identity, or one that admits none of the owner's namespaces, is answered as
      // one that does not exist: the answer names no account or identity of another team.
      [
        "another team's account's identity",
        (r: any) => {
          r.spec.account.roleIdentity = 'payments-prod';
        },
        /^body request\.spec\.account\.roleIdentity: mc-test has no AWSClusterRoleIdentity named payments-prod$/,
      ],
      [
        'an identity that admits no namespace',
        (r: any) => {
          r.spec.account.roleIdentity = 'dev-unusable';
        },
        /^body request\.spec\.account\.roleIdentity: mc-test has no AWSClusterRoleIdentity named dev-unusable$/,
      ],
      [
        'an unknown release',
        (r: any) => {
          r.spec.release = '29.0.0';
        },
        /body request\.spec\.release: mc-test does not offer release 29\.0\.0/,
      ],
      [
        'a zone of another region',
        (r: any) => {
          r.spec.network.availabilityZones = ['eu-west-1a', 'eu-west-1d'];
        },
        /body request\.spec\.network\.availabilityZones\[1\]: eu-west-1d is not an availability zone of eu-west-1/,
      ],
      [
        'a transit gateway of an unrelated account',
        (r: any) => {
          r.spec.network.topology = {
            mode: 'transitGateway',
            transitGatewayId: 'tgw-0123456789abcdef0',
          };
        },
        /body request\.spec\.network\.topology\.transitGatewayId: transit gateway tgw-0123456789abcdef0 is not shared with account 444455556666/,
      ],
    ])(
      'refuses %s, naming the field, and records nothing',
      async (_what, change, message) => {
        const request = webClusterRequest('web-wrong', '10.60.0.0/16');
        change(request);
        const { status, body } = await record(request);
        expect({ status, message: body.error.message }).toEqual({
          status: 400,
          message: expect.stringMatching(message),
        });
        expect(await listed()).not.toContain('web-wrong');
      },
    );

    it('records a request whose references hold', async () => {
      const { status, body } = await record(
        webClusterRequest('web-right', '10.61.0.0/16'),
      );
      expect({ status, body }).toEqual({
        status: 201,
        body: { ref: 'mc-test/org-web/web-right' },
      });
      expect(await listed()).toContain('web-right');
    });
  });
});
