import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Readable } from 'node:stream';
import { DescribeScalingActivitiesCommand } from '@aws-sdk/client-auto-scaling';
import {
  DescribeAvailabilityZonesCommand,
  DescribeInstancesCommand,
  DescribeSecurityGroupsCommand,
  DescribeSubnetsCommand,
  DescribeTransitGatewaysCommand,
  DescribeVpcsCommand,
  EC2Client,
} from '@aws-sdk/client-ec2';
import {
  DescribeClusterCommand,
  DescribeClusterVersionsCommand,
  DescribeNodegroupCommand,
  ListClustersCommand,
  ListNodegroupsCommand,
} from '@aws-sdk/client-eks';
import { DescribeTagsCommand as DescribeClassicTagsCommand } from '@aws-sdk/client-elastic-load-balancing';
import { DescribeTagsCommand } from '@aws-sdk/client-elastic-load-balancing-v2';
import { AssumeRoleCommand, STSClient } from '@aws-sdk/client-sts';
import { ConfigReader } from '@backstage/config';
import { mockClient } from 'aws-sdk-client-mock';
import {
  AWS_LIST_KEYS,
  AwsRegionSnapshot,
  DEFAULT_AWS_LIMITS,
  readClusterdeckConfig,
  SnapshotSource,
  writeSnapshotDirectory,
} from '@clusterdeck/plugin-aws-clusters-node';
import {
  AwsClientConfig,
  AwsCollector,
  AwsCollectorOptions,
  createRegionClients,
} from './AwsCollector';
import {
  ACCOUNT_A,
  ACCOUNT_B,
  account,
  accountOf,
  answerFrom,
  AwsMocks,
  createMocks,
  fakeCredentials,
  NETWORK_ACCOUNT,
  regionData,
} from './__testUtils__/mockAwsRegion';

function collector(options: Partial<AwsCollectorOptions> = {}) {
  return new AwsCollector({
    accounts: [account(ACCOUNT_A)],
    credentials: fakeCredentials(),
    ...options,
  });
}

function only(
  snapshot: Partial<{ aws: AwsRegionSnapshot[] }>,
): AwsRegionSnapshot {
  expect(snapshot.aws).toHaveLength(1);
  return snapshot.aws![0];
}

let mocks: AwsMocks;
beforeEach(() => {
  mocks = createMocks();
});
afterEach(() => {
  mocks.restore();
});

describe('AwsCollector', () => {
  it('reads every list page by page, with the page sizes the APIs take', async () => {
    answerFrom(mocks, () => regionData(3), { pageSize: 2 });
    const aws = collector({ scalingActivitiesPerGroup: 10 });
    const s = only(await aws.collect());

    expect(s.errors).toEqual([]);
    expect(s.vpcs.map(v => v.VpcId)).toEqual(['vpc-0', 'vpc-1', 'vpc-2']);
    expect(s.subnets).toHaveLength(6);
    expect(s.routeTables).toHaveLength(3);
    expect(s.internetGateways).toHaveLength(3);
    expect(s.natGateways).toHaveLength(3);
    expect(s.transitGatewayAttachments).toHaveLength(3);
    expect(s.vpcPeeringConnections).toHaveLength(3);
    expect(s.instances.map(i => i.InstanceId)).toEqual([
      'i-0a',
      'i-0b',
      'i-1a',
      'i-1b',
      'i-2a',
      'i-2b',
    ]);
    expect(s.loadBalancers).toHaveLength(3);
    expect(s.classicLoadBalancers).toHaveLength(3);
    expect(s.securityGroups.map(g => g.GroupId)).toEqual([
      'sg-0',
      'sg-1',
      'sg-2',
    ]);
    expect(s.autoScalingGroups).toHaveLength(3);
    expect(s.scalingActivities).toHaveLength(9);
    expect(s.eksClusters.map(c => c.name).sort()).toEqual([
      'eks-0',
      'eks-1',
      'eks-2',
    ]);
    expect(s.eksNodegroups).toHaveLength(9);

    const calls = aws.lastStats!.regions[0].calls;
    // Three items a list at two a page: two pages each; six subnets: three pages.
    for (const op of [
      'DescribeVpcs',
      'DescribeRouteTables',
      'DescribeInternetGateways',
      'DescribeNatGateways',
      'DescribeTransitGatewayVpcAttachments',
      'DescribeVpcPeeringConnections',
      'DescribeInstances',
      'DescribeSecurityGroups',
      'elbv2:DescribeLoadBalancers',
      'elb:DescribeLoadBalancers',
      'DescribeAutoScalingGroups',
      'ListClusters',
    ]) {
      expect([op, calls[op]]).toEqual([op, 2]);
    }
    expect(calls.DescribeSubnets).toBe(3);
    expect(calls.DescribeScalingActivities).toBe(5);
    expect(calls.ListNodegroups).toBe(6);
    expect(
      mocks.ec2.commandCalls(DescribeVpcsCommand)[0].args[0].input,
    ).toMatchObject({ MaxResults: 1000 });
    expect(
      mocks.ec2.commandCalls(DescribeVpcsCommand)[1].args[0].input,
    ).toMatchObject({ NextToken: 'p2' });
  });

  it('asks only for instances that carry a cluster tag, with wildcard tag-key filters', async () => {
    answerFrom(mocks, () => regionData(1));
    await collector().collect();
    const input = mocks.ec2.commandCalls(DescribeInstancesCommand)[0].args[0]
      .input;
    expect(input.Filters).toContainEqual({
      Name: 'tag-key',
      Values: [
        'sigs.k8s.io/cluster-api-provider-aws/cluster/*',
        'kubernetes.io/cluster/*',
      ],
    });
  });

  it('reads load balancer tags in batches of at most 20', async () => {
    answerFrom(mocks, () => regionData(45));
    const s = only(await collector().collect());
    expect(s.errors).toEqual([]);
    const v2 = mocks.elbv2
      .commandCalls(DescribeTagsCommand)
      .map(c => c.args[0].input.ResourceArns!.length);
    const classic = mocks.elb
      .commandCalls(DescribeClassicTagsCommand)
      .map(c => c.args[0].input.LoadBalancerNames!.length);
    expect(v2.sort()).toEqual([20, 20, 5]);
    expect(classic.sort()).toEqual([20, 20, 5]);
    expect(
      s.loadBalancers.every(
        lb =>
          lb.Tags?.[0]?.Key ===
          `kubernetes.io/cluster/c${lb.LoadBalancerName!.slice(3)}`,
      ),
    ).toBe(true);
    expect(
      s.classicLoadBalancers.every(
        lb =>
          lb.Tags?.[0]?.Key ===
          `kubernetes.io/cluster/c${lb.LoadBalancerName!.slice(4)}`,
      ),
    ).toBe(true);
  });

  it('reads scaling activities with one region-wide call and keeps the newest per group', async () => {
    answerFrom(mocks, () => regionData(50));
    const s = only(await collector({ scalingActivitiesPerGroup: 2 }).collect());
    const calls = mocks.autoScaling.commandCalls(
      DescribeScalingActivitiesCommand,
    );
    expect(calls).toHaveLength(1);
    expect(calls[0].args[0].input.AutoScalingGroupName).toBeUndefined();
    expect(s.scalingActivities).toHaveLength(100);
    const ofFirst = s.scalingActivities
      .filter(a => a.AutoScalingGroupName === 'c0-pool0')
      .map(a => a.ActivityId);
    expect(ofFirst).toEqual(['c0-act-2', 'c0-act-1']);
  });

  it('makes as many calls for 50 clusters as for 1, once EKS describes are cached', async () => {
    const counts: Record<
      number,
      { first: Record<string, number>; second: Record<string, number> }
    > = {};
    for (const n of [1, 50]) {
      mocks.restore();
      mocks = createMocks();
      // Pages hold every item, so that only calls per cluster could make the counts differ.
      answerFrom(mocks, () => regionData(n), { pageSize: 10_000 });
      const aws = collector();
      const first = only(await aws.collect());
      expect(first.eksClusters).toHaveLength(n);
      const firstCalls = aws.lastStats!.regions[0].calls;
      const second = only(await aws.collect());
      expect(second.errors).toEqual([]);
      expect(second.eksClusters).toHaveLength(n);
      expect(second.eksNodegroups).toHaveLength(3 * n);
      counts[n] = {
        first: firstCalls,
        second: aws.lastStats!.regions[0].calls,
      };
    }
    // The first collection describes each EKS cluster once; later ones reuse the describes.
    expect(counts[1].first.DescribeCluster).toBe(1);
    expect(counts[50].first.DescribeCluster).toBe(50);
    // Tags are read 20 load balancers a call: a page of the list, not a call per cluster.
    const {
      ['elbv2:DescribeTags']: v2Tags50,
      ['elb:DescribeTags']: tags50,
      ...rest50
    } = counts[50].second;
    const {
      ['elbv2:DescribeTags']: v2Tags1,
      ['elb:DescribeTags']: tags1,
      ...rest1
    } = counts[1].second;
    expect([v2Tags1, tags1, v2Tags50, tags50]).toEqual([1, 1, 3, 3]);
    expect(rest50).toEqual(rest1);
    // One call per list, DescribeSecurityGroups, the zones, the transit gateways and the EKS versions included.
    expect(Object.values(rest1).reduce((a, b) => a + b, 0)).toBe(17);
  });

  it("reads only the load balancers' security groups, by id, at most 200 a call", async () => {
    answerFrom(mocks, () => regionData(250));
    const s = only(await collector().collect());
    expect(s.errors).toEqual([]);
    const calls = mocks.ec2
      .commandCalls(DescribeSecurityGroupsCommand)
      .map(c => c.args[0].input);
    const batches = calls.map(
      input => input.Filters!.find(f => f.Name === 'group-id')!.Values!.length,
    );
    expect(batches.sort((a, b) => a - b)).toEqual([50, 200]);
    expect(calls.every(input => input.GroupIds === undefined)).toBe(true);
    expect(s.securityGroups).toHaveLength(250);
    expect(s.securityGroups[0].IpPermissions?.[0].IpRanges?.[0].CidrIp).toBe(
      '0.0.0.0/0',
    );
  });

  it('retries a throttled call with the SDK adaptive retry mode', async () => {
    mocks.ec2.restore();
    answerFrom(mocks, () => regionData(1));
    const actions: string[] = [];
    let vpcAttempts = 0;
    const xml = (body: string, status = 200) => ({
      response: {
        statusCode: status,
        headers: { 'content-type': 'text/xml' },
        body: Readable.from([Buffer.from(body)]),
      },
    });
    const handler = {
      handle: async (request: { body: string }) => {
        const action = new URLSearchParams(request.body).get('Action')!;
        actions.push(action);
        if (action === 'DescribeVpcs' && ++vpcAttempts === 1) {
          return xml(
            '<Response><Errors><Error><Code>RequestLimitExceeded</Code><Message>Request limit exceeded.</Message></Error></Errors><RequestID>1</RequestID></Response>',
            503,
          );
        }
        if (action === 'DescribeVpcs') {
          return xml(
            '<DescribeVpcsResponse xmlns="http://ec2.amazonaws.com/doc/2016-11-15/"><requestId>2</requestId><vpcSet><item><vpcId>vpc-0123456789abcdef0</vpcId></item></vpcSet></DescribeVpcsResponse>',
          );
        }
        return xml(
          `<${action}Response xmlns="http://ec2.amazonaws.com/doc/2016-11-15/"><requestId>3</requestId></${action}Response>`,
        );
      },
      updateHttpClientConfig: () => {},
      httpHandlerConfigs: () => ({}),
    };
    const seen: AwsClientConfig[] = [];
    const withHandler = (config: AwsClientConfig) => {
      seen.push(config);
      return {
        ...createRegionClients(config),
        ec2: new EC2Client({ ...config, requestHandler: handler as any }),
      };
    };
    const aws = collector({ clientFactory: withHandler });
    const s = only(await aws.collect());
    expect(seen[0]).toMatchObject({
      retryMode: 'adaptive',
      maxAttempts: 3,
      region: 'eu-west-1',
    });
    expect(vpcAttempts).toBe(2);
    expect(actions.filter(a => a === 'DescribeSubnets')).toHaveLength(1);
    expect(s.vpcs.map(v => v.VpcId)).toEqual(['vpc-0123456789abcdef0']);
    expect(s.errors).toEqual([]);
    // One call as the collector counts it; the retry happened inside the SDK.
    expect(aws.lastStats!.regions[0].calls.DescribeVpcs).toBe(1);

    // With one attempt allowed the throttling surfaces as the list's error.
    vpcAttempts = 0;
    const once = collector({ maxAttempts: 1, clientFactory: withHandler });
    const failed = only(await once.collect());
    expect(failed.vpcs).toEqual([]);
    expect(failed.errors).toEqual([
      expect.objectContaining({
        operation: 'DescribeVpcs',
        code: 'RequestLimitExceeded',
        source: `aws:${ACCOUNT_A}:eu-west-1`,
      }),
    ]);
  }, 30_000);

  it('records a denied call as an error of that list and fills the others', async () => {
    answerFrom(mocks, () => regionData(2));
    mocks.ec2
      .on(DescribeSubnetsCommand)
      .rejects(
        Object.assign(
          new Error('You are not authorized to perform this operation.'),
          { name: 'UnauthorizedOperation' },
        ),
      );
    const s = only(await collector().collect());
    expect(s.subnets).toEqual([]);
    expect(s.errors).toEqual([
      {
        source: `aws:${ACCOUNT_A}:eu-west-1`,
        operation: 'DescribeSubnets',
        code: 'UnauthorizedOperation',
        message: 'You are not authorized to perform this operation.',
        at: expect.any(String),
      },
    ]);
    expect(s.vpcs).toHaveLength(2);
    expect(s.loadBalancers).toHaveLength(2);
    expect(s.eksClusters).toHaveLength(2);
  });

  it('gives up on a call that does not answer within callTimeoutMs', async () => {
    answerFrom(mocks, () => regionData(1));
    mocks.ec2.on(DescribeSubnetsCommand).callsFake(() => new Promise(() => {}));
    const started = Date.now();
    const s = only(
      await collector({ limits: { callTimeoutMs: 150 } }).collect(),
    );
    expect(Date.now() - started).toBeLessThan(2000);
    expect(s.errors).toEqual([
      expect.objectContaining({
        operation: 'DescribeSubnets',
        code: 'TimeoutError',
      }),
    ]);
    expect(s.vpcs).toHaveLength(1);
  });

  it('keeps a denied account to itself', async () => {
    // Every call made with account B's credentials is refused.
    answerFrom(mocks, acc => {
      if (acc === ACCOUNT_B)
        throw Object.assign(new Error('not authorized'), {
          name: 'AccessDenied',
        });
      return regionData(1);
    });
    const snapshot = await collector({
      accounts: [
        account(ACCOUNT_A),
        account(ACCOUNT_B, ['eu-west-1', 'us-east-1']),
      ],
    }).collect();
    expect(snapshot.aws).toHaveLength(3);
    const [a, ...b] = snapshot.aws!;
    expect(a.errors).toEqual([]);
    expect(a.vpcs).toHaveLength(1);
    for (const region of b) {
      expect(region.accountId).toBe(ACCOUNT_B);
      expect(region.vpcs).toEqual([]);
      expect(region.errors.length).toBeGreaterThan(5);
      expect(
        region.errors.every(
          e => e.source === `aws:${ACCOUNT_B}:${region.region}`,
        ),
      ).toBe(true);
    }
  });

  it('keeps the calls in flight under both caps', async () => {
    let inFlight = 0;
    let max = 0;
    const perAccount: Record<string, number> = {};
    const maxPerAccount: Record<string, number> = {};
    answerFrom(mocks, () => regionData(2), {
      pageSize: 1,
      delayMs: 5,
      onCall: (_op, acc) => {
        inFlight += 1;
        perAccount[acc] = (perAccount[acc] ?? 0) + 1;
        max = Math.max(max, inFlight);
        maxPerAccount[acc] = Math.max(maxPerAccount[acc] ?? 0, perAccount[acc]);
        return () => {
          inFlight -= 1;
          perAccount[acc] -= 1;
        };
      },
    });
    const aws = collector({
      accounts: [
        account(ACCOUNT_A, ['eu-west-1', 'us-east-1']),
        account(ACCOUNT_B, ['eu-west-1', 'us-east-1']),
      ],
      limits: { concurrency: 3, concurrencyPerAccount: 2 },
    });
    const snapshot = await aws.collect();
    expect(
      snapshot.aws!.every(s => s.errors.length === 0 && s.vpcs.length === 2),
    ).toBe(true);
    expect(max).toBe(3);
    expect(maxPerAccount[ACCOUNT_A]).toBe(2);
    expect(maxPerAccount[ACCOUNT_B]).toBe(2);
    expect(aws.lastStats!.maxInFlight).toBe(3);
  });

  it('keeps to the default caps: 128 calls in flight in all, 4 per account', async () => {
    expect(DEFAULT_AWS_LIMITS).toMatchObject({
      concurrency: 128,
      concurrencyPerAccount: 4,
    });
    let inFlight = 0;
    let max = 0;
    const perAccount: Record<string, number> = {};
    let maxPerAccount = 0;
    answerFrom(mocks, () => regionData(2), {
      delayMs: 20,
      onCall: (_op, acc) => {
        inFlight += 1;
        perAccount[acc] = (perAccount[acc] ?? 0) + 1;
        max = Math.max(max, inFlight);
        maxPerAccount = Math.max(maxPerAccount, perAccount[acc]);
        return () => {
          inFlight -= 1;
          perAccount[acc] -= 1;
        };
      },
    });
    // 40 accounts of 4 calls at once would be 160 in flight: the overall cap must hold them to 128.
    const ids = Array.from({ length: 40 }, (_, i) => String(100000000000 + i));
    const aws = collector({
      accounts: ids.map(id => account(id, ['eu-west-1', 'us-east-1'])),
    });
    const snapshot = await aws.collect();
    expect(snapshot.aws!.every(r => r.errors.length === 0)).toBe(true);
    expect(max).toBe(128);
    expect(maxPerAccount).toBe(4);
    expect(aws.lastStats!.maxInFlight).toBe(128);
  });

  it('takes the node groups of an EKS cluster from its Auto Scaling groups when they name them all', async () => {
    const named = regionData(2);
    named.AutoScalingGroups = named.AutoScalingGroups.map((g, i) => ({
      ...g,
      Tags: [...g.Tags, { Key: 'eks:nodegroup-name', Value: `eks-${i}-ng0` }],
    }));
    // eks-1 has a second group without the node group tag: its names come from ListNodegroups.
    named.AutoScalingGroups.push({
      ...named.AutoScalingGroups[1],
      AutoScalingGroupName: 'c1-pool1',
      Tags: [{ Key: 'eks:cluster-name', Value: 'eks-1' }],
    });
    answerFrom(mocks, () => named);
    const s = only(await collector().collect());
    expect(s.errors).toEqual([]);
    expect(
      mocks.eks
        .commandCalls(ListNodegroupsCommand)
        .map(c => c.args[0].input.clusterName),
    ).toEqual(['eks-1']);
    const described = mocks.eks
      .commandCalls(DescribeNodegroupCommand)
      .map(c => c.args[0].input.nodegroupName);
    expect(described.sort()).toEqual([
      'eks-0-ng0',
      'eks-1-ng0',
      'eks-1-ng1',
      'eks-1-ng2',
    ]);
    expect(s.eksNodegroups.map(n => n.nodegroupName).sort()).toEqual(
      described.sort(),
    );
  });

  it('asks EKS for the node group names when a group names one that is gone', async () => {
    const stale = regionData(1);
    stale.AutoScalingGroups = stale.AutoScalingGroups.map(g => ({
      ...g,
      Tags: [...g.Tags, { Key: 'eks:nodegroup-name', Value: 'eks-0-deleted' }],
    }));
    answerFrom(mocks, () => stale);
    // The answerer knows the node groups ListNodegroups names; any other is not found.
    mocks.eks.on(DescribeNodegroupCommand).callsFake(async (input: any) => {
      if (!/-ng\d$/.test(input.nodegroupName))
        throw Object.assign(
          new Error(`No node group found for name: ${input.nodegroupName}.`),
          { name: 'ResourceNotFoundException' },
        );
      return {
        nodegroup: {
          nodegroupName: input.nodegroupName,
          clusterName: input.clusterName,
        },
      };
    });
    const s = only(await collector().collect());
    expect(s.errors).toEqual([]);
    expect(mocks.eks.commandCalls(ListNodegroupsCommand)).toHaveLength(1);
    expect(s.eksNodegroups.map(n => n.nodegroupName).sort()).toEqual([
      'eks-0-ng0',
      'eks-0-ng1',
      'eks-0-ng2',
    ]);
  });

  it('asks for no scaling activities in a region without Auto Scaling groups', async () => {
    const empty = regionData(2);
    empty.AutoScalingGroups = [];
    answerFrom(mocks, () => empty);
    const s = only(await collector().collect());
    expect(s.errors).toEqual([]);
    expect(
      mocks.autoScaling.commandCalls(DescribeScalingActivitiesCommand),
    ).toHaveLength(0);
    expect(s.scalingActivities).toEqual([]);
  });

  it('reuses EKS describes until the cache expires or the node groups change', async () => {
    let data = regionData(3);
    answerFrom(mocks, () => data);
    let now = Date.UTC(2026, 0, 1);
    const aws = collector({ now: () => now });
    await aws.collect();
    expect(mocks.eks.commandCalls(DescribeClusterCommand)).toHaveLength(3);

    now += 60_000;
    const second = only(await aws.collect());
    expect(mocks.eks.commandCalls(DescribeClusterCommand)).toHaveLength(3);
    expect(second.eksClusters).toHaveLength(3);
    expect(aws.lastStats!.regions[0].eksCacheHits).toBe(3);
    expect(aws.lastStats!.regions[0].calls.DescribeNodegroup).toBeUndefined();

    // A resized node group of eks-1 shows in its Auto Scaling group: only eks-1 is described again.
    data = {
      ...data,
      AutoScalingGroups: data.AutoScalingGroups.map((g, i) =>
        i === 1 ? { ...g, DesiredCapacity: 3 } : g,
      ),
    };
    await aws.collect();
    const described = mocks.eks
      .commandCalls(DescribeClusterCommand)
      .map(c => c.args[0].input.name);
    expect(described.slice(3)).toEqual(['eks-1']);

    // A cluster gone from the list is gone from the snapshot.
    data = { ...data, eksClusters: ['eks-0', 'eks-1'] };
    expect(
      only(await aws.collect())
        .eksClusters.map(c => c.name)
        .sort(),
    ).toEqual(['eks-0', 'eks-1']);

    now += 31 * 60_000;
    await aws.collect();
    expect(mocks.eks.commandCalls(DescribeClusterCommand)).toHaveLength(6);
  });

  it('assumes the configured role with ExternalId and SourceIdentity, and reuses the session', async () => {
    answerFrom(mocks, () => regionData(1));
    const sts = mockClient(STSClient);
    sts.on(AssumeRoleCommand).callsFake(async () => ({
      Credentials: {
        AccessKeyId: `AKIA${ACCOUNT_B}`,
        SecretAccessKey: 'wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY',
        SessionToken: 'session',
        Expiration: new Date(Date.now() + 3600_000),
      },
    }));
    try {
      const credentials = fakeCredentials();
      const aws = new AwsCollector({
        accounts: [
          account(ACCOUNT_B, ['eu-west-1', 'us-east-1'], {
            roleArn: `arn:aws:iam::${ACCOUNT_B}:role/clusterdeck-read`,
            externalId: 'ext-123',
          }),
        ],
        credentials,
        sourceIdentity: 'user:default/jane',
      });
      const snapshot = await aws.collect();
      expect(
        snapshot.aws!.every(s => s.errors.length === 0 && s.vpcs.length === 1),
      ).toBe(true);
      const calls = sts.commandCalls(AssumeRoleCommand);
      expect(calls).toHaveLength(1);
      expect(calls[0].args[0].input).toEqual({
        RoleArn: `arn:aws:iam::${ACCOUNT_B}:role/clusterdeck-read`,
        RoleSessionName: 'user-default-jane',
        SourceIdentity: 'user-default-jane',
        ExternalId: 'ext-123',
        DurationSeconds: 3600,
      });
      // The role is assumed with the main account's credentials, once for both regions.
      expect(credentials.calls).toEqual([{ accountId: undefined }]);
      await aws.collect();
      expect(sts.commandCalls(AssumeRoleCommand)).toHaveLength(1);
    } finally {
      sts.restore();
    }
  });

  it('reads the zones that are up and are availability zones, keeping their names and ids', async () => {
    answerFrom(mocks, () => regionData(1));
    const s = only(await collector().collect());
    expect(s.errors).toEqual([]);
    expect(
      mocks.ec2.commandCalls(DescribeAvailabilityZonesCommand),
    ).toHaveLength(1);
    expect(
      mocks.ec2.commandCalls(DescribeAvailabilityZonesCommand)[0].args[0].input,
    ).toEqual({
      Filters: [
        { Name: 'zone-type', Values: ['availability-zone'] },
        { Name: 'state', Values: ['available'] },
      ],
    });
    expect(s.availabilityZones.map(z => [z.ZoneName, z.ZoneId])).toEqual([
      ['eu-west-1a', 'euw1-az3'],
      ['eu-west-1b', 'euw1-az1'],
      ['eu-west-1c', 'euw1-az2'],
    ]);
  });

  it('reads the transit gateways the account owns and those shared with it, page by page', async () => {
    answerFrom(mocks, () => regionData(1), { pageSize: 1 });
    const s = only(await collector().collect());
    expect(s.errors).toEqual([]);
    expect(s.transitGateways.map(t => [t.TransitGatewayId, t.OwnerId])).toEqual(
      [
        ['tgw-0a1b2c3d4e5f60718', ACCOUNT_A],
        ['tgw-0123456789abcdef0', NETWORK_ACCOUNT],
      ],
    );
    // The paginator reuses its input object, so each call's input is the last one sent.
    const calls = mocks.ec2.commandCalls(DescribeTransitGatewaysCommand);
    expect(calls).toHaveLength(2);
    expect(calls[1].args[0].input).toEqual({
      Filters: [{ Name: 'state', Values: ['available'] }],
      MaxResults: 1000,
      NextToken: 'p1',
    });
  });

  it('records a region where the zones or transit gateways cannot be read as an error of that account region only', async () => {
    answerFrom(mocks, () => regionData(1));
    const refuseIn =
      (region: string, name: string, message: string) =>
      async (_input: unknown, getClient: () => any) => {
        const client = getClient();
        if ((await client.config.region()) === region)
          throw Object.assign(new Error(message), { name });
        return {
          AvailabilityZones: regionData(1).AvailabilityZones,
          TransitGateways: [],
        };
      };
    mocks.ec2
      .on(DescribeAvailabilityZonesCommand)
      .callsFake(
        refuseIn(
          'us-east-1',
          'UnauthorizedOperation',
          'You are not authorized to perform this operation.',
        ),
      );
    mocks.ec2
      .on(DescribeTransitGatewaysCommand)
      .callsFake(refuseIn('us-east-1', 'RequestLimitExceeded', 'Slow down.'));
    const snapshot = await collector({
      accounts: [account(ACCOUNT_A, ['eu-west-1', 'us-east-1'])],
      maxAttempts: 1,
    }).collect();
    const [eu, us] = snapshot.aws!;
    expect(eu.errors).toEqual([]);
    expect(eu.availabilityZones).toHaveLength(3);
    expect(us.availabilityZones).toEqual([]);
    expect(us.transitGateways).toEqual([]);
    expect(us.errors.map(e => [e.source, e.operation, e.code]).sort()).toEqual([
      [
        `aws:${ACCOUNT_A}:us-east-1`,
        'DescribeAvailabilityZones',
        'UnauthorizedOperation',
      ],
      [
        `aws:${ACCOUNT_A}:us-east-1`,
        'DescribeTransitGateways',
        'RequestLimitExceeded',
      ],
    ]);
    expect(us.vpcs).toHaveLength(1);
  });

  it('reads the EKS versions once per refresh, in the first region with EKS clusters', async () => {
    answerFrom(mocks, () => regionData(1), { pageSize: 2 });
    // Only us-east-1 of account B has EKS clusters.
    mocks.eks
      .on(ListClustersCommand)
      .callsFake(async (_input: unknown, getClient: () => any) => {
        // The calling client is known only until the next call: keep it before awaiting.
        const client = getClient();
        const region = await client.config.region();
        const caller = await accountOf(() => client);
        return {
          clusters:
            region === 'us-east-1' && caller === ACCOUNT_B ? ['eks-0'] : [],
        };
      });
    const aws = collector({
      accounts: [
        account(ACCOUNT_A, ['eu-west-1', 'us-east-1']),
        account(ACCOUNT_B, ['eu-west-1', 'us-east-1']),
      ],
    });
    const snapshot = await aws.collect();
    const where = snapshot.aws!.filter(r => r.eksClusterVersions.length > 0);
    expect(where.map(r => `${r.accountId}/${r.region}`)).toEqual([
      `${ACCOUNT_B}/us-east-1`,
    ]);
    expect(where[0].eksClusterVersions.map(v => v.clusterVersion)).toEqual([
      '1.33',
      '1.32',
      '1.31',
    ]);
    // Three versions at two a page: two pages, the second with the first's nextToken.
    const calls = mocks.eks.commandCalls(DescribeClusterVersionsCommand);
    expect(calls).toHaveLength(2);
    expect(calls[1].args[0].input).toEqual({
      maxResults: 100,
      nextToken: 'p2',
    });
    expect(
      aws.lastStats!.regions.map(r => r.calls.DescribeClusterVersions ?? 0),
    ).toEqual([0, 0, 0, 2]);
  });

  it('reads the EKS versions in the first region where no region has EKS clusters, and records a failure there', async () => {
    answerFrom(mocks, () => ({ ...regionData(0) }));
    let snapshot = await collector({
      accounts: [account(ACCOUNT_A, ['eu-central-1', 'eu-west-1'])],
    }).collect();
    expect(snapshot.aws!.map(r => r.eksClusterVersions.length)).toEqual([3, 0]);

    mocks.eks
      .on(DescribeClusterVersionsCommand)
      .rejects(
        Object.assign(
          new Error(
            'User: arn:aws:sts::123456789012:assumed-role/reader/clusterdeck is not authorized to perform: eks:DescribeClusterVersions',
          ),
          { name: 'AccessDeniedException' },
        ),
      );
    snapshot = await collector({
      accounts: [account(ACCOUNT_A, ['eu-central-1', 'eu-west-1'])],
    }).collect();
    const [first, second] = snapshot.aws!;
    expect(first.eksClusterVersions).toEqual([]);
    expect(first.errors).toEqual([
      expect.objectContaining({
        source: `aws:${ACCOUNT_A}:eu-central-1`,
        operation: 'DescribeClusterVersions',
        code: 'AccessDeniedException',
      }),
    ]);
    expect(second.errors).toEqual([]);
  });

  it('produces snapshots that SnapshotSource reads back unchanged', async () => {
    answerFrom(mocks, () => regionData(2));
    const collected = only(await collector().collect());
    expect(Object.keys(collected).sort()).toEqual(
      [...AWS_LIST_KEYS, 'accountId', 'region', 'fetchedAt', 'errors'].sort(),
    );
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'aws-collector-'));
    try {
      writeSnapshotDirectory(dir, { aws: [collected], managementClusters: [] });
      const read = only(await new SnapshotSource({ directory: dir }).collect());
      expect(read.errors).toEqual([]);
      expect(read).toEqual(JSON.parse(JSON.stringify(collected)));
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  it('records a malformed answer as an error of that list', async () => {
    answerFrom(mocks, () => regionData(1));
    mocks.ec2.on(DescribeVpcsCommand).resolves({ Vpcs: 'not a list' } as any);
    const s = only(await collector().collect());
    expect(s.vpcs).toEqual([]);
    expect(s.errors).toEqual([
      expect.objectContaining({
        operation: 'DescribeVpcs',
        code: 'MalformedResponse',
      }),
    ]);
    expect(s.subnets).toHaveLength(2);
  });

  it('is built from the clusterdeck configuration', async () => {
    const rootConfig = new ConfigReader({
      clusterdeck: {
        accounts: [{ ...account(ACCOUNT_A), roleArn: undefined }],
        limits: {
          concurrency: 2,
          concurrencyPerAccount: 1,
          callTimeoutMs: 1000,
        },
      },
    });
    const aws = AwsCollector.fromConfig({
      config: readClusterdeckConfig(rootConfig),
      rootConfig,
    });
    expect(aws.name).toBe('aws');
    expect(() => collector({ limits: { concurrency: 0 } })).toThrow(
      'limits.concurrency: must be a whole number of at least 1',
    );
    expect(() =>
      collector({ accounts: [account(ACCOUNT_A), account(ACCOUNT_A)] }),
    ).toThrow(`repeated: ${ACCOUNT_A}`);
  });
});
