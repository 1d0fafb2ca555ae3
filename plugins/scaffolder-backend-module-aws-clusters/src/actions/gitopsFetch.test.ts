import { NotAllowedError, NotFoundError } from '@backstage/errors';
import fs from 'node:fs';
import path from 'node:path';
import { FakeFleetApi, startFakeFleetApi } from '../__testUtils__/fakeFleetApi';
import { fleetState, MODULE_CONFIG, testServices, USERS } from '../__testUtils__/fixtures';
import { createGitRepo } from '../__testUtils__/gitRepo';
import { mockContext } from '../__testUtils__/mockContext';
import { createGitopsFetchAction } from './gitopsFetch';

const DIR = 'management-clusters/mc-eu-prod/organizations/payments/workload-clusters/pay-prod';

describe('clusterdeck:gitops:fetch', () => {
  let fake: FakeFleetApi;
  let repo: ReturnType<typeof createGitRepo>;
  beforeEach(async () => {
    fake = await startFakeFleetApi(fleetState());
    repo = createGitRepo({ [`${DIR}/clusterrequest.yaml`]: 'kind: ClusterRequest\n', [`${DIR}/cluster.yaml`]: 'kind: Cluster\n', 'other/file.yaml': 'x: 1\n' });
  });
  afterEach(async () => {
    repo.remove();
    await fake.close();
  });

  const action = () => {
    const { fleet, access } = testServices(fake);
    return createGitopsFetchAction({ gitops: { ...MODULE_CONFIG.gitops, localRepository: repo.dir }, fleet, access });
  };

  it("copies a cluster's directory of main into the same path of the workspace", async () => {
    const ctx = mockContext({ input: { cluster: 'mc-eu-prod/org-payments/pay-prod' }, user: USERS.payments });
    await action().handler(ctx);
    expect(fs.readFileSync(path.join(ctx.workspacePath, DIR, 'cluster.yaml'), 'utf8')).toBe('kind: Cluster\n');
    expect(fs.existsSync(path.join(ctx.workspacePath, 'other'))).toBe(false);
    expect(ctx.output).toHaveBeenCalledWith('files', ['cluster.yaml', 'clusterrequest.yaml']);
  });

  it("refuses another team's cluster", async () => {
    const ctx = mockContext({ input: { cluster: 'mc-eu-prod/org-payments/pay-prod' }, user: USERS.web });
    await expect(action().handler(ctx)).rejects.toThrow(NotAllowedError);
    expect(fs.existsSync(path.join(ctx.workspacePath, DIR))).toBe(false);
  });

  it('says so when the cluster has no directory in the repository', async () => {
    const ctx = mockContext({ input: { cluster: 'mc-eu-dev/org-web/web-dev' }, user: USERS.admin });
    await expect(action().handler(ctx)).rejects.toThrow(NotFoundError);
  });

  it('fetches a path for an owner into another folder', async () => {
    const ctx = mockContext({ input: { path: 'other', owner: 'group:default/platform', targetPath: 'x' }, user: USERS.admin });
    await action().handler(ctx);
    expect(fs.readFileSync(path.join(ctx.workspacePath, 'x/file.yaml'), 'utf8')).toBe('x: 1\n');
  });
});
