import type { Instance } from '@aws-sdk/client-ec2';
import {
  emptyAwsRegionSnapshot,
  type ConfiguredAccount,
} from '@clusterdeck/plugin-aws-clusters-node';
import { accountViews } from './accountView';
import type { FleetModel } from './buildFleetModel';
import { indexRegion } from './regionIndex';

const ACCOUNT: ConfiguredAccount = {
  id: '123456789012',
  name: 'development',
  environment: 'development',
  owners: [],
  accessModel: 'platform-only',
  regions: ['eu-west-1'],
};

function running(id: string, type: string, cpu?: [number, number]): Instance {
  return {
    InstanceId: id,
    InstanceType: type,
    State: { Code: 16, Name: 'running' },
    ...(cpu
      ? { CpuOptions: { CoreCount: cpu[0], ThreadsPerCore: cpu[1] } }
      : {}),
  } as Instance;
}

describe('accountViews', () => {
  it("counts running vCPUs from each instance's CPU options, else its type's DescribeInstanceTypes figures, else its size", () => {
    const snapshot = emptyAwsRegionSnapshot(
      ACCOUNT.id,
      'eu-west-1',
      '2026-12-07T09:00:00Z',
    );
    snapshot.instances = [
      // CPU options as DescribeInstances gives them: 2 cores × 2 threads.
      running('i-0a', 'm6i.xlarge', [2, 2]),
      // A Graviton medium has 1 vCPU (DescribeInstanceTypes), not the 2 its size suggests.
      running('i-0b', 'm6g.medium'),
      // No figures read: guessed from the size.
      running('i-0c', 'c6i.2xlarge'),
      {
        ...running('i-0d', 'm6i.xlarge'),
        State: { Code: 80, Name: 'stopped' },
      },
    ];
    snapshot.instanceTypes = [
      {
        InstanceType: 'm6g.medium',
        VCpuInfo: {
          DefaultVCpus: 1,
          DefaultCores: 1,
          DefaultThreadsPerCore: 1,
        },
        MemoryInfo: { SizeInMiB: 4096 },
        ProcessorInfo: { SupportedArchitectures: ['arm64'] },
      },
    ];
    const model = {
      clusters: [],
      accounts: new Map([[ACCOUNT.id, ACCOUNT]]),
      regions: new Map([[`${ACCOUNT.id}/eu-west-1`, indexRegion(snapshot)]]),
    } as unknown as FleetModel;

    const [view] = accountViews(model);
    expect(view.usage[0].runningVcpus).toBe(4 + 1 + 8);
  });
});
