import { InputError, NotAllowedError } from '@backstage/errors';
import { CheckpointStore } from '../__testUtils__/checkpointStore';
import {
  awsError,
  FakeAws,
  noSleep,
  ORGANIZATION_ACCESS,
  testSessions,
} from '../__testUtils__/fakeAws';
import { testAccessPolicy, testAudit, USERS } from '../__testUtils__/fixtures';
import {
  checkpointKeys,
  loggedInfo,
  mockContext,
} from '../__testUtils__/mockContext';
import { createCreateAccountAction, DRY_RUN_ACCOUNT_ID } from './createAccount';

const INPUT = {
  name: 'payments-staging',
  email: 'aws+payments-staging@example.com',
  organizationalUnit: 'ou-ab12-payments1',
  environment: 'staging',
  owner: 'group:default/payments',
  accessModel: 'audited-no-access',
};

describe('clusterdeck:account:create', () => {
  let aws: FakeAws;
  beforeEach(() => {
    aws = new FakeAws();
    noSleep.sleeps.length = 0;
  });
  afterEach(() => aws.restore());

  const action = (configured = true) =>
    createCreateAccountAction({
      organizationAccess: configured ? ORGANIZATION_ACCESS : undefined,
      sessions: configured ? testSessions() : undefined,
      access: testAccessPolicy(),
      audit: testAudit().audit,
      retry: noSleep,
    });
  const writes = () => [
    ...aws.calls('organizations', 'CreateAccount'),
    ...aws.calls('organizations', 'MoveAccount'),
  ];

  it('creates the account in a checkpoint, polls until it exists and moves it into the unit', async () => {
    const ctx = mockContext({
      input: INPUT,
      user: USERS.admin,
      checkpoints: new CheckpointStore(),
    });
    await action().handler(ctx);

    const [create] = aws.calls('organizations', 'CreateAccount');
    expect(create).toMatchObject({
      Email: INPUT.email,
      AccountName: INPUT.name,
      RoleName: 'OrganizationAccountAccessRole',
      IamUserAccessToBilling: 'DENY',
    });
    expect(create.Tags).toEqual(
      expect.arrayContaining([
        { Key: 'clusterdeck.io/owner', Value: 'group:default/payments' },
        { Key: 'clusterdeck.io/requested-by', Value: USERS.admin },
      ]),
    );
    expect(
      aws.calls('organizations', 'DescribeCreateAccountStatus'),
    ).toHaveLength(2);
    expect(aws.calls('organizations', 'MoveAccount')).toEqual([
      {
        AccountId: '555555555555',
        SourceParentId: 'r-ab12',
        DestinationParentId: 'ou-ab12-payments1',
      },
    ]);
    expect(checkpointKeys(ctx)).toEqual([
      `organizations-create-account:${INPUT.email}`,
      'organizations-move-account:555555555555:ou-ab12-payments1',
    ]);
    expect(ctx.output).toHaveBeenCalledWith('accountId', '555555555555');
    expect(ctx.output).toHaveBeenCalledWith('created', true);
    expect(aws.org.accounts).toEqual([
      expect.objectContaining({
        Email: INPUT.email,
        parent: 'ou-ab12-payments1',
      }),
    ]);
  });

  it('reuses the account with that e-mail, whatever its case, and creates nothing', async () => {
    aws.org.accounts.push({
      Id: '444455556666',
      Name: 'payments-staging',
      Email: 'AWS+Payments-Staging@example.com',
      State: 'ACTIVE',
      parent: 'ou-ab12-payments1',
    });
    const ctx = mockContext({ input: INPUT, user: USERS.admin });
    await action().handler(ctx);
    expect(writes()).toEqual([]);
    expect(ctx.output).toHaveBeenCalledWith('accountId', '444455556666');
    expect(ctx.output).toHaveBeenCalledWith('created', false);
  });

  it('refuses to reuse a suspended account, naming the e-mail', async () => {
    aws.org.accounts.push({
      Id: '444455556666',
      Name: 'old',
      Email: INPUT.email,
      State: 'SUSPENDED',
      parent: 'r-ab12',
    });
    await expect(
      action().handler(mockContext({ input: INPUT, user: USERS.admin })),
    ).rejects.toThrow(/^email: .*SUSPENDED/);
    expect(writes()).toEqual([]);
  });

  it('waits out throttling and creates the account once', async () => {
    aws.failNext(
      'CreateAccount',
      awsError('TooManyRequestsException'),
      awsError('TooManyRequestsException'),
    );
    aws.failNext(
      'DescribeCreateAccountStatus',
      awsError('TooManyRequestsException'),
    );
    await action().handler(mockContext({ input: INPUT, user: USERS.admin }));
    expect(aws.org.requests.size).toBe(1);
    expect(aws.org.accounts).toHaveLength(1);
    expect(noSleep.sleeps.length).toBeGreaterThanOrEqual(3);
  });

  it('treats DuplicateAccountException from the move as the account being in place', async () => {
    aws.failNext('MoveAccount', awsError('DuplicateAccountException'));
    const ctx = mockContext({ input: INPUT, user: USERS.admin });
    await action().handler(ctx);
    expect(ctx.output).toHaveBeenCalledWith('accountId', '555555555555');
  });

  it('looks the account up when CreateAccount answers DuplicateAccountException', async () => {
    // Another task created it between this task's lookup and its creation request.
    aws.failNext('CreateAccount', () => {
      aws.org.accounts.push({
        Id: '444455556666',
        Name: 'payments-staging',
        Email: INPUT.email,
        State: 'ACTIVE',
        parent: 'r-ab12',
      });
      return awsError('DuplicateAccountException');
    });
    const ctx = mockContext({ input: INPUT, user: USERS.admin });
    await action().handler(ctx);
    expect(ctx.output).toHaveBeenCalledWith('accountId', '444455556666');
    expect(aws.org.requests.size).toBe(0);
  });

  it('fails with the reason when the creation fails asynchronously, moving nothing', async () => {
    aws.creationOutcome = {
      outcome: 'FAILED',
      failureReason: 'ACCOUNT_LIMIT_EXCEEDED',
    };
    await expect(
      action().handler(mockContext({ input: INPUT, user: USERS.admin })),
    ).rejects.toThrow(
      /could not create account payments-staging: ACCOUNT_LIMIT_EXCEEDED/,
    );
    expect(aws.calls('organizations', 'MoveAccount')).toEqual([]);
  });

  it('fails naming the e-mail when it belongs to an account outside the organization', async () => {
    aws.creationOutcome = {
      outcome: 'FAILED',
      failureReason: 'EMAIL_ALREADY_EXISTS',
    };
    const error = await action()
      .handler(mockContext({ input: INPUT, user: USERS.admin }))
      .catch(e => e);
    expect(error).toBeInstanceOf(InputError);
    expect(error.message).toMatch(/^email: .* outside this organization/);
  });

  it('a task retried after a failure at each step creates the account once', async () => {
    const checkpoints = new CheckpointStore();
    const run = () =>
      action().handler(
        mockContext({ input: INPUT, user: USERS.admin, checkpoints }),
      );
    aws.failNext(
      'DescribeCreateAccountStatus',
      awsError('AccessDeniedException'),
    );
    await expect(run()).rejects.toThrow('AccessDeniedException');
    aws.failNext('MoveAccount', awsError('ServiceException', 'internal error'));
    await expect(run()).rejects.toThrow('internal error');
    await run();
    expect(aws.calls('organizations', 'CreateAccount')).toHaveLength(1);
    expect(aws.org.accounts).toEqual([
      expect.objectContaining({ parent: 'ou-ab12-payments1' }),
    ]);
    await run();
    expect(aws.calls('organizations', 'CreateAccount')).toHaveLength(1);
  });

  it('shows in a dry run what it would do, writing nothing', async () => {
    const ctx = mockContext({
      input: INPUT,
      user: USERS.admin,
      isDryRun: true,
    });
    await action().handler(ctx);
    expect(writes()).toEqual([]);
    expect(ctx.output).toHaveBeenCalledWith('accountId', DRY_RUN_ACCOUNT_ID);
    expect(loggedInfo(ctx)).toMatch(
      /would create account payments-staging <aws\+payments-staging@example.com>/,
    );
  });

  it('does dry runs without organization access, and refuses real runs naming the setting', async () => {
    const dry = mockContext({
      input: INPUT,
      user: USERS.admin,
      isDryRun: true,
    });
    await action(false).handler(dry);
    expect(dry.output).toHaveBeenCalledWith('accountId', DRY_RUN_ACCOUNT_ID);
    await expect(
      action(false).handler(mockContext({ input: INPUT, user: USERS.admin })),
    ).rejects.toThrow(/clusterdeck\.organizationAccess is not configured/);
    expect(aws.calls('organizations')).toEqual([]);
  });

  it.each([
    ['a member of the owning team', USERS.payments],
    ['a member of another team', USERS.web],
  ])('refuses %s, asking AWS nothing', async (_who, user) => {
    await expect(
      action().handler(mockContext({ input: INPUT, user })),
    ).rejects.toThrow(NotAllowedError);
    expect(aws.calls('organizations')).toEqual([]);
  });

  it('fails naming every bad field before asking AWS anything', async () => {
    const ctx = mockContext({
      input: {
        ...INPUT,
        email: 'not-an-address',
        organizationalUnit: 'payments',
        environment: 'prod',
      },
      user: USERS.admin,
    });
    const error = await action()
      .handler(ctx)
      .catch(e => e);
    expect(error).toBeInstanceOf(InputError);
    expect(error.message).toMatch(/^email: /m);
    expect(error.message).toMatch(/^organizationalUnit: /m);
    expect(error.message).toMatch(/^environment: /m);
    expect(aws.calls('organizations')).toEqual([]);
  });

  it('fails naming the unit when it does not exist, creating nothing', async () => {
    const ctx = mockContext({
      input: { ...INPUT, organizationalUnit: 'ou-ab12-unknown99' },
      user: USERS.admin,
    });
    await expect(action().handler(ctx)).rejects.toThrow(
      /^organizationalUnit: ou-ab12-unknown99 is not an organizational unit/,
    );
    expect(writes()).toEqual([]);
  });

  it('stops polling the creation as soon as the task is cancelled, saying so and where the creation stood', async () => {
    aws.pollsToFinish = 1000;
    const controller = new AbortController();
    // Real waits between polls, as in production: half a minute each.
    const slow = createCreateAccountAction({
      organizationAccess: { ...ORGANIZATION_ACCESS, pollIntervalSeconds: 30 },
      sessions: testSessions(),
      access: testAccessPolicy(),
      audit: testAudit().audit,
    });
    const started = Date.now();
    const outcome = slow
      .handler(
        mockContext({
          input: INPUT,
          user: USERS.admin,
          signal: controller.signal,
        }),
      )
      .catch(e => e);
    while (aws.calls('organizations', 'DescribeCreateAccountStatus').length < 1)
      await new Promise(resolve => setTimeout(resolve, 5));
    controller.abort();
    const error = await outcome;
    expect(Date.now() - started).toBeLessThan(5_000);
    expect(error.message).toMatch(
      /^The task was cancelled while waiting for the account creation car-1 \(IN_PROGRESS\)/,
    );
    expect(error.message).toMatch(/retry the task/);
    expect(aws.calls('organizations', 'MoveAccount')).toEqual([]);
  });

  it('records the creation, and a refusal, as high-severity audit events', async () => {
    const { audit, events } = testAudit();
    const audited = createCreateAccountAction({
      organizationAccess: ORGANIZATION_ACCESS,
      sessions: testSessions(),
      access: testAccessPolicy(),
      audit,
      retry: noSleep,
    });
    await audited.handler(mockContext({ input: INPUT, user: USERS.admin }));
    await expect(
      audited.handler(mockContext({ input: INPUT, user: USERS.payments })),
    ).rejects.toThrow(/aws-clusters\.account\.create/);
    expect(events).toEqual([
      expect.objectContaining({
        eventId: 'account-create',
        severityLevel: 'high',
        outcome: 'succeeded',
        finalMeta: expect.objectContaining({
          initiator: USERS.admin,
          owner: 'group:default/payments',
          refs: expect.objectContaining({ accountId: '555555555555' }),
        }),
      }),
      expect.objectContaining({
        eventId: 'account-create',
        outcome: 'failed',
        finalMeta: expect.objectContaining({ initiator: USERS.payments }),
      }),
    ]);
  });
});
