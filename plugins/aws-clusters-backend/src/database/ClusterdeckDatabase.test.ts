import { TestDatabaseId, TestDatabases } from '@backstage/backend-test-utils';
import { cidrsOverlap, findFreeCidr } from '@clusterdeck/plugin-aws-clusters-common';
import { ensureLocalPostgres, postgresInstalled, useLocalPostgresForTests } from '../__testUtils__/localServices';
import { ClusterdeckDatabase } from './ClusterdeckDatabase';

jest.setTimeout(60_000);

const ids: TestDatabaseId[] = postgresInstalled() ? ['SQLITE_3', 'POSTGRES_15'] : ['SQLITE_3'];
useLocalPostgresForTests();
const databases = TestDatabases.create({ ids });

beforeAll(async () => {
  if (ids.includes('POSTGRES_15')) {
    const postgres = await ensureLocalPostgres();
    if (!postgres.ok) throw new Error(postgres.reason);
  }
});

if (!ids.includes('POSTGRES_15')) {
  it.skip('ClusterdeckDatabase on POSTGRES_15 (skipped: no PostgreSQL installed on this machine)', () => {});
}

describe.each(ids)('ClusterdeckDatabase on %s', id => {
  async function open(): Promise<ClusterdeckDatabase> {
    const knex = await databases.init(id);
    return ClusterdeckDatabase.create({ getClient: async () => knex } as any);
  }

  it('hands out 50 concurrent allocations with no overlap, avoiding blocks in use', async () => {
    const db = await open();
    const inUse = ['10.0.0.0/16', '10.3.0.0/16'];
    const results = await Promise.all(
      Array.from({ length: 50 }, (_, i) =>
        db.allocate({ pool: 'tgw', owner: 'group:default/payments', createdBy: `user:default/u${i}` }, taken =>
          findFreeCidr('10.0.0.0/8', 16, [...taken, ...inUse]),
        ),
      ),
    );
    const cidrs = results.map(r => r.cidr);
    expect(new Set(cidrs).size).toBe(50);
    cidrs.forEach((a, i) => {
      inUse.forEach(u => expect(cidrsOverlap(a, u)).toBe(false));
      cidrs.slice(i + 1).forEach(b => expect(cidrsOverlap(a, b)).toBe(false));
    });
    expect(await db.listAllocations('tgw')).toHaveLength(50);
  });

  it('releases, refuses an exhausted pool and stores snapshots', async () => {
    const db = await open();
    const choose = (taken: string[]) => findFreeCidr('10.0.0.0/15', 16, taken);
    const a = await db.allocate({ pool: 'small', owner: 'group:default/web', createdBy: 'user:default/a' }, choose);
    await db.allocate({ pool: 'small', owner: 'group:default/web', createdBy: 'user:default/a' }, choose);
    await expect(db.allocate({ pool: 'small', owner: 'group:default/web', createdBy: 'user:default/a' }, choose)).rejects.toThrow(/no free block/);
    await db.release(a.id);
    await expect(db.release(a.id)).rejects.toThrow(/no CIDR allocation/);
    expect((await db.allocate({ pool: 'small', owner: 'group:default/web', createdBy: 'user:default/b' }, choose)).cidr).toBe(a.cidr);

    await db.saveSnapshot('fleet', { x: 1 }, '2026-11-01T00:00:00.000Z');
    await db.saveSnapshot('fleet', { x: 2 }, '2026-11-01T00:05:00.000Z');
    expect(await db.loadSnapshot('fleet')).toEqual({ data: { x: 2 }, updatedAt: '2026-11-01T00:05:00.000Z' });
    expect(await db.loadSnapshot('fleet', '2026-11-01T00:05:00.000Z')).toBeUndefined();
  });
});
