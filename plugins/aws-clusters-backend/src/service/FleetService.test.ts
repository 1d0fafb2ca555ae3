import { mockServices, TestDatabases } from '@backstage/backend-test-utils';
import type {
  FleetSnapshot,
  FleetSource,
} from '@clusterdeck/plugin-aws-clusters-node';
import { readClusterdeckConfig } from '@clusterdeck/plugin-aws-clusters-node';
import { ConfigReader } from '@backstage/config';
import { fixtureFleet } from '../__testUtils__/fleetFixture';
import { ClusterdeckDatabase } from '../database/ClusterdeckDatabase';
import { FleetService } from './FleetService';

const databases = TestDatabases.create({ ids: ['SQLITE_3'] });
const config = readClusterdeckConfig(new ConfigReader({}));

function sourceOf(
  snapshots: Array<Partial<FleetSnapshot> | Error>,
): FleetSource {
  let call = 0;
  return {
    name: 'scripted',
    async collect() {
      const next = snapshots[Math.min(call++, snapshots.length - 1)];
      if (next instanceof Error) throw next;
      return next;
    },
  };
}

async function service(source: FleetSource) {
  const knex = await databases.init('SQLITE_3');
  const db = await ClusterdeckDatabase.create({
    getClient: async () => knex,
  } as any);
  return {
    db,
    fleet: FleetService.create({
      config,
      db,
      logger: mockServices.logger.mock(),
      sources: [source],
    }),
  };
}

describe('FleetService', () => {
  it('keeps serving the last good data of a failing account and management cluster, marked stale', async () => {
    const good = fixtureFleet();
    const failing = fixtureFleet();
    const denied = failing.aws[0];
    for (const key of ['vpcs', 'subnets', 'autoScalingGroups'] as const)
      (denied as any)[key] = [];
    denied.errors = [
      {
        source: `aws:${denied.accountId}:eu-west-1`,
        operation: 'AssumeRole',
        code: 'AccessDenied',
        message: 'not authorized',
        at: '2026-11-01T00:10:00Z',
      },
    ];
    const mc = failing.managementClusters[0];
    mc.objects.awsClusters = [];
    mc.errors = [
      {
        source: 'kubernetes:mc-test',
        operation: 'list awsclusters',
        code: 'HTTP 500',
        message: 'internal error',
        at: '2026-11-01T00:10:00Z',
      },
    ];

    const { fleet } = await service(sourceOf([good, failing]));
    await fleet.refresh();
    const before = fleet.current();
    await fleet.refresh();
    const after = fleet.current();

    expect(
      after.clusters.map(c => [c.name, c.accountId, c.vpc?.vpc.VpcId]),
    ).toEqual(
      before.clusters.map(c => [c.name, c.accountId, c.vpc?.vpc.VpcId]),
    );
    expect(after.sources).toEqual(
      expect.arrayContaining([
        expect.objectContaining({
          source: 'aws:123456789012:eu-west-1',
          stale: true,
          error: 'AssumeRole: AccessDenied: not authorized',
        }),
        expect.objectContaining({
          source: 'aws:444455556666:eu-west-1',
          stale: false,
        }),
        expect.objectContaining({
          source: 'kubernetes:mc-test',
          stale: true,
          error: 'list awsclusters: HTTP 500: internal error',
        }),
      ]),
    );
  });

  it('keeps the whole contribution of a source that throws, and recovers when it answers again', async () => {
    const { fleet } = await service(
      sourceOf([fixtureFleet(), new Error('boom'), fixtureFleet()]),
    );
    await fleet.refresh();
    const report = await fleet.refresh();
    expect(report.sources).toEqual([
      expect.objectContaining({ name: 'scripted', error: 'boom' }),
    ]);
    expect(fleet.current().clusters).toHaveLength(2);
    expect(fleet.current().sources).toContainEqual(
      expect.objectContaining({ source: 'scripted', stale: true }),
    );
    await fleet.refresh();
    expect(fleet.current().sources.every(s => !s.stale)).toBe(true);
  });

  it('lets a second replica serve what the first stored, without collecting', async () => {
    const knex = await databases.init('SQLITE_3');
    const db = await ClusterdeckDatabase.create({
      getClient: async () => knex,
    } as any);
    const first = FleetService.create({
      config,
      db,
      logger: mockServices.logger.mock(),
      sources: [sourceOf([fixtureFleet()])],
    });
    const collect = jest.fn();
    const second = FleetService.create({
      config,
      db,
      logger: mockServices.logger.mock(),
      sources: [{ name: 'never', collect }],
    });
    await first.refresh();
    expect(await second.loadStored()).toBe(true);
    expect(second.current().clusters.map(c => c.ref)).toEqual(
      first.current().clusters.map(c => c.ref),
    );
    expect(await second.loadStored()).toBe(false);
    expect(collect).not.toHaveBeenCalled();
  });

  it('stores a fleet of many account regions in parts, and a replica reads one only when it is whole', async () => {
    const knex = await databases.init('SQLITE_3');
    const db = await ClusterdeckDatabase.create({
      getClient: async () => knex,
    } as any);
    // 600 account regions: more than one part of account regions, beside the management cluster's.
    const big = fixtureFleet();
    const template = big.aws[0];
    big.aws = Array.from({ length: 600 }, (_, i) => ({
      ...template,
      accountId: String(100000000000 + i),
    }));
    big.aws[0] = template;
    const first = FleetService.create({
      config,
      db,
      logger: mockServices.logger.mock(),
      sources: [sourceOf([big])],
    });
    const second = FleetService.create({
      config,
      db,
      logger: mockServices.logger.mock(),
      sources: [{ name: 'never', collect: jest.fn() }],
    });
    await first.refresh();
    const parts = await db.loadSnapshotsByPrefix<any>('fleet-part:');
    expect(parts.length).toBeGreaterThan(2);
    const row = await db.loadSnapshot<any>('fleet');
    expect(row!.data.snapshot).toBeUndefined();
    expect(row!.data.parts).toBe(parts.length);

    // A newer write that has replaced only some parts so far is not read.
    const stamp = new Date(Date.now() + 60_000).toISOString();
    await db.saveSnapshot('fleet', { ...row!.data, generation: stamp }, stamp);
    expect(await second.loadStored()).toBe(false);
    for (const part of parts)
      await db.saveSnapshot(
        part.key,
        { ...part.data, generation: stamp },
        stamp,
      );
    expect(await second.loadStored()).toBe(true);
    expect(second.snapshot().aws.map(r => r.accountId)).toEqual(
      big.aws.map(r => r.accountId),
    );
    expect(second.current().clusters.map(c => c.ref)).toEqual(
      first.current().clusters.map(c => c.ref),
    );
  });
});
