import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { parseScaffolderModuleConfig } from '../config/moduleConfig';
import { CLUSTER_FILES } from './gitopsLayout';
import { git } from './localGit';
import { ensureLocalRepository } from './seedRepository';

const DEMO_FLEET = path.resolve(
  __dirname,
  '../../../../examples/demo-fleet/fleet.yaml',
);

describe('ensureLocalRepository', () => {
  let dir: string;
  beforeEach(async () => {
    dir = await fs.mkdtemp(path.join(os.tmpdir(), 'clusterdeck-seed-'));
  });
  afterEach(() => fs.rm(dir, { recursive: true, force: true }));

  const gitopsFor = (repository: string, seedFleet?: string) =>
    parseScaffolderModuleConfig({
      gitops: {
        localRepository: repository,
        ...(seedFleet ? { seedFleet } : {}),
      },
    }).gitops;
  const logger = { info: jest.fn() };

  it('creates a repository whose default branch holds every cluster of the seed fleet', async () => {
    const repository = path.join(dir, 'gitops');
    expect(
      await ensureLocalRepository({
        gitops: gitopsFor(repository, DEMO_FLEET),
        logger,
      }),
    ).toBe(true);
    const files = (
      await git(['ls-tree', '-r', '--name-only', 'main'], repository)
    )
      .trim()
      .split('\n');
    const payProd =
      'management-clusters/mc-eu-prod/organizations/payments/workload-clusters/pay-prod';
    expect(files).toEqual(
      expect.arrayContaining([
        'README.md',
        `${payProd}/${CLUSTER_FILES.request}`,
        `${payProd}/${CLUSTER_FILES.manifests}`,
      ]),
    );
    const requests = files.filter(f => f.endsWith(`/${CLUSTER_FILES.request}`));
    expect(requests.length).toBeGreaterThanOrEqual(14);
    const request = await git(
      ['show', `main:${payProd}/${CLUSTER_FILES.request}`],
      repository,
    );
    expect(request).toContain('name: pay-prod');
    expect((await git(['status', '--porcelain'], repository)).trim()).toBe('');
  });

  it('leaves an existing repository alone', async () => {
    const repository = path.join(dir, 'gitops');
    await ensureLocalRepository({ gitops: gitopsFor(repository), logger });
    const head = (await git(['rev-parse', 'main'], repository)).trim();
    expect(
      await ensureLocalRepository({
        gitops: gitopsFor(repository, DEMO_FLEET),
        logger,
      }),
    ).toBe(false);
    expect((await git(['rev-parse', 'main'], repository)).trim()).toBe(head);
  });

  it('leaves nothing behind when the seed fleet cannot be read', async () => {
    const repository = path.join(dir, 'gitops');
    await expect(
      ensureLocalRepository({
        gitops: gitopsFor(repository, path.join(dir, 'missing.yaml')),
        logger,
      }),
    ).rejects.toThrow();
    expect(await fs.readdir(dir)).toEqual([]);
  });

  it('does nothing without a local repository configured', async () => {
    expect(
      await ensureLocalRepository({
        gitops: parseScaffolderModuleConfig({}).gitops,
        logger,
      }),
    ).toBe(false);
  });
});
