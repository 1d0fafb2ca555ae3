import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { parseScaffolderModuleConfig } from '../config/moduleConfig';
import { git } from './localGit';
import { ensureLocalRepository } from './seedRepository';

describe('ensureLocalRepository', () => {
  let dir: string;
  beforeEach(async () => {
    dir = await fs.mkdtemp(path.join(os.tmpdir(), 'clusterdeck-seed-'));
  });
  afterEach(() => fs.rm(dir, { recursive: true, force: true }));

  const gitopsFor = (repository: string, seedDirectory?: string) =>
    parseScaffolderModuleConfig({
      gitops: {
        localRepository: repository,
        ...(seedDirectory ? { seedDirectory } : {}),
      },
    }).gitops;
  const payProd =
    'management-clusters/mc-eu-prod/organizations/payments/workload-clusters/pay-prod';
  async function seedFolder() {
    const seed = path.join(dir, 'seed');
    await fs.mkdir(path.join(seed, payProd), { recursive: true });
    await fs.writeFile(
      path.join(seed, payProd, 'cluster-request.yaml'),
      'metadata:\n  name: pay-prod\n',
    );
    return seed;
  }
  const logger = { info: jest.fn() };

  it("creates a repository whose default branch holds the seed folder's files", async () => {
    const repository = path.join(dir, 'gitops');
    expect(
      await ensureLocalRepository({
        gitops: gitopsFor(repository, await seedFolder()),
        logger,
      }),
    ).toBe(true);
    const files = (
      await git(['ls-tree', '-r', '--name-only', 'main'], repository)
    )
      .trim()
      .split('\n');
    expect(files.sort()).toEqual([
      'README.md',
      `${payProd}/cluster-request.yaml`,
    ]);
    expect(
      await git(['show', `main:${payProd}/cluster-request.yaml`], repository),
    ).toContain('name: pay-prod');
    expect((await git(['status', '--porcelain'], repository)).trim()).toBe('');
  });

  it('leaves an existing repository alone', async () => {
    const repository = path.join(dir, 'gitops');
    await ensureLocalRepository({ gitops: gitopsFor(repository), logger });
    const head = (await git(['rev-parse', 'main'], repository)).trim();
    expect(
      await ensureLocalRepository({
        gitops: gitopsFor(repository, await seedFolder()),
        logger,
      }),
    ).toBe(false);
    expect((await git(['rev-parse', 'main'], repository)).trim()).toBe(head);
  });

  it('lets one of two backends starting at once create the repository, and the other use it', async () => {
    const repository = path.join(dir, 'gitops');
    const seed = await seedFolder();
    const created = await Promise.all(
      [1, 2, 3].map(() =>
        ensureLocalRepository({ gitops: gitopsFor(repository, seed), logger }),
      ),
    );
    expect(created.filter(Boolean)).toHaveLength(1);
    expect(
      await git(['show', `main:${payProd}/cluster-request.yaml`], repository),
    ).toContain('name: pay-prod');
    // No scratch folder is left beside it.
    expect(await fs.readdir(dir)).toEqual(['gitops', 'seed']);
  });

  it('leaves nothing behind when the seed folder is missing, naming the setting', async () => {
    const repository = path.join(dir, 'gitops');
    await expect(
      ensureLocalRepository({
        gitops: gitopsFor(repository, path.join(dir, 'missing')),
        logger,
      }),
    ).rejects.toThrow(
      /^clusterdeck.gitops.seedDirectory: .*missing is not a folder$/,
    );
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
