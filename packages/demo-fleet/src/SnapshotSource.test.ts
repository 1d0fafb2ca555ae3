import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { buildDemoFleet, DEMO_FLEET_DIR } from './buildDemoFleet';
import { runFleetGenerate } from './fleetGenerateCli';
import { generateFleet } from './generateFleet';
import {
  snapshotFiles,
  SnapshotSource,
  writeSnapshotDirectory,
} from '@clusterdeck/plugin-aws-clusters-node';

function tempDir(): string {
  return fs.mkdtempSync(path.join(os.tmpdir(), 'clusterdeck-snapshot-'));
}

describe('SnapshotSource', () => {
  const dirs: string[] = [];
  const dir = () => {
    const d = tempDir();
    dirs.push(d);
    return d;
  };
  afterAll(() =>
    dirs.forEach(d => fs.rmSync(d, { recursive: true, force: true })),
  );

  it('serves the committed demo fleet exactly as the simulator builds it from fleet.yaml', async () => {
    const collected = await new SnapshotSource({
      directory: DEMO_FLEET_DIR,
    }).collect();
    const built = JSON.parse(JSON.stringify(buildDemoFleet()));
    expect(
      collected.aws!.map(r => `${r.accountId}/${r.region}`).sort(),
    ).toEqual(built.aws.map((r: any) => `${r.accountId}/${r.region}`).sort());
    for (const region of built.aws) {
      expect(
        collected.aws!.find(
          r => r.accountId === region.accountId && r.region === region.region,
        ),
      ).toEqual(region);
    }
    expect(collected.managementClusters!.map(m => m.name).sort()).toEqual([
      'mc-eu-dev',
      'mc-eu-prod',
    ]);
    for (const mc of built.managementClusters) {
      expect(
        collected.managementClusters!.find(m => m.name === mc.name),
      ).toEqual(mc);
    }
  });

  it('covers what the demo must show: three accounts, two management clusters and eight or more workload clusters', async () => {
    const { aws, managementClusters } = await new SnapshotSource({
      directory: DEMO_FLEET_DIR,
    }).collect();
    expect(new Set(aws!.map(r => r.accountId))).toEqual(
      new Set(['123456789012', '444455556666', '111122223333']),
    );
    const clusters = managementClusters!.flatMap(m => m.objects.clusters);
    expect(clusters.length).toBeGreaterThanOrEqual(8);
    expect(
      managementClusters!.flatMap(m => m.objects.awsManagedControlPlanes)
        .length,
    ).toBeGreaterThan(0);
    expect(
      managementClusters!.flatMap(m => m.objects.karpenterMachinePools).length,
    ).toBeGreaterThan(0);
    expect(
      managementClusters!.flatMap(m => m.objects.awsManagedMachinePools).length,
    ).toBeGreaterThan(0);
    expect(
      aws!.flatMap(r => r.transitGatewayAttachments).length,
    ).toBeGreaterThan(0);
    expect(aws!.flatMap(r => r.vpcPeeringConnections).length).toBeGreaterThan(
      0,
    );
    const schemes = new Set(
      aws!.flatMap(r => r.loadBalancers.map(lb => lb.Scheme)),
    );
    expect(schemes).toEqual(new Set(['internet-facing', 'internal']));
  });

  it('turns a malformed file into an error of the snapshot it stands for, and keeps reading the rest', async () => {
    const d = dir();
    writeSnapshotDirectory(
      d,
      generateFleet({ accounts: 2, clusters: 4, regions: 1, seed: 'bad-file' }),
    );
    const [accountId] = fs.readdirSync(path.join(d, 'aws')).sort();
    const [file] = fs.readdirSync(path.join(d, 'aws', accountId));
    fs.writeFileSync(path.join(d, 'aws', accountId, file), '{ not json');
    const { aws } = await new SnapshotSource({ directory: d }).collect();
    const broken = aws!.find(r => r.accountId === accountId)!;
    expect(broken.vpcs).toEqual([]);
    expect(broken.errors).toEqual([
      expect.objectContaining({
        code: 'MalformedSnapshot',
        operation: expect.stringContaining(file),
      }),
    ]);
    expect(
      aws!
        .filter(r => r.accountId !== accountId)
        .every(r => r.errors.length === 0 && r.vpcs.length > 0),
    ).toBe(true);
  });

  it('names the field of a file with the wrong shape', async () => {
    const d = dir();
    fs.mkdirSync(path.join(d, 'aws', '123456789012'), { recursive: true });
    fs.writeFileSync(
      path.join(d, 'aws', '123456789012', 'eu-west-1.json'),
      JSON.stringify({ accountId: '123', region: 'eu-west-1', fetchedAt: 'x' }),
    );
    const { aws } = await new SnapshotSource({ directory: d }).collect();
    expect(aws![0].errors[0].message).toMatch(/accountId/);
  });

  it('fails as a whole only when the directory is missing', async () => {
    await expect(
      new SnapshotSource({ directory: path.join(tempDir(), 'nope') }).collect(),
    ).rejects.toThrow(/does not exist/);
  });
});

describe('fleet-generate', () => {
  it('writes a synthetic fleet of the size asked for, the same for the same seed', async () => {
    const out = tempDir();
    try {
      const outcome = runFleetGenerate([
        '--accounts',
        '3',
        '--clusters',
        '12',
        '--regions',
        '2',
        '--out',
        out,
      ]);
      expect(outcome.exitCode).toBe(0);
      expect(outcome.stdout).toMatch(
        /generated 3 accounts x 12 clusters over 2 regions/,
      );
      const { aws, managementClusters } = await new SnapshotSource({
        directory: out,
      }).collect();
      expect(aws).toHaveLength(6);
      expect(managementClusters!.flatMap(m => m.objects.clusters)).toHaveLength(
        12,
      );
      const again = snapshotFiles(
        generateFleet({
          accounts: 3,
          clusters: 12,
          regions: 2,
          seed: 'clusterdeck',
        }),
      );
      for (const [file, text] of again)
        expect(fs.readFileSync(path.join(out, file), 'utf8')).toBe(text);
    } finally {
      fs.rmSync(out, { recursive: true, force: true });
    }
  });

  it('rejects bad arguments naming the option', () => {
    expect(
      runFleetGenerate([
        '--accounts',
        '0',
        '--clusters',
        '1',
        '--out',
        '/tmp/x',
      ]),
    ).toEqual(
      expect.objectContaining({
        exitCode: 1,
        stderr: expect.stringMatching(
          /--accounts must be a whole number from 1/,
        ),
      }),
    );
    expect(runFleetGenerate(['--accounts', '2'])).toEqual(
      expect.objectContaining({
        exitCode: 1,
        stderr: expect.stringMatching(/--clusters and --out/),
      }),
    );
  });

  it('reports the committed demo fleet as up to date', () => {
    expect(runFleetGenerate(['--demo', '--check'])).toEqual(
      expect.objectContaining({
        exitCode: 0,
        stdout: 'the demo fleet is up to date\n',
      }),
    );
  });
});
