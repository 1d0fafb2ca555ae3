import { generateFleet } from '@clusterdeck/demo-fleet';
import v8 from 'node:v8';
import vm from 'node:vm';
import { ControlledSource } from '../__testUtils__/harness/controlledSource';
import {
  FleetBackend,
  leadOf,
  startFleetBackend,
} from '../__testUtils__/harness/fleetBackend';
import {
  longRun,
  reliabilityConfig,
  reliabilityFleet,
} from '../__testUtils__/harness/fleets';
import {
  generatedFleetConfig,
  GENERATED_TEAMS,
} from '../__testUtils__/harness/generatedFleetConfig';
import { httpClient } from '../__testUtils__/harness/httpClient';

/*
 * 200 concurrent clients on loopback against the fleet endpoints, with a refresh every second
 * while they run: no answer but 200, and the heap after garbage collection does not grow.
 * `yarn test:reliability` runs it for 30 seconds over a 1,000-cluster fleet; the normal suite
 * for 5 seconds over the 40-cluster reliability fleet.
 */

const LONG = longRun();
const CLIENTS = 200;
const DURATION_MS = LONG ? 30_000 : 5_000;
/** Allowed growth of the heap after collection between the first and the last second of the load. */
const HEAP_GROWTH_LIMIT_MB = 25;
jest.setTimeout(DURATION_MS + 90_000);

v8.setFlagsFromString('--expose-gc');
const collectGarbage = vm.runInNewContext('gc') as () => void;

function heapAfterGcMb(): number {
  collectGarbage();
  collectGarbage();
  return process.memoryUsage().heapUsed / 2 ** 20;
}

describe(`${CLIENTS} concurrent clients for ${DURATION_MS / 1000} s`, () => {
  const size = LONG
    ? { accounts: 100, clusters: 1000, regions: 3, seed: 'load' }
    : undefined;
  const fleet = size ? generateFleet(size) : reliabilityFleet();
  const source = new ControlledSource(() => fleet);
  let backend: FleetBackend;

  beforeAll(async () => {
    backend = await startFleetBackend({
      sources: [source],
      clusterdeck: size ? generatedFleetConfig(size) : reliabilityConfig(),
    });
    await backend.refresh();
  });

  afterAll(async () => {
    await backend?.stop();
  });

  it('answers every request, with a heap that does not grow', async () => {
    const call = httpClient(backend.server);
    const refs: string[] = (
      await call('GET', '/clusters', { user: 'user:default/admin' })
    ).body.items.map((c: any) => c.ref);
    const users = ['user:default/admin', ...GENERATED_TEAMS.map(leadOf)];
    const paths = [
      '/clusters',
      '/clusters',
      '/boundaries',
      '/accounts',
      ...refs.slice(0, 50).map(ref => `/clusters/${ref}`),
    ];

    const statuses = new Map<string, number>();
    const failures: string[] = [];
    let requests = 0;
    const latencies: number[] = [];
    const stopAt = Date.now() + DURATION_MS;
    const heap: number[] = [];

    const client = async (n: number) => {
      for (let i = n; Date.now() < stopAt; i++) {
        const path = paths[i % paths.length];
        const user = users[(i * 7 + n) % users.length];
        try {
          const answer = await call('GET', path, { user });
          requests++;
          latencies.push(answer.ms);
          // Another team's cluster is answered as one that does not exist: 404 is the right answer there.
          const expected =
            path.split('/').length > 3 && user !== 'user:default/admin'
              ? [200, 404]
              : [200];
          if (!expected.includes(answer.status))
            failures.push(
              `${answer.status} ${path} as ${user}: ${answer.text.slice(
                0,
                200,
              )}`,
            );
          statuses.set(
            String(answer.status),
            (statuses.get(String(answer.status)) ?? 0) + 1,
          );
        } catch (error) {
          failures.push(`${path}: ${(error as Error).message}`);
        }
      }
    };
    const refresher = async () => {
      while (Date.now() < stopAt) {
        await backend.refresh();
        await new Promise(r => setTimeout(r, 1000));
      }
    };
    const sampler = async () => {
      while (Date.now() < stopAt) {
        heap.push(heapAfterGcMb());
        await new Promise(r => setTimeout(r, 1000));
      }
    };

    const started = Date.now();
    await Promise.all([
      ...Array.from({ length: CLIENTS }, (_, n) => client(n)),
      refresher(),
      sampler(),
    ]);
    const seconds = (Date.now() - started) / 1000;
    const end = heapAfterGcMb();

    expect(failures.slice(0, 10)).toEqual([]);
    expect(requests).toBeGreaterThan(CLIENTS);
    // After warm-up (the first samples), the heap stays where it was.
    const settled = heap.slice(1);
    expect(end - Math.min(...settled)).toBeLessThan(HEAP_GROWTH_LIMIT_MB);
    if (LONG) {
      latencies.sort((a, b) => a - b);
      const at = (p: number) =>
        latencies[
          Math.min(latencies.length - 1, Math.floor(p * latencies.length))
        ].toFixed(1);
      // eslint-disable-next-line no-console
      console.log(
        `load: ${CLIENTS} clients, ${seconds.toFixed(1)} s, ${
          refs.length
        } clusters: ${requests} requests (${(requests / seconds).toFixed(
          0,
        )}/s), ` +
          `p50 ${at(0.5)} ms, p99 ${at(0.99)} ms, statuses ${JSON.stringify(
            Object.fromEntries(statuses),
          )}, ` +
          `heap after GC ${settled
            .map(h => h.toFixed(0))
            .join(' ')} → ${end.toFixed(0)} MB`,
      );
    }
  });
});
