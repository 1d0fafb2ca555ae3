import { instanceTypesInUse } from '@clusterdeck/plugin-aws-clusters-node';
import { buildDemoFleet } from './buildDemoFleet';
import { generateFleet } from './generateFleet';
import { describedInstanceType } from './simulateInstanceTypes';

describe('simulated DescribeInstanceTypes', () => {
  it('answers with the figures of the EC2 instance type specifications', () => {
    const figures = (type: string) => {
      const t = describedInstanceType(type);
      return [
        t.VCpuInfo?.DefaultVCpus,
        t.MemoryInfo?.SizeInMiB,
        t.ProcessorInfo?.SupportedArchitectures,
      ];
    };
    expect(figures('m5.xlarge')).toEqual([4, 16384, ['x86_64']]);
    expect(figures('m6i.large')).toEqual([2, 8192, ['x86_64']]);
    expect(figures('c6i.large')).toEqual([2, 4096, ['x86_64']]);
    expect(figures('r7i.4xlarge')).toEqual([16, 131072, ['x86_64']]);
    expect(figures('m7g.2xlarge')).toEqual([8, 32768, ['arm64']]);
    expect(describedInstanceType('m7g.2xlarge').VCpuInfo).toMatchObject({
      DefaultCores: 8,
      DefaultThreadsPerCore: 1,
    });
    expect(
      describedInstanceType('g5.2xlarge').GpuInfo?.Gpus?.[0],
    ).toMatchObject({
      Name: 'A10G',
      Count: 1,
      MemoryInfo: { SizeInMiB: 24576 },
    });
  });

  it('refuses a type without documented figures rather than inventing them', () => {
    expect(() => describedInstanceType('x2iedn.32xlarge')).toThrow(
      /instance type x2iedn\.32xlarge: no documented figures/,
    );
  });

  it('records in every region of the demo and of generated fleets each type its pools use', () => {
    const fleets = [
      buildDemoFleet(),
      generateFleet({ accounts: 4, clusters: 60, seed: 'instance-types' }),
    ];
    for (const region of fleets.flatMap(f => f.aws)) {
      expect(region.instanceTypes!.map(t => t.InstanceType)).toEqual(
        instanceTypesInUse(region),
      );
    }
    const demo = fleets[0].aws.find(
      r => r.accountId === '123456789012' && r.region === 'eu-west-1',
    )!;
    expect(demo.instanceTypes!.map(t => t.InstanceType)).toContain(
      'g5.2xlarge',
    );
  });
});
