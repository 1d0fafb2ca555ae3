import { InputError, NotAllowedError, NotFoundError } from '@backstage/errors';
import fs from 'node:fs';
import path from 'node:path';
import { FakeFleetApi, startFakeFleetApi } from '../__testUtils__/fakeFleetApi';
import {
  fleetState,
  MODULE_CONFIG,
  testServices,
  USERS,
} from '../__testUtils__/fixtures';
import { createGitRepo } from '../__testUtils__/gitRepo';
import { mockContext } from '../__testUtils__/mockContext';
import { createGitopsFetchAction } from './gitopsFetch';

const DIR =
  'management-clusters/mc-eu-prod/organizations/payments/workload-clusters/pay-prod';
const WEB_DIR =
  'management-clusters/mc-eu-prod/organizations/web/workload-clusters/web-prod';
const IDENTITIES = 'management-clusters/mc-eu-prod/role-identities';

describe('clusterdeck:gitops:fetch', () => {
  let fake: FakeFleetApi;
  let repo: ReturnType<typeof createGitRepo>;
  beforeEach(async () => {
    fake = await startFakeFleetApi(fleetState());
    repo = createGitRepo({
      [`${DIR}/clusterrequest.yaml`]: 'kind: ClusterRequest\n',
      [`${DIR}/cluster.yaml`]: 'kind: Cluster\n',
      [`${WEB_DIR}/cluster.yaml`]: 'kind: Cluster\n',
      [`${IDENTITIES}/payments-prod.yaml`]: 'kind: AWSClusterRoleIdentity\n',
      'other/file.yaml': 'x: 1\n',
    });
  });
  afterEach(async () => {
    repo.remove();
    await fake.close();
  });

  const action = () => {
    const { fleet, access, config } = testServices(fake);
    return createGitopsFetchAction({
      config,
      gitops: { ...MODULE_CONFIG.gitops, localRepository: repo.dir },
      fleet,
      access,
    });
  };

  it("copies a cluster's directory of main into the same path of the workspace", async () => {
    const ctx = mockContext({
      input: { cluster: 'mc-eu-prod/org-payments/pay-prod' },
      user: USERS.payments,
    });
    await action().handler(ctx);
    expect(
      fs.readFileSync(
        path.join(ctx.workspacePath, DIR, 'cluster.yaml'),
        'utf8',
      ),
    ).toBe('kind: Cluster\n');
    expect(fs.existsSync(path.join(ctx.workspacePath, 'other'))).toBe(false);
    expect(ctx.output).toHaveBeenCalledWith('files', [
      'cluster.yaml',
      'clusterrequest.yaml',
    ]);
  });

  it("refuses another team's cluster", async () => {
    const ctx = mockContext({
      input: { cluster: 'mc-eu-prod/org-payments/pay-prod' },
      user: USERS.web,
    });
    await expect(action().handler(ctx)).rejects.toThrow(NotAllowedError);
    expect(fs.existsSync(path.join(ctx.workspacePath, DIR))).toBe(false);
  });

  it('says so when the cluster has no directory in the repository', async () => {
    const ctx = mockContext({
      input: { cluster: 'mc-eu-dev/org-web/web-dev' },
      user: USERS.admin,
    });
    await expect(action().handler(ctx)).rejects.toThrow(NotFoundError);
  });

  it("fetches a path inside the owner's cluster folders into another folder", async () => {
    const ctx = mockContext({
      input: { path: DIR, owner: 'group:default/payments', targetPath: 'x' },
      user: USERS.payments,
    });
    await action().handler(ctx);
    expect(
      fs.readFileSync(path.join(ctx.workspacePath, 'x/cluster.yaml'), 'utf8'),
    ).toBe('kind: Cluster\n');
  });

  it.each([
    [
      'a folder outside every cluster folder',
      'other',
      USERS.admin,
      'group:default/platform',
    ],
    ['the repository root', '.', USERS.payments, 'group:default/payments'],
    [
      "another organization's cluster",
      WEB_DIR,
      USERS.payments,
      'group:default/payments',
    ],
    [
      'the role identities, as a team lead',
      IDENTITIES,
      USERS.payments,
      'group:default/payments',
    ],
  ])(
    'refuses to read %s, writing nothing',
    async (_what, repoPath, user, owner) => {
      const ctx = mockContext({
        input: { path: repoPath, owner, targetPath: 'x' },
        user,
      });
      const error = await action()
        .handler(ctx)
        .catch(e => e);
      expect(error).toBeInstanceOf(InputError);
      expect(error.message).toMatch(
        /^path: .* lies outside the folders this fetch may read/,
      );
      expect(fs.existsSync(path.join(ctx.workspacePath, 'x'))).toBe(false);
    },
  );

  it('lets an administrator read the role identities', async () => {
    const ctx = mockContext({
      input: { path: IDENTITIES, owner: 'group:default/platform' },
      user: USERS.admin,
    });
    await action().handler(ctx);
    expect(ctx.output).toHaveBeenCalledWith('files', ['payments-prod.yaml']);
  });

  it("reads a path with a cluster only inside that cluster's directory", async () => {
    const ctx = mockContext({
      input: { cluster: 'mc-eu-prod/org-payments/pay-prod', path: WEB_DIR },
      user: USERS.payments,
    });
    await expect(action().handler(ctx)).rejects.toThrow(
      /^path: .* lies outside the folders this fetch may read \(management-clusters\/mc-eu-prod\/organizations\/payments\/workload-clusters\/pay-prod\)/,
    );
    expect(fs.existsSync(path.join(ctx.workspacePath, WEB_DIR))).toBe(false);
  });
});
