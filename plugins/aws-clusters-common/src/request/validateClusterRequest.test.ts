import { ec2Request, eksRequest } from '../__fixtures__/requests';
import type { ClusterRequestInput } from './clusterRequestSchema';
import { validateClusterRequest } from './validateClusterRequest';

function problemsOf(input: unknown) {
  const result = validateClusterRequest(input);
  return result.ok ? [] : result.problems;
}

function withChange(change: (r: any) => void): ClusterRequestInput {
  const request = ec2Request();
  change(request);
  return request;
}

describe('validateClusterRequest', () => {
  it('accepts a valid request and resolves zones, subnets and defaults', () => {
    const result = validateClusterRequest(ec2Request());
    if (!result.ok) throw new Error(JSON.stringify(result.problems));
    expect(result.value.namespace).toBe('org-payments');
    expect(result.value.availabilityZones).toEqual([
      'eu-west-1a',
      'eu-west-1b',
      'eu-west-1c',
    ]);
    expect(result.value.subnets).toHaveLength(6);
    expect(result.value.nodePools[0].availabilityZones).toEqual(
      result.value.availabilityZones,
    );
    expect(result.value.request.spec.network.podCidr).toBe('100.64.0.0/12');
    expect(result.value.request.spec.network.serviceCidr).toBe('172.31.0.0/16');
  });

  it('defaults the control-plane instance type of EC2 clusters', () => {
    const result = validateClusterRequest(
      withChange(r => delete r.spec.controlPlane.instanceType),
    );
    expect(
      result.ok && result.value.request.spec.controlPlane.instanceType,
    ).toBe('m6i.xlarge');
  });

  it('accepts a valid EKS request', () => {
    expect(problemsOf(eksRequest())).toEqual([]);
  });

  it.each<[string, (r: any) => void, string, RegExp]>([
    [
      'short name',
      r => (r.metadata.name = 'ab'),
      'metadata.name',
      /at least 3/,
    ],
    [
      'long name',
      r => (r.metadata.name = 'a'.repeat(21)),
      'metadata.name',
      /at most 20/,
    ],
    [
      'name starting with a digit',
      r => (r.metadata.name = '1abc'),
      'metadata.name',
      /start with a letter/,
    ],
    [
      'name ending with a dash',
      r => (r.metadata.name = 'abc-'),
      'metadata.name',
      /end with a letter or digit/,
    ],
    [
      'uppercase organization',
      r => (r.metadata.organization = 'Payments'),
      'metadata.organization',
      /lowercase/,
    ],
    [
      'owner that is no entity ref',
      r => (r.metadata.owner = 'payments'),
      'metadata.owner',
      /entity reference/,
    ],
    [
      'unknown field',
      r => (r.spec.network.vpc.cidrr = '10.0.0.0/16'),
      'spec.network.vpc.cidrr',
      /not a known field/,
    ],
    ['missing region', r => delete r.spec.region, 'spec.region', /is required/],
    [
      'bad region',
      r => (r.spec.region = 'europe'),
      'spec.region',
      /AWS region/,
    ],
    [
      'account id of 11 digits',
      r => (r.spec.account.id = '12345678901'),
      'spec.account.id',
      /12 digits/,
    ],
    [
      'account id as a number',
      r => (r.spec.account.id = 123456789012),
      'spec.account.id',
      /string/i,
    ],
    ['bad flavor', r => (r.spec.flavor = 'gke'), 'spec.flavor', /ec2 or eks/],
    [
      'malformed CIDR',
      r => (r.spec.network.vpc.cidr = '10.10.0.0/33'),
      'spec.network.vpc.cidr',
      /not an IPv4 CIDR/,
    ],
    [
      'CIDR with host bits',
      r => (r.spec.network.vpc.cidr = '10.10.0.1/16'),
      'spec.network.vpc.cidr',
      /not an IPv4 CIDR/,
    ],
    [
      'VPC larger than /16',
      r => (r.spec.network.vpc.cidr = '10.0.0.0/15'),
      'spec.network.vpc.cidr',
      /between \/16 and \/28/,
    ],
    [
      'VPC smaller than /28',
      r => (r.spec.network.vpc.cidr = '10.0.0.0/29'),
      'spec.network.vpc.cidr',
      /between \/16 and \/28/,
    ],
    [
      'create without cidr',
      r => delete r.spec.network.vpc.cidr,
      'spec.network.vpc.cidr',
      /is required/,
    ],
    [
      'adopt without id',
      r => (r.spec.network.vpc = { mode: 'adopt' }),
      'spec.network.vpc.id',
      /is required/,
    ],
    [
      'bad VPC id',
      r => (r.spec.network.vpc = { mode: 'adopt', id: 'vpc-123' }),
      'spec.network.vpc.id',
      /8 or 17 hex/,
    ],
    [
      'unknown VPC mode',
      r => (r.spec.network.vpc.mode = 'borrow'),
      'spec.network.vpc.mode',
      /create .* or adopt/,
    ],
    [
      'extra CIDR overlapping the primary',
      r => (r.spec.network.vpc.extraCidrs = ['10.10.128.0/17']),
      'spec.network.vpc.extraCidrs[0]',
      /overlaps 10.10.0.0\/16/,
    ],
    [
      'extra CIDRs overlapping each other',
      r => (r.spec.network.vpc.extraCidrs = ['10.20.0.0/16', '10.20.0.0/20']),
      'spec.network.vpc.extraCidrs[1]',
      /overlaps 10.20.0.0\/16/,
    ],
    [
      'pod CIDR inside the VPC',
      r => (r.spec.network.podCidr = '10.10.0.0/20'),
      'spec.network.podCidr',
      /overlaps the VPC/,
    ],
    [
      'service CIDR inside an extra CIDR',
      r => {
        r.spec.network.vpc.extraCidrs = ['172.31.0.0/16'];
      },
      'spec.network.serviceCidr',
      /overlaps the VPC/,
    ],
    [
      'service CIDR inside the pod CIDR',
      r => (r.spec.network.serviceCidr = '100.64.0.0/16'),
      'spec.network.serviceCidr',
      /overlaps the pod CIDR/,
    ],
    [
      'AZ count 4',
      r => (r.spec.network.availabilityZones = 4),
      'spec.network.availabilityZones',
      /1 to 3/,
    ],
    [
      'AZ of another region',
      r => (r.spec.network.availabilityZones = ['eu-west-1a', 'us-east-1b']),
      'spec.network.availabilityZones[1]',
      /not an availability zone of eu-west-1/,
    ],
    [
      'AZ twice',
      r => (r.spec.network.availabilityZones = ['eu-west-1a', 'eu-west-1a']),
      'spec.network.availabilityZones[1]',
      /twice/,
    ],
    [
      'transit gateway without id',
      r => (r.spec.network.topology = { mode: 'transitGateway' }),
      'spec.network.topology.transitGatewayId',
      /is required/,
    ],
    [
      'bad transit gateway id',
      r =>
        (r.spec.network.topology = {
          mode: 'transitGateway',
          transitGatewayId: 'tgw-xyz',
        }),
      'spec.network.topology.transitGatewayId',
      /tgw-/,
    ],
    [
      'private EC2 API without transit gateway',
      r => (r.spec.controlPlane.apiMode = 'private'),
      'spec.controlPlane.apiMode',
      /transit gateway/,
    ],
    [
      'bad allowed CIDR',
      r => (r.spec.controlPlane.allowedCidrs = ['1.2.3.4']),
      'spec.controlPlane.allowedCidrs[0]',
      /not an IPv4 CIDR/,
    ],
    [
      'pool name too short',
      r => (r.spec.nodePools[0].name = 'def'),
      'spec.nodePools[0].name',
      /node pool name/,
    ],
    [
      'duplicate pool names',
      r => r.spec.nodePools.push({ ...r.spec.nodePools[0] }),
      'spec.nodePools[1].name',
      /used by another/,
    ],
    [
      'minSize above maxSize',
      r => Object.assign(r.spec.nodePools[0], { minSize: 5, maxSize: 2 }),
      'spec.nodePools[0].minSize',
      /must not exceed maxSize/,
    ],
    [
      'negative minSize',
      r => (r.spec.nodePools[0].minSize = -1),
      'spec.nodePools[0].minSize',
      /.+/,
    ],
    [
      'maxSize 0',
      r => (r.spec.nodePools[0].maxSize = 0),
      'spec.nodePools[0].maxSize',
      /.+/,
    ],
    [
      'fractional maxSize',
      r => (r.spec.nodePools[0].maxSize = 2.5),
      'spec.nodePools[0].maxSize',
      /.+/,
    ],
    [
      'asg pool without instance type',
      r => delete r.spec.nodePools[0].instanceType,
      'spec.nodePools[0].instanceType',
      /is required/,
    ],
    [
      'karpenter pool with sizes',
      r => (r.spec.nodePools[0].type = 'karpenter'),
      'spec.nodePools[0].minSize',
      /Karpenter pools/,
    ],
    [
      'karpenter settings on an asg pool',
      r => (r.spec.nodePools[0].karpenter = {}),
      'spec.nodePools[0].karpenter',
      /only karpenter pools/,
    ],
    [
      'managed pool on EC2',
      r => (r.spec.nodePools[0].type = 'managed'),
      'spec.nodePools[0].type',
      /flavor eks/,
    ],
    [
      'bad taint effect',
      r => (r.spec.nodePools[0].taints = [{ key: 'a', effect: 'NoRun' }]),
      'spec.nodePools[0].taints[0].effect',
      /NoSchedule/,
    ],
    [
      'bad taint key',
      r => (r.spec.nodePools[0].taints = [{ key: '-a', effect: 'NoSchedule' }]),
      'spec.nodePools[0].taints[0].key',
      /key "-a"/,
    ],
    [
      'bad label key',
      r => (r.spec.nodePools[0].labels = { 'a/b/c': 'x' }),
      'spec.nodePools[0].labels["a/b/c"]',
      /at most one/,
    ],
    [
      'a node label kubelet may not set',
      r => (r.spec.nodePools[0].labels = { 'kubernetes.io/role': 'x' }),
      'spec.nodePools[0].labels["kubernetes.io/role"]',
      /reserved/,
    ],
    [
      'bad label value',
      r => (r.spec.nodePools[0].labels = { team: 'a b' }),
      'spec.nodePools[0].labels.team',
      /value "a b"/,
    ],
    [
      'pool AZ outside the cluster',
      r => (r.spec.nodePools[0].availabilityZones = ['eu-west-1d']),
      'spec.nodePools[0].availabilityZones[0]',
      /not one of the cluster's/,
    ],
    [
      'AWS tag with aws: prefix',
      r => (r.spec.tags = { 'aws:x': 'y' }),
      'spec.tags["aws:x"]',
      /aws:/,
    ],
    [
      'karpenter In without values',
      r =>
        (r.spec.nodePools[0] = {
          name: 'karp0',
          type: 'karpenter',
          karpenter: {
            requirements: [
              { key: 'karpenter.k8s.aws/instance-family', operator: 'In' },
            ],
          },
        }),
      'spec.nodePools[0].karpenter.requirements[0].values',
      /at least one value/,
    ],
    [
      'karpenter Gt with a word',
      r =>
        (r.spec.nodePools[0] = {
          name: 'karp0',
          type: 'karpenter',
          karpenter: {
            requirements: [
              {
                key: 'karpenter.k8s.aws/instance-generation',
                operator: 'Gt',
                values: ['five'],
              },
            ],
          },
        }),
      'spec.nodePools[0].karpenter.requirements[0].values',
      /non-negative integer/,
    ],
    [
      'karpenter minValues above the values',
      r =>
        (r.spec.nodePools[0] = {
          name: 'karp0',
          type: 'karpenter',
          karpenter: {
            requirements: [
              {
                key: 'node.kubernetes.io/instance-type',
                operator: 'In',
                values: ['m6i.large'],
                minValues: 2,
              },
            ],
          },
        }),
      'spec.nodePools[0].karpenter.requirements[0].minValues',
      /at least 2/,
    ],
    [
      'a tag the controllers own',
      r => (r.spec.tags = { 'kubernetes.io/cluster/other': 'owned' }),
      'spec.tags["kubernetes.io/cluster/other"]',
      /set by Kubernetes/,
    ],
    [
      'no node pools',
      r => (r.spec.nodePools = []),
      'spec.nodePools',
      /at least one/,
    ],
    [
      'ENI mode without extra CIDRs',
      r =>
        (r.spec.network.cni = {
          mode: 'eni',
          podSubnetCidrs: ['10.11.0.0/18', '10.11.64.0/18', '10.11.128.0/18'],
        }),
      'spec.network.vpc.extraCidrs',
      /extra VPC CIDR/,
    ],
  ])('refuses %s at its path', (_name, change, path, message) => {
    const problems = problemsOf(withChange(change));
    expect(problems).toContainEqual({
      path,
      message: expect.stringMatching(message),
    });
  });

  it('requires EKS clusters to take only managed pools, a public API and no control-plane instance type', () => {
    const request: any = eksRequest();
    request.spec.nodePools.push({ name: 'karp0', type: 'karpenter' });
    request.spec.controlPlane = {
      apiMode: 'private',
      instanceType: 'm6i.large',
    };
    const paths = problemsOf(request).map(p => p.path);
    expect(paths).toEqual(
      expect.arrayContaining([
        'spec.nodePools[1].type',
        'spec.controlPlane.apiMode',
        'spec.controlPlane.instanceType',
      ]),
    );
  });

  describe('ENI mode', () => {
    const eni = (podSubnetCidrs: string[], extraCidrs = ['10.11.0.0/16']) =>
      withChange(r => {
        r.spec.network.vpc.extraCidrs = extraCidrs;
        r.spec.network.cni = { mode: 'eni', podSubnetCidrs };
      });

    it('accepts one pod subnet per zone inside the extra CIDRs', () => {
      expect(
        problemsOf(eni(['10.11.0.0/18', '10.11.64.0/18', '10.11.128.0/18'])),
      ).toEqual([]);
    });

    it('refuses pod subnets outside the extra CIDRs, overlapping, or not one per zone', () => {
      expect(
        problemsOf(eni(['10.11.0.0/18', '10.12.64.0/18', '10.11.128.0/18'])),
      ).toContainEqual({
        path: 'spec.network.cni.podSubnetCidrs[1]',
        message: expect.stringMatching(/inside none of the extra/),
      });
      expect(
        problemsOf(eni(['10.11.0.0/18', '10.11.0.0/19', '10.11.128.0/18'])),
      ).toContainEqual({
        path: 'spec.network.cni.podSubnetCidrs[1]',
        message: expect.stringMatching(/overlaps the pod subnet/),
      });
      expect(problemsOf(eni(['10.11.0.0/18']))).toContainEqual({
        path: 'spec.network.cni.podSubnetCidrs',
        message: expect.stringMatching(
          /one pod subnet per availability zone \(3\)/,
        ),
      });
    });
  });

  describe('subnets', () => {
    it('needs the subnets of an adopted VPC, with ids, and a private subnet in every zone', () => {
      expect(
        problemsOf(
          withChange(
            r => (r.spec.network.vpc = { mode: 'adopt', id: 'vpc-0a1b2c3d' }),
          ),
        ),
      ).toContainEqual({
        path: 'spec.network.subnets',
        message: expect.stringMatching(/needs its existing subnets/),
      });
      const problems = problemsOf(
        withChange(r => {
          r.spec.network.vpc = { mode: 'adopt', id: 'vpc-0a1b2c3d' };
          r.spec.network.availabilityZones = 2;
          r.spec.network.subnets = [
            {
              id: 'subnet-0a1b2c3d',
              public: false,
              availabilityZone: 'eu-west-1a',
            },
            { public: true, availabilityZone: 'eu-west-1b' },
          ];
        }),
      );
      expect(problems).toContainEqual({
        path: 'spec.network.subnets[1].id',
        message: 'an adopted subnet needs its id',
      });
      expect(problems).toContainEqual({
        path: 'spec.network.subnets',
        message: expect.stringMatching(/eu-west-1b has no private subnet/),
      });
    });

    it('checks explicit subnets of a new VPC against the VPC and each other', () => {
      const problems = problemsOf(
        withChange(r => {
          r.spec.network.availabilityZones = 1;
          r.spec.network.subnets = [
            {
              public: false,
              availabilityZone: 'eu-west-1a',
              cidr: '10.10.0.0/18',
            },
            {
              public: true,
              availabilityZone: 'eu-west-1a',
              cidr: '10.10.0.0/20',
            },
            {
              public: true,
              availabilityZone: 'eu-west-1a',
              cidr: '10.99.0.0/20',
            },
          ];
        }),
      );
      expect(problems).toContainEqual({
        path: 'spec.network.subnets[1].cidr',
        message: expect.stringMatching(/overlaps the subnet 10.10.0.0\/18/),
      });
      expect(problems).toContainEqual({
        path: 'spec.network.subnets[2].cidr',
        message: expect.stringMatching(/inside none of the VPC's CIDRs/),
      });
    });
  });

  it.each([
    null,
    undefined,
    42,
    'text',
    [],
    { apiVersion: 'clusterdeck.io/v1alpha1' },
  ])('reports problems for %p without throwing', input => {
    const result = validateClusterRequest(input);
    expect(result.ok).toBe(false);
  });
});
