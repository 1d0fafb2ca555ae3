import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import {
  readRecordedManagementCluster,
  readRecordedRegion,
} from '@clusterdeck/plugin-aws-clusters-node';

/**
 * The readers of the recorded layout (one file per SDK operation, one kubectl list per kind) on
 * files a platform team may get wrong: each mistake is an error naming the file and what is
 * wrong with it, and the rest of the folder is still read.
 */
let dir: string;
beforeEach(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'recorded-layout-'));
});
afterEach(() => {
  fs.rmSync(dir, { recursive: true, force: true });
});

const write = (file: string, text: string) =>
  fs.writeFileSync(path.join(dir, file), text);

const SUBNETS = JSON.stringify({
  $metadata: { httpStatusCode: 200 },
  Subnets: [{ SubnetId: 'subnet-0a1b2c3d4e5f60001', VpcId: 'vpc-1' }],
});

const region = () =>
  readRecordedRegion(dir, '123456789012', 'eu-west-1', 'aws/123456789012');
const managementCluster = () =>
  readRecordedManagementCluster(dir, 'mc-test', 'management-clusters/mc-test');

describe('readRecordedRegion', () => {
  it('reads outputs and lists of pages, and leaves the lists of missing files empty', async () => {
    write('ec2.DescribeSubnets.json', SUBNETS);
    write(
      'ec2.DescribeVpcs.json',
      JSON.stringify([
        { Vpcs: [{ VpcId: 'vpc-1' }], NextToken: 'page-2' },
        { Vpcs: [{ VpcId: 'vpc-2' }] },
      ]),
    );
    write('recorded.json', '{ "fetchedAt": "2026-10-15T12:00:00.000Z" }');
    const snapshot = await region();
    expect(snapshot.errors).toEqual([]);
    expect(snapshot.fetchedAt).toBe('2026-10-15T12:00:00.000Z');
    expect(snapshot.vpcs.map(v => v.VpcId)).toEqual(['vpc-1', 'vpc-2']);
    expect(snapshot.subnets).toHaveLength(1);
    expect(snapshot.natGateways).toEqual([]);
  });

  it('names a file of an operation the collector does not read', async () => {
    write('ec2.DescribeSubnets.json', SUBNETS);
    write('ec2.DescribeFoo.json', '{ "Foos": [] }');
    const snapshot = await region();
    expect(snapshot.errors).toEqual([
      expect.objectContaining({
        source: 'aws:123456789012:eu-west-1',
        operation: 'read aws/123456789012/ec2.DescribeFoo.json',
        code: 'UnknownFile',
        message: expect.stringMatching(
          /^ec2\.DescribeFoo\.json is not the output of an operation the collector reads/,
        ),
      }),
    ]);
    expect(snapshot.subnets).toHaveLength(1);
  });

  it('names the field of an output that is not a list, and keeps the other lists', async () => {
    write('ec2.DescribeSubnets.json', SUBNETS);
    write('ec2.DescribeVpcs.json', '{ "Vpcs": {} }');
    const snapshot = await region();
    expect(snapshot.errors).toEqual([
      expect.objectContaining({
        operation: 'read aws/123456789012/ec2.DescribeVpcs.json',
        code: 'MalformedSnapshot',
        message: 'ec2.DescribeVpcs.json: Vpcs is not a list',
      }),
    ]);
    expect(snapshot.vpcs).toEqual([]);
    expect(snapshot.subnets).toHaveLength(1);
  });

  it('names a file that is not JSON, or holds no command output', async () => {
    write('ec2.DescribeVpcs.json', '{ "Vpcs": [');
    write('ec2.DescribeSubnets.json', '[1, 2]');
    const errors = (await region()).errors.map(e => [e.code, e.message]);
    expect(errors).toEqual([
      [
        'MalformedSnapshot',
        expect.stringMatching(/^ec2\.DescribeVpcs\.json is not valid JSON: /),
      ],
      [
        'MalformedSnapshot',
        'ec2.DescribeSubnets.json holds neither a command output nor a list of them',
      ],
    ]);
  });
});

describe('readRecordedManagementCluster', () => {
  const cluster = (name: string) => ({
    apiVersion: 'cluster.x-k8s.io/v1beta2',
    kind: 'Cluster',
    metadata: { name, namespace: 'org-shop' },
  });

  it('reads a kubectl list and a single object', async () => {
    write(
      'clusters.yaml',
      JSON.stringify({ apiVersion: 'v1', kind: 'List', items: [cluster('a')] }),
    );
    write(
      'awsclusterroleidentities.yaml',
      'apiVersion: infrastructure.cluster.x-k8s.io/v1beta2\nkind: AWSClusterRoleIdentity\nmetadata:\n  name: prod\n',
    );
    const mc = await managementCluster();
    expect(mc.errors).toEqual([]);
    expect(mc.objects.clusters.map(c => c.metadata.name)).toEqual(['a']);
    expect(mc.objects.awsClusterRoleIdentities).toHaveLength(1);
  });

  it('names a file of a kind the collector does not read', async () => {
    write('widgets.yaml', 'apiVersion: v1\nkind: List\nitems: []\n');
    const mc = await managementCluster();
    expect(mc.errors).toEqual([
      expect.objectContaining({
        source: 'kubernetes:mc-test',
        operation: 'read management-clusters/mc-test/widgets.yaml',
        code: 'UnknownFile',
        message: expect.stringMatching(
          /^widgets\.yaml names no kind the collector reads \(clusters, awsclusters, /,
        ),
      }),
    ]);
  });

  it('names a file that is not YAML, and objects of the wrong kind, keeping the rest', async () => {
    write('machinepools.yaml', 'items: [\n');
    write(
      'clusters.yaml',
      JSON.stringify({
        apiVersion: 'v1',
        kind: 'List',
        items: [
          cluster('a'),
          { ...cluster('b'), kind: 'AWSCluster' },
          { kind: 'Cluster', metadata: {} },
        ],
      }),
    );
    const mc = await managementCluster();
    expect(mc.errors.map(e => [e.code, e.message])).toEqual([
      [
        'MalformedSnapshot',
        'clusters.yaml holds an object that is not a Cluster with a name',
      ],
      [
        'MalformedSnapshot',
        'clusters.yaml holds an object that is not a Cluster with a name',
      ],
      [
        'MalformedSnapshot',
        expect.stringMatching(/^machinepools\.yaml is not valid YAML: /),
      ],
    ]);
    expect(mc.objects.clusters.map(c => c.metadata.name)).toEqual(['a']);
  });
});
