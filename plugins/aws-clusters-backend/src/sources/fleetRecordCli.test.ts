import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Config } from '@backstage/config';
import {
  emptyAwsRegionSnapshot,
  FleetSource,
  readClusterdeckConfig,
  SnapshotSource,
} from '@clusterdeck/plugin-aws-clusters-node';
import { runFleetRecord } from './fleetRecordCli';

const dirs: string[] = [];
function tempDir() {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'fleet-record-'));
  dirs.push(dir);
  return dir;
}
afterAll(() =>
  dirs.forEach(d => fs.rmSync(d, { recursive: true, force: true })),
);

const APP_CONFIG = `
clusterdeck:
  accounts:
    - { id: "123456789012", name: production, environment: production, accessModel: audited-no-access, regions: [eu-west-1], externalId: "\${RECORD_EXTERNAL_ID}" }
  snapshot:
    directory: ./not-read
`;

/** A source that answers like the AWS collector, with one failed call. */
function fakeAws(seen: Config[]): (config: Config) => FleetSource[] {
  return config => {
    seen.push(config);
    return [
      {
        name: 'aws',
        async collect() {
          const region = emptyAwsRegionSnapshot(
            '123456789012',
            'eu-west-1',
            '2026-10-15T12:00:00.000Z',
          );
          region.vpcs = [
            { VpcId: 'vpc-0123456789abcdef0', CidrBlock: '10.0.0.0/16' },
          ];
          region.errors = [
            {
              source: 'aws:123456789012:eu-west-1',
              operation: 'DescribeNatGateways',
              code: 'AccessDenied',
              message: 'not allowed',
              at: '2026-10-15T12:00:00.000Z',
            },
          ];
          return { aws: [region] };
        },
      },
    ];
  };
}

describe('fleet-record', () => {
  it('writes what the sources read as a snapshot folder the snapshot source serves, listing failed calls', async () => {
    const cwd = tempDir();
    fs.writeFileSync(path.join(cwd, 'app-config.yaml'), APP_CONFIG);
    const seen: Config[] = [];
    const outcome = await runFleetRecord(['--out', 'recorded'], {
      cwd,
      sources: fakeAws(seen),
      env: { RECORD_EXTERNAL_ID: 'ext-1' },
    });
    expect(outcome).toMatchObject({ exitCode: 0 });
    expect(outcome.stdout).toMatch(
      /recorded 1 account regions and 0 management clusters: 1 files/,
    );
    expect(outcome.stderr).toMatch(
      /aws:123456789012:eu-west-1 DescribeNatGateways: AccessDenied: not allowed/,
    );
    expect(readClusterdeckConfig(seen[0]).accounts[0].externalId).toBe('ext-1');
    const read = await new SnapshotSource({
      directory: path.join(cwd, 'recorded'),
    }).collect();
    expect(read.aws![0]).toMatchObject({
      accountId: '123456789012',
      vpcs: [{ VpcId: 'vpc-0123456789abcdef0' }],
    });
    expect(read.aws![0].errors).toHaveLength(1);
  });

  it('says which environment variables it read as empty, and needs --out', async () => {
    const cwd = tempDir();
    fs.writeFileSync(path.join(cwd, 'app-config.yaml'), APP_CONFIG);
    const outcome = await runFleetRecord(['--out', 'x'], {
      cwd,
      sources: fakeAws([]),
      env: {},
    });
    expect(outcome.stderr).toMatch(
      /environment variables not set \(read as empty\): RECORD_EXTERNAL_ID/,
    );
    expect(
      (await runFleetRecord([], { cwd, sources: fakeAws([]) })).exitCode,
    ).not.toBe(0);
  });

  it('fails on a configuration the backend would refuse, naming the key', async () => {
    const cwd = tempDir();
    fs.writeFileSync(
      path.join(cwd, 'bad.yaml'),
      'clusterdeck:\n  accounts: [{ id: "12", name: x, environment: production, accessModel: audited-no-access, regions: [eu-west-1] }]\n',
    );
    const outcome = await runFleetRecord(
      ['--config', 'bad.yaml', '--out', 'x'],
      { cwd, sources: fakeAws([]) },
    );
    expect(outcome).toMatchObject({
      exitCode: 1,
      stderr: expect.stringMatching(/clusterdeck\.accounts\[0\]\.id/),
    });
  });
});
