import {
  DescribeInstanceTypesCommand,
  DescribeInstanceTypesRequest,
} from '@aws-sdk/client-ec2';
import { DescribeNodegroupCommand } from '@aws-sdk/client-eks';
import { AwsCollector, AwsCollectorOptions } from './AwsCollector';
import {
  ACCOUNT_A,
  ACCOUNT_B,
  account,
  accountOf,
  answerFrom,
  AwsMocks,
  createMocks,
  fakeCredentials,
  page,
  regionData,
} from './__testUtils__/mockAwsRegion';

let mocks: AwsMocks;
beforeEach(() => {
  mocks = createMocks();
});
afterEach(() => {
  mocks.restore();
});

/*
 * DescribeInstanceTypes as the Amazon EC2 API reference documents it: `InstanceTypes` takes at
 * most 100 names, `MaxResults` 5 to 100; the answer lists `InstanceTypes[]` with
 * `VCpuInfo.DefaultVCpus`, `MemoryInfo.SizeInMiB` and `ProcessorInfo.SupportedArchitectures`,
 * and a `NextToken` while more follow. A name EC2 does not know fails the call with
 * `InvalidInstanceType`. Figures of the types below from the EC2 instance type documentation.
 */
function info(
  type: string,
  vcpus: number,
  memoryMiB: number,
  arch: 'x86_64' | 'arm64' = 'x86_64',
) {
  const threads = arch === 'arm64' ? 1 : 2;
  return {
    InstanceType: type,
    CurrentGeneration: true,
    FreeTierEligible: false,
    SupportedUsageClasses: ['on-demand', 'spot'],
    SupportedRootDeviceTypes: ['ebs'],
    SupportedVirtualizationTypes: ['hvm'],
    BareMetal: false,
    Hypervisor: 'nitro',
    ProcessorInfo: { SupportedArchitectures: [arch] },
    VCpuInfo: {
      DefaultVCpus: vcpus,
      DefaultCores: vcpus / threads,
      DefaultThreadsPerCore: threads,
    },
    MemoryInfo: { SizeInMiB: memoryMiB },
    InstanceStorageSupported: false,
  };
}

const DOCUMENTED = new Map(
  [
    info('m5.xlarge', 4, 16384),
    info('m6i.large', 2, 8192),
    info('m6i.xlarge', 4, 16384),
    info('m6a.xlarge', 4, 16384),
    info('c6i.xlarge', 4, 8192),
    info('m7g.xlarge', 4, 16384, 'arm64'),
    info('r6i.2xlarge', 8, 65536),
  ].map(i => [i.InstanceType, i]),
);

/** The answers of DescribeInstanceTypes from `known`, `size` types a page, keeping AWS's limits. */
function answerInstanceTypes(
  known: Map<string, ReturnType<typeof info>>,
  size = 100,
) {
  mocks.ec2
    .on(DescribeInstanceTypesCommand)
    .callsFake((input: DescribeInstanceTypesRequest) => {
      const names = input.InstanceTypes ?? [];
      if (names.length > 100)
        throw Object.assign(
          new Error('The maximum number of instance types is 100'),
          { name: 'InvalidParameterValue' },
        );
      if (
        input.MaxResults !== undefined &&
        (input.MaxResults < 5 || input.MaxResults > 100)
      )
        throw Object.assign(new Error('MaxResults must be 5 to 100'), {
          name: 'InvalidParameterValue',
        });
      const unknown = names.filter(n => !known.has(n));
      if (unknown.length)
        throw Object.assign(
          new Error(
            `The following supplied instance types do not exist: [${unknown.join(
              ', ',
            )}]`,
          ),
          { name: 'InvalidInstanceType' },
        );
      const p = page(
        names.map(n => known.get(n)!),
        input.NextToken,
        Math.min(size, input.MaxResults ?? 100),
      );
      return { InstanceTypes: p.items, NextToken: p.next };
    });
}

/** One cluster's region whose pools use m6i.xlarge and m6a.xlarge (a mixed policy), m5.xlarge (a node group) and m7g.xlarge (Karpenter). */
function poolsRegion() {
  const data = regionData(1);
  const [group] = data.AutoScalingGroups;
  return {
    ...data,
    AutoScalingGroups: [
      {
        ...group,
        MixedInstancesPolicy: {
          LaunchTemplate: {
            LaunchTemplateSpecification: {
              LaunchTemplateId: 'lt-0abcd1234example',
              Version: '$Latest',
            },
            Overrides: [
              { InstanceType: 'm6i.xlarge' },
              { InstanceType: 'm6a.xlarge' },
            ],
          },
        },
        Instances: [
          {
            InstanceId: 'i-0a',
            InstanceType: 'm6i.xlarge',
            AvailabilityZone: 'eu-west-1a',
            LifecycleState: 'InService',
            HealthStatus: 'Healthy',
            ProtectedFromScaleIn: false,
          },
        ],
      },
    ],
    Reservations: [
      {
        ReservationId: 'r-0',
        Instances: [
          { ...data.Reservations[0].Instances[0], InstanceType: 'm6i.xlarge' },
          { ...data.Reservations[0].Instances[1], InstanceType: 'm7g.xlarge' },
        ],
      },
    ],
  };
}

function nodegroupsOf(types: string[]) {
  mocks.eks.on(DescribeNodegroupCommand).callsFake(input => ({
    nodegroup: {
      nodegroupName: input.nodegroupName,
      clusterName: input.clusterName,
      capacityType: 'SPOT',
      instanceTypes: types,
    },
  }));
}

function collector(options: Partial<AwsCollectorOptions> = {}) {
  return new AwsCollector({
    accounts: [account(ACCOUNT_A)],
    credentials: fakeCredentials(),
    ...options,
  });
}

const asked = () =>
  mocks.ec2
    .commandCalls(DescribeInstanceTypesCommand)
    .map(c => c.args[0].input);

describe('AwsCollector: instance types', () => {
  it("reads the types the region's pools use: mixed policy overrides, node groups, running instances", async () => {
    answerFrom(mocks, poolsRegion);
    nodegroupsOf(['m5.xlarge']);
    answerInstanceTypes(DOCUMENTED);
    const [region] = (await collector().collect()).aws!;

    expect(region.errors).toEqual([]);
    expect(asked()).toEqual([
      {
        InstanceTypes: ['m5.xlarge', 'm6a.xlarge', 'm6i.xlarge', 'm7g.xlarge'],
        MaxResults: 100,
      },
    ]);
    expect(
      region.instanceTypes!.map(t => [
        t.InstanceType,
        t.VCpuInfo?.DefaultVCpus,
        t.MemoryInfo?.SizeInMiB,
        t.ProcessorInfo?.SupportedArchitectures,
      ]),
    ).toEqual([
      ['m5.xlarge', 4, 16384, ['x86_64']],
      ['m6a.xlarge', 4, 16384, ['x86_64']],
      ['m6i.xlarge', 4, 16384, ['x86_64']],
      ['m7g.xlarge', 4, 16384, ['arm64']],
    ]);
  });

  it('asks at most 100 types a call and follows NextToken through the pages of each', async () => {
    const many = new Map(
      Array.from({ length: 150 }, (_, i) => {
        const t = info(`m${i}.xlarge`, 4, 16384);
        return [t.InstanceType, t];
      }),
    );
    answerFrom(mocks, () => ({
      ...regionData(1),
      Reservations: [
        {
          ReservationId: 'r-0',
          Instances: [...many.keys()].map((type, i) => ({
            InstanceId: `i-${i}`,
            InstanceType: type,
            Tags: regionData(1).Reservations[0].Instances[0].Tags,
          })),
        },
      ],
    }));
    answerInstanceTypes(many, 40);
    const aws = collector();
    const [region] = (await aws.collect()).aws!;

    expect(region.errors).toEqual([]);
    expect(region.instanceTypes).toHaveLength(150);
    const calls = asked();
    // 100 names then 50, each read 40 a page: 3 pages and 2.
    expect(calls.map(c => [c.InstanceTypes!.length, c.NextToken])).toEqual(
      expect.arrayContaining([
        [100, undefined],
        [100, 'p40'],
        [100, 'p80'],
        [50, undefined],
        [50, 'p40'],
      ]),
    );
    expect(calls).toHaveLength(5);
    expect(aws.lastStats!.regions[0].calls.DescribeInstanceTypes).toBe(5);
  });

  it('keeps the types a day: later refreshes ask only for types not read yet', async () => {
    let now = Date.UTC(2026, 11, 7, 9);
    let data = poolsRegion();
    answerFrom(mocks, () => data);
    nodegroupsOf(['m5.xlarge']);
    answerInstanceTypes(DOCUMENTED);
    const aws = collector({ now: () => now });
    await aws.collect();
    expect(asked()).toHaveLength(1);

    now += 60 * 60_000;
    const [again] = (await aws.collect()).aws!;
    expect(asked()).toHaveLength(1);
    expect(again.instanceTypes!.map(t => t.InstanceType)).toEqual([
      'm5.xlarge',
      'm6a.xlarge',
      'm6i.xlarge',
      'm7g.xlarge',
    ]);

    // A pool now also runs r6i.2xlarge: only that type is asked for.
    data = {
      ...data,
      Reservations: [
        {
          ...data.Reservations[0],
          Instances: [
            ...data.Reservations[0].Instances,
            {
              ...data.Reservations[0].Instances[0],
              InstanceId: 'i-0c',
              InstanceType: 'r6i.2xlarge',
            },
          ],
        },
      ],
    };
    const [grown] = (await aws.collect()).aws!;
    expect(asked()[1]).toEqual({
      InstanceTypes: ['r6i.2xlarge'],
      MaxResults: 100,
    });
    expect(grown.instanceTypes).toHaveLength(5);

    // A day after the first read, the types are read again.
    now = Date.UTC(2026, 11, 8, 9);
    await aws.collect();
    expect(asked()[2].InstanceTypes).toEqual([
      'm5.xlarge',
      'm6a.xlarge',
      'm6i.xlarge',
      'm7g.xlarge',
    ]);
  });

  it('asks for a type used in several regions once, in the first that uses it, and gives it to each', async () => {
    answerFrom(mocks, poolsRegion);
    nodegroupsOf(['m5.xlarge']);
    const callers: string[] = [];
    answerInstanceTypes(DOCUMENTED);
    const answer = mocks.ec2.commandCalls.bind(mocks.ec2);
    const aws = collector({
      accounts: [account(ACCOUNT_A), account(ACCOUNT_B)],
    });
    const snapshot = await aws.collect();
    for (const call of answer(DescribeInstanceTypesCommand))
      callers.push(await accountOf(() => call.thisValue));
    expect(callers).toEqual([ACCOUNT_A]);
    expect(
      snapshot.aws!.map(r => [r.accountId, r.instanceTypes!.length]),
    ).toEqual([
      [ACCOUNT_A, 4],
      [ACCOUNT_B, 4],
    ]);
  });

  it('records a refused call as an error of the region that made it, and asks again next time', async () => {
    answerFrom(mocks, poolsRegion);
    nodegroupsOf(['m5.xlarge']);
    mocks.ec2
      .on(DescribeInstanceTypesCommand)
      .rejectsOnce(
        Object.assign(
          new Error(
            'You are not authorized to perform this operation. User: arn:aws:sts::123456789012:assumed-role/clusterdeck/clusterdeck is not authorized to perform: ec2:DescribeInstanceTypes',
          ),
          { name: 'UnauthorizedOperation' },
        ),
      );
    const aws = collector();
    const [failed] = (await aws.collect()).aws!;
    expect(failed.instanceTypes).toEqual([]);
    expect(failed.errors).toEqual([
      expect.objectContaining({
        source: `aws:${ACCOUNT_A}:eu-west-1`,
        operation: 'DescribeInstanceTypes',
        code: 'UnauthorizedOperation',
      }),
    ]);
    // The other lists loaded.
    expect(failed.autoScalingGroups).toHaveLength(1);

    answerInstanceTypes(DOCUMENTED);
    const [recovered] = (await aws.collect()).aws!;
    expect(recovered.errors).toEqual([]);
    expect(recovered.instanceTypes).toHaveLength(4);
  });
});
