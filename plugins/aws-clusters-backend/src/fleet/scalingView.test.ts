import type { FleetSnapshot } from '@clusterdeck/plugin-aws-clusters-node';
import {
  readRecordedFleet,
  recordedFleetConfig,
} from '../__testUtils__/recordedFleet';
import { buildFleetModel, FleetModel } from './buildFleetModel';
import { scalingView } from './scalingView';

// The hand-written recording's DescribeInstanceTypes answers (two pages in the production
// account), joined to the pools that use the types.
let snapshot: FleetSnapshot;
let model: FleetModel;

beforeAll(async () => {
  snapshot = await readRecordedFleet();
  model = buildFleetModel(snapshot, recordedFleetConfig(), []);
});

function pool(clusterName: string, poolName: string, m: FleetModel = model) {
  const cluster = m.clusters.find(c => c.name === clusterName)!;
  return scalingView(cluster).find(p => p.name === poolName)!;
}

describe('scalingView: instance types', () => {
  it('reads both pages of the recorded DescribeInstanceTypes', () => {
    const production = snapshot.aws.find(r => r.accountId === '123456789012')!;
    expect(production.instanceTypes!.map(t => t.InstanceType)).toEqual([
      'c6i.2xlarge',
      'c6i.xlarge',
      'm5.xlarge',
      'm6i.large',
      'm6i.xlarge',
    ]);
  });

  it("gives a Spot pool its mixed instances policy's types with their vCPUs, memory and architecture", () => {
    const spot = pool('shop-prod', 'spot');
    expect(spot.spot).toBe(true);
    expect(spot.spotInstanceTypes).toEqual(['m6i.xlarge', 'm5.xlarge']);
    expect(spot.instanceTypeSizes).toEqual(
      expect.arrayContaining([
        {
          instanceType: 'm5.xlarge',
          vcpus: 4,
          memoryMiB: 16384,
          architectures: ['x86_64'],
        },
        {
          instanceType: 'm6i.xlarge',
          vcpus: 4,
          memoryMiB: 16384,
          architectures: ['x86_64'],
        },
      ]),
    );
    expect(spot.instanceTypeSizes).toHaveLength(2);
  });

  it('gives a Spot EKS node group its instanceTypes, and a Karpenter pool the types its instances run', () => {
    const general = pool('search-eks', 'general');
    expect(general.spotInstanceTypes).toEqual(['m6i.xlarge', 'm5.xlarge']);
    expect(general.instanceTypeSizes!.map(t => t.instanceType)).toEqual([
      'm6i.xlarge',
      'm5.xlarge',
    ]);
    const karp = pool('api-prod', 'karp');
    expect(karp.spotInstanceTypes).toBeUndefined();
    expect(karp.instanceTypeSizes).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ instanceType: 'c6i.xlarge', vcpus: 4 }),
      ]),
    );
  });

  it('leaves out the sizes of types EC2 did not describe, as in recordings made before it was read', () => {
    const older = {
      ...snapshot,
      aws: snapshot.aws.map(r => {
        const { instanceTypes: _omitted, ...rest } = r;
        return rest;
      }),
    };
    const withoutTypes = buildFleetModel(older, recordedFleetConfig(), []);
    const spot = pool('shop-prod', 'spot', withoutTypes);
    expect(spot.instanceTypes.sort()).toEqual(['m5.xlarge', 'm6i.xlarge']);
    expect(spot.instanceTypeSizes).toEqual([]);
  });
});
