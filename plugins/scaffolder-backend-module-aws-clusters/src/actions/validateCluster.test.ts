import { NotAllowedError } from '@backstage/errors';
import { FakeFleetApi, startFakeFleetApi } from '../__testUtils__/fakeFleetApi';
import {
  fleetReferences,
  fleetState,
  paymentsRequest,
  roleIdentity,
  summary,
  testServices,
  USERS,
} from '../__testUtils__/fixtures';
import { mockContext } from '../__testUtils__/mockContext';
import { ProblemsError } from '../lib/problems';
import { createValidateClusterAction } from './validateCluster';

describe('clusterdeck:cluster:validate', () => {
  let fake: FakeFleetApi;
  beforeEach(async () => {
    fake = await startFakeFleetApi(fleetState());
  });
  afterEach(() => fake.close());

  const action = () => {
    const { fleet, access, config, moduleConfig } = testServices(fake);
    return createValidateClusterAction({
      config,
      guardrails: moduleConfig.guardrails,
      gitops: moduleConfig.gitops,
      fleet,
      access,
    });
  };

  async function problemsOf(promise: Promise<unknown>) {
    const error = await promise.then(
      () => undefined,
      e => e,
    );
    expect(error).toBeInstanceOf(ProblemsError);
    return (error as ProblemsError).problems;
  }

  it('accepts a request that keeps the rules and says where it will live', async () => {
    const ctx = mockContext({
      input: {
        request: paymentsRequest(),
        cidrPool: 'tgw-routed',
        format: 'cluster-aws',
      },
      user: USERS.payments,
    });
    await action().handler(ctx);
    expect(ctx.output).toHaveBeenCalledWith(
      'clusterRef',
      'mc-eu-prod/org-payments/pay-new',
    );
    expect(ctx.output).toHaveBeenCalledWith('environment', 'production');
    expect(ctx.output).toHaveBeenCalledWith(
      'gitopsPath',
      'management-clusters/mc-eu-prod/organizations/payments/workload-clusters/pay-new',
    );
    expect(ctx.output).toHaveBeenCalledWith(
      'catalogEntityRef',
      'resource:default/mc-eu-prod-pay-new',
    );
    // Validation reads; it never reserves or releases anything.
    expect(fake.requests.filter(r => r.method !== 'GET')).toEqual([]);
  });

  it('stops a request that breaks guardrails, naming every field, and allocates nothing', async () => {
    const request = paymentsRequest({
      spec: {
        region: 'eu-central-1',
        controlPlane: { apiMode: 'public' },
        network: { vpc: { mode: 'create' }, availabilityZones: 1 },
        nodePools: [
          {
            name: 'system',
            type: 'asg',
            instanceType: 't3.large',
            minSize: 3,
            maxSize: 30,
          },
          { name: 'batch0', type: 'karpenter' },
        ],
      },
    });
    const ctx = mockContext({
      input: { request, cidrPool: 'tgw-routed' },
      user: USERS.payments,
    });
    const problems = await problemsOf(action().handler(ctx));
    const paths = problems.map(p => p.path);
    expect(paths).toEqual(
      expect.arrayContaining([
        'request.spec.region',
        'request.spec.network.availabilityZones',
        'request.spec.controlPlane.apiMode',
        'request.spec.nodePools[0].instanceType',
        'request.spec.nodePools[0].maxSize',
        'request.spec.nodePools[1].karpenter.requirements',
      ]),
    );
    expect(
      problems
        .filter(p => p.path === 'request.spec.region')
        .map(p => p.message),
    ).toEqual(
      expect.arrayContaining([
        expect.stringMatching(/eu-central-1 is not allowed in production/),
      ]),
    );
    expect(fake.requests.filter(r => r.method !== 'GET')).toEqual([]);
    expect(fake.state.allocations).toEqual([]);
    expect(ctx.output).not.toHaveBeenCalled();
  });

  it('reports structural problems at their dotted paths before anything else', async () => {
    const request = paymentsRequest();
    request.spec.nodePools[0].minsize = 1;
    request.spec.account.id = '12';
    const ctx = mockContext({ input: { request }, user: USERS.payments });
    const problems = await problemsOf(action().handler(ctx));
    expect(problems).toEqual(
      expect.arrayContaining([
        {
          path: 'request.spec.nodePools[0].minsize',
          message: 'is not a known field',
        },
        {
          path: 'request.spec.account.id',
          message: 'must be exactly 12 digits',
        },
      ]),
    );
  });

  it('checks the live fleet: name taken on the management cluster, CIDR in use, account and quota', async () => {
    fake.state.clusters.push(
      summary({
        name: 'pay-new',
        namespace: 'org-web',
        managementCluster: 'mc-eu-prod',
        owner: 'group:default/web',
      }),
    );
    fake.state.accounts[0].usage[0] = {
      ...fake.state.accounts[0].usage[0],
      vpcs: 5,
    };
    const request = paymentsRequest({
      spec: {
        network: {
          vpc: { mode: 'create', cidr: '172.20.0.0/16' },
          availabilityZones: 3,
        },
      },
    });
    fake.state.vpcCidrs.push('172.20.0.0/20');
    const ctx = mockContext({ input: { request }, user: USERS.payments });
    const problems = await problemsOf(action().handler(ctx));
    expect(problems).toEqual(
      expect.arrayContaining([
        {
          path: 'request.metadata.name',
          message: 'a cluster named pay-new already exists on mc-eu-prod',
        },
        {
          path: 'request.spec.network.vpc.cidr',
          message: '172.20.0.0/16 overlaps a VPC in use in the fleet',
        },
        expect.objectContaining({
          path: 'request.spec.network.vpc',
          message: expect.stringMatching(/5 of 5 VPCs/),
        }),
      ]),
    );
    // The name is checked fleet-wide, as the module: the payments lead cannot see web's clusters.
    expect(
      fake.requests.some(r => r.path === '/clusters' && r.caller === 'service'),
    ).toBe(true);
  });

  it("names no other team's cluster, owner or block when the name or the CIDRs are taken", async () => {
    fake.state.clusters.push(
      summary({
        name: 'pay-new',
        namespace: 'org-web',
        managementCluster: 'mc-eu-prod',
        owner: 'group:default/web',
      }),
    );
    fake.state.allocations.push({
      id: 'w1',
      pool: 'private',
      cidr: '172.20.0.0/20',
      cluster: 'mc-eu-prod/org-web/web-secret',
      owner: 'group:default/web',
      createdBy: USERS.web,
      createdAt: '',
    });
    fake.state.vpcCidrs.push('172.21.0.0/20');
    const request = paymentsRequest({
      spec: {
        network: {
          vpc: {
            mode: 'create',
            cidr: '172.20.0.0/16',
            extraCidrs: ['172.21.0.0/16'],
          },
          availabilityZones: 3,
        },
      },
    });
    const problems = await problemsOf(
      action().handler(
        mockContext({ input: { request }, user: USERS.payments }),
      ),
    );
    expect(problems).toEqual(
      expect.arrayContaining([
        {
          path: 'request.metadata.name',
          message: 'a cluster named pay-new already exists on mc-eu-prod',
        },
        {
          path: 'request.spec.network.vpc.cidr',
          message:
            '172.20.0.0/16 overlaps a block reserved for another cluster',
        },
        {
          path: 'request.spec.network.vpc.extraCidrs[0]',
          message: '172.21.0.0/16 overlaps a VPC in use in the fleet',
        },
      ]),
    );
    const said = problems.map(p => p.message).join('\n');
    for (const secret of [
      'group:default/web',
      'org-web',
      'web-secret',
      '172.20.0.0/20',
      '172.21.0.0/20',
    ])
      expect(said).not.toContain(secret);
  });

  it('refuses a hand-picked CIDR inside a pool, which only the allocation may hand out', async () => {
    const request = paymentsRequest({
      spec: {
        network: {
          vpc: { mode: 'create', cidr: '10.9.0.0/16' },
          availabilityZones: 3,
        },
      },
    });
    const ctx = mockContext({ input: { request }, user: USERS.payments });
    const problems = await problemsOf(action().handler(ctx));
    expect(problems).toEqual([
      expect.objectContaining({
        path: 'request.spec.network.vpc.cidr',
        message: expect.stringMatching(/lies in the CIDR pool tgw-routed/),
      }),
    ]);
  });

  it('names an account that does not admit the owner', async () => {
    const request = paymentsRequest({
      spec: { account: { id: '444455556666', roleIdentity: 'dev' } },
    });
    request.metadata.owner = 'group:default/payments';
    fake.state.users[USERS.payments] = [
      USERS.payments,
      'group:default/payments',
    ];
    const config = testServices(fake);
    const a = createValidateClusterAction({
      config: {
        ...config.config,
        accounts: config.config.accounts.map(acc =>
          acc.id === '444455556666'
            ? { ...acc, owners: ['group:default/web'] }
            : acc,
        ),
      },
      guardrails: config.moduleConfig.guardrails,
      gitops: config.moduleConfig.gitops,
      fleet: config.fleet,
      access: config.access,
    });
    const ctx = mockContext({
      input: { request, cidrPool: 'tgw-routed' },
      user: USERS.payments,
    });
    const problems = await problemsOf(a.handler(ctx));
    expect(problems).toEqual(
      expect.arrayContaining([
        expect.objectContaining({
          path: 'request.spec.account.id',
          message: expect.stringMatching(
            /does not admit group:default\/payments/,
          ),
        }),
      ]),
    );
    // The teams the account serves are not the requester's business.
    expect(problems.map(p => p.message).join('\n')).not.toContain(
      'group:default/web',
    );
  });

  it.each([
    ['a member of the owning group', USERS.payments],
    ['an admin acting for the group', USERS.admin],
  ])('lets %s validate', async (_who, user) => {
    const ctx = mockContext({
      input: { request: paymentsRequest(), cidrPool: 'tgw-routed' },
      user,
    });
    await expect(action().handler(ctx)).resolves.toBeUndefined();
  });

  it('refuses someone of another team before the fleet is asked', async () => {
    const ctx = mockContext({
      input: { request: paymentsRequest(), cidrPool: 'tgw-routed' },
      user: USERS.web,
    });
    await expect(action().handler(ctx)).rejects.toThrow(NotAllowedError);
    expect(fake.requests).toEqual([]);
  });

  it('validates ENI mode with the pod CIDR standing in from its pool', async () => {
    const request = paymentsRequest({
      spec: {
        network: {
          vpc: { mode: 'create' },
          availabilityZones: 3,
          cni: { mode: 'eni' },
        },
      },
    });
    const ctx = mockContext({
      input: { request, cidrPool: 'tgw-routed', podCidrPool: 'eni-pods' },
      user: USERS.payments,
    });
    await action().handler(ctx);
    expect(ctx.output).toHaveBeenCalledWith(
      'clusterRef',
      'mc-eu-prod/org-payments/pay-new',
    );
  });
  describe('the references a request names', () => {
    const refused = async (
      spec: Record<string, unknown>,
      mutate?: (state: typeof fake.state) => void,
    ) => {
      mutate?.(fake.state);
      const ctx = mockContext({
        input: { request: paymentsRequest({ spec }), cidrPool: 'tgw-routed' },
        user: USERS.payments,
      });
      const problems = await problemsOf(action().handler(ctx));
      // Validation comes before any reservation: nothing was written anywhere.
      expect(fake.requests.filter(r => r.method !== 'GET')).toEqual([]);
      expect(fake.state.allocations).toEqual([]);
      return problems;
    };

    it('refuses a role identity the management cluster does not have', async () => {
      expect(
        await refused({
          account: { id: '123456789012', roleIdentity: 'no-such-identity' },
        }),
      ).toEqual([
        {
          path: 'request.spec.account.roleIdentity',
          message:
            'mc-eu-prod has no AWSClusterRoleIdentity named no-such-identity',
        },
      ]);
    });

    it('refuses the identity of another account, naming both', async () => {
      const problems = await refused({
        account: { id: '444455556666', roleIdentity: 'payments-prod' },
      });
      expect(problems).toEqual([
        {
          path: 'request.spec.account.roleIdentity',
          message: expect.stringMatching(
            /^payments-prod assumes a role in account payments-prod \(123456789012, production\), not in the requested account development \(444455556666, development\)/,
          ),
        },
      ]);
    });

    it('refuses an identity that does not admit the organization namespace', async () => {
      const problems = await refused(
        { account: { id: '123456789012', roleIdentity: 'web-only' } },
        state => {
          state.references = fleetReferences();
          state.references.managementClusters[0].roleIdentities!.push({
            name: 'web-only',
            roleARN: roleIdentity('web-only', '123456789012').spec.roleARN,
            allowedNamespaces: {
              selector: {
                matchLabels: { 'kubernetes.io/metadata.name': 'org-web' },
              },
            },
          });
        },
      );
      expect(problems).toEqual([
        {
          path: 'request.spec.account.roleIdentity',
          message: expect.stringMatching(
            /^web-only does not admit the namespace org-payments/,
          ),
        },
      ]);
    });

    it('refuses a release the management cluster does not offer and a zone of another region', async () => {
      const problems = await refused(
        {
          release: '29.0.0',
          network: {
            vpc: { mode: 'create' },
            availabilityZones: ['eu-west-1a', 'eu-west-1b', 'eu-west-1z'],
          },
        },
        state => {
          state.references = {
            ...fleetReferences(),
            zones: { 'eu-west-1': ['eu-west-1a', 'eu-west-1b', 'eu-west-1c'] },
          };
          state.references.managementClusters[0].releases = ['31.1.0'];
        },
      );
      expect(problems).toEqual(
        expect.arrayContaining([
          {
            path: 'request.spec.release',
            message:
              'mc-eu-prod does not offer release 29.0.0; it offers 31.1.0',
          },
          {
            path: 'request.spec.network.availabilityZones[2]',
            message: expect.stringMatching(
              /^eu-west-1z is not an availability zone of eu-west-1/,
            ),
          },
        ]),
      );
    });

    it('refuses a transit gateway the account cannot reach', async () => {
      const problems = await refused({
        controlPlane: { apiMode: 'private' },
        network: {
          vpc: { mode: 'create' },
          availabilityZones: 3,
          topology: {
            mode: 'transitGateway',
            transitGatewayId: 'tgw-0fedcba9876543210',
          },
        },
      });
      expect(problems).toEqual([
        {
          path: 'request.spec.network.topology.transitGatewayId',
          message: expect.stringMatching(
            /^transit gateway tgw-0fedcba9876543210 is not shared with account 123456789012/,
          ),
        },
      ]);
    });

    it('warns, in the log and the output, of a release and zones nothing lists, and checks them where listed', async () => {
      // The fixture's management clusters list no release and no region lists zones.
      const ctx = mockContext({
        input: { request: paymentsRequest(), cidrPool: 'tgw-routed' },
        user: USERS.payments,
      });
      await action().handler(ctx);
      const unchecked = [
        {
          path: 'spec.release',
          message:
            'nothing lists the releases mc-eu-prod offers, so 31.1.0 is not checked',
        },
        {
          path: 'spec.network.availabilityZones',
          message:
            'nothing lists the availability zones of eu-west-1, so the zones are not checked',
        },
      ];
      expect(ctx.output).toHaveBeenCalledWith(
        'warnings',
        expect.arrayContaining(unchecked),
      );
      const logged = (ctx.logger.warn as jest.Mock).mock.calls.map(([m]) => m);
      expect(logged).toEqual(
        expect.arrayContaining(unchecked.map(w => `${w.path}: ${w.message}`)),
      );

      fake.state.references = {
        ...fleetReferences(),
        zones: { 'eu-west-1': ['eu-west-1a', 'eu-west-1b', 'eu-west-1c'] },
      };
      fake.state.references.managementClusters[0].releases = ['31.1.0'];
      const listed = mockContext({
        input: { request: paymentsRequest(), cidrPool: 'tgw-routed' },
        user: USERS.payments,
      });
      await action().handler(listed);
      const warnings = listed.output.mock.calls.find(
        ([name]) => name === 'warnings',
      )![1] as Array<{ path: string }>;
      const paths = warnings.map(w => w.path);
      expect(paths).not.toContain('spec.release');
      expect(paths).not.toContain('spec.network.availabilityZones');
    });

    it('accepts the shared transit gateway for a private API', async () => {
      const request = paymentsRequest({
        spec: {
          controlPlane: { apiMode: 'private' },
          network: {
            vpc: { mode: 'create' },
            availabilityZones: 3,
            topology: {
              mode: 'transitGateway',
              transitGatewayId: 'tgw-0123456789abcdef0',
            },
          },
        },
      });
      await action().handler(
        mockContext({
          input: { request, cidrPool: 'tgw-routed' },
          user: USERS.payments,
        }),
      );
      expect(fake.requests.map(r => r.path)).toContain(
        '/references?owner=group%3Adefault%2Fpayments',
      );
    });
  });
});
