import { OrganizationsClient } from '@aws-sdk/client-organizations';
import { FakeAws } from '../__testUtils__/fakeAws';
import { OrganizationAccounts } from './awsAccounts';

describe('OrganizationAccounts.waitForCreation', () => {
  let aws: FakeAws;
  beforeEach(() => {
    aws = new FakeAws();
  });
  afterEach(() => aws.restore());

  /** A clock that moves only when the poller sleeps. */
  function clock() {
    let now = 0;
    const sleeps: number[] = [];
    return {
      sleeps,
      now: () => now,
      sleep: async (ms: number) => {
        sleeps.push(ms);
        now += ms;
      },
    };
  }

  it('waits half as long again after each poll, at most 30 seconds', async () => {
    const c = clock();
    aws.pollsToFinish = 12;
    const accounts = new OrganizationAccounts(
      new OrganizationsClient({}),
      {
        pollIntervalSeconds: 5,
        creationTimeoutMinutes: 15,
        accessRoleName: 'OrganizationAccountAccessRole',
      },
      { sleep: c.sleep },
    );
    const id = await accounts.startCreation({
      email: 'a@example.com',
      name: 'a',
      tags: [],
    });
    const status = await accounts.waitForCreation(id, { now: c.now });
    expect(status).toEqual({
      state: 'SUCCEEDED',
      accountId: '555555555555',
      failureReason: undefined,
    });
    expect(c.sleeps.slice(0, 4)).toEqual([5000, 7500, 11250, 16875]);
    expect(c.sleeps).toHaveLength(11);
    expect(Math.max(...c.sleeps)).toBe(30_000);
  });

  it('gives up after the creation timeout, saying that a retry goes on waiting', async () => {
    const c = clock();
    aws.pollsToFinish = 1_000;
    const accounts = new OrganizationAccounts(
      new OrganizationsClient({}),
      {
        pollIntervalSeconds: 5,
        creationTimeoutMinutes: 2,
        accessRoleName: 'OrganizationAccountAccessRole',
      },
      { sleep: c.sleep },
    );
    const id = await accounts.startCreation({
      email: 'a@example.com',
      name: 'a',
      tags: [],
    });
    await expect(accounts.waitForCreation(id, { now: c.now })).rejects.toThrow(
      /still IN_PROGRESS after 2 minutes; retry the task/,
    );
    expect(c.now()).toBeLessThanOrEqual(120_000);
    expect(aws.org.accounts).toEqual([]);
  });
});
