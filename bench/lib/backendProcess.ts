import { ChildProcess } from 'node:child_process';
import net from 'node:net';
import { sleep } from './stats';

/**
 * What the catalog and the scaffolder may read of the fleet as services, and what the
 * benchmark's static external-access token (subject `bench`) may: a grant each needs.
 */
export const BENCH_SERVICE_GRANTS = {
  services: [
    { subject: 'plugin:catalog', allow: ['aws-clusters.cluster.read'] },
    {
      subject: 'plugin:scaffolder',
      allow: ['aws-clusters.cluster.read', 'aws-clusters.cidr-allocation.read'],
    },
    { subject: 'bench', allow: ['aws-clusters.cluster.read'] },
  ],
};

/** A TCP port on 127.0.0.1 that nothing listens on now. */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as net.AddressInfo;
      server.close(() => resolve(port));
    });
  });
}

/**
 * Waits until a backend started by a benchmark serves the whole generated fleet, and returns its
 * clusters; throws when the process exits or the time runs out.
 */
export async function waitForFleet(
  base: string,
  token: string,
  clusters: number,
  child: ChildProcess,
  timeoutMs: number,
) {
  const deadline = Date.now() + timeoutMs;
  let last = '';
  while (Date.now() < deadline) {
    if (child.exitCode !== null)
      throw new Error(`the backend exited with ${child.exitCode}; see its log`);
    try {
      const res = await fetch(`${base}/api/aws-clusters/clusters`, {
        headers: { authorization: `Bearer ${token}` },
      });
      last = `${res.status}`;
      if (res.ok) {
        const body: any = await res.json();
        last = `${body.items.length} clusters`;
        if (body.items.length === clusters)
          return body.items as Array<{ ref: string }>;
      }
    } catch (error) {
      last = (error as Error).message;
    }
    await sleep(500);
  }
  throw new Error(
    `the backend did not serve ${clusters} clusters within ${
      timeoutMs / 1000
    } s (last: ${last})`,
  );
}
