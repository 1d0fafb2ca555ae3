import {
  findReferenceDir,
  FleetSnapshot,
  referenceSkipReason,
} from '@clusterdeck/plugin-aws-clusters-node';
import { ManifestValidator } from '@clusterdeck/test-utils';
import {
  readRecordedFleet as recorded,
  recordedFleetConfig as config,
} from '../__testUtils__/recordedFleet';
import { boundariesView } from './boundariesView';
import { buildFleetModel, FleetModel } from './buildFleetModel';
import { scalingView } from './scalingView';
import { clusterSummary } from './summaryView';
import { topologyView } from './topologyView';

const referenceDir = findReferenceDir();

let snapshot: FleetSnapshot;
let model: FleetModel;

beforeAll(async () => {
  snapshot = await recorded();
  model = buildFleetModel(snapshot, config(), []);
});

function cluster(name: string, m: FleetModel = model) {
  const found = m.clusters.find(c => c.name === name);
  if (!found) throw new Error(`no cluster ${name}`);
  return found;
}

const pool = (clusterName: string, poolName: string, m: FleetModel = model) => {
  const found = scalingView(cluster(clusterName, m)).find(
    p => p.name === poolName,
  );
  if (!found) throw new Error(`no pool ${poolName} of ${clusterName}`);
  return found;
};

describe('the recorded fleet', () => {
  it('reads without errors: every file is an SDK output or a kubectl list the snapshot source knows', () => {
    expect(snapshot.aws.flatMap(r => r.errors)).toEqual([]);
    expect(snapshot.managementClusters.flatMap(m => m.errors)).toEqual([]);
    expect(model.clusters.map(c => c.name).sort()).toEqual([
      'api-prod',
      'edge-dev',
      'new-dev',
      'old-dev',
      'search-eks',
      'shop-prod',
    ]);
    const production = snapshot.aws.find(r => r.accountId === '123456789012')!;
    expect(production.fetchedAt).toBe('2026-10-15T12:00:00.000Z');
    // Tags of both load balancer APIs land on their balancers, as the collector puts them.
    expect(
      production.loadBalancers.every(lb => (lb.Tags ?? []).length > 0),
    ).toBe(true);
    expect(production.classicLoadBalancers[0].Tags).toContainEqual({
      Key: 'kubernetes.io/service-name',
      Value: 'shop/legacy',
    });
  });
});

(referenceDir ? describe : describe.skip)(
  `the recorded objects against the upstream CRDs${
    referenceDir ? '' : ` (skipped: ${referenceSkipReason})`
  }`,
  () => {
    it('holds management-cluster objects the CRDs accept, status included', () => {
      const validator = ManifestValidator.fromDirectory(referenceDir!);
      // The reference set has no CRD for Giant Swarm's Release; those follow its API type.
      const objects = snapshot.managementClusters.flatMap(mc =>
        Object.values(mc.objects)
          .flat()
          .filter(o => o.kind !== 'Release'),
      );
      expect(objects.length).toBeGreaterThan(20);
      const issues = validator
        .validateAll(objects)
        .filter(r => r.issues.length > 0);
      expect(issues).toEqual([]);
    });
  },
);

describe('rule 1: the environment label wins over the account', () => {
  it('shows a production-account cluster labelled staging as staging, in the summary and the boundaries', () => {
    const shop = cluster('shop-prod');
    expect(clusterSummary(shop)).toMatchObject({
      environment: 'staging',
      environmentSource: 'label',
      accountName: 'production',
    });
    const view = boundariesView(model, [shop], []);
    expect(view.environments.map(e => e.name)).toEqual(['staging']);
    expect(
      view.environments[0].accounts[0].vpcs[0].clusters[0].environment,
    ).toBe('staging');
  });

  it('keeps the account environment for clusters without the label', () => {
    expect(clusterSummary(cluster('api-prod'))).toMatchObject({
      environment: 'production',
      environmentSource: 'account',
    });
  });

  it('finds mixed environments in the production account from the label, not only from labels of other clusters', () => {
    const findings = boundariesView(model, model.clusters, []).findings.filter(
      f => f.code === 'mixed-environments-in-account',
    );
    expect(findings).toHaveLength(1);
    expect(findings[0].subjects).toContain('123456789012');
    expect(findings[0].title).toBe(
      'Clusters of production and staging share account production',
    );
  });

  it('names the environments an account really mixes, production or not', () => {
    const copy = structuredClone(snapshot);
    copy.managementClusters[0].objects.clusters!.find(
      c => c.metadata.name === 'new-dev',
    )!.metadata.labels!['clusterdeck.io/environment'] = 'staging';
    const m = buildFleetModel(copy, config(), []);
    const finding = boundariesView(m, m.clusters, []).findings.find(
      f =>
        f.code === 'mixed-environments-in-account' &&
        f.subjects[0] === '444455556666',
    );
    expect(finding).toMatchObject({
      title: 'Clusters of development and staging share account development',
      explanation: expect.not.stringContaining('production'),
    });
  });
  it("warns of a label that names no environment, and shows the cluster in its account's", () => {
    const copy = structuredClone(snapshot);
    copy.managementClusters[0].objects.clusters!.find(
      c => c.metadata.name === 'new-dev',
    )!.metadata.labels!['clusterdeck.io/environment'] = 'prd';
    const m = buildFleetModel(copy, config(), []);
    const newDev = m.clusters.find(c => c.name === 'new-dev')!;
    expect(clusterSummary(newDev)).toMatchObject({
      environment: 'development',
      environmentSource: 'account',
    });
    const findings = boundariesView(m, m.clusters, []).findings.filter(
      f => f.code === 'unknown-environment-label',
    );
    expect(findings).toEqual([
      expect.objectContaining({
        severity: 'warning',
        title:
          'Cluster new-dev is labelled with an environment that does not exist: prd',
        subjects: [newDev.ref],
      }),
    ]);
    expect(
      boundariesView(model, model.clusters, []).findings.filter(
        f => f.code === 'unknown-environment-label',
      ),
    ).toEqual([]);
  });
});

describe('rule 2: status with its reason', () => {
  it("reports a pool short of its desired size with failed launches as degraded, naming the pool and AWS's reason", () => {
    const summary = clusterSummary(cluster('shop-prod'));
    expect(summary.status).toBe('degraded');
    expect(summary.statusReason).toMatch(
      /node pool spot: scaling activity failed at 2026-10-15T11:48:04.211Z: Could not launch Spot Instances\. InsufficientInstanceCapacity/,
    );
  });

  it('does not let Available=False decide: a MachinePool cluster with healthy pools is ready', () => {
    const api = cluster('api-prod');
    expect(
      api.cluster.status.conditions.find((c: any) => c.type === 'Available')
        .status,
    ).toBe('False');
    expect(clusterSummary(api)).toMatchObject({ status: 'ready' });
    expect(clusterSummary(api).statusReason).toBeUndefined();
  });

  it('reports deletion with the time it was asked for and what is left in AWS', () => {
    expect(clusterSummary(cluster('old-dev'))).toMatchObject({
      status: 'deleting',
      statusReason:
        'deletion requested at 2026-10-15T11:52:10Z; node pools still in AWS: def',
    });
  });

  it('reports a cluster still provisioning as creating, with what it waits for', () => {
    expect(clusterSummary(cluster('new-dev'))).toMatchObject({
      status: 'creating',
      statusReason:
        'phase Provisioning: NatGatewaysReady: NatGateway creation started',
    });
  });

  it('reports a False readiness condition as degraded, naming the condition', () => {
    expect(clusterSummary(cluster('edge-dev'))).toMatchObject({
      status: 'degraded',
      statusReason: expect.stringMatching(
        /^RemoteConnectionProbe is False: Remote connection probe failed/,
      ),
    });
  });

  it('reports an EKS node group that fails to launch as degraded', () => {
    expect(clusterSummary(cluster('search-eks')).status).toBe('degraded');
    expect(clusterSummary(cluster('search-eks')).statusReason).toMatch(
      /^node pool general: scaling activity failed .*UnfulfillableCapacity/,
    );
  });

  it('tolerates a shortfall within the grace period and not beyond it', () => {
    // The same recording, with the healthy group one instance short since a launch five minutes ago.
    const short = structuredClone(snapshot);
    const region = short.aws.find(r => r.accountId === '123456789012')!;
    const group = region.autoScalingGroups.find(
      g => g.AutoScalingGroupName === 'api-prod-def',
    )!;
    group.Instances![2].LifecycleState = 'Pending';
    region.scalingActivities.unshift({
      ActivityId: 'a0c1e2f3-0000-4000-8000-000000000001',
      AutoScalingGroupName: 'api-prod-def',
      Description: 'Launching a new EC2 instance: i-0b1c2d3e4f5a60303',
      Cause:
        'At 2026-10-15T11:54:58Z an instance was started in response to a difference between desired and actual capacity, increasing the capacity from 2 to 3.',
      StartTime: '2026-10-15T11:55:00.000Z' as unknown as Date,
      StatusCode: 'InProgress',
      Progress: 20,
    });
    const within = buildFleetModel(short, config(), []);
    expect(clusterSummary(cluster('api-prod', within)).status).toBe('ready');
    const beyond = buildFleetModel(
      short,
      config({ status: { poolShortfallGrace: { minutes: 2 } } }),
      [],
    );
    expect(clusterSummary(cluster('api-prod', beyond))).toMatchObject({
      status: 'degraded',
      statusReason:
        'node pool def has 2 of 3 instances in service for 5 minutes',
    });
  });
});

describe("rule 3: an adopted VPC's other subnets are the VPC's, not the cluster's", () => {
  it("lists the subnets the AWSCluster names as the cluster's and the rest apart", () => {
    const topology = topologyView(cluster('shop-prod'));
    expect(topology.vpc).toMatchObject({
      id: 'vpc-0c1a2b3c4d5e6f701',
      adopted: true,
    });
    expect(topology.subnets.map(s => s.id).sort()).toEqual([
      'subnet-0a1b2c3d4e5f600a1',
      'subnet-0a1b2c3d4e5f600a2',
      'subnet-0a1b2c3d4e5f600a3',
    ]);
    expect(topology.otherSubnets?.map(s => s.id)).toEqual([
      'subnet-0a1b2c3d4e5f600a4',
    ]);
    expect(topology.availabilityZones).toEqual(['eu-west-1a', 'eu-west-1b']);
  });

  it('counts the subnets CAPA created for a cluster by their tags, and leaves nothing apart in a created VPC', () => {
    const topology = topologyView(cluster('api-prod'));
    expect(topology.vpc?.adopted).toBe(false);
    expect(topology.subnets.map(s => s.id).sort()).toEqual([
      'subnet-0b2c3d4e5f60718b1',
      'subnet-0b2c3d4e5f60718b2',
    ]);
    expect(topology.otherSubnets).toBeUndefined();
  });
});

describe('rule 4: load balancers of every controller', () => {
  it("shows CAPA's, the cloud provider's and the AWS Load Balancer Controller's, each with what it serves", () => {
    const lbs = topologyView(cluster('shop-prod')).loadBalancers.map(lb => ({
      name: lb.name,
      controller: lb.controller,
      backend: lb.backend,
      target: lb.target,
      type: lb.type,
    }));
    expect(lbs).toEqual(
      expect.arrayContaining([
        {
          name: 'shop-prod-apiserver',
          controller: 'capa',
          backend: undefined,
          target: 'apiserver',
          type: 'network',
        },
        {
          name: 'k8s-shop-checkout-1a2b3c4d5e',
          controller: 'aws-load-balancer-controller',
          backend: { kind: 'Service', name: 'shop/checkout' },
          target: 'shop/checkout',
          type: 'network',
        },
        {
          name: 'k8s-shoppublic-3f4e5d6c7b',
          controller: 'aws-load-balancer-controller',
          backend: { kind: 'IngressGroup', name: 'shop-public' },
          target: 'shop-public',
          type: 'application',
        },
        {
          name: 'a0b1c2d3e4f5a6b7c8d9e0f1a2b3c4d5',
          controller: 'cloud-provider',
          backend: { kind: 'Service', name: 'shop/legacy' },
          target: 'shop/legacy',
          type: 'classic',
        },
      ]),
    );
    expect(lbs).toHaveLength(4);
  });
});

describe('rule 5: API exposure from what AWS enforces', () => {
  it("finds a range added by hand beside the spec's allow-list and CAPA's own NAT rule", () => {
    const topology = topologyView(cluster('shop-prod'));
    expect(topology.controlPlane).toMatchObject({
      apiMode: 'public',
      exposure: 'open-to-world',
      allowedCidrs: ['0.0.0.0/0', '192.0.2.10/32', '203.0.113.0/24'],
      // What CAPA would keep: the spec's range and the NAT gateway's address.
      requestedCidrs: ['192.0.2.10/32', '203.0.113.0/24'],
    });
    const finding = boundariesView(
      model,
      [cluster('shop-prod')],
      [],
    ).findings.find(f => f.code === 'api-rules-differ-from-spec');
    expect(finding).toMatchObject({
      severity: 'warning',
      title:
        'The API of shop-prod is reachable from other addresses than its spec and CAPA allow',
      subjects: ['mc-fixture/org-shop/shop-prod'],
    });
    expect(finding?.explanation).toContain(
      "Cluster API would let in 192.0.2.10/32, 203.0.113.0/24: the spec's rules, and 192.0.2.10/32 that CAPA adds itself because the nodes reach an internet-facing API through the NAT gateways.",
    );
    expect(finding?.explanation).toContain(
      '0.0.0.0/0 came from outside Cluster API',
    );
  });

  it("raises no finding for the NAT gateways' addresses CAPA adds to a public API itself", () => {
    // The recording's NAT gateways are those whose addresses CAPA wrote to the AWSClusters' status.
    const natIps = snapshot.aws
      .flatMap(r => r.natGateways)
      .map(n => n.NatGatewayAddresses?.[0]?.PublicIp)
      .sort();
    const statusIps = snapshot.managementClusters
      .flatMap(mc => mc.objects.awsClusters ?? [])
      .flatMap((c: any) => c.status?.networkStatus?.natGatewaysIPs ?? [])
      .sort();
    expect(statusIps).toEqual(natIps);
    expect(topologyView(cluster('api-prod')).controlPlane).toMatchObject({
      exposure: 'open-to-world',
      allowedCidrs: ['0.0.0.0/0', '192.0.2.20/32'],
    });
    expect(
      topologyView(cluster('api-prod')).controlPlane.requestedCidrs,
    ).toBeUndefined();
    expect(
      boundariesView(model, model.clusters, [])
        .findings.filter(f => f.code === 'api-rules-differ-from-spec')
        .map(f => f.subjects),
    ).toEqual([['mc-fixture/org-shop/shop-prod']]);
  });

  it("takes the rules for the listener's port only: another port open to the world does not count", () => {
    expect(topologyView(cluster('edge-dev')).controlPlane).toMatchObject({
      exposure: 'allow-listed',
      allowedCidrs: ['192.0.2.30/32', '198.51.100.0/24', '203.0.113.0/24'],
    });
    expect(
      topologyView(cluster('edge-dev')).controlPlane.requestedCidrs,
    ).toBeUndefined();
  });

  /** The recording with `change` made to a copy of it. */
  const variant = (change: (copy: FleetSnapshot) => void) => {
    const copy = structuredClone(snapshot);
    change(copy);
    return buildFleetModel(copy, config(), []);
  };
  const awsCluster = (copy: FleetSnapshot, name: string): any =>
    copy.managementClusters[0].objects.awsClusters!.find(
      (c: any) => c.metadata.name === name,
    );
  const apiGroup = (copy: FleetSnapshot, id: string) =>
    copy.aws.flatMap(r => r.securityGroups).find(g => g.GroupId === id)!
      .IpPermissions![0];

  it('lets CAPA open a public API to everyone while it knows no NAT gateway, without a finding, and says so', () => {
    // A cluster with public subnets only: CAPA makes no NAT gateway and lets in 0.0.0.0/0.
    const m = variant(copy => {
      delete awsCluster(copy, 'edge-dev').status.networkStatus.natGatewaysIPs;
      apiGroup(copy, 'sg-0b1c2d3e4f5a6b001').IpRanges![0].CidrIp = '0.0.0.0/0';
    });
    const cp = topologyView(cluster('edge-dev', m)).controlPlane;
    expect(cp).toMatchObject({
      exposure: 'open-to-world',
      allowedCidrs: ['0.0.0.0/0', '198.51.100.0/24', '203.0.113.0/24'],
    });
    expect(cp.requestedCidrs).toBeUndefined();
    expect(cp.exposureNote).toMatch(
      /CAPA itself lets in 0\.0\.0\.0\/0 because it knows no NAT gateway address \(status\.networkStatus\.natGatewaysIPs\)/,
    );
  });

  it('finds a NAT rule CAPA has not applied yet, as fewer addresses than it allows', () => {
    const m = variant(copy => {
      apiGroup(copy, 'sg-0b1c2d3e4f5a6b001').IpRanges!.shift();
    });
    const finding = boundariesView(
      m,
      [cluster('edge-dev', m)],
      [],
    ).findings.find(f => f.code === 'api-rules-differ-from-spec');
    expect(finding).toMatchObject({
      title:
        'The API of edge-dev lets in fewer addresses than its spec and CAPA allow',
    });
    expect(finding?.explanation).toContain(
      '192.0.2.30/32: CAPA has not applied these yet.',
    );
  });

  it("reads a rule with natGatewaysIPsSource as the NAT gateways' addresses, and one with source security groups as no range", () => {
    const m = variant(copy => {
      awsCluster(copy, 'edge-dev').spec.controlPlaneLoadBalancer.ingressRules =
        [
          {
            description: 'Kubernetes API from the NAT gateways',
            protocol: 'tcp',
            fromPort: 6443,
            toPort: 6443,
            natGatewaysIPsSource: true,
          },
          {
            description: 'Kubernetes API from the nodes',
            protocol: 'tcp',
            fromPort: 6443,
            toPort: 6443,
            sourceSecurityGroupRoles: ['node'],
          },
        ];
      const rule = apiGroup(copy, 'sg-0b1c2d3e4f5a6b001');
      rule.IpRanges = [rule.IpRanges![0]];
      rule.UserIdGroupPairs = [
        {
          Description: 'Kubernetes API from the nodes',
          GroupId: 'sg-0b1c2d3e4f5a6b009',
          UserId: '444455556666',
        },
      ];
    });
    const cp = topologyView(cluster('edge-dev', m)).controlPlane;
    expect(cp).toMatchObject({
      exposure: 'allow-listed',
      allowedCidrs: ['192.0.2.30/32'],
    });
    expect(cp.requestedCidrs).toBeUndefined();
  });

  it("reads an internal API load balancer as private, its VPC's CIDR being CAPA's own rule", () => {
    const m = variant(copy => {
      const aws = awsCluster(copy, 'edge-dev');
      aws.spec.controlPlaneLoadBalancer.scheme = 'internal';
      delete aws.spec.controlPlaneLoadBalancer.ingressRules;
      copy.aws
        .flatMap(r => r.loadBalancers)
        .find(lb => lb.LoadBalancerName === 'edge-dev-apiserver')!.Scheme =
        'internal';
      apiGroup(copy, 'sg-0b1c2d3e4f5a6b001').IpRanges = [
        { Description: 'Kubernetes API', CidrIp: '10.52.0.0/20' },
        { Description: 'Kubernetes API', CidrIp: '0.0.0.0/0' },
      ];
    });
    const cp = topologyView(cluster('edge-dev', m)).controlPlane;
    expect(cp).toMatchObject({
      apiMode: 'private',
      exposure: 'private',
      allowedCidrs: [],
    });
    expect(cp.requestedCidrs).toBeUndefined();
    expect(
      boundariesView(m, [cluster('edge-dev', m)], []).findings.map(f => f.code),
    ).not.toContain('api-rules-differ-from-spec');
  });

  it('finds a production API open to the world from its security group', () => {
    expect(clusterSummary(cluster('api-prod')).apiExposure).toBe(
      'open-to-world',
    );
    const findings = boundariesView(model, [cluster('api-prod')], []).findings;
    expect(
      findings.find(f => f.code === 'public-production-api'),
    ).toMatchObject({
      severity: 'critical',
      subjects: ['mc-fixture/org-api/api-prod'],
    });
    expect(
      findings.find(f => f.code === 'api-rules-differ-from-spec'),
    ).toBeUndefined();
  });

  it('claims nothing about a load balancer that does not exist yet', () => {
    const view = topologyView(cluster('new-dev'));
    expect(view.controlPlane).toMatchObject({
      exposure: 'unknown',
      allowedCidrs: [],
      exposureNote: 'the API load balancer does not exist yet',
    });
    expect(view.controlPlane.requestedCidrs).toBeUndefined();
    const boundary = boundariesView(model, [cluster('new-dev')], [])
      .environments[0].accounts[0].vpcs[0].clusters[0];
    expect(boundary).toMatchObject({
      apiExposure: 'unknown',
      allowedCidrs: [],
    });
  });

  it("reads an EKS endpoint's public access CIDRs as EKS reports them", () => {
    expect(topologyView(cluster('search-eks')).controlPlane).toMatchObject({
      kind: 'eks',
      exposure: 'allow-listed',
      allowedCidrs: ['198.51.100.0/24'],
    });
  });
});

describe('rule 6: node pools as the Auto Scaling group or node group says', () => {
  it('takes minimum, maximum and zones from the group, not the spec, and counts only instances in service', () => {
    expect(pool('shop-prod', 'base')).toMatchObject({
      min: 2,
      max: 6,
      desired: 3,
      current: 3,
      availabilityZones: ['eu-west-1a', 'eu-west-1b'],
      sizesFrom: 'aws',
      group: { name: 'shop-prod-base', state: 'active' },
    });
  });

  it("counts InService instances only, and turns the failed activity into a warning with AWS's cause", () => {
    const spot = pool('shop-prod', 'spot');
    expect(spot).toMatchObject({
      desired: 6,
      current: 3,
      ready: 3,
      spread: { 'eu-west-1a': 2, 'eu-west-1b': 1 },
    });
    expect(spot.warnings).toContainEqual(
      expect.stringMatching(
        /^scaling failed at 2026-10-15T11:48:04.211Z: Could not launch Spot Instances\. InsufficientInstanceCapacity/,
      ),
    );
    expect(spot.warnings).toContain('3 of 6 desired instances in service');
    expect(spot.activities[0]).toMatchObject({
      status: 'failed',
      cause: expect.stringMatching(/^Could not launch Spot Instances/),
    });
    expect(spot.instanceTypes.sort()).toEqual(['m5.xlarge', 'm6i.xlarge']);
  });

  it('says a group does not exist yet and invents no instances', () => {
    const fresh = pool('api-prod', 'new');
    expect(fresh).toMatchObject({
      current: 0,
      ready: 0,
      min: 2,
      max: 4,
      desired: 2,
      sizesFrom: 'spec',
      group: { state: 'missing' },
    });
    expect(fresh.warnings).toContain(
      'the Auto Scaling group does not exist yet: sizes are those asked for, no nodes are counted',
    );
    expect(clusterSummary(cluster('api-prod')).nodes).toEqual({
      desired: 3 + 2 + 2,
      ready: 3 + 0 + 2,
      min: 3 + 2 + 0,
      max: 6 + 4 + 0,
    });
  });

  it('shows a group being deleted, without counting its terminating instances', () => {
    expect(pool('old-dev', 'def')).toMatchObject({
      current: 0,
      desired: 0,
      group: {
        name: 'old-dev-def',
        state: 'deleting',
        status: 'Delete in progress',
      },
    });
    expect(pool('old-dev', 'def').warnings).toContain(
      'being deleted (Delete in progress)',
    );
  });

  it('counts running instances tagged with the Karpenter NodePool, not those shutting down', () => {
    expect(pool('api-prod', 'karp')).toMatchObject({
      kind: 'karpenter',
      current: 2,
      desired: 2,
      availabilityZones: ['eu-west-1a'],
      limits: { cpu: '64', memory: '256Gi' },
    });
  });

  it('counts the instances of an EKS cluster named otherwise than its Cluster, tagged with the EKS name', () => {
    // The same recording with the EKS cluster named search-eks-prod and a node group whose
    // Auto Scaling group is not listed: its running instances carry the EKS cluster's name.
    const copy = structuredClone(snapshot);
    copy.managementClusters[0].objects.awsManagedControlPlanes![0].spec.eksClusterName =
      'search-eks-prod';
    const region = copy.aws.find(r => r.accountId === '123456789012')!;
    region.eksClusters[0].name = 'search-eks-prod';
    const nodegroup = region.eksNodegroups[0];
    nodegroup.clusterName = 'search-eks-prod';
    nodegroup.resources = { ...nodegroup.resources, autoScalingGroups: [] };
    for (const [n, zone] of [
      ['1', 'eu-west-1a'],
      ['2', 'eu-west-1b'],
    ])
      region.instances.push({
        InstanceId: `i-0c3d4e5f60718c2${n}`,
        InstanceType: 'm6i.xlarge',
        State: { Code: 16, Name: 'running' },
        Placement: { AvailabilityZone: zone },
        Tags: [
          { Key: 'kubernetes.io/cluster/search-eks-prod', Value: 'owned' },
          { Key: 'eks:cluster-name', Value: 'search-eks-prod' },
          { Key: 'eks:nodegroup-name', Value: 'search-eks-general' },
        ],
      });
    const m = buildFleetModel(copy, config(), []);
    expect(pool('search-eks', 'general', m)).toMatchObject({
      current: 2,
      spread: { 'eu-west-1a': 1, 'eu-west-1b': 1 },
    });
  });

  it("takes an EKS node group's sizes from its scaling configuration and its zones from its subnets", () => {
    const general = pool('search-eks', 'general');
    expect(general).toMatchObject({
      min: 2,
      max: 8,
      desired: 4,
      current: 3,
      availabilityZones: ['eu-west-1a', 'eu-west-1b'],
      group: {
        name: 'search-eks-general',
        state: 'degraded',
        status: 'DEGRADED',
      },
    });
    expect(general.warnings).toContainEqual(
      expect.stringMatching(
        /^AsgInstanceLaunchFailures: Could not launch Spot Instances/,
      ),
    );
  });
});

describe('rule 7: EKS versions as EKS names them', () => {
  it('shows the version EKS runs, major.minor', () => {
    expect(clusterSummary(cluster('search-eks')).kubernetesVersion).toBe(
      '1.33',
    );
  });
});

describe('rule 8: findings with stable codes, severities and accepted ones', () => {
  it('gives an adopted VPC an informational finding', () => {
    const finding = boundariesView(
      model,
      [cluster('shop-prod')],
      [],
    ).findings.find(f => f.code === 'adopted-vpc');
    expect(finding).toMatchObject({
      severity: 'info',
      subjects: ['vpc-0c1a2b3c4d5e6f701', 'mc-fixture/org-shop/shop-prod'],
    });
    expect(finding?.accepted).toBeUndefined();
  });

  it('marks a finding accepted for the account or environment it concerns, and only there', () => {
    const accepting = buildFleetModel(
      snapshot,
      config({
        findings: {
          accepted: [
            { code: 'public-production-api', accounts: ['444455556666'] },
            {
              code: 'api-rules-differ-from-spec',
              environments: ['staging'],
              reason: 'vendor access until November',
            },
          ],
        },
      }),
      [],
    );
    const findings = boundariesView(accepting, accepting.clusters, []).findings;
    expect(
      findings.find(f => f.code === 'api-rules-differ-from-spec'),
    ).toMatchObject({
      severity: 'info',
      accepted: { severity: 'warning', reason: 'vendor access until November' },
    });
    // Accepted in the development account only: the production API stays critical.
    expect(
      findings.find(f => f.code === 'public-production-api'),
    ).toMatchObject({ severity: 'critical' });
    expect(
      findings.find(f => f.code === 'public-production-api')?.accepted,
    ).toBeUndefined();
  });

  it('accepts a finding for the account it is accepted in, keeping its severity, and not elsewhere', () => {
    const plain = boundariesView(model, model.clusters, []).findings.filter(
      f => f.code === 'teams-share-account',
    );
    // Both accounts hold clusters of the shop and api teams.
    expect(plain.map(f => f.subjects[0]).sort()).toEqual([
      '123456789012',
      '444455556666',
    ]);
    expect(plain.every(f => f.accepted === undefined)).toBe(true);
    const accepting = buildFleetModel(
      snapshot,
      config({
        findings: {
          accepted: [
            {
              code: 'teams-share-account',
              accounts: ['444455556666'],
              reason: 'one development account for every team',
            },
          ],
        },
      }),
      [],
    );
    const shared = boundariesView(
      accepting,
      accepting.clusters,
      [],
    ).findings.filter(f => f.code === 'teams-share-account');
    expect(shared.find(f => f.subjects[0] === '444455556666')).toMatchObject({
      severity: 'info',
      accepted: {
        severity: 'info',
        reason: 'one development account for every team',
      },
    });
    expect(
      shared.find(f => f.subjects[0] === '123456789012')?.accepted,
    ).toBeUndefined();
  });

  it('refuses an unknown code in the configuration, naming the key', () => {
    expect(() =>
      config({ findings: { accepted: [{ code: 'no-such-finding' }] } }),
    ).toThrow(/clusterdeck\.findings\.accepted\[0\]\.code/);
  });
});
