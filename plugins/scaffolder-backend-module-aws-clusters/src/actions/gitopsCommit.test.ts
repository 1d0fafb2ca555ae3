import { InputError, NotAllowedError } from '@backstage/errors';
import fs from 'node:fs';
import path from 'node:path';
import { CheckpointStore } from '../__testUtils__/checkpointStore';
import { FakeFleetApi, startFakeFleetApi } from '../__testUtils__/fakeFleetApi';
import {
  fleetState,
  MODULE_CONFIG,
  testAccessPolicy,
  testServices,
  USERS,
} from '../__testUtils__/fixtures';
import { createGitRepo, gitIn } from '../__testUtils__/gitRepo';
import { checkpointKeys, mockContext } from '../__testUtils__/mockContext';
import { changeBranch } from '../lib/changeBranch';
import { createGitopsCommitAction } from './gitopsCommit';

const CLUSTER_DIR =
  'management-clusters/mc-eu-prod/organizations/payments/workload-clusters/pay-new';
const WEB_DIR =
  'management-clusters/mc-eu-prod/organizations/web/workload-clusters/web-dev';
const PAY_OLD_DIR =
  'management-clusters/mc-eu-prod/organizations/payments/workload-clusters/pay-old';
const BRANCH = 'clusterdeck/payments/pay-new/request';
const WEB_BRANCH = 'clusterdeck/web/web-dev/change-node-pool-def00';

// Each test runs several git processes against a real repository: on a busy machine they take
// longer than Jest's default five seconds.
jest.setTimeout(30_000);

describe('clusterdeck:gitops:commit', () => {
  let fake: FakeFleetApi;
  let repo: ReturnType<typeof createGitRepo>;
  let events: ReturnType<typeof testServices>['events'];
  beforeEach(async () => {
    fake = await startFakeFleetApi(fleetState());
    repo = createGitRepo({
      'management-clusters/mc-eu-prod/organizations/payments/.keep': '',
      [`${WEB_DIR}/cluster.yaml`]: 'kind: Cluster\n',
      [`${PAY_OLD_DIR}/cluster.yaml`]: 'kind: Cluster\n',
    });
    gitIn(repo.dir, 'branch', WEB_BRANCH);
  });
  afterEach(async () => {
    repo.remove();
    await fake.close();
  });

  const action = (access = testServices(fake).access) => {
    const services = testServices(fake);
    events = services.events;
    return createGitopsCommitAction({
      config: services.config,
      gitops: { ...MODULE_CONFIG.gitops, localRepository: repo.dir },
      fleet: services.fleet,
      access,
      audit: services.audit,
    });
  };
  const input = {
    owner: 'group:default/payments',
    cluster: 'pay-new',
    change: 'request',
    commitMessage: 'Request cluster pay-new\n\nBy the payments team.',
  };
  /** A context whose workspace holds `files` (by default the cluster's manifests in its folder). */
  const context = (
    over: Partial<Parameters<typeof mockContext>[0]> = {},
    files: Record<string, string> = {
      [`${CLUSTER_DIR}/cluster.yaml`]: 'kind: Cluster\n',
    },
  ) => {
    const ctx = mockContext({ input, user: USERS.payments, ...over });
    for (const [file, content] of Object.entries(files)) {
      fs.mkdirSync(path.dirname(path.join(ctx.workspacePath, file)), {
        recursive: true,
      });
      fs.writeFileSync(path.join(ctx.workspacePath, file), content);
    }
    return ctx;
  };
  /** Every ref with its commit, and the working tree's state: what "nothing written" compares. */
  const repoState = () => ({
    refs: gitIn(repo.dir, 'for-each-ref', '--format=%(refname) %(objectname)'),
    status: gitIn(repo.dir, 'status', '--porcelain', '--untracked-files=all'),
  });

  it('commits the workspace onto the branch derived from owner, cluster and change, leaving the working tree and main alone', async () => {
    const main = gitIn(repo.dir, 'rev-parse', 'main');
    const ctx = context();
    await action().handler(ctx);
    expect(checkpointKeys(ctx)).toEqual([`commit-${BRANCH}`]);
    expect(ctx.output).toHaveBeenCalledWith('branch', BRANCH);
    expect(ctx.output).toHaveBeenCalledWith('baseBranch', 'main');
    expect(gitIn(repo.dir, 'rev-parse', 'main')).toBe(main);
    expect(gitIn(repo.dir, 'branch', '--show-current')).toBe('main');
    expect(fs.existsSync(path.join(repo.dir, CLUSTER_DIR))).toBe(false);
    expect(
      gitIn(repo.dir, 'show', `${BRANCH}:${CLUSTER_DIR}/cluster.yaml`),
    ).toBe('kind: Cluster');
    expect(gitIn(repo.dir, 'log', '-1', '--format=%s|%an', BRANCH)).toBe(
      'Request cluster pay-new|Clusterdeck',
    );
    expect(gitIn(repo.dir, 'rev-parse', `${BRANCH}^`)).toBe(main);
    expect(ctx.output).toHaveBeenCalledWith('changedFiles', [
      `${CLUSTER_DIR}/cluster.yaml`,
    ]);
    expect(ctx.output).toHaveBeenCalledWith(
      'commitHash',
      gitIn(repo.dir, 'rev-parse', BRANCH),
    );
    expect(events).toEqual([
      expect.objectContaining({
        eventId: 'gitops-commit',
        severityLevel: 'medium',
        outcome: 'succeeded',
        finalMeta: expect.objectContaining({
          actionId: 'clusterdeck:gitops:commit',
          initiator: USERS.payments,
          owner: 'group:default/payments',
          refs: expect.objectContaining({
            cluster: 'pay-new',
            change: 'request',
            branch: BRANCH,
            commitHash: gitIn(repo.dir, 'rev-parse', BRANCH),
          }),
          dryRun: false,
        }),
      }),
    ]);
  });

  it('commits once, whether the task is retried with its checkpoints or the request is made again', async () => {
    const checkpoints = new CheckpointStore();
    await action().handler(context({ checkpoints }));
    const head = gitIn(repo.dir, 'rev-parse', BRANCH);
    await action().handler(context({ checkpoints }));
    await action().handler(context());
    expect(gitIn(repo.dir, 'rev-parse', BRANCH)).toBe(head);
    expect(gitIn(repo.dir, 'rev-list', '--count', BRANCH)).toBe('2');
  });

  it('shows what it would commit in a dry run and creates no branch', async () => {
    const before = repoState();
    const ctx = context({ isDryRun: true });
    await action().handler(ctx);
    expect(ctx.output).toHaveBeenCalledWith('changedFiles', [
      `${CLUSTER_DIR}/cluster.yaml`,
    ]);
    expect(repoState()).toEqual(before);
    expect(events).toEqual([
      expect.objectContaining({
        outcome: 'succeeded',
        finalMeta: expect.objectContaining({ dryRun: true }),
      }),
    ]);
  });

  it("refuses a change for another team, writing nothing and touching neither that team's branch nor folder", async () => {
    const before = repoState();
    const ctx = context(
      {
        user: USERS.payments,
        input: {
          ...input,
          owner: 'group:default/web',
          cluster: 'web-dev',
          change: 'change-node-pool-def00',
        },
      },
      { [`${WEB_DIR}/cluster.yaml`]: 'kind: Cluster\nhacked: true\n' },
    );
    await expect(action().handler(ctx)).rejects.toThrow(NotAllowedError);
    expect(repoState()).toEqual(before);
    expect(events).toEqual([
      expect.objectContaining({
        eventId: 'gitops-commit',
        outcome: 'failed',
        finalMeta: expect.objectContaining({ owner: 'group:default/web' }),
      }),
    ]);
  });

  it("refuses a group of another namespace named like the owner the owner's folders, writing nothing", async () => {
    // No mapping in clusterdeck.organizations: organizations come from the groups' names alone.
    const unmapped = () => {
      const services = testServices(fake);
      return createGitopsCommitAction({
        config: { ...services.config, organizations: {} },
        gitops: { ...MODULE_CONFIG.gitops, localRepository: repo.dir },
        fleet: services.fleet,
        access: services.access,
        audit: services.audit,
      });
    };
    const before = repoState();
    const error = await unmapped()
      .handler(
        context({
          user: USERS.teamxPayments,
          input: { ...input, owner: 'group:teamx/payments' },
        }),
      )
      .catch(e => e);
    expect(error).toBeInstanceOf(InputError);
    expect(error.message).toBe(
      `sourcePath: ${CLUSTER_DIR}/cluster.yaml lies outside the folders this change may write (none); nothing was committed`,
    );
    expect(repoState()).toEqual(before);

    // The group of the default namespace the organization is named after may.
    await unmapped().handler(context());
    expect(gitIn(repo.dir, 'rev-parse', '--verify', BRANCH)).toMatch(
      /^[0-9a-f]{40}$/,
    );
  });

  it('removes files only for an initiator who may delete the cluster, whatever else they may do', async () => {
    const retire = {
      ...input,
      cluster: 'pay-old',
      change: 'retire',
      remove: [`${PAY_OLD_DIR}/cluster.yaml`],
    };
    const branch = 'clusterdeck/payments/pay-old/retire';
    // A platform team's policy that lets the team create and change its clusters but not delete them.
    const noDelete = testAccessPolicy([], ['aws-clusters.cluster.delete']);
    const before = repoState();
    const error = await action(noDelete)
      .handler(context({ input: retire }, {}))
      .catch(e => e);
    expect(error).toBeInstanceOf(NotAllowedError);
    expect(error.message).toMatch(
      /may not remove cluster files in GitOps changes for group:default\/payments.*aws-clusters\.cluster\.delete/,
    );
    expect(repoState()).toEqual(before);
    expect(events).toEqual([
      expect.objectContaining({ eventId: 'gitops-commit', outcome: 'failed' }),
    ]);

    // The same policy still lets the team propose its other changes.
    await action(noDelete).handler(context());
    expect(gitIn(repo.dir, 'rev-parse', '--verify', BRANCH)).toMatch(
      /^[0-9a-f]{40}$/,
    );

    // With the delete permission the removal is committed.
    const ctx = context({ input: retire }, {});
    await action().handler(ctx);
    expect(ctx.output).toHaveBeenCalledWith('changedFiles', [
      `${PAY_OLD_DIR}/cluster.yaml`,
    ]);
    expect(gitIn(repo.dir, 'ls-tree', '-r', '--name-only', branch)).not.toMatch(
      /pay-old/,
    );
  });

  it("ignores a branch name given as input: the branch is always the owner's", async () => {
    const before = gitIn(repo.dir, 'rev-parse', WEB_BRANCH);
    const ctx = context({
      input: { ...input, branchName: WEB_BRANCH, baseBranch: WEB_BRANCH },
    });
    await action().handler(ctx);
    expect(ctx.output).toHaveBeenCalledWith('branch', BRANCH);
    expect(gitIn(repo.dir, 'rev-parse', WEB_BRANCH)).toBe(before);
    expect(gitIn(repo.dir, 'rev-parse', `${BRANCH}^`)).toBe(
      gitIn(repo.dir, 'rev-parse', 'main'),
    );
  });

  const outside: Array<
    [string, Record<string, unknown>, Record<string, string>, RegExp]
  > = [
    [
      "another organization's folder",
      {},
      { [`${WEB_DIR}/cluster.yaml`]: 'kind: Cluster\n' },
      /^sourcePath: management-clusters\/mc-eu-prod\/organizations\/web\/.* lies outside/,
    ],
    [
      'the repository root',
      {},
      { 'README.md': 'replaced\n' },
      /^sourcePath: README\.md lies outside/,
    ],
    [
      "the organization's folder beside the clusters",
      {},
      {
        'management-clusters/mc-eu-prod/organizations/payments/x.yaml':
          'x: 1\n',
      },
      /lies outside/,
    ],
    [
      'an unconfigured management cluster',
      {},
      {
        'management-clusters/mc-other/organizations/payments/workload-clusters/pay-new/cluster.yaml':
          'x\n',
      },
      /lies outside/,
    ],
    [
      "another of the owner's clusters than the one named",
      {},
      {
        'management-clusters/mc-eu-prod/organizations/payments/workload-clusters/pay-prod/cluster.yaml':
          'x\n',
      },
      /lies outside/,
    ],
    [
      'a target path above the repository',
      { targetPath: '../elsewhere' },
      { 'cluster.yaml': 'x\n' },
      /^targetPath: "\.\.\/elsewhere" leaves the repository/,
    ],
    [
      'a target path that climbs out of the cluster folder',
      { targetPath: `${CLUSTER_DIR}/../../../web/workload-clusters/web-dev` },
      { 'cluster.yaml': 'x\n' },
      /^targetPath: management-clusters\/mc-eu-prod\/organizations\/web\/workload-clusters\/web-dev\/cluster\.yaml lies outside/,
    ],
    [
      'a source path above the workspace',
      { sourcePath: '../' },
      {},
      /^sourcePath: "\.\.\/" leaves the workspace/,
    ],
    [
      'the role-identities folder, as a team lead',
      { cluster: undefined, change: 'account-x' },
      {
        'management-clusters/mc-eu-prod/role-identities/x.yaml':
          'kind: AWSClusterRoleIdentity\n',
      },
      /^sourcePath: management-clusters\/mc-eu-prod\/role-identities\/x\.yaml lies outside/,
    ],
  ];
  it.each(outside)(
    'refuses files in %s, writing nothing',
    async (_where, over, files, message) => {
      const before = repoState();
      const error = await action()
        .handler(context({ input: { ...input, ...over } }, files))
        .catch(e => e);
      expect(error).toBeInstanceOf(InputError);
      expect(error.message).toMatch(message);
      expect(repoState()).toEqual(before);
    },
  );

  it('lets an administrator write the role-identity and account folders', async () => {
    const files = {
      'management-clusters/mc-eu-prod/role-identities/payments-staging.yaml':
        'kind: AWSClusterRoleIdentity\n',
      'accounts/payments-staging/catalog-info.yaml': 'kind: Resource\n',
    };
    const ctx = context(
      {
        user: USERS.admin,
        input: {
          ...input,
          cluster: undefined,
          change: 'account-payments-staging',
        },
      },
      files,
    );
    await action().handler(ctx);
    expect(ctx.output).toHaveBeenCalledWith(
      'branch',
      'clusterdeck/payments/account-payments-staging',
    );
    expect(ctx.output).toHaveBeenCalledWith(
      'changedFiles',
      Object.keys(files).sort(),
    );
  });

  it('releases the reservations of the request when the commit is refused, and audits the release', async () => {
    fake.state.allocations.push({
      id: 'a1',
      pool: 'tgw-routed',
      cidr: '10.2.0.0/16',
      owner: 'group:default/payments',
      createdBy: USERS.payments,
      createdAt: '',
    });
    const ctx = context(
      { input: { ...input, releaseOnFailure: ['a1'] } },
      { 'README.md': 'replaced\n' },
    );
    await expect(action().handler(ctx)).rejects.toThrow(/lies outside/);
    expect(fake.state.allocations).toEqual([]);
    expect(events.map(e => [e.eventId, e.outcome])).toEqual([
      ['gitops-commit', 'failed'],
      ['cidr-release', 'succeeded'],
    ]);
  });

  it("keeps another team's reservations when someone who may not release them fails", async () => {
    fake.state.allocations.push({
      id: 'a1',
      pool: 'tgw-routed',
      cidr: '10.2.0.0/16',
      owner: 'group:default/payments',
      createdBy: USERS.payments,
      createdAt: '',
    });
    const ctx = context({
      user: USERS.web,
      input: { ...input, releaseOnFailure: ['a1'] },
    });
    await expect(action().handler(ctx)).rejects.toThrow(NotAllowedError);
    expect(fake.state.allocations).toHaveLength(1);
    expect(fake.requests.filter(r => r.method !== 'GET')).toEqual([]);
    expect(events.map(e => [e.eventId, e.outcome])).toEqual([
      ['gitops-commit', 'failed'],
      ['cidr-release', 'failed'],
    ]);
  });

  it.each([
    ['an empty change', { change: '' }, /^change: /],
    ['a change with a slash', { change: 'a/b' }, /^change: /],
    ['a change that is too long', { change: 'x'.repeat(64) }, /^change: /],
    ['a cluster name that is a path', { cluster: '../web' }, /^cluster: /],
    [
      'an owner that is not a group',
      { owner: 'user:default/amara.okafor' },
      /^owner: /,
    ],
  ])('refuses %s, naming the input', async (_what, over, message) => {
    const before = repoState();
    await expect(
      action().handler(context({ input: { ...input, ...over } })),
    ).rejects.toThrow(message);
    expect(repoState()).toEqual(before);
  });
});

describe('change branches', () => {
  it("are the owner's, the cluster's and the change's names under clusterdeck/", () => {
    expect(
      changeBranch({
        owner: 'group:default/payments',
        cluster: 'pay-new',
        change: 'request',
      }),
    ).toBe('clusterdeck/payments/pay-new/request');
    expect(changeBranch({ owner: 'group:payments', change: 'account-x' })).toBe(
      'clusterdeck/payments/account-x',
    );
    expect(
      changeBranch({
        owner: 'group:team-eu/payments',
        cluster: 'pay-new',
        change: 'request',
      }),
    ).toBe('clusterdeck/team-eu+payments/pay-new/request');
  });

  it('differ for groups whose names would join into the same text', () => {
    const a = changeBranch({ owner: 'group:a-b/c', change: 'x' });
    const b = changeBranch({ owner: 'group:a/b-c', change: 'x' });
    const c = changeBranch({ owner: 'group:default/a-b-c', change: 'x' });
    expect(new Set([a, b, c]).size).toBe(3);
  });
});
