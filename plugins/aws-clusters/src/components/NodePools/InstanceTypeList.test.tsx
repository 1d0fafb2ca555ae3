import { renderInTestApp } from '@backstage/test-utils';
import { screen, within } from '@testing-library/react';
import type { NodePoolScaling } from '@clusterdeck/plugin-aws-clusters-common';
import { InstanceTypeList, instanceTypeLabel } from './InstanceTypeList';

function pool(change: Partial<NodePoolScaling>): NodePoolScaling {
  return {
    name: 'general',
    kind: 'asg',
    instanceTypes: [],
    spot: false,
    availabilityZones: ['eu-west-1a'],
    spread: {},
    min: 1,
    desired: 2,
    current: 2,
    ready: 2,
    max: 4,
    activities: [],
    warnings: [],
    ...change,
  };
}

// Sizes as the backend serves them from EC2 DescribeInstanceTypes (VCpuInfo.DefaultVCpus,
// MemoryInfo.SizeInMiB, ProcessorInfo.SupportedArchitectures).
const M5_XLARGE = {
  instanceType: 'm5.xlarge',
  vcpus: 4,
  memoryMiB: 16384,
  architectures: ['x86_64'],
};
const M6I_XLARGE = { ...M5_XLARGE, instanceType: 'm6i.xlarge' };
const M7G_MEDIUM = {
  instanceType: 'm7g.medium',
  vcpus: 1,
  memoryMiB: 4096,
  architectures: ['arm64'],
};

describe('InstanceTypeList', () => {
  it('shows each type with its vCPUs, memory in GiB and architecture', async () => {
    await renderInTestApp(
      <InstanceTypeList
        pool={pool({
          instanceTypes: ['m5.xlarge', 'm7g.medium'],
          instanceTypeSizes: [M5_XLARGE, M7G_MEDIUM],
        })}
      />,
    );
    const list = screen.getByRole('list', {
      name: 'Instance types of general',
    });
    expect(
      within(list)
        .getAllByRole('listitem')
        .map(li => li.textContent),
    ).toEqual([
      'm5.xlarge · 4 vCPU · 16 GiB · x86_64,',
      'm7g.medium · 1 vCPU · 4 GiB · arm64',
    ]);
    expect(screen.queryByText('Spot from')).not.toBeInTheDocument();
  });

  it("shows a Spot pool's mixed instances policy types in the policy's order", async () => {
    await renderInTestApp(
      <InstanceTypeList
        pool={pool({
          name: 'spot',
          spot: true,
          instanceTypes: ['m5.xlarge', 'm6i.xlarge'],
          spotInstanceTypes: ['m6i.xlarge', 'm5.xlarge'],
          instanceTypeSizes: [M5_XLARGE, M6I_XLARGE],
        })}
      />,
    );
    expect(screen.getByText('Spot from')).toBeInTheDocument();
    expect(
      within(screen.getByRole('list', { name: 'Instance types of spot' }))
        .getAllByRole('listitem')
        .map(li => li.textContent),
    ).toEqual([
      'm6i.xlarge · 4 vCPU · 16 GiB · x86_64,',
      'm5.xlarge · 4 vCPU · 16 GiB · x86_64',
    ]);
  });

  it('names types EC2 did not describe, and says when no type is known', async () => {
    expect(instanceTypeLabel('c6i.large', undefined)).toBe('c6i.large');
    expect(
      instanceTypeLabel('t4g.nano', {
        instanceType: 't4g.nano',
        vcpus: 2,
        memoryMiB: 512,
        architectures: ['arm64'],
      }),
    ).toBe('t4g.nano · 2 vCPU · 0.5 GiB · arm64');
    await renderInTestApp(<InstanceTypeList pool={pool({})} />);
    expect(screen.getByText('instance types not known')).toBeInTheDocument();
  });
});
