import {
  cidrsOverlap,
  findFreeCidr,
} from '@clusterdeck/plugin-aws-clusters-common';
import { databasesUnderTest } from '../__testUtils__/localServices';
import {
  Attachment,
  CidrAllocation,
  ClusterdeckDatabase,
  migrateDownAll,
  migrateUp,
  oneReplicaAtATime,
} from './ClusterdeckDatabase';

jest.setTimeout(60_000);

const { ids, databases } = databasesUnderTest('ClusterdeckDatabase');

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
        db.allocate(
          {
            pool: 'tgw',
            owner: 'group:default/payments',
            createdBy: `user:default/u${i}`,
          },
          taken => findFreeCidr('10.0.0.0/8', 16, [...taken, ...inUse]),
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
    const a = await db.allocate(
      {
        pool: 'small',
        owner: 'group:default/web',
        createdBy: 'user:default/a',
      },
      choose,
    );
    await db.allocate(
      {
        pool: 'small',
        owner: 'group:default/web',
        createdBy: 'user:default/a',
      },
      choose,
    );
    await expect(
      db.allocate(
        {
          pool: 'small',
          owner: 'group:default/web',
          createdBy: 'user:default/a',
        },
        choose,
      ),
    ).rejects.toThrow(/no free block/);
    await db.release(a.id);
    await expect(db.release(a.id)).rejects.toThrow(/no CIDR allocation/);
    expect(
      (
        await db.allocate(
          {
            pool: 'small',
            owner: 'group:default/web',
            createdBy: 'user:default/b',
          },
          choose,
        )
      ).cidr,
    ).toBe(a.cidr);

    await db.saveSnapshot('fleet', { x: 1 }, '2026-11-01T00:00:00.000Z');
    await db.saveSnapshot('fleet', { x: 2 }, '2026-11-01T00:05:00.000Z');
    expect(await db.loadSnapshot('fleet')).toEqual({
      data: { x: 2 },
      updatedAt: '2026-11-01T00:05:00.000Z',
    });
    expect(
      await db.loadSnapshot('fleet', '2026-11-01T00:05:00.000Z'),
    ).toBeUndefined();
  });

  it('releases reservations no cluster used in time and those of clusters gone for longer than the grace period', async () => {
    const db = await open();
    const choose = (taken: string[]) => findFreeCidr('10.0.0.0/8', 16, taken);
    const owner = 'group:default/web';
    /** Reservations of these clusters are attached to reported clusters. */
    const reportedOf =
      (clusters: string[]) =>
      (allocations: CidrAllocation[]): Map<string, Attachment> =>
        new Map(
          allocations
            .filter(a => a.cluster && clusters.includes(a.cluster))
            .map(a => [a.id, 'reported' as const]),
        );
    const at = (iso: string) => ({
      attached: reportedOf([]),
      now: iso,
      unattachedBefore: '',
      goneBefore: '',
    });
    const unused = await db.allocate(
      { pool: 'p', owner, createdBy: 'user:default/a' },
      choose,
    );
    const forRequested = await db.allocate(
      {
        pool: 'p',
        owner,
        createdBy: 'user:default/a',
        cluster: 'mc/org-web/kept',
      },
      choose,
    );
    const forGone = await db.allocate(
      {
        pool: 'p',
        owner,
        createdBy: 'user:default/a',
        cluster: 'mc/org-web/gone',
      },
      choose,
    );
    // Both clusters are seen now: their blocks are attached.
    expect(
      await db.reclaim({
        ...at('2030-01-01T00:00:00.000Z'),
        attached: reportedOf(['mc/org-web/kept', 'mc/org-web/gone']),
        unattachedBefore: '2000-01-01',
      }),
    ).toEqual([]);
    const listed = await db.listAllocations('p');
    expect(listed.find(a => a.id === forGone.id)?.attachedAt).toBe(
      '2030-01-01T00:00:00.000Z',
    );
    // Later, one cluster is gone: within the grace period nothing of it goes; the unused block expires.
    const released = await db.reclaim({
      ...at('2030-01-02T00:00:00.000Z'),
      attached: reportedOf(['mc/org-web/kept']),
      unattachedBefore: '2030-01-01T12:00:00.000Z',
      goneBefore: '2029-12-31T00:00:00.000Z',
    });
    expect(released.map(a => a.id)).toEqual([unused.id]);
    const afterGrace = await db.reclaim({
      ...at('2030-01-09T00:00:00.000Z'),
      attached: reportedOf(['mc/org-web/kept']),
      unattachedBefore: '2030-01-08T00:00:00.000Z',
      goneBefore: '2030-01-02T00:00:00.000Z',
    });
    expect(afterGrace.map(a => a.id)).toEqual([forGone.id]);
    expect((await db.listAllocations('p')).map(a => a.id)).toEqual([
      forRequested.id,
    ]);
  });

  it('keeps a block of a cluster only requested while the request holds it, then releases it as one never used', async () => {
    const db = await open();
    const asked = await db.allocate(
      {
        pool: 'p',
        owner: 'group:default/web',
        createdBy: 'user:default/a',
        cluster: 'mc/org-web/asked',
      },
      taken => findFreeCidr('10.0.0.0/8', 16, taken),
    );
    const options = {
      now: '2030-01-03T00:00:00.000Z',
      unattachedBefore: '2030-01-02T00:00:00.000Z',
      goneBefore: '2029-12-01T00:00:00.000Z',
    };
    expect(
      await db.reclaim({
        ...options,
        attached: all => new Map(all.map(a => [a.id, 'requested' as const])),
      }),
    ).toEqual([]);
    // Only a reported cluster marks a block as used: a request that lapses leaves none behind.
    expect((await db.getAllocation(asked.id)).attachedAt).toBeUndefined();
    const released = await db.reclaim({
      ...options,
      attached: () => new Map(),
    });
    expect(released.map(a => a.id)).toEqual([asked.id]);
  });

  it('stores the longest values every route accepts', async () => {
    const db = await open();
    // What the routes accept: entity references and cluster references of up to 255 characters.
    const owner = `group:${'n'.repeat(63)}/${'g'.repeat(
      255 - 'group:'.length - 64,
    )}`;
    const createdBy = `user:${'n'.repeat(63)}/${'u'.repeat(
      255 - 'user:'.length - 64,
    )}`;
    const cluster = `${'m'.repeat(63)}/org-${'o'.repeat(59)}/${'c'.repeat(
      255 - 63 - 1 - 63 - 1,
    )}`;
    expect([owner.length, createdBy.length, cluster.length]).toEqual([
      255, 255, 255,
    ]);
    const allocation = await db.allocate(
      { pool: 'p'.repeat(100), owner, cluster, createdBy },
      () => '255.255.255.240/28',
    );
    expect(await db.getAllocation(allocation.id)).toEqual(
      expect.objectContaining({
        owner,
        cluster,
        createdBy,
        pool: 'p'.repeat(100),
      }),
    );
    await db.saveRequest({
      ref: cluster,
      owner,
      request: { description: 'd'.repeat(100_000) },
      createdBy,
      createdAt: new Date().toISOString(),
    });
    expect((await db.listRequests())[0]).toEqual(
      expect.objectContaining({ ref: cluster, owner, createdBy }),
    );
    await db.reclaim({
      attached: all => new Map(all.map(a => [a.id, 'reported' as const])),
      now: new Date().toISOString(),
      unattachedBefore: '',
      goneBefore: '',
    });
  });

  it('runs work replicas must not do together one at a time on PostgreSQL, and as it is elsewhere', async () => {
    const knex = await databases.init(id);
    const events: string[] = [];
    const work = (name: string) => async () => {
      events.push(`${name} begins`);
      // The work itself uses the database, as the scheduler's first task does.
      await knex.raw('select 1');
      await new Promise(resolve => setTimeout(resolve, 50));
      events.push(`${name} ends`);
      return name;
    };
    const done = await Promise.all([
      oneReplicaAtATime(knex, work('a')),
      oneReplicaAtATime(knex, work('b')),
    ]);
    expect(done).toEqual(['a', 'b']);
    const onPostgres = /^(pg|postgres)/.test(String(knex.client.config.client));
    // On PostgreSQL one ends before the other begins; elsewhere both run as they come.
    expect(events.map(e => e.split(' ')[1])).toEqual(
      onPostgres
        ? ['begins', 'ends', 'begins', 'ends']
        : ['begins', 'begins', 'ends', 'ends'],
    );
  });

  it('migrates down and up again, and upgrades tables made before migrations existed', async () => {
    const knex = await databases.init(id);
    await ClusterdeckDatabase.create({ getClient: async () => knex });
    await migrateDownAll(knex);
    for (const table of [
      'aws_clusters_snapshots',
      'aws_clusters_cidr_allocations',
      'aws_clusters_cluster_requests',
    ]) {
      expect(await knex.schema.hasTable(table)).toBe(false);
    }
    // The tables as the plugin made them itself before it had migrations, with a reservation in them.
    await knex.schema.createTable('aws_clusters_snapshots', t => {
      t.string('key').primary();
      t.text('data', 'longtext').notNullable();
      t.string('updated_at').notNullable();
    });
    await knex.schema.createTable('aws_clusters_cidr_allocations', t => {
      t.string('id').primary();
      t.string('pool').notNullable();
      t.string('cidr').notNullable();
      t.string('cluster');
      t.string('owner').notNullable();
      t.string('created_by').notNullable();
      t.string('created_at').notNullable();
      t.unique(['pool', 'cidr']);
    });
    await knex.schema.createTable('aws_clusters_cluster_requests', t => {
      t.string('ref').primary();
      t.string('owner').notNullable();
      t.text('request', 'longtext').notNullable();
      t.string('created_by').notNullable();
      t.string('created_at').notNullable();
    });
    await knex('aws_clusters_cidr_allocations').insert({
      id: 'kept',
      pool: 'p',
      cidr: '10.9.0.0/16',
      owner: 'group:default/web',
      created_by: 'user:default/a',
      created_at: '2026-11-01T00:00:00.000Z',
    });
    await migrateUp(knex);
    const db = await ClusterdeckDatabase.create({
      getClient: async () => knex,
    });
    expect(
      (await db.listAllocations()).map(a => [a.id, a.cidr, a.attachedAt]),
    ).toEqual([['kept', '10.9.0.0/16', undefined]]);
    expect(
      await knex.schema.hasColumn(
        'aws_clusters_cidr_allocations',
        'attached_at',
      ),
    ).toBe(true);
  });
});
