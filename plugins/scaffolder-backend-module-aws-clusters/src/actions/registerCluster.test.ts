import { NotAllowedError } from '@backstage/errors';
import { CheckpointStore } from '../__testUtils__/checkpointStore';
import { FakeFleetApi, startFakeFleetApi } from '../__testUtils__/fakeFleetApi';
import {
  fleetState,
  paymentsRequest,
  testServices,
  USERS,
} from '../__testUtils__/fixtures';
import { checkpointKeys, mockContext } from '../__testUtils__/mockContext';
import { createRegisterClusterAction } from './registerCluster';

const REF = 'mc-eu-prod/org-payments/pay-new';

describe('clusterdeck:cluster:register', () => {
  let fake: FakeFleetApi;
  beforeEach(async () => {
    fake = await startFakeFleetApi(fleetState());
  });
  afterEach(() => fake.close());

  const action = () => createRegisterClusterAction(testServices(fake));
  const posts = () => fake.requests.filter(r => r.method === 'POST');

  it('records the request with the reserved CIDR, on behalf of the user, inside a checkpoint', async () => {
    const ctx = mockContext({
      input: { request: paymentsRequest(), vpcCidr: '10.2.0.0/16' },
      user: USERS.payments,
    });
    await action().handler(ctx);
    expect(checkpointKeys(ctx)).toEqual([`register-${REF}`]);
    expect(fake.state.requested).toEqual([
      expect.objectContaining({ ref: REF, owner: 'group:default/payments' }),
    ]);
    expect(fake.state.requested[0].request.spec.network.vpc.cidr).toBe(
      '10.2.0.0/16',
    );
    expect(posts()).toEqual([
      expect.objectContaining({
        caller: USERS.payments,
        path: '/cluster-requests',
      }),
    ]);
    expect(ctx.output).toHaveBeenCalledWith('clusterRef', REF);
    expect(ctx.output).toHaveBeenCalledWith(
      'catalogEntityRef',
      'resource:default/mc-eu-prod-pay-new',
    );
  });

  it('records nothing in a dry run, and says what it would record', async () => {
    const ctx = mockContext({
      input: { request: paymentsRequest(), vpcCidr: '10.2.0.0/16' },
      user: USERS.payments,
      isDryRun: true,
    });
    await action().handler(ctx);
    expect(posts()).toEqual([]);
    expect(ctx.output).toHaveBeenCalledWith('clusterRef', REF);
  });

  it('records once when a retried task replays its checkpoint', async () => {
    const checkpoints = new CheckpointStore();
    const run = () =>
      action().handler(
        mockContext({
          input: { request: paymentsRequest(), vpcCidr: '10.2.0.0/16' },
          user: USERS.payments,
          checkpoints,
        }),
      );
    await run();
    await run();
    expect(posts()).toHaveLength(1);
    expect(checkpoints.ran).toEqual([`register-${REF}`]);
  });

  it('refuses a user of another team, recording nothing', async () => {
    const ctx = mockContext({
      input: { request: paymentsRequest(), vpcCidr: '10.2.0.0/16' },
      user: USERS.web,
    });
    await expect(action().handler(ctx)).rejects.toThrow(NotAllowedError);
    expect(posts()).toEqual([]);
  });

  it('fails naming the field of an invalid request, recording nothing', async () => {
    const ctx = mockContext({
      input: { request: paymentsRequest({ spec: { region: 'mars-1' } }) },
      user: USERS.payments,
    });
    await expect(action().handler(ctx)).rejects.toThrow(/spec\.region/);
    expect(posts()).toEqual([]);
  });
});
