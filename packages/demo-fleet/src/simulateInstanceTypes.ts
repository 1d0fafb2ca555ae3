import type { InstanceTypeInfo } from '@aws-sdk/client-ec2';
import {
  AwsRegionSnapshot,
  instanceTypesInUse,
} from '@clusterdeck/plugin-aws-clusters-node';

type Architecture = 'x86_64' | 'arm64';

/**
 * vCPUs, memory in GiB and architecture of the instance types the demo and generated fleets use,
 * as the Amazon EC2 instance type specifications give them (general purpose, compute optimized,
 * memory optimized and accelerated computing tables). Graviton (`g`) types run one thread a core,
 * the Intel and AMD ones two.
 */
const DOCUMENTED: Record<string, [number, number, Architecture]> = {
  'm5.large': [2, 8, 'x86_64'],
  'm5.xlarge': [4, 16, 'x86_64'],
  'm5.2xlarge': [8, 32, 'x86_64'],
  'm6a.large': [2, 8, 'x86_64'],
  'm6a.xlarge': [4, 16, 'x86_64'],
  'm6a.2xlarge': [8, 32, 'x86_64'],
  'm6i.large': [2, 8, 'x86_64'],
  'm6i.xlarge': [4, 16, 'x86_64'],
  'm6i.2xlarge': [8, 32, 'x86_64'],
  'm6i.4xlarge': [16, 64, 'x86_64'],
  'm7i.xlarge': [4, 16, 'x86_64'],
  'm7i.2xlarge': [8, 32, 'x86_64'],
  'm7g.large': [2, 8, 'arm64'],
  'm7g.xlarge': [4, 16, 'arm64'],
  'm7g.2xlarge': [8, 32, 'arm64'],
  'c5.xlarge': [4, 8, 'x86_64'],
  'c5.2xlarge': [8, 16, 'x86_64'],
  'c6a.xlarge': [4, 8, 'x86_64'],
  'c6a.2xlarge': [8, 16, 'x86_64'],
  'c6i.large': [2, 4, 'x86_64'],
  'c6i.xlarge': [4, 8, 'x86_64'],
  'c6i.2xlarge': [8, 16, 'x86_64'],
  'c6i.4xlarge': [16, 32, 'x86_64'],
  'c7i.xlarge': [4, 8, 'x86_64'],
  'c7i.2xlarge': [8, 16, 'x86_64'],
  'c7g.xlarge': [4, 8, 'arm64'],
  'c7g.2xlarge': [8, 16, 'arm64'],
  'r6i.large': [2, 16, 'x86_64'],
  'r6i.xlarge': [4, 32, 'x86_64'],
  'r6i.2xlarge': [8, 64, 'x86_64'],
  'r6i.4xlarge': [16, 128, 'x86_64'],
  'r7i.xlarge': [4, 32, 'x86_64'],
  'r7i.2xlarge': [8, 64, 'x86_64'],
  'r7i.4xlarge': [16, 128, 'x86_64'],
  'g5.xlarge': [4, 16, 'x86_64'],
  'g5.2xlarge': [8, 32, 'x86_64'],
};

/** G5 instances carry NVIDIA A10G GPUs with 24 GiB each; the sizes used here have one. */
const GPUS: Record<string, InstanceTypeInfo['GpuInfo']> = {
  g5: {
    Gpus: [
      {
        Name: 'A10G',
        Manufacturer: 'NVIDIA',
        Count: 1,
        MemoryInfo: { SizeInMiB: 24576 },
      },
    ],
    TotalGpuMemoryInMiB: 24576,
  },
};

/** @public An instance type as EC2 `DescribeInstanceTypes` answers it, from its documented figures. */
export function describedInstanceType(type: string): InstanceTypeInfo {
  const figures = DOCUMENTED[type];
  if (!figures)
    throw new Error(
      `instance type ${type}: no documented figures; add its vCPUs, memory and architecture from the EC2 instance type specifications to DOCUMENTED in simulateInstanceTypes.ts`,
    );
  const [vcpus, gib, architecture] = figures;
  const threads = architecture === 'arm64' ? 1 : 2;
  const gpus = GPUS[type.split('.')[0]];
  return {
    InstanceType: type as InstanceTypeInfo['InstanceType'],
    CurrentGeneration: true,
    SupportedUsageClasses: ['on-demand', 'spot'],
    SupportedRootDeviceTypes: ['ebs'],
    SupportedVirtualizationTypes: ['hvm'],
    BareMetal: false,
    Hypervisor: 'nitro',
    ProcessorInfo: { SupportedArchitectures: [architecture] },
    VCpuInfo: {
      DefaultVCpus: vcpus,
      DefaultCores: vcpus / threads,
      DefaultThreadsPerCore: threads,
    },
    MemoryInfo: { SizeInMiB: gib * 1024 },
    ...(gpus ? { GpuInfo: gpus } : {}),
  };
}

/** Fills in each region's `DescribeInstanceTypes` of the types its pools use, as the collector reads them. */
export function simulateInstanceTypes(aws: AwsRegionSnapshot[]) {
  for (const region of aws)
    region.instanceTypes = instanceTypesInUse(region).map(
      describedInstanceType,
    );
}
