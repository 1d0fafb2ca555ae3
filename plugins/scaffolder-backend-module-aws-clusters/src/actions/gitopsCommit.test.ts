import { NotAllowedError } from '@backstage/errors';
import fs from 'node:fs';
import path from 'node:path';
import { CheckpointStore } from '../__testUtils__/checkpointStore';
import { FakeFleetApi, startFakeFleetApi } from '../__testUtils__/fakeFleetApi';
import { fleetState, MODULE_CONFIG, testServices, USERS } from '../__testUtils__/fixtures';
import { createGitRepo, gitIn } from '../__testUtils__/gitRepo';
import { checkpointKeys, mockContext } from '../__testUtils__/mockContext';
import { createGitopsCommitAction } from './gitopsCommit';

const CLUSTER_DIR = 'management-clusters/mc-eu-prod/organizations/payments/workload-clusters/pay-new';

describe('clusterdeck:gitops:commit', () => {
  let fake: FakeFleetApi;
  let repo: ReturnType<typeof createGitRepo>;
  beforeEach(async () => {
    fake = await startFakeFleetApi(fleetState());
    repo = createGitRepo({ 'management-clusters/mc-eu-prod/organizations/payments/.keep': '' });
  });
  afterEach(async () => {
    repo.remove();
    await fake.close();
  });

  const action = () => {
    const { fleet, access } = testServices(fake);
    return createGitopsCommitAction({ gitops: { ...MODULE_CONFIG.gitops, localRepository: repo.dir }, fleet, access });
  };
  const input = { owner: 'group:default/payments', branchName: 'clusterdeck/pay-new', commitMessage: 'Request cluster pay-new\n\nBy the payments team.' };
  const context = (over: Partial<Parameters<typeof mockContext>[0]> = {}) => {
    const ctx = mockContext({ input, user: USERS.payments, ...over });
    fs.mkdirSync(path.join(ctx.workspacePath, CLUSTER_DIR), { recursive: true });
    fs.writeFileSync(path.join(ctx.workspacePath, CLUSTER_DIR, 'cluster.yaml'), 'kind: Cluster\n');
    return ctx;
  };

  it('commits the workspace onto a new branch from main, leaving the working tree and main alone', async () => {
    const main = gitIn(repo.dir, 'rev-parse', 'main');
    const ctx = context();
    await action().handler(ctx);
    expect(checkpointKeys(ctx)).toEqual(['commit-clusterdeck/pay-new']);
    expect(gitIn(repo.dir, 'rev-parse', 'main')).toBe(main);
    expect(gitIn(repo.dir, 'branch', '--show-current')).toBe('main');
    expect(fs.existsSync(path.join(repo.dir, CLUSTER_DIR))).toBe(false);
    expect(gitIn(repo.dir, 'show', `clusterdeck/pay-new:${CLUSTER_DIR}/cluster.yaml`)).toBe('kind: Cluster');
    expect(gitIn(repo.dir, 'log', '-1', '--format=%s|%an', 'clusterdeck/pay-new')).toBe('Request cluster pay-new|Clusterdeck');
    expect(gitIn(repo.dir, 'rev-parse', 'clusterdeck/pay-new^')).toBe(main);
    expect(ctx.output).toHaveBeenCalledWith('changedFiles', [`${CLUSTER_DIR}/cluster.yaml`]);
    expect(ctx.output).toHaveBeenCalledWith('commitHash', gitIn(repo.dir, 'rev-parse', 'clusterdeck/pay-new'));
  });

  it('commits once, whether the task is retried with its checkpoints or the request is made again', async () => {
    const checkpoints = new CheckpointStore();
    await action().handler(context({ checkpoints }));
    const head = gitIn(repo.dir, 'rev-parse', 'clusterdeck/pay-new');
    await action().handler(context({ checkpoints }));
    await action().handler(context());
    expect(gitIn(repo.dir, 'rev-parse', 'clusterdeck/pay-new')).toBe(head);
    expect(gitIn(repo.dir, 'rev-list', '--count', 'clusterdeck/pay-new')).toBe('2');
  });

  it('shows what it would commit in a dry run and creates no branch', async () => {
    const ctx = context({ isDryRun: true });
    await action().handler(ctx);
    expect(ctx.output).toHaveBeenCalledWith('changedFiles', [`${CLUSTER_DIR}/cluster.yaml`]);
    expect(gitIn(repo.dir, 'branch', '--list', 'clusterdeck/*')).toBe('');
  });

  it('refuses someone outside the owning group and creates nothing', async () => {
    await expect(action().handler(context({ user: USERS.web }))).rejects.toThrow(NotAllowedError);
    expect(gitIn(repo.dir, 'branch', '--list', 'clusterdeck/*')).toBe('');
  });

  it('releases the reservations of the request when the commit fails', async () => {
    fake.state.allocations.push({ id: 'a1', pool: 'tgw-routed', cidr: '10.2.0.0/16', owner: 'group:default/payments', createdBy: USERS.payments, createdAt: '' });
    const ctx = context();
    ctx.input = { ...input, baseBranch: 'no-such-branch', releaseOnFailure: ['a1'] } as any;
    await expect(action().handler(ctx)).rejects.toThrow(/no branch no-such-branch/);
    expect(fake.state.allocations).toEqual([]);
  });

  it('refuses a bad branch name', async () => {
    const ctx = context();
    ctx.input = { ...input, branchName: 'bad..name' };
    await expect(action().handler(ctx)).rejects.toThrow(/not a valid branch name/);
  });
});
