import { TestDatabases } from '@backstage/backend-test-utils';
import { cidrsOverlap } from '@clusterdeck/plugin-aws-clusters-common';
import type { FleetSnapshot } from '@clusterdeck/plugin-aws-clusters-node';
import {
  ensureLocalPostgres,
  postgresInstalled,
  useLocalPostgresForTests,
} from '../__testUtils__/localServices';
import { ControlledSource } from '../__testUtils__/harness/controlledSource';
import {
  FleetBackend,
  startFleetBackend,
} from '../__testUtils__/harness/fleetBackend';
import {
  reliabilityConfig,
  reliabilityFleet,
} from '../__testUtils__/harness/fleets';
import { teamClusterRequest } from '../__testUtils__/harness/generatedFleetConfig';
import { httpClient } from '../__testUtils__/harness/httpClient';

/*
 * Two replicas of the backend on one PostgreSQL database, with the scheduler production runs
 * (backend-defaults, tasks coordinated through the database), as a company runs Clusterdeck
 * behind a load balancer. The plugin keeps nothing in Backstage's cache, so the replicas share
 * the database only.
 */

jest.setTimeout(60_000);

const FREQUENCY_S = 2;
const ADMIN = 'user:default/admin';
const installed = postgresInstalled();
useLocalPostgresForTests();
const databases = TestDatabases.create({
  ids: installed ? ['POSTGRES_15'] : [],
});

/** Waits until `check` holds, polling; fails with `what` after `timeoutMs`. */
async function eventually(
  what: string,
  check: () => Promise<boolean>,
  timeoutMs = 25_000,
) {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (await check()) return;
    await new Promise(r => setTimeout(r, 250));
  }
  throw new Error(`timed out after ${timeoutMs} ms waiting until ${what}`);
}

/** The fleet as AWS and the management clusters show it now: the test hides clusters to change it. */
const hidden = new Set<string>();
function currentFleet(): FleetSnapshot {
  const fleet = reliabilityFleet();
  for (const mc of fleet.managementClusters) {
    mc.objects.clusters = mc.objects.clusters.filter(
      c => !hidden.has(c.metadata.name),
    );
  }
  return fleet;
}

(installed ? describe : describe.skip)(
  'two replicas sharing PostgreSQL',
  () => {
    const sources = [
      new ControlledSource(currentFleet),
      new ControlledSource(currentFleet),
    ];
    const replicas: FleetBackend[] = [];
    let calls: Array<ReturnType<typeof httpClient>> = [];
    let stopped = false;

    beforeAll(async () => {
      const postgres = await ensureLocalPostgres();
      if (!postgres.ok) throw new Error(postgres.reason);
      const knex = await databases.init('POSTGRES_15');
      const clusterdeck = {
        ...reliabilityConfig(),
        cidrReservations: { maxUnattachedPerOwner: 100 },
        refresh: {
          frequency: { seconds: FREQUENCY_S },
          timeout: { seconds: 10 },
        },
      };
      // One after the other: see the test of replicas that start together below.
      for (const source of sources)
        replicas.push(
          await startFleetBackend({
            sources: [source],
            clusterdeck,
            scheduler: 'real',
            knex,
          }),
        );
      calls = replicas.map(r => httpClient(r.server));
    });

    afterAll(async () => {
      await Promise.all(replicas.map(r => r.stop().catch(() => undefined)));
    });

    const listed = async (i: number): Promise<string[]> =>
      ((await calls[i]('GET', '/clusters', { user: ADMIN })).body?.items ?? [])
        .map((c: any) => c.ref as string)
        .sort();

    it('runs the scheduled refresh once per interval across both replicas', async () => {
      await eventually(
        'both replicas serve the fleet',
        async () =>
          (await listed(0)).length === 40 && (await listed(1)).length === 40,
      );
      const from = Date.now();
      await new Promise(r => setTimeout(r, 5 * FREQUENCY_S * 1000));
      const until = Date.now();
      const runs = sources
        .flatMap((s, replica) => s.runs.map(r => ({ ...r, replica })))
        .filter(r => r.start >= from && r.start < until);
      runs.sort((a, b) => a.start - b.start);
      // One run per interval in all, never two at once: each starts after the previous one ended,
      // and no sooner than the interval allows (the scheduler may start a little early or late).
      expect(runs.length).toBeGreaterThanOrEqual(3);
      expect(runs.length).toBeLessThanOrEqual(6);
      for (let i = 1; i < runs.length; i++) {
        expect(runs[i].start).toBeGreaterThanOrEqual(runs[i - 1].end!);
        expect(runs[i].start - runs[i - 1].start).toBeGreaterThan(
          FREQUENCY_S * 1000 * 0.75,
        );
      }
    });

    it('serves the same data from both replicas, whichever one refreshed', async () => {
      const gone = (await listed(0))[0].split('/')[2];
      hidden.add(gone);
      // The replica that refreshes stores the fleet; the other one loads it within its reload interval.
      await eventually(`neither replica lists ${gone}`, async () => {
        const [a, b] = [await listed(0), await listed(1)];
        return a.length === 39 && b.length === 39;
      });
      expect(await listed(0)).toEqual(await listed(1));
      const detailPath = `/clusters/${(await listed(0))[0]}`;
      const [a, b] = await Promise.all(
        calls.map(call => call('GET', detailPath, { user: ADMIN })),
      );
      expect(a.status).toBe(200);
      expect(b.body.topology).toEqual(a.body.topology);
      expect(b.body.nodePools).toEqual(a.body.nodePools);
    });

    it('hands out CIDR blocks from both replicas at once that never overlap', async () => {
      const perReplica = 20;
      const answers = await Promise.all(
        calls.flatMap(call =>
          Array.from({ length: perReplica }, (_, i) =>
            call('POST', '/cidr-allocations', {
              user: ADMIN,
              body: {
                pool: 'transit',
                owner: 'group:default/web',
                cluster: `mc-eu-west-1/org-web/c${i}`,
              },
            }),
          ),
        ),
      );
      expect(answers.map(a => a.status)).toEqual(answers.map(() => 201));
      const cidrs = answers.map(a => a.body.cidr as string);
      expect(new Set(cidrs).size).toBe(2 * perReplica);
      cidrs.forEach((a, i) =>
        cidrs.slice(i + 1).forEach(b => expect(cidrsOverlap(a, b)).toBe(false)),
      );
      for (const call of calls) {
        const listedAllocations = await call('GET', '/cidr-allocations', {
          user: ADMIN,
        });
        expect(
          listedAllocations.body.items.map((x: any) => x.cidr).sort(),
        ).toEqual([...cidrs].sort());
      }
    });

    it('loses nothing when one replica stops: the other serves everything and takes over the refresh', async () => {
      const request = {
        request: teamClusterRequest('web', 'web-replicated'),
      };
      const posted = await calls[0]('POST', '/cluster-requests', {
        user: ADMIN,
        body: request,
      });
      expect(posted.status).toBe(201);
      const before = await listed(0);
      const allocationsBefore = (
        await calls[0]('GET', '/cidr-allocations', { user: ADMIN })
      ).body.items;

      await replicas[0].stop();
      stopped = true;
      const runsBefore = sources[1].runs.length;

      // Everything the stopped replica served and stored is served by the other.
      // A replica shares one read of the stored requests for 100 ms, so another replica's request shows within that.
      await eventually(
        'the other replica lists the request',
        async () => JSON.stringify(await listed(1)) === JSON.stringify(before),
        1_000,
      );
      expect(before).toContain(posted.body.ref);
      expect(
        (await calls[1]('GET', '/cidr-allocations', { user: ADMIN })).body
          .items,
      ).toEqual(allocationsBefore);

      // The survivor runs the refresh now, and serves what it collects at once.
      const gone = before.find(ref => ref !== posted.body.ref)!.split('/')[2];
      hidden.add(gone);
      await eventually(
        `the surviving replica refreshes without ${gone}`,
        async () => !(await listed(1)).some(ref => ref.endsWith(`/${gone}`)),
        15_000,
      );
      expect(sources[1].runs.length).toBeGreaterThan(runsBefore);
      expect(stopped).toBe(true);
    });
  },
);

(installed ? describe : describe.skip)(
  'two replicas starting together on an empty PostgreSQL database',
  () => {
    // Both run the migrations at once: one waits for the other's lock, and neither fails on the
    // migrations table the other one is creating.
    it('both start', async () => {
      const postgres = await ensureLocalPostgres();
      if (!postgres.ok) throw new Error(postgres.reason);
      const knex = await databases.init('POSTGRES_15');
      const clusterdeck = {
        ...reliabilityConfig(),
        refresh: { frequency: { minutes: 5 }, timeout: { seconds: 10 } },
      };
      const started = await Promise.allSettled(
        [0, 1].map(() =>
          startFleetBackend({
            sources: [new ControlledSource(reliabilityFleet)],
            clusterdeck,
            scheduler: 'real',
            knex,
          }),
        ),
      );
      await Promise.all(
        started.map(s =>
          s.status === 'fulfilled' ? s.value.stop() : undefined,
        ),
      );
      expect(
        started.map(s =>
          s.status === 'rejected' ? String(s.reason) : 'started',
        ),
      ).toEqual(['started', 'started']);
    });
  },
);

if (!installed) {
  it.skip('two replicas sharing PostgreSQL (skipped: no PostgreSQL installed on this machine)', () => {});
}
