import fc from 'fast-check';
import { splitCidr } from '@clusterdeck/plugin-aws-clusters-common';

const REGIONS = ['eu-west-1', 'eu-central-1', 'us-east-1', 'ap-southeast-2'];
const INSTANCE_TYPES = [
  'm6i.large',
  'm6i.xlarge',
  'r6i.2xlarge',
  'c6a.4xlarge',
  'g5.xlarge',
];

const labelsArb = fc.dictionary(
  fc.constantFrom(
    'team',
    'example.com/tier',
    'workload.example.com/class',
    'node.example.com/gpu',
  ),
  fc.stringMatching(/^[a-z0-9]([a-z0-9.-]{0,10}[a-z0-9])?$/),
  { maxKeys: 3 },
);

const taintsArb = fc.array(
  fc.record(
    {
      key: fc.constantFrom('dedicated', 'example.com/batch', 'nvidia.com/gpu'),
      value: fc.stringMatching(/^[a-z0-9]{1,8}$/),
      effect: fc.constantFrom('NoSchedule', 'PreferNoSchedule', 'NoExecute'),
    },
    { requiredKeys: ['key', 'effect'] },
  ),
  { maxLength: 2 },
);

function poolArb(type: 'asg' | 'karpenter' | 'managed', index: number) {
  const name = `pool${index}${'abcdefgh'[index]}`;
  if (type === 'karpenter') {
    return fc.record({
      name: fc.constant(name),
      type: fc.constant(type),
      spot: fc.record({ enabled: fc.boolean() }),
      labels: labelsArb,
      taints: taintsArb,
      karpenter: fc.record({
        requirements: fc.subarray([
          {
            key: 'karpenter.k8s.aws/instance-family',
            operator: 'In',
            values: ['m6i', 'c6i'],
          },
          {
            key: 'karpenter.k8s.aws/instance-generation',
            operator: 'Gt',
            values: ['5'],
          },
          { key: 'kubernetes.io/arch', operator: 'In', values: ['arm64'] },
          {
            key: 'karpenter.k8s.aws/instance-gpu-count',
            operator: 'DoesNotExist',
          },
        ]),
        limits: fc.record({
          cpu: fc.constantFrom('100', '1000'),
          memory: fc.constantFrom('400Gi', '1000Gi'),
        }),
      }),
    });
  }
  return fc
    .record({
      minSize: fc.integer({ min: 0, max: 10 }),
      extra: fc.integer({ min: 1, max: 20 }),
      instanceType: fc.constantFrom(...INSTANCE_TYPES),
      overrides: type === 'asg' ? fc.subarray(INSTANCE_TYPES) : fc.constant([]),
      spot: fc.boolean(),
      labels: labelsArb,
      taints: taintsArb,
      rootVolumeSizeGB: fc.option(fc.integer({ min: 20, max: 500 }), {
        nil: undefined,
      }),
    })
    .map(p => ({
      name,
      type,
      instanceType: p.instanceType,
      instanceTypeOverrides: p.overrides,
      minSize: p.minSize,
      maxSize: p.minSize + p.extra,
      spot: { enabled: p.spot },
      labels: p.labels,
      taints: p.taints,
      ...(p.rootVolumeSizeGB ? { rootVolumeSizeGB: p.rootVolumeSizeGB } : {}),
    }));
}

/**
 * Cluster requests that are valid by construction, across flavors, VPC modes, zone counts, extra
 * CIDRs, ENI mode, transit gateways and pool kinds.
 */
export const arbitraryClusterRequest = fc
  .record({
    name: fc.stringMatching(/^[a-z][a-z0-9-]{1,16}[a-z0-9]$/),
    organization: fc.stringMatching(/^[a-z][a-z0-9]{1,12}$/),
    flavor: fc.constantFrom('ec2', 'eks'),
    region: fc.constantFrom(...REGIONS),
    zoneCount: fc.integer({ min: 1, max: 3 }),
    zonesAsList: fc.boolean(),
    vpcOctet: fc.integer({ min: 0, max: 99 }),
    vpcPrefix: fc.integer({ min: 16, max: 22 }),
    adopt: fc.boolean(),
    extraCidrCount: fc.integer({ min: 0, max: 2 }),
    eni: fc.boolean(),
    transitGateway: fc.boolean(),
    privateApi: fc.boolean(),
    allowedCidrs: fc.subarray(['203.0.113.0/24', '198.51.100.0/24']),
    poolTypes: fc.array(fc.constantFrom('asg', 'karpenter'), {
      minLength: 1,
      maxLength: 5,
    }),
    tags: fc.dictionary(
      fc.constantFrom('cost-center', 'example.com/owner'),
      fc.stringMatching(/^[a-z]{1,10}$/),
      {
        maxKeys: 2,
      },
    ),
  })
  .chain(base => {
    const types =
      base.flavor === 'eks'
        ? base.poolTypes.map(() => 'managed' as const)
        : base.poolTypes;
    return fc.tuple(
      fc.constant(base),
      fc.tuple(...types.map((type, i) => poolArb(type, i))),
    );
  })
  .map(([b, pools]) => {
    const zones = ['a', 'b', 'c']
      .slice(0, b.zoneCount)
      .map(letter => `${b.region}${letter}`);
    const vpcCidr = `10.${b.vpcOctet}.0.0/${b.vpcPrefix}`;
    const extraCidrs = Array.from(
      { length: b.extraCidrCount },
      (_, i) => `10.${200 + i}.0.0/16`,
    );
    const eni = b.eni && b.flavor === 'ec2' && extraCidrs.length > 0;
    const subnets = b.adopt
      ? zones.flatMap((zone, i) => [
          { id: `subnet-0000000${i}`, public: false, availabilityZone: zone },
          { id: `subnet-1000000${i}`, public: true, availabilityZone: zone },
        ])
      : [];
    return {
      apiVersion: 'clusterdeck.io/v1alpha1',
      kind: 'ClusterRequest',
      metadata: {
        name: b.name,
        organization: b.organization,
        owner: `group:default/${b.organization}`,
      },
      spec: {
        managementCluster: 'mc-test',
        baseDomain: 'test.example.com',
        release: '31.1.0',
        kubernetesVersion: '1.33.4',
        flavor: b.flavor,
        region: b.region,
        account: { id: '123456789012', roleIdentity: `${b.organization}-role` },
        controlPlane: {
          ...(b.flavor === 'ec2' ? { instanceType: 'm6i.xlarge' } : {}),
          apiMode:
            b.flavor === 'ec2' && b.transitGateway && b.privateApi
              ? 'private'
              : 'public',
          allowedCidrs: b.allowedCidrs,
        },
        network: {
          vpc: b.adopt
            ? {
                mode: 'adopt',
                id: `vpc-0${b.vpcOctet.toString(16).padStart(7, '0')}`,
                extraCidrs,
              }
            : { mode: 'create', cidr: vpcCidr, extraCidrs },
          availabilityZones: b.zonesAsList ? zones : b.zoneCount,
          subnets,
          topology: b.transitGateway
            ? {
                mode: 'transitGateway',
                transitGatewayId: 'tgw-0123456789abcdef0',
              }
            : { mode: 'none' },
          cni: eni
            ? {
                mode: 'eni',
                podSubnetCidrs: splitCidr(extraCidrs[0], 18).slice(
                  0,
                  zones.length,
                ),
              }
            : { mode: 'overlay' },
        },
        nodePools: pools,
        tags: b.tags,
      },
    };
  });
