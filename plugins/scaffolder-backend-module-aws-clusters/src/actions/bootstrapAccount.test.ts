import { InputError, NotAllowedError } from '@backstage/errors';
import {
  findReferenceDir,
  ManifestValidator,
  referenceSkipReason,
} from '@clusterdeck/test-utils';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import yaml from 'yaml';
import { CheckpointStore } from '../__testUtils__/checkpointStore';
import {
  awsError,
  bootstrapSettings,
  FakeAws,
  noSleep,
  ORGANIZATION_ACCESS,
  policyFolder,
  testSessions,
} from '../__testUtils__/fakeAws';
import {
  MODULE_CONFIG,
  testAccessPolicy,
  testAudit,
  USERS,
} from '../__testUtils__/fixtures';
import { loggedInfo, mockContext } from '../__testUtils__/mockContext';
import { sleep, TaskCancelledError } from '../lib/cancellation';
import { decodePolicy } from '../lib/capaRole';
import { createBootstrapAccountAction } from './bootstrapAccount';
import { DRY_RUN_ACCOUNT_ID } from './createAccount';

const ACCOUNT = '555555555555';
const ROLE = 'giantswarm-mc-eu-prod-capa-controller';
const INPUT = {
  accountId: ACCOUNT,
  accountName: 'payments-staging',
  managementCluster: 'mc-eu-prod',
  owner: 'group:default/payments',
  environment: 'staging',
  accessModel: 'audited-no-access',
  email: 'aws+payments-staging@example.com',
  organizationalUnit: 'ou-ab12-payments1',
};

describe('clusterdeck:account:bootstrap', () => {
  let aws: FakeAws;
  let workspacePath: string;
  const policyDirectory = policyFolder();
  beforeEach(() => {
    aws = new FakeAws();
    workspacePath = fs.mkdtempSync(
      path.join(os.tmpdir(), 'clusterdeck-bootstrap-'),
    );
  });
  afterEach(() => aws.restore());

  const action = (
    options: {
      configured?: boolean;
      settings?: Record<string, unknown>;
      directory?: string;
    } = {},
  ) =>
    createBootstrapAccountAction({
      config: { organizations: { 'payments-eu': 'group:default/payments' } },
      settings: bootstrapSettings(
        options.directory ?? policyDirectory,
        options.settings,
      ),
      gitops: MODULE_CONFIG.gitops,
      organizationAccess:
        options.configured === false ? undefined : ORGANIZATION_ACCESS,
      sessions: options.configured === false ? undefined : testSessions(),
      access: testAccessPolicy(),
      audit: testAudit().audit,
      retry: noSleep,
    });
  const iamWrites = () =>
    aws.iam
      .calls()
      .filter(c => !/^(Get|List)/.test(c.args[0].constructor.name))
      .map(c => c.args[0].constructor.name.replace(/Command$/, ''));
  const run = (
    input: Record<string, unknown> = INPUT,
    extra: {
      checkpoints?: CheckpointStore;
      isDryRun?: boolean;
      user?: string;
    } = {},
  ) => {
    const ctx = mockContext({
      input,
      user: extra.user ?? USERS.admin,
      workspacePath,
      ...extra,
    });
    return action()
      .handler(ctx)
      .then(() => ctx);
  };
  const trust = () =>
    decodePolicy(aws.state.roles.get(ROLE)!.AssumeRolePolicyDocument)!;

  it("creates the role through the organization's access role, with the policies attached and the external id in its trust", async () => {
    const ctx = await run();

    expect(aws.calls('sts', 'AssumeRole')).toEqual([
      expect.objectContaining({
        RoleArn: `arn:aws:iam::${ACCOUNT}:role/OrganizationAccountAccessRole`,
        RoleSessionName: 'user-default-nora.lind',
      }),
    ]);
    const [statement, oidc] = trust().Statement;
    expect(statement.Principal).toEqual({
      AWS: 'arn:aws:iam::111122223333:role/mc-eu-prod-capa-controller',
    });
    const externalId = statement.Condition.StringEquals['sts:ExternalId'];
    expect(externalId).toMatch(/^[0-9a-f-]{36}$/);
    expect(oidc.Principal.Federated).toBe(
      `arn:aws:iam::${ACCOUNT}:oidc-provider/oidc.eks.eu-west-1.amazonaws.com/id/ABCDEF0123456789`,
    );
    expect(aws.state.roles.get(ROLE)!.Tags).toEqual(
      expect.arrayContaining([
        { Key: 'clusterdeck.io/owner', Value: 'group:default/payments' },
        { Key: 'installation', Value: 'mc-eu-prod' },
      ]),
    );

    // EKS on and BYO VPC off by default, resolver rules off: nine of the ten policies.
    const names = [...aws.state.policies.keys()];
    expect(names).toHaveLength(9);
    expect(names).toContain('giantswarm-mc-eu-prod-eks-controller-policy');
    expect(names).toContain('giantswarm-mc-eu-prod-capa-controller-vpc-policy');
    expect(names).not.toContain(
      'giantswarm-mc-eu-prod-resolver-rules-operator-policy',
    );
    expect([...aws.state.attached.get(ROLE)!].sort()).toEqual(
      [...aws.state.policies.keys()]
        .map(name => `arn:aws:iam::${ACCOUNT}:policy/${name}`)
        .sort(),
    );

    const identity = yaml.parse(
      fs.readFileSync(
        path.join(
          workspacePath,
          'management-clusters/mc-eu-prod/role-identities/payments-staging.yaml',
        ),
        'utf8',
      ),
    );
    expect(identity.spec).toMatchObject({
      roleARN: `arn:aws:iam::${ACCOUNT}:role/${ROLE}`,
      externalID: externalId,
      allowedNamespaces: { list: ['org-payments', 'org-payments-eu'] },
      sourceIdentityRef: {
        kind: 'AWSClusterControllerIdentity',
        name: 'default',
      },
    });
    const entity = yaml.parse(
      fs.readFileSync(
        path.join(workspacePath, 'accounts/payments-staging/catalog-info.yaml'),
        'utf8',
      ),
    );
    expect(entity).toMatchObject({
      kind: 'Resource',
      spec: { type: 'aws-account', owner: 'group:default/payments' },
    });
    expect(ctx.output).toHaveBeenCalledWith('externalId', externalId);
    expect(ctx.output).toHaveBeenCalledWith('files', [
      'management-clusters/mc-eu-prod/role-identities/payments-staging.yaml',
      'accounts/payments-staging/catalog-info.yaml',
    ]);
    expect(
      yaml.parse(ctx.output.mock.calls.find(([n]) => n === 'accountConfig')[1]),
    ).toEqual([
      expect.objectContaining({
        id: ACCOUNT,
        owners: ['group:default/payments'],
        environment: 'staging',
      }),
    ]);
  });

  it('trusts only the controller principal when the management cluster has no OIDC provider', async () => {
    await run({ ...INPUT, managementCluster: 'mc-eu-dev' });
    expect(
      decodePolicy(
        aws.state.roles.get('giantswarm-mc-eu-dev-capa-controller')!
          .AssumeRolePolicyDocument,
      )!.Statement,
    ).toHaveLength(1);
  });

  it('changes nothing on a second run, and keeps the external id of the existing role', async () => {
    await run();
    const externalId =
      trust().Statement[0].Condition.StringEquals['sts:ExternalId'];
    const before = iamWrites().length;
    const ctx = await run();
    expect(iamWrites().length).toBe(before);
    expect(ctx.output).toHaveBeenCalledWith('externalId', externalId);
    expect(
      ctx.output.mock.calls
        .find(([n]) => n === 'changes')[1]
        .every((c: string) => c.startsWith('unchanged')),
    ).toBe(true);
  });

  it('brings a drifted role up to date: trust, tags, a new policy version (making room among five) and a missing attachment', async () => {
    await run({ ...INPUT, externalId: 'payments-staging-mc-eu-prod' });
    const role = aws.state.roles.get(ROLE)!;
    role.AssumeRolePolicyDocument = encodeURIComponent(
      JSON.stringify({
        Version: '2012-10-17',
        Statement: [
          {
            Effect: 'Allow',
            Principal: { AWS: '*' },
            Action: 'sts:AssumeRole',
          },
        ],
      }),
    );
    role.Tags = role.Tags.filter(t => t.Key !== 'clusterdeck.io/owner');
    const arn = `arn:aws:iam::${ACCOUNT}:policy/giantswarm-mc-eu-prod-dns-controller-policy`;
    const policy = aws.state.policies.get(arn.split('/').pop()!)!;
    policy.versions[0].CreateDate = new Date(2025, 0, 1);
    for (let v = 2; v <= 5; v++) {
      for (const version of policy.versions) version.IsDefaultVersion = false;
      policy.versions.push({
        VersionId: `v${v}`,
        Document: encodeURIComponent('{"Version":"2012-10-17","Statement":[]}'),
        IsDefaultVersion: true,
        CreateDate: new Date(2026, 0, v),
      });
    }
    policy.next = 6;
    aws.state.attached.get(ROLE)!.delete(arn);
    aws.iam.resetHistory();

    const ctx = await run({
      ...INPUT,
      externalId: 'payments-staging-mc-eu-prod',
    });
    expect(iamWrites().sort()).toEqual([
      'AttachRolePolicy',
      'CreatePolicyVersion',
      'DeletePolicyVersion',
      'TagRole',
      'UpdateAssumeRolePolicy',
    ]);
    expect(trust().Statement[0].Condition.StringEquals['sts:ExternalId']).toBe(
      'payments-staging-mc-eu-prod',
    );
    expect(policy.versions.map(v => v.VersionId)).toEqual([
      'v2',
      'v3',
      'v4',
      'v5',
      'v6',
    ]);
    expect(
      decodePolicy(policy.versions.find(v => v.IsDefaultVersion)!.Document)!
        .Statement,
    ).toHaveLength(1);
    expect(ctx.output.mock.calls.find(([n]) => n === 'changes')[1]).toEqual(
      expect.arrayContaining([
        `updated: ${arn}`,
        `attached: ${arn} → ${ROLE}`,
        `updated: arn:aws:iam::${ACCOUNT}:role/${ROLE} (trust policy)`,
      ]),
    );
  });

  it('takes EntityAlreadyExists from a concurrent creation as the entity being there, and waits out throttling', async () => {
    aws.failNext('CreateRole', () => {
      aws.state.roles.set(ROLE, {
        AssumeRolePolicyDocument: encodeURIComponent('{"Statement":[]}'),
        Tags: [],
      });
      return awsError('EntityAlreadyExists');
    });
    aws.failNext(
      'CreatePolicy',
      awsError('Throttling'),
      awsError('Throttling'),
    );
    await run({ ...INPUT, externalId: 'payments-staging-mc-eu-prod' });
    expect(aws.calls('iam', 'CreateRole')).toHaveLength(1);
    expect(aws.calls('iam', 'UpdateAssumeRolePolicy')).toHaveLength(1);
    expect(aws.state.policies.size).toBe(9);
  });

  /** Runs an action as the admin with the task's signal; the error it failed with. */
  const runCancellable = (
    act: ReturnType<typeof action>,
    signal: AbortSignal,
  ) =>
    act
      .handler(
        mockContext({ input: INPUT, user: USERS.admin, workspacePath, signal }),
      )
      .catch(e => e);

  it('stops at once when the task is cancelled while a throttled IAM request waits to be retried, saying what was done, and sends no further request', async () => {
    const controller = new AbortController();
    // IAM keeps throttling the first policy; the task is cancelled during the first backoff.
    aws.failNext(
      'CreatePolicy',
      ...Array.from({ length: 5 }, () => awsError('Throttling')),
    );
    let callsAtCancel = -1;
    const cancellable = createBootstrapAccountAction({
      config: { organizations: { 'payments-eu': 'group:default/payments' } },
      settings: bootstrapSettings(policyDirectory),
      gitops: MODULE_CONFIG.gitops,
      organizationAccess: ORGANIZATION_ACCESS,
      sessions: testSessions(),
      access: testAccessPolicy(),
      audit: testAudit().audit,
      retry: {
        // Real waits, as long as production's first backoff at the least.
        baseDelayMs: 60_000,
        sleep: (ms, signal) => {
          callsAtCancel = aws.iam.calls().length;
          controller.abort();
          return sleep(ms, signal);
        },
      },
    });
    const started = Date.now();
    const error = await runCancellable(cancellable, controller.signal);
    expect(Date.now() - started).toBeLessThan(5_000);
    expect(error).toBeInstanceOf(TaskCancelledError);
    expect(error.message).toBe(
      `The task was cancelled while waiting to retry a throttled IAM request in account ${ACCOUNT}; ` +
        `done so far: created arn:aws:iam::${ACCOUNT}:role/${ROLE}; a retried task goes on from there`,
    );
    expect(aws.calls('iam', 'CreatePolicy')).toHaveLength(1);
    expect(aws.iam.calls()).toHaveLength(callsAtCancel);
    expect(aws.calls('iam', 'AttachRolePolicy')).toEqual([]);
    expect(fs.readdirSync(workspacePath)).toEqual([]);
  });

  it('sends no IAM request once the task was cancelled, saying nothing was changed', async () => {
    const controller = new AbortController();
    controller.abort();
    const error = await runCancellable(action(), controller.signal);
    expect(error).toBeInstanceOf(TaskCancelledError);
    expect(error.message).toBe(
      `The task was cancelled before the next IAM request in account ${ACCOUNT}; nothing was changed yet; a retried task goes on from there`,
    );
    expect(aws.calls('iam')).toEqual([]);
  });

  it('a task retried after a failure at each step creates every role and policy once', async () => {
    const checkpoints = new CheckpointStore();
    const attempt = () => run(INPUT, { checkpoints });
    aws.failNext(
      'CreatePolicy',
      awsError('AccessDenied', 'not allowed: CreatePolicy'),
    );
    await expect(attempt()).rejects.toThrow('CreatePolicy');
    aws.failNext(
      'AttachRolePolicy',
      awsError('AccessDenied', 'not allowed: AttachRolePolicy'),
    );
    await expect(attempt()).rejects.toThrow('AttachRolePolicy');
    const ctx = await attempt();
    expect(aws.calls('iam', 'CreateRole')).toHaveLength(1);
    // Nine creations and the one refused; none repeated.
    expect(aws.calls('iam', 'CreatePolicy')).toHaveLength(10);
    expect(aws.calls('iam', 'AttachRolePolicy')).toHaveLength(10);
    expect(aws.state.policies.size).toBe(9);
    expect(aws.state.attached.get(ROLE)!.size).toBe(9);
    // One external id for the whole task, the one in the role's trust.
    expect(ctx.output).toHaveBeenCalledWith(
      'externalId',
      trust().Statement[0].Condition.StringEquals['sts:ExternalId'],
    );
  });

  it('shows in a dry run the role, its trust and its policies, writes the files and calls AWS not at all', async () => {
    const ctx = await run(
      { ...INPUT, accountId: DRY_RUN_ACCOUNT_ID },
      { isDryRun: true },
    );
    expect(aws.calls('sts')).toEqual([]);
    expect(aws.calls('iam')).toEqual([]);
    const log = loggedInfo(ctx);
    expect(log).toMatch(
      /would create or bring up to date in account new-account/,
    );
    expect(log).toMatch(
      /policy giantswarm-mc-eu-prod-capa-controller-policy from capa-controller-policy\.json/,
    );
    expect(
      fs.existsSync(
        path.join(
          workspacePath,
          'management-clusters/mc-eu-prod/role-identities/payments-staging.yaml',
        ),
      ),
    ).toBe(true);
  });

  it('refuses real runs without organization access, naming the setting', async () => {
    const ctx = mockContext({ input: INPUT, user: USERS.admin, workspacePath });
    await expect(action({ configured: false }).handler(ctx)).rejects.toThrow(
      /clusterdeck\.organizationAccess is not configured/,
    );
    expect(aws.calls('iam')).toEqual([]);
  });

  it.each([
    ['a member of the owning team', USERS.payments],
    ['a member of another team', USERS.web],
  ])(
    'refuses %s, calling AWS not at all and writing nothing',
    async (_who, user) => {
      await expect(run(INPUT, { user })).rejects.toThrow(NotAllowedError);
      expect(aws.calls('sts')).toEqual([]);
      expect(fs.readdirSync(workspacePath)).toEqual([]);
    },
  );

  it('refuses an owner of no organization, whose identity could admit no namespace, calling AWS not at all', async () => {
    const error = await run({ ...INPUT, owner: 'group:teamx/payments' }).catch(
      e => e,
    );
    expect(error).toBeInstanceOf(InputError);
    expect(error.message).toBe(
      'owner: group:teamx/payments has no organization: clusterdeck.organizations maps none to it, and only a group of the default namespace owns the organization of its name',
    );
    expect(aws.calls('sts')).toEqual([]);
    expect(aws.calls('iam')).toEqual([]);
    expect(fs.readdirSync(workspacePath)).toEqual([]);
  });

  it('fails naming every bad field, and an unknown management cluster', async () => {
    const error = await run({
      ...INPUT,
      accountId: '12345',
      environment: 'prod',
      owner: 'payments',
    }).catch(e => e);
    expect(error).toBeInstanceOf(InputError);
    expect(error.message).toMatch(/^accountId: must be exactly 12 digits/m);
    expect(error.message).toMatch(/^environment: /m);
    expect(error.message).toMatch(/^owner: /m);
    await expect(run({ ...INPUT, managementCluster: 'mc-us' })).rejects.toThrow(
      /^managementCluster: mc-us has no entry/,
    );
    expect(aws.calls('sts')).toEqual([]);
  });

  it('names the setting when the policy folder has no trust template', async () => {
    const empty = fs.mkdtempSync(path.join(os.tmpdir(), 'clusterdeck-empty-'));
    const ctx = mockContext({ input: INPUT, user: USERS.admin, workspacePath });
    await expect(action({ directory: empty }).handler(ctx)).rejects.toThrow(
      /clusterdeck\.accountBootstrap\.policyDirectory: .* holds no trusted-entities\.json/,
    );
  });

  const referenceDir = findReferenceDir();
  (referenceDir ? describe : describe.skip)(
    `with the upstream policies${
      referenceDir ? '' : ` (skipped: ${referenceSkipReason})`
    }`,
    () => {
      it('renders an AWSClusterRoleIdentity the CRD accepts', async () => {
        const dir = path.join(
          referenceDir!,
          'iam',
          'giantswarm-capa-controller-role',
        );
        const ctx = mockContext({
          input: INPUT,
          user: USERS.admin,
          workspacePath,
        });
        await action({
          directory: dir,
          settings: {
            features: { eks: true, byovpc: true, resolverRules: true },
          },
        }).handler(ctx);
        const names = [...aws.state.policies.keys()];
        expect(names).toContain(
          'giantswarm-mc-eu-prod-resolver-rules-operator-policy',
        );
        expect(names).not.toContain(
          'giantswarm-mc-eu-prod-capa-controller-vpc-policy',
        );
        // Every managed policy fits IAM's limit of 6,144 characters as sent.
        for (const call of aws.calls('iam', 'CreatePolicy'))
          expect(call.PolicyDocument.length).toBeLessThanOrEqual(6144);
        const identity = yaml.parse(
          fs.readFileSync(
            path.join(
              workspacePath,
              'management-clusters/mc-eu-prod/role-identities/payments-staging.yaml',
            ),
            'utf8',
          ),
        );
        expect(
          ManifestValidator.fromDirectory(referenceDir!).validateAll([
            identity,
          ]),
        ).toEqual([]);
      });
    },
  );
});
