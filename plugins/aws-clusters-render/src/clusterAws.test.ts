import fc from 'fast-check';
import { parse } from 'yaml';
import { validateClusterRequest } from '@clusterdeck/plugin-aws-clusters-common';
import {
  arbitraryClusterRequest,
  editedRequest,
  exampleRequests,
  findReferenceDir,
  ManifestValidator,
  referenceSkipReason,
  resolve,
  ValuesValidator,
} from '@clusterdeck/test-utils';
import {
  clusterAwsValues,
  clusterEksValues,
  renderClusterAwsApp,
} from './clusterAws';
import { RenderContext } from './types';

const referenceDir = findReferenceDir();
if (!referenceDir) {
  // eslint-disable-next-line no-console
  console.warn(
    `clusterAws.test: chart schema and App CRD checks skipped: ${referenceSkipReason}`,
  );
}

/** A copy of the base request (EC2, new /16 VPC over three zones, one ASG pool), edited. */
const request = editedRequest;

function contextOf(input: unknown): RenderContext {
  const resolved = resolve(input);
  return {
    resolved,
    options: { format: 'cluster-aws' },
    baseDomain: resolved.request.spec.baseDomain ?? 'fallback.example.com',
  };
}

/** The values of the chart that installs the request's flavor. */
function valuesOf(input: unknown): any {
  const ctx = contextOf(input);
  return ctx.resolved.request.spec.flavor === 'eks'
    ? clusterEksValues(ctx)
    : clusterAwsValues(ctx);
}

function chartOf(input: any) {
  return input.spec.flavor === 'eks'
    ? ('cluster-eks' as const)
    : ('cluster-aws' as const);
}

const createdVpc = request();
const adoptedVpc = request(r => {
  r.spec.network = {
    vpc: { mode: 'adopt', id: 'vpc-0a1b2c3d4e5f60718', cidr: '10.40.0.0/16' },
    availabilityZones: ['eu-west-1a', 'eu-west-1b'],
    subnets: [
      {
        id: 'subnet-0a1b2c3d4e5f60001',
        public: false,
        availabilityZone: 'eu-west-1a',
      },
      {
        id: 'subnet-0a1b2c3d4e5f60002',
        public: false,
        availabilityZone: 'eu-west-1b',
      },
      {
        id: 'subnet-0a1b2c3d4e5f60003',
        public: true,
        availabilityZone: 'eu-west-1a',
      },
    ],
  };
});
const extraCidrs = request(r => {
  r.spec.network = {
    vpc: {
      mode: 'create',
      cidr: '10.60.0.0/20',
      extraCidrs: ['10.61.0.0/20', '10.62.0.0/20'],
    },
    availabilityZones: 2,
    subnets: [
      { public: false, availabilityZone: 'eu-west-1a', cidr: '10.60.0.0/21' },
      { public: false, availabilityZone: 'eu-west-1b', cidr: '10.60.8.0/21' },
      { public: false, availabilityZone: 'eu-west-1a', cidr: '10.61.0.0/21' },
      { public: true, availabilityZone: 'eu-west-1a', cidr: '10.62.0.0/24' },
      { public: true, availabilityZone: 'eu-west-1b', cidr: '10.62.1.0/24' },
    ],
  };
});
const eniMode = request(r => {
  r.spec.network.vpc = {
    mode: 'create',
    cidr: '10.50.0.0/18',
    extraCidrs: ['10.51.0.0/16'],
  };
  r.spec.network.cni = {
    mode: 'eni',
    podSubnetCidrs: ['10.51.0.0/18', '10.51.64.0/18', '10.51.128.0/18'],
  };
});
const transitGatewayPrivateApi = request(r => {
  r.spec.controlPlane = {
    instanceType: 'r6i.xlarge',
    apiMode: 'private',
    allowedCidrs: ['10.0.0.0/8'],
  };
  r.spec.network.topology = {
    mode: 'transitGateway',
    transitGatewayId: 'tgw-0123456789abcdef0',
    prefixListId: 'pl-0123456789abcdef0',
  };
});
const karpenterAndAsg = request(r => {
  r.spec.nodePools.push(
    {
      name: 'batch',
      type: 'karpenter',
      spot: { enabled: true },
      karpenter: {
        requirements: [
          {
            key: 'karpenter.k8s.aws/instance-category',
            operator: 'In',
            values: ['c', 'm', 'r'],
          },
        ],
        limits: { cpu: '500' },
      },
    },
    {
      name: 'arm64',
      type: 'karpenter',
      availabilityZones: ['eu-west-1a', 'eu-west-1b'],
      karpenter: {
        requirements: [
          { key: 'kubernetes.io/arch', operator: 'In', values: ['arm64'] },
        ],
      },
    },
  );
});
const spotMixed = request(r => {
  r.spec.nodePools = [
    {
      name: 'spot0',
      type: 'asg',
      instanceType: 'm6i.2xlarge',
      minSize: 1,
      maxSize: 20,
      spot: { enabled: true, maxPrice: 0.4 },
    },
    {
      name: 'mixed',
      type: 'asg',
      instanceType: 'c6i.xlarge',
      instanceTypeOverrides: ['c6i.xlarge', 'c6a.xlarge', 'c5.xlarge'],
      minSize: 2,
      maxSize: 8,
    },
  ];
});
const taintsAndLabels = request(r => {
  r.metadata.labels = { 'clusterdeck.io/environment': 'production' };
  r.metadata.description = 'Payments production';
  r.spec.nodePools[0].labels = {
    'workload.example.com/class': 'batch',
    team: 'payments',
  };
  r.spec.nodePools[0].taints = [
    { key: 'workload.example.com/batch', value: 'true', effect: 'NoSchedule' },
    { key: 'dedicated', effect: 'NoExecute' },
  ];
  r.spec.nodePools[0].rootVolumeSizeGB = 200;
  r.spec.tags = { 'cost-center': 'payments' };
});
const eksManagedPools = request(r => {
  r.spec.flavor = 'eks';
  delete r.spec.controlPlane;
  r.spec.nodePools = [
    {
      name: 'general',
      type: 'managed',
      instanceType: 'm6i.2xlarge',
      minSize: 3,
      maxSize: 12,
    },
    {
      name: 'graviton',
      type: 'managed',
      instanceType: 'm7g.xlarge',
      minSize: 1,
      maxSize: 4,
      labels: { 'search.example.com/role': 'indexer' },
      taints: [{ key: 'search.example.com/indexer', effect: 'NoSchedule' }],
    },
  ];
});
const zoneList = request(r => {
  r.spec.region = 'eu-central-1';
  r.spec.network.availabilityZones = ['eu-central-1b', 'eu-central-1c'];
  r.spec.nodePools[0].availabilityZones = ['eu-central-1c'];
});

const SCENARIOS: Array<[string, any]> = [
  ['EC2 in a new VPC over three zones', createdVpc],
  ['EC2 in an adopted VPC with its subnets', adoptedVpc],
  ['extra VPC CIDRs with subnets laid out by hand', extraCidrs],
  ['Cilium ENI mode', eniMode],
  ['a transit gateway and a private API', transitGatewayPrivateApi],
  ['Karpenter pools beside an ASG pool', karpenterAndAsg],
  ['spot and mixed-instances pools', spotMixed],
  ['node labels, taints and cluster labels', taintsAndLabels],
  ['EKS with managed node groups', eksManagedPools],
  ['named availability zones', zoneList],
];

/** Fields the shared request generator leaves out: cluster labels, a description, spot prices, root volumes. */
const requestExtras = fc.record({
  labels: fc.dictionary(
    fc.constantFrom('example.com/team', 'tier', 'clusterdeck.io/environment'),
    fc.stringMatching(/^[a-z0-9]([a-z0-9._-]{0,20}[a-z0-9])?$/),
    { maxKeys: 3 },
  ),
  description: fc.option(fc.stringMatching(/^[A-Za-z0-9 ,.()'-]{0,60}$/), {
    nil: undefined,
  }),
  maxPrice: fc.option(fc.double({ min: 0.01, max: 10, noNaN: true }), {
    nil: undefined,
  }),
  rootVolumeSizeGB: fc.option(fc.integer({ min: 8, max: 2000 }), {
    nil: undefined,
  }),
});

type RequestExtras = typeof requestExtras extends fc.Arbitrary<infer T>
  ? T
  : never;

function withExtras(generated: any, extras: RequestExtras): any {
  const input = structuredClone(generated);
  input.metadata.labels = extras.labels;
  if (extras.description !== undefined)
    input.metadata.description = extras.description;
  for (const pool of input.spec.nodePools) {
    if (
      pool.type === 'asg' &&
      pool.spot.enabled &&
      extras.maxPrice !== undefined
    )
      pool.spot.maxPrice = extras.maxPrice;
    if (extras.rootVolumeSizeGB !== undefined)
      pool.rootVolumeSizeGB = extras.rootVolumeSizeGB;
  }
  return input;
}

describe('clusterAwsValues', () => {
  it('carries identity, release, account and base domain where the chart reads them', () => {
    const { global } = valuesOf(taintsAndLabels);
    expect(global.metadata).toEqual({
      name: 'pay-prod',
      organization: 'payments',
      description: 'Payments production',
      labels: { 'clusterdeck.io/environment': 'production' },
      annotations: { 'clusterdeck.io/owner': 'group:default/payments' },
    });
    expect(global.release).toEqual({ version: '31.1.0' });
    expect(global.managementCluster).toBe('mc-eu-prod');
    expect(global.connectivity.baseDomain).toBe('eu-prod.example.com');
    expect(global.providerSpecific).toEqual({
      region: 'eu-west-1',
      awsAccountId: '123456789012',
      awsClusterRoleIdentityName: 'payments-prod',
      additionalResourceTags: { 'cost-center': 'payments' },
    });
  });

  it('lays out a new VPC as public and private subnets per zone', () => {
    const { connectivity } = valuesOf(createdVpc).global;
    expect(connectivity.network).toEqual({
      vpcCidr: '10.10.0.0/16',
      vpcCidrs: ['10.10.0.0/16'],
      pods: { cidrBlocks: ['100.64.0.0/12'] },
      services: { cidrBlocks: ['172.31.0.0/16'] },
    });
    expect(connectivity.subnets).toEqual([
      {
        isPublic: true,
        cidrBlocks: [
          { cidr: '10.10.192.0/20', availabilityZone: 'eu-west-1a' },
          { cidr: '10.10.208.0/20', availabilityZone: 'eu-west-1b' },
          { cidr: '10.10.224.0/20', availabilityZone: 'eu-west-1c' },
        ],
      },
      {
        isPublic: false,
        cidrBlocks: [
          { cidr: '10.10.0.0/18', availabilityZone: 'eu-west-1a' },
          { cidr: '10.10.64.0/18', availabilityZone: 'eu-west-1b' },
          { cidr: '10.10.128.0/18', availabilityZone: 'eu-west-1c' },
        ],
      },
    ]);
    expect(connectivity).toMatchObject({
      availabilityZoneUsageLimit: 3,
      vpcMode: 'public',
      cilium: { ipamMode: 'kubernetes' },
      topology: { mode: 'None' },
    });
    expect(connectivity.eniModePodSubnets).toBeUndefined();
  });

  it('adopts a VPC by id and its subnets by id', () => {
    const { connectivity, nodePools } = valuesOf(adoptedVpc).global;
    expect(connectivity.network).toMatchObject({
      vpcId: 'vpc-0a1b2c3d4e5f60718',
      vpcCidrs: ['10.40.0.0/16'],
    });
    expect(connectivity.subnets).toEqual([
      { id: 'subnet-0a1b2c3d4e5f60001', isPublic: false },
      { id: 'subnet-0a1b2c3d4e5f60002', isPublic: false },
      { id: 'subnet-0a1b2c3d4e5f60003', isPublic: true },
    ]);
    expect(nodePools.def00.availabilityZones).toEqual([
      'eu-west-1a',
      'eu-west-1b',
    ]);
  });

  it('lists extra CIDRs after the primary one, which the chart associates with the VPC', () => {
    const { connectivity } = valuesOf(extraCidrs).global;
    expect(connectivity.network.vpcCidrs).toEqual([
      '10.60.0.0/20',
      '10.61.0.0/20',
      '10.62.0.0/20',
    ]);
    expect(connectivity.network.vpcCidr).toBe('10.60.0.0/20');
    expect(connectivity.subnets[1].cidrBlocks.map((b: any) => b.cidr)).toEqual([
      '10.60.0.0/21',
      '10.60.8.0/21',
      '10.61.0.0/21',
    ]);
  });

  it('puts ENI pods into tagged subnets of the extra CIDR, one per zone', () => {
    const { connectivity } = valuesOf(eniMode).global;
    expect(connectivity.cilium).toEqual({ ipamMode: 'eni' });
    expect(connectivity.network.pods).toEqual({ cidrBlocks: ['10.51.0.0/16'] });
    expect(connectivity.network.vpcCidrs).toEqual([
      '10.50.0.0/18',
      '10.51.0.0/16',
    ]);
    const secondary = {
      'sigs.k8s.io/cluster-api-provider-aws/association': 'secondary',
    };
    expect(connectivity.eniModePodSubnets).toEqual([
      {
        cidrBlocks: [
          {
            availabilityZone: 'eu-west-1a',
            cidr: '10.51.0.0/18',
            tags: secondary,
          },
          {
            availabilityZone: 'eu-west-1b',
            cidr: '10.51.64.0/18',
            tags: secondary,
          },
          {
            availabilityZone: 'eu-west-1c',
            cidr: '10.51.128.0/18',
            tags: secondary,
          },
        ],
      },
    ]);
  });

  it('attaches to a transit gateway as a user-managed topology, with a private API', () => {
    const { connectivity, controlPlane } = valuesOf(
      transitGatewayPrivateApi,
    ).global;
    expect(connectivity.topology).toEqual({
      mode: 'UserManaged',
      transitGatewayId: 'tgw-0123456789abcdef0',
      prefixListId: 'pl-0123456789abcdef0',
    });
    expect(connectivity.vpcMode).toBe('public');
    expect(controlPlane).toEqual({
      instanceType: 'r6i.xlarge',
      apiMode: 'private',
      loadBalancerIngressAllowCidrBlocks: ['10.0.0.0/8'],
    });
  });

  it('defaults the control plane instance type as the request validation does', () => {
    expect(valuesOf(createdVpc).global.controlPlane).toEqual({
      instanceType: 'm6i.xlarge',
      apiMode: 'public',
    });
  });

  it('renders Karpenter pools with explicit capacity type, architecture, zones and limits', () => {
    const { nodePools } = valuesOf(karpenterAndAsg).global;
    expect(nodePools.def00).toEqual({
      instanceType: 'm6i.xlarge',
      minSize: 3,
      maxSize: 10,
      availabilityZones: ['eu-west-1a', 'eu-west-1b', 'eu-west-1c'],
    });
    expect(nodePools.batch).toEqual({
      type: 'karpenter',
      requirements: [
        {
          key: 'karpenter.k8s.aws/instance-category',
          operator: 'In',
          values: ['c', 'm', 'r'],
        },
        {
          key: 'karpenter.sh/capacity-type',
          operator: 'In',
          values: ['spot', 'on-demand'],
        },
        { key: 'kubernetes.io/arch', operator: 'In', values: ['amd64'] },
        { key: 'kubernetes.io/os', operator: 'In', values: ['linux'] },
        {
          key: 'topology.kubernetes.io/zone',
          operator: 'In',
          values: ['eu-west-1a', 'eu-west-1b', 'eu-west-1c'],
        },
      ],
      limits: { cpu: '500', memory: '1000Gi' },
    });
    expect(nodePools.arm64.architecture).toBe('arm64');
    expect(nodePools.arm64.requirements).toContainEqual({
      key: 'karpenter.sh/capacity-type',
      operator: 'In',
      values: ['on-demand'],
    });
    expect(nodePools.arm64.requirements).toContainEqual({
      key: 'topology.kubernetes.io/zone',
      operator: 'In',
      values: ['eu-west-1a', 'eu-west-1b'],
    });
  });

  it('renders spot prices and mixed instance types', () => {
    const { nodePools } = valuesOf(spotMixed).global;
    expect(nodePools.spot0).toMatchObject({
      minSize: 1,
      maxSize: 20,
      spotInstances: { enabled: true, maxPrice: 0.4 },
    });
    expect(nodePools.spot0.instanceTypeOverrides).toBeUndefined();
    expect(nodePools.mixed).toMatchObject({
      instanceType: 'c6i.xlarge',
      instanceTypeOverrides: ['c6i.xlarge', 'c6a.xlarge', 'c5.xlarge'],
      minSize: 2,
      maxSize: 8,
    });
    expect(nodePools.mixed.spotInstances).toBeUndefined();
  });

  it('turns pool labels and taints into node labels and taints', () => {
    const { nodePools } = valuesOf(taintsAndLabels).global;
    expect(nodePools.def00).toMatchObject({
      rootVolumeSizeGB: 200,
      customNodeLabels: ['workload.example.com/class=batch', 'team=payments'],
      customNodeTaints: [
        {
          key: 'workload.example.com/batch',
          value: 'true',
          effect: 'NoSchedule',
        },
        { key: 'dedicated', effect: 'NoExecute' },
      ],
    });
  });

  it('uses named zones for subnets and pools', () => {
    const { connectivity, nodePools } = valuesOf(zoneList).global;
    expect(connectivity.availabilityZoneUsageLimit).toBe(2);
    expect(
      connectivity.subnets.flatMap((s: any) =>
        s.cidrBlocks.map((b: any) => b.availabilityZone),
      ),
    ).toEqual([
      'eu-central-1b',
      'eu-central-1c',
      'eu-central-1b',
      'eu-central-1c',
    ]);
    expect(nodePools.def00.availabilityZones).toEqual(['eu-central-1c']);
  });

  it('picks the arm64 node image for Graviton pools', () => {
    const { nodePools } = valuesOf(
      request(r => {
        r.spec.nodePools[0].instanceType = 'm7g.xlarge';
        r.spec.nodePools[0].instanceTypeOverrides = [
          'm7g.xlarge',
          'c7gn.xlarge',
        ];
      }),
    ).global;
    expect(nodePools.def00.architecture).toBe('arm64');
  });

  it('refuses EKS requests, and requests without a release or base domain', () => {
    expect(() => clusterAwsValues(contextOf(eksManagedPools))).toThrow(
      TypeError,
    );
    expect(() => clusterEksValues(contextOf(createdVpc))).toThrow(TypeError);
    const withoutRelease = contextOf(request(r => delete r.spec.release));
    expect(() => clusterAwsValues(withoutRelease)).toThrow(/spec\.release/);
    const withoutDomain = { ...contextOf(createdVpc), baseDomain: undefined };
    expect(() => clusterAwsValues(withoutDomain)).toThrow(/base domain/);
  });
});

describe('clusterEksValues', () => {
  it('renders managed node groups with their image type and the pod network cluster-eks builds', () => {
    const { global } = valuesOf(eksManagedPools);
    expect(global.nodePools.general).toEqual({
      instanceType: 'm6i.2xlarge',
      minSize: 3,
      maxSize: 12,
      availabilityZones: ['eu-west-1a', 'eu-west-1b', 'eu-west-1c'],
      amiType: 'AL2023_x86_64_STANDARD',
    });
    expect(global.nodePools.graviton).toMatchObject({
      amiType: 'AL2023_ARM_64_STANDARD',
      customNodeLabels: ['search.example.com/role=indexer'],
      customNodeTaints: [
        { key: 'search.example.com/indexer', value: '', effect: 'NoSchedule' },
      ],
    });
    expect(global.connectivity.network).toEqual({
      vpcCidr: '10.10.0.0/16',
      pods: { cidrBlocks: ['100.64.0.0/16'] },
      services: { cidrBlocks: ['172.31.0.0/16'] },
    });
    expect(
      global.connectivity.podSubnets[0].cidrBlocks.map((b: any) => [
        b.availabilityZone,
        b.cidr,
      ]),
    ).toEqual([
      ['eu-west-1a', '100.64.0.0/18'],
      ['eu-west-1b', '100.64.64.0/18'],
      ['eu-west-1c', '100.64.128.0/18'],
    ]);
    expect(global.controlPlane).toBeUndefined();
    expect(global.metadata.annotations).toEqual({
      'clusterdeck.io/owner': 'group:default/payments',
    });
  });

  it('lists extra CIDRs as the secondary blocks cluster-eks expects, and adopts VPCs by id', () => {
    const { network, subnets } = valuesOf(
      request(r => {
        r.spec.flavor = 'eks';
        delete r.spec.controlPlane;
        r.spec.network.vpc = {
          mode: 'adopt',
          id: 'vpc-1234abcd',
          extraCidrs: ['10.11.0.0/16'],
        };
        r.spec.network.availabilityZones = 1;
        r.spec.network.subnets = [
          {
            id: 'subnet-1111aaaa',
            public: false,
            availabilityZone: 'eu-west-1a',
          },
        ];
        r.spec.nodePools = [
          {
            name: 'general',
            type: 'managed',
            instanceType: 'm6i.large',
            minSize: 1,
            maxSize: 2,
          },
        ];
      }),
    ).global.connectivity;
    expect(network).toMatchObject({
      vpcId: 'vpc-1234abcd',
      vpcCidrs: [{ ipv4CidrBlock: '10.11.0.0/16' }],
    });
    expect(network.vpcCidr).toBeUndefined();
    expect(subnets).toEqual([{ id: 'subnet-1111aaaa', isPublic: false }]);
  });
});

describe('renderClusterAwsApp', () => {
  it('renders the values ConfigMap and the App of the chart in the organization namespace', () => {
    const ctx = contextOf(createdVpc);
    const [configMap, app] = renderClusterAwsApp(ctx) as any[];
    expect(configMap.metadata).toEqual({
      name: 'pay-prod-userconfig',
      namespace: 'org-payments',
      labels: {
        'giantswarm.io/cluster': 'pay-prod',
        'giantswarm.io/organization': 'payments',
      },
    });
    expect(parse(configMap.data.values)).toEqual(clusterAwsValues(ctx));
    expect(app).toEqual({
      apiVersion: 'application.giantswarm.io/v1alpha1',
      kind: 'App',
      metadata: {
        name: 'pay-prod',
        namespace: 'org-payments',
        labels: {
          'giantswarm.io/cluster': 'pay-prod',
          'giantswarm.io/organization': 'payments',
          'app-operator.giantswarm.io/version': '0.0.0',
        },
        annotations: { 'clusterdeck.io/owner': 'group:default/payments' },
      },
      spec: {
        catalog: 'cluster',
        name: 'cluster-aws',
        namespace: 'org-payments',
        version: '',
        kubeConfig: { inCluster: true },
        userConfig: {
          configMap: { name: 'pay-prod-userconfig', namespace: 'org-payments' },
        },
      },
    });
  });

  it('installs EKS clusters from cluster-eks, from the catalog the options name', () => {
    const ctx = {
      ...contextOf(eksManagedPools),
      options: { format: 'cluster-aws' as const, appCatalog: 'cluster-test' },
    };
    const [configMap, app] = renderClusterAwsApp(ctx) as any[];
    expect(app.spec).toMatchObject({
      catalog: 'cluster-test',
      name: 'cluster-eks',
    });
    expect(parse(configMap.data.values)).toEqual(clusterEksValues(ctx));
  });
});

/**
 * Keys that the charts read although their own schemas leave them undeclared (in objects they
 * leave open): `global.metadata.annotations` and, for cluster-eks, `global.metadata.labels` are
 * declared by the cluster subchart both charts include; cluster-eks templates read
 * `global.release.version` and the `id` of adopted subnets.
 */
const READ_THOUGH_UNDECLARED =
  /^global\.(metadata\.(annotations|labels)|release|connectivity\.subnets\[\d+\]\.id)$/;

(referenceDir ? describe : describe.skip)(
  `against the chart schemas and the App CRD${
    referenceDir ? '' : ` (skipped: ${referenceSkipReason})`
  }`,
  () => {
    const values = referenceDir
      ? ValuesValidator.fromDirectory(referenceDir)
      : undefined;
    const manifests = referenceDir
      ? ManifestValidator.fromDirectory(referenceDir)
      : undefined;

    function schemaIssues(input: any) {
      return values!.validate(chartOf(input), valuesOf(input));
    }

    function undeclaredKeys(input: any) {
      return values!
        .validate(chartOf(input), valuesOf(input), {
          rejectUndeclaredKeys: true,
        })
        .filter(issue => !READ_THOUGH_UNDECLARED.test(issue.path));
    }

    it.each(SCENARIOS)(
      '%s: values the chart schema accepts, keys the chart reads',
      (_name, input) => {
        expect(schemaIssues(input)).toEqual([]);
        expect(undeclaredKeys(input)).toEqual([]);
      },
    );

    it.each(SCENARIOS)(
      '%s: an App and ConfigMap the API server accepts',
      (_name, input) => {
        expect(
          manifests!.validateAll(renderClusterAwsApp(contextOf(input))),
        ).toEqual([]);
      },
    );

    it.each(exampleRequests().map(e => [e.file, e.request]))(
      'example %s renders to values the schema accepts',
      (_file, input) => {
        expect(schemaIssues(input)).toEqual([]);
      },
    );

    it('rejects values with an unknown or undeclared key, so the checks above can fail', () => {
      const broken = valuesOf(createdVpc);
      broken.global.connectivity.vpcMode = 'hybrid';
      expect(values!.validate('cluster-aws', broken)).toHaveLength(1);
      const typo = valuesOf(createdVpc);
      typo.global.metadata.owner = 'group:default/payments';
      expect(values!.validate('cluster-aws', typo)).toEqual([]);
      expect(
        values!
          .validate('cluster-aws', typo, { rejectUndeclaredKeys: true })
          .map(i => i.path),
      ).toContain('global.metadata.owner');
    });

    it('rejects an App with an unknown field, so the checks above can fail', () => {
      const [, app] = renderClusterAwsApp(contextOf(createdVpc));
      (app.spec as any).notAField = true;
      expect(manifests!.validateAll([app])).toHaveLength(1);
    });

    it('renders every generated valid request to values its chart schema accepts', () => {
      fc.assert(
        fc.property(
          arbitraryClusterRequest,
          requestExtras,
          (generated, extras) => {
            const input = withExtras(generated, extras);
            fc.pre(validateClusterRequest(input).ok);
            expect(schemaIssues(input)).toEqual([]);
            expect(undeclaredKeys(input)).toEqual([]);
            expect(
              manifests!.validateAll(renderClusterAwsApp(contextOf(input))),
            ).toEqual([]);
          },
        ),
        { numRuns: 200 },
      );
    });
  },
);
