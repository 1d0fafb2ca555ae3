import { NotAllowedError } from '@backstage/errors';
import { CheckpointStore } from '../__testUtils__/checkpointStore';
import { FakeFleetApi, startFakeFleetApi } from '../__testUtils__/fakeFleetApi';
import { fleetState, testServices, USERS } from '../__testUtils__/fixtures';
import { checkpointKeys, mockContext } from '../__testUtils__/mockContext';
import { createAllocateCidrAction } from './allocateCidr';

const REF = 'mc-eu-prod/org-payments/pay-new';
const input = {
  clusterRef: REF,
  owner: 'group:default/payments',
  accountId: '123456789012',
  pool: 'tgw-routed',
};

describe('clusterdeck:cidr:allocate', () => {
  let fake: FakeFleetApi;
  beforeEach(async () => {
    fake = await startFakeFleetApi(fleetState());
  });
  afterEach(() => fake.close());

  const action = () => createAllocateCidrAction(testServices(fake));
  const posts = () => fake.requests.filter(r => r.method === 'POST');

  it('reserves the next free block for the cluster, on behalf of the user, inside a checkpoint', async () => {
    const ctx = mockContext({ input, user: USERS.payments });
    await action().handler(ctx);
    expect(checkpointKeys(ctx)).toEqual(['reserve-vpc']);
    expect(fake.state.allocations).toEqual([
      expect.objectContaining({
        pool: 'tgw-routed',
        cidr: '10.2.0.0/16',
        cluster: REF,
        owner: 'group:default/payments',
      }),
    ]);
    expect(posts()).toEqual([
      expect.objectContaining({
        caller: USERS.payments,
        body: {
          pool: 'tgw-routed',
          owner: 'group:default/payments',
          cluster: REF,
        },
      }),
    ]);
    expect(ctx.output).toHaveBeenCalledWith('vpcCidr', '10.2.0.0/16');
    expect(ctx.output).toHaveBeenCalledWith('allocationIds', [
      fake.state.allocations[0].id,
    ]);
  });

  it('reserves a pod CIDR for ENI mode and cuts one pod subnet per zone', async () => {
    const ctx = mockContext({
      input: { ...input, podCidrPool: 'eni-pods', availabilityZones: 3 },
      user: USERS.payments,
    });
    await action().handler(ctx);
    expect(ctx.output).toHaveBeenCalledWith('podCidr', '100.64.0.0/16');
    expect(ctx.output).toHaveBeenCalledWith('podSubnetCidrs', [
      '100.64.0.0/18',
      '100.64.64.0/18',
      '100.64.128.0/18',
    ]);
    expect(fake.state.allocations.map(a => a.pool)).toEqual([
      'tgw-routed',
      'eni-pods',
    ]);
  });

  it('previews the blocks in a dry run and reserves nothing', async () => {
    const ctx = mockContext({
      input: { ...input, podCidrPool: 'eni-pods' },
      user: USERS.payments,
      isDryRun: true,
    });
    await action().handler(ctx);
    expect(ctx.output).toHaveBeenCalledWith('vpcCidr', '10.2.0.0/16');
    expect(ctx.output).toHaveBeenCalledWith('allocationIds', []);
    expect(posts()).toEqual([]);
    expect(ctx.checkpoint).not.toHaveBeenCalled();
  });

  it('reserves nothing twice when a retried task replays its checkpoints after a failure', async () => {
    const checkpoints = new CheckpointStore();
    // Attempt 1 fails at the VPC block, attempt 2 at the pod block, attempt 3 finishes.
    const run = () =>
      action().handler(
        mockContext({
          input: { ...input, podCidrPool: 'eni-pods' },
          user: USERS.payments,
          checkpoints,
        }),
      );
    fake.failNext(
      'POST',
      '/cidr-allocations',
      500,
      body => body.pool === 'tgw-routed',
    );
    await expect(run()).rejects.toThrow();
    fake.failNext(
      'POST',
      '/cidr-allocations',
      500,
      body => body.pool === 'eni-pods',
    );
    await expect(run()).rejects.toThrow();
    await run();
    expect(fake.state.allocations.map(a => a.pool)).toEqual([
      'tgw-routed',
      'eni-pods',
    ]);
    expect(posts().map(p => p.body.pool)).toEqual([
      'tgw-routed',
      'tgw-routed',
      'eni-pods',
      'eni-pods',
    ]); // each failed once
    await run();
    expect(fake.state.allocations).toHaveLength(2);
  });

  it('reserves again when a later step released the block, under a new checkpoint', async () => {
    const checkpoints = new CheckpointStore();
    const run = () =>
      action().handler(
        mockContext({ input, user: USERS.payments, checkpoints }),
      );
    await run();
    const first = fake.state.allocations[0];
    fake.state.allocations = []; // a failed render released it
    await run();
    expect(fake.state.allocations).toEqual([
      expect.objectContaining({ cluster: REF }),
    ]);
    expect(checkpoints.ran).toEqual([
      'reserve-vpc',
      `reserve-vpc-after-${first.id}`,
    ]);
  });

  it('reuses the reservation of a resubmitted request for the same cluster', async () => {
    await action().handler(mockContext({ input, user: USERS.payments }));
    await action().handler(mockContext({ input, user: USERS.payments }));
    expect(fake.state.allocations).toHaveLength(1);
  });

  it.each([
    ['a member of the owning group', USERS.payments],
    ['an admin acting for the group', USERS.admin],
  ])('lets %s reserve', async (_who, user) => {
    await expect(
      action().handler(mockContext({ input, user })),
    ).resolves.toBeUndefined();
  });

  it('refuses someone of another team, asking the fleet nothing', async () => {
    await expect(
      action().handler(mockContext({ input, user: USERS.web })),
    ).rejects.toThrow(NotAllowedError);
    expect(fake.requests).toEqual([]);
  });

  it('refuses an account that does not admit the owner', async () => {
    const outcome = action().handler(
      mockContext({
        input: {
          ...input,
          owner: 'group:default/web',
          accountId: '123456789012',
        },
        user: USERS.web,
      }),
    );
    await expect(outcome).rejects.toThrow(/does not admit group:default\/web/);
    expect(fake.state.allocations).toEqual([]);
  });
});
