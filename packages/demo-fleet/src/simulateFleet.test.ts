import {
  cidrContains,
  usableSubnetAddresses,
} from '@clusterdeck/plugin-aws-clusters-common';
import type {
  FleetSnapshot,
  KubeObject,
  ManagementClusterSnapshot,
} from '@clusterdeck/plugin-aws-clusters-node';
import {
  allObjects,
  exampleRequest,
  infrastructureOf,
  regionOf,
  smallFleet,
  tags,
} from './__testUtils__/fleetChecks';
import { buildDemoFleet } from './buildDemoFleet';
import { simulateFleet } from './simulateFleet';

const CAPA_CLUSTER = (name: string) =>
  `sigs.k8s.io/cluster-api-provider-aws/cluster/${name}`;
const ROLE = 'sigs.k8s.io/cluster-api-provider-aws/role';

const fleet: FleetSnapshot = buildDemoFleet();

/** Every workload cluster of the fleet with its management cluster. */
function clusters(
  snapshot: FleetSnapshot = fleet,
): Array<{ mc: ManagementClusterSnapshot; cluster: KubeObject }> {
  return snapshot.managementClusters.flatMap(mc =>
    mc.objects.clusters.map(cluster => ({ mc, cluster })),
  );
}

function find(name: string, snapshot: FleetSnapshot = fleet) {
  const entry = clusters(snapshot).find(c => c.cluster.metadata.name === name);
  if (!entry) throw new Error(`no cluster ${name}`);
  const infra = infrastructureOf(entry.mc, entry.cluster);
  return { ...entry, infra, region: regionOf(snapshot, entry.mc, infra) };
}

function poolsOf(mc: ManagementClusterSnapshot, cluster: KubeObject) {
  return mc.objects.machinePools.filter(
    p =>
      p.spec.clusterName === cluster.metadata.name &&
      p.metadata.namespace === cluster.metadata.namespace,
  );
}

describe('simulateFleet on the demo fleet', () => {
  it('writes each created or adopted VPC id into the infrastructure object, naming a VPC tagged for that cluster', () => {
    for (const { mc, cluster } of clusters()) {
      if (cluster.status.phase === 'Provisioning') continue;
      const { infra, region } = find(cluster.metadata.name);
      const vpc = region.vpcs.find(v => v.VpcId === infra.spec.network.vpc.id);
      expect({ cluster: cluster.metadata.name, vpc: !!vpc }).toEqual({
        cluster: cluster.metadata.name,
        vpc: true,
      });
      expect(['owned', 'shared']).toContain(
        tags(vpc!)[CAPA_CLUSTER(cluster.metadata.name)],
      );
      for (const subnet of infra.spec.network.subnets) {
        const found = region.subnets.find(
          s => s.SubnetId === subnet.resourceID,
        );
        expect(found?.VpcId).toBe(vpc!.VpcId);
        expect(found?.CidrBlock).toBe(subnet.cidrBlock);
        expect(
          tags(found!)[`kubernetes.io/cluster/${cluster.metadata.name}`],
        ).toBeDefined();
      }
      expect(
        mc.objects.awsClusterRoleIdentities.some(
          i => i.metadata.name === infra.spec.identityRef.name,
        ),
      ).toBe(true);
    }
  });

  it('gives every asg pool an Auto Scaling group named after it with the pool sizes and the cluster tag', () => {
    for (const mc of fleet.managementClusters) {
      for (const pool of mc.objects.awsMachinePools) {
        const machinePool = mc.objects.machinePools.find(
          p => p.metadata.name === pool.metadata.name,
        )!;
        const cluster = mc.objects.clusters.find(
          c => c.metadata.name === machinePool.spec.clusterName,
        )!;
        if (cluster.status.phase !== 'Provisioned') continue;
        const { region } = find(cluster.metadata.name);
        const group = region.autoScalingGroups.find(
          g => g.AutoScalingGroupName === pool.metadata.name,
        );
        // A pool just added has no group yet, and reports nothing as if it had one.
        const justAdded = pool.status.ready === false;
        expect({
          pool: pool.metadata.name,
          hasGroup: !!group,
          replicas: justAdded ? machinePool.status.replicas : 0,
        }).toEqual({
          pool: pool.metadata.name,
          hasGroup: !justAdded,
          replicas: 0,
        });
        if (justAdded) continue;
        expect(group).toMatchObject({
          MinSize: pool.spec.minSize,
          MaxSize: pool.spec.maxSize,
          DesiredCapacity: machinePool.spec.replicas,
        });
        const groupTags = Object.fromEntries(
          (group!.Tags ?? []).map(t => [t.Key, t.Value]),
        );
        expect(groupTags[CAPA_CLUSTER(cluster.metadata.name)]).toBe('owned');
        expect(groupTags['k8s.io/cluster-autoscaler/enabled']).toBe('true');
        expect(group!.Instances).toHaveLength(machinePool.status.replicas);
        expect(pool.status.instances?.length ?? 0).toBe(
          machinePool.status.replicas,
        );
        expect(!!group!.MixedInstancesPolicy).toBe(
          !!pool.spec.mixedInstancesPolicy,
        );
      }
    }
  });

  it('gives every managed pool an EKS node group and every Karpenter pool instances tagged with its name', () => {
    for (const mc of fleet.managementClusters) {
      for (const pool of mc.objects.awsManagedMachinePools) {
        const machinePool = mc.objects.machinePools.find(
          p => p.metadata.name === pool.metadata.name,
        )!;
        const { region } = find(machinePool.spec.clusterName);
        const group = region.eksNodegroups.find(
          n => n.nodegroupName === pool.spec.eksNodegroupName,
        );
        expect(group?.scalingConfig).toEqual({
          minSize: pool.spec.scaling.minSize,
          maxSize: pool.spec.scaling.maxSize,
          desiredSize: machinePool.spec.replicas,
        });
        expect(group?.clusterName).toBe(machinePool.spec.clusterName);
      }
      for (const pool of mc.objects.karpenterMachinePools) {
        const machinePool = mc.objects.machinePools.find(
          p => p.metadata.name === pool.metadata.name,
        )!;
        const { region } = find(machinePool.spec.clusterName);
        const nodes = region.instances.filter(
          i => tags(i)['karpenter.sh/nodepool'] === pool.metadata.name,
        );
        expect(nodes).toHaveLength(machinePool.status.replicas);
        expect(
          nodes.every(
            i =>
              tags(i)[CAPA_CLUSTER(machinePool.spec.clusterName)] === 'owned',
          ),
        ).toBe(true);
      }
    }
  });

  it('tags load balancers for their cluster and puts them in subnets of their scheme', () => {
    const regions = fleet.aws;
    const lbs = regions.flatMap(r =>
      [
        ...r.loadBalancers.map(lb => ({
          tags: tags(lb),
          scheme: lb.Scheme,
          subnets: (lb.AvailabilityZones ?? []).map(z => z.SubnetId),
        })),
        ...r.classicLoadBalancers.map(lb => ({
          tags: tags(lb),
          scheme: lb.Scheme,
          subnets: lb.Subnets ?? [],
        })),
      ].map(lb => ({ ...lb, region: r })),
    );
    expect(
      lbs.some(
        lb =>
          lb.scheme === 'internet-facing' &&
          lb.tags['kubernetes.io/service-name'],
      ),
    ).toBe(true);
    expect(
      lbs.some(
        lb => lb.scheme === 'internal' && lb.tags['kubernetes.io/service-name'],
      ),
    ).toBe(true);
    expect(
      lbs.some(
        lb =>
          lb.tags['elbv2.k8s.aws/cluster'] && lb.tags['service.k8s.aws/stack'],
      ),
    ).toBe(true);
    expect(
      lbs.some(
        lb =>
          lb.tags['elbv2.k8s.aws/cluster'] && lb.tags['ingress.k8s.aws/stack'],
      ),
    ).toBe(true);
    for (const lb of lbs) {
      const apiserver = lb.tags[ROLE] === 'apiserver';
      // Services' balancers name their Service (cloud provider) or Service or Ingress stack (AWS Load Balancer Controller).
      const served =
        lb.tags['kubernetes.io/service-name'] ??
        lb.tags['service.k8s.aws/stack'] ??
        lb.tags['ingress.k8s.aws/stack'];
      expect(
        apiserver
          ? Object.keys(lb.tags).some(k =>
              k.startsWith('sigs.k8s.io/cluster-api-provider-aws/cluster/'),
            )
          : served,
      ).toBeTruthy();
      const roles = lb.subnets.map(
        id => tags(lb.region.subnets.find(s => s.SubnetId === id)!)[ROLE],
      );
      expect(new Set(roles)).toEqual(
        new Set([lb.scheme === 'internal' ? 'private' : 'public']),
      );
    }
    expect(
      lbs.filter(lb => lb.tags[ROLE] === 'apiserver').map(lb => lb.tags.Name),
    ).toContain('pay-prod-apiserver');
  });

  it('tags ENI pod subnets as secondary and counts pod addresses against them', () => {
    const { infra, region } = find('ml-train');
    const podSubnets = region.subnets.filter(s =>
      ['10.51.0.0/18', '10.51.64.0/18', '10.51.128.0/18'].includes(
        s.CidrBlock!,
      ),
    );
    expect(podSubnets).toHaveLength(3);
    for (const subnet of podSubnets) {
      expect(
        tags(subnet)['sigs.k8s.io/cluster-api-provider-aws/association'],
      ).toBe('secondary');
      expect(subnet.AvailableIpAddressCount).toBeLessThan(
        usableSubnetAddresses(subnet.CidrBlock!),
      );
    }
    const vpc = region.vpcs.find(v => v.VpcId === infra.spec.network.vpc.id)!;
    expect(vpc.CidrBlockAssociationSet?.map(a => a.CidrBlock)).toEqual([
      '10.50.0.0/18',
      '10.51.0.0/16',
    ]);
  });

  it('leaves a cluster that is still provisioning without a VPC id, endpoint or ready nodes', () => {
    const { cluster, infra, mc, region } = find('search-dev');
    expect(cluster.status.phase).toBe('Provisioning');
    expect(cluster.status.initialization).toEqual({
      infrastructureProvisioned: false,
      controlPlaneInitialized: false,
    });
    expect(infra.spec.network.vpc.id).toBeUndefined();
    expect(cluster.spec.controlPlaneEndpoint).toBeUndefined();
    expect(poolsOf(mc, cluster).every(p => p.status.readyReplicas === 0)).toBe(
      true,
    );
    const vpc = region.vpcs.find(
      v => tags(v)[CAPA_CLUSTER('search-dev')] === 'owned',
    );
    expect(vpc?.State).toBe('pending');
    expect(
      region.natGateways.filter(n => n.VpcId === vpc!.VpcId).map(n => n.State),
    ).toEqual(['pending']);
    expect(
      region.autoScalingGroups.some(g =>
        g.AutoScalingGroupName?.startsWith('search-dev-'),
      ),
    ).toBe(false);
  });

  it('keeps an adopted VPC under its own id, tagged shared, with the subnets the request lists', () => {
    const { infra, region } = find('data-prod');
    const vpc = region.vpcs.find(v => v.VpcId === 'vpc-0a1b2c3d4e5f60718')!;
    expect(tags(vpc)[CAPA_CLUSTER('data-prod')]).toBe('shared');
    expect(Object.values(tags(vpc))).not.toContain('owned');
    expect(infra.spec.network.subnets.map((s: any) => s.resourceID)).toEqual([
      'subnet-0a1b2c3d4e5f60001',
      'subnet-0a1b2c3d4e5f60002',
      'subnet-0a1b2c3d4e5f60003',
      'subnet-0a1b2c3d4e5f60004',
    ]);
    expect(
      region.vpcPeeringConnections.find(
        p => p.RequesterVpcInfo?.VpcId === vpc.VpcId,
      )?.AccepterVpcInfo,
    ).toMatchObject({
      VpcId: 'vpc-0fedcba9876543210',
      OwnerId: '111122223333',
      CidrBlock: '10.90.0.0/16',
    });
  });

  it('routes public subnets to the internet gateway and private ones to their NAT gateway and the transit gateway', () => {
    const { infra, region } = find('pay-prod');
    const routesOf = (subnet: any) => {
      const table = region.routeTables.find(t =>
        t.Associations?.some(a => a.SubnetId === subnet.resourceID),
      )!;
      return {
        table,
        defaultRoute: table.Routes!.find(
          r => r.DestinationCidrBlock === '0.0.0.0/0',
        )!,
      };
    };
    const subnets: any[] = infra.spec.network.subnets;
    for (const subnet of subnets.filter(s => s.isPublic)) {
      expect(routesOf(subnet).defaultRoute.GatewayId).toMatch(/^igw-/);
    }
    for (const subnet of subnets.filter(s => !s.isPublic)) {
      const { table, defaultRoute } = routesOf(subnet);
      const nat = region.natGateways.find(
        n => n.NatGatewayId === defaultRoute.NatGatewayId,
      )!;
      expect(
        region.subnets.find(s => s.SubnetId === nat.SubnetId)?.AvailabilityZone,
      ).toBe(subnet.availabilityZone);
      expect(nat.NatGatewayAddresses?.[0].PublicIp).toMatch(
        /^(192\.0\.2|198\.51\.100|203\.0\.113)\./,
      );
      expect(table.Routes).toContainEqual(
        expect.objectContaining({
          DestinationCidrBlock: '10.0.0.0/8',
          TransitGatewayId: 'tgw-0123456789abcdef0',
        }),
      );
    }
    expect(
      region.transitGatewayAttachments.find(
        a => a.VpcId === infra.spec.network.vpc.id,
      ),
    ).toMatchObject({
      TransitGatewayId: 'tgw-0123456789abcdef0',
      State: 'available',
    });
  });

  it('keeps ids unique and addresses within their subnets', () => {
    const ids = fleet.aws.flatMap(r => [
      ...r.vpcs.map(v => v.VpcId),
      ...r.subnets.map(s => s.SubnetId),
      ...r.instances.map(i => i.InstanceId),
      ...r.natGateways.map(n => n.NatGatewayId),
      ...r.routeTables.map(t => t.RouteTableId),
    ]);
    expect(new Set(ids).size).toBe(ids.length);
    const uids = fleet.managementClusters.flatMap(mc =>
      allObjects(mc).map(o => o.metadata.uid),
    );
    expect(new Set(uids).size).toBe(uids.length);
    for (const region of fleet.aws) {
      for (const instance of region.instances) {
        const subnet = region.subnets.find(
          s => s.SubnetId === instance.SubnetId,
        )!;
        expect(
          cidrContains(subnet.CidrBlock!, `${instance.PrivateIpAddress}/32`),
        ).toBe(true);
      }
    }
  });

  it('is deterministic and changes its ids with the seed', () => {
    const definition = smallFleet([
      { request: exampleRequest('pay-dev.yaml'), state: 'provisioned' },
    ]);
    expect(simulateFleet(definition)).toEqual(simulateFleet(definition));
    const other = simulateFleet({ ...definition, seed: 'another' });
    expect(other.aws[1].vpcs[0].VpcId).not.toBe(
      simulateFleet(definition).aws[1].vpcs[0].VpcId,
    );
  });
});

describe('simulateFleet states and edge cases', () => {
  it('shows a deleting cluster with a deletion timestamp, emptied groups and terminating instances', () => {
    const snapshot = simulateFleet(
      smallFleet([
        {
          request: exampleRequest('pay-dev.yaml'),
          state: 'deleting',
          nodes: { system: { desired: 2 } },
        },
      ]),
    );
    const { cluster, region } = find('pay-dev', snapshot);
    expect(cluster.status.phase).toBe('Deleting');
    expect(cluster.metadata.deletionTimestamp).toBeDefined();
    expect(region.autoScalingGroups[0]).toMatchObject({
      DesiredCapacity: 0,
      MinSize: 0,
      Status: 'Delete in progress',
    });
    const nodes = region.instances.filter(
      i => tags(i)['aws:autoscaling:groupName'],
    );
    expect(nodes.map(i => i.State?.Name)).toEqual([
      'shutting-down',
      'shutting-down',
    ]);
  });

  it('shows a failed cluster with its failure and without NAT gateways or nodes', () => {
    const snapshot = simulateFleet(
      smallFleet([
        {
          request: exampleRequest('pay-dev.yaml'),
          state: 'failed',
          failureMessage: 'quota exceeded',
        },
      ]),
    );
    const { cluster, infra, region } = find('pay-dev', snapshot);
    expect(cluster.status.phase).toBe('Failed');
    expect(
      cluster.status.conditions.find((c: any) => c.type === 'Available'),
    ).toMatchObject({ status: 'False' });
    expect(cluster.status.deprecated.v1beta1.failureMessage).toBe(
      'quota exceeded',
    );
    expect(infra.status.ready).toBe(false);
    expect(region.natGateways).toEqual([]);
    expect(region.instances).toEqual([]);
  });

  it('shares one VPC between two clusters that adopt it', () => {
    const adopt = (name: string, org: string) =>
      exampleRequest('data-adopt.yaml', r => {
        r.metadata.name = name;
        r.metadata.organization = org;
        r.metadata.owner = `group:default/${org}`;
      });
    const snapshot = simulateFleet(
      smallFleet([
        { request: adopt('data-prod', 'data-platform'), state: 'provisioned' },
        { request: adopt('pay-batch', 'payments'), state: 'provisioned' },
      ]),
    );
    const region = snapshot.aws[0];
    expect(region.vpcs).toHaveLength(1);
    expect(region.subnets).toHaveLength(4);
    expect(tags(region.vpcs[0])).toMatchObject({
      [CAPA_CLUSTER('data-prod')]: 'shared',
      [CAPA_CLUSTER('pay-batch')]: 'shared',
    });
    expect(tags(region.subnets[0])).toMatchObject({
      'kubernetes.io/cluster/data-prod': 'shared',
      'kubernetes.io/cluster/pay-batch': 'shared',
    });
  });

  it('reports what requests may name as AWS and the management clusters would', () => {
    const byKey = new Map(
      fleet.aws.map(r => [`${r.accountId}/${r.region}`, r]),
    );
    for (const region of fleet.aws) {
      expect(region.availabilityZones.map(z => z.ZoneName)).toEqual(
        ['a', 'b', 'c'].map(l => `${region.region}${l}`),
      );
      expect(
        region.availabilityZones.every(
          z => z.State === 'available' && z.ZoneType === 'availability-zone',
        ),
      ).toBe(true);
    }
    // The hub is listed to its owner and, through RAM, to the production account in its region only.
    const hub = (key: string) =>
      byKey
        .get(key)!
        .transitGateways.filter(
          t => t.TransitGatewayId === 'tgw-0123456789abcdef0',
        )
        .map(t => t.OwnerId);
    expect(hub('111122223333/eu-west-1')).toEqual(['111122223333']);
    expect(hub('123456789012/eu-west-1')).toEqual(['111122223333']);
    expect(hub('123456789012/eu-central-1')).toEqual([]);
    expect(hub('444455556666/eu-central-1')).toEqual([]);
    // EKS versions once, in the first region with EKS clusters.
    const withVersions = fleet.aws.filter(r => r.eksClusterVersions.length);
    expect(withVersions).toHaveLength(1);
    expect(withVersions[0].eksClusters.length).toBeGreaterThan(0);
    expect(
      withVersions[0].eksClusterVersions.map(v => [
        v.clusterVersion,
        v.versionStatus,
      ]),
    ).toEqual([
      ['1.33', 'STANDARD_SUPPORT'],
      ['1.32', 'STANDARD_SUPPORT'],
      ['1.31', 'EXTENDED_SUPPORT'],
    ]);
    const releasesOf = (name: string) =>
      fleet.managementClusters
        .find(mc => mc.name === name)!
        .objects.releases.map(r => [r.metadata.name, r.spec.state]);
    const common = [
      ['aws-31.1.0', 'active'],
      ['aws-30.2.0', 'active'],
      ['aws-29.5.0', 'deprecated'],
    ];
    // 32.0.0 is on the production management cluster only.
    expect(releasesOf('mc-eu-prod')).toEqual([
      ['aws-32.0.0', 'active'],
      ...common,
    ]);
    expect(releasesOf('mc-eu-dev')).toEqual(common);
  });

  it('rejects a transit gateway or release that names nothing of the fleet', () => {
    expect(() =>
      simulateFleet({
        ...smallFleet([]),
        transitGateways: [
          {
            id: 'tgw-0123456789abcdef0',
            name: 'hub',
            ownerAccountId: '111122223333',
            region: 'us-east-1',
            sharedWith: ['123456789012'],
          },
        ],
      }),
    ).toThrow(
      'transit gateway tgw-0123456789abcdef0: none of the accounts 111122223333, 123456789012 has region us-east-1 in the fleet definition',
    );
    expect(() =>
      simulateFleet({
        ...smallFleet([]),
        releases: [{ version: '31.1.0', managementClusters: ['mc-nowhere'] }],
      }),
    ).toThrow(
      'release 31.1.0: management cluster "mc-nowhere" is not in the fleet definition',
    );
  });

  it('rejects definitions that contradict themselves, naming the cluster', () => {
    const payDev = exampleRequest('pay-dev.yaml');
    expect(() =>
      simulateFleet(
        smallFleet([
          {
            request: exampleRequest(
              'pay-dev.yaml',
              r => (r.spec.region = 'us-east-1'),
            ),
            state: 'provisioned',
          },
        ]),
      ),
    ).toThrow(/cluster pay-dev: account 444455556666 has no region us-east-1/);
    expect(() =>
      simulateFleet(
        smallFleet([
          {
            request: exampleRequest(
              'pay-dev.yaml',
              r => (r.spec.nodePools = []),
            ),
            state: 'provisioned',
          },
        ]),
      ),
    ).toThrow(/cluster pay-dev: invalid request: spec.nodePools/);
    expect(() =>
      simulateFleet(
        smallFleet([
          {
            request: payDev,
            state: 'provisioned',
            nodes: { nope: { desired: 1 } },
          },
        ]),
      ),
    ).toThrow(/pool nope/);
    expect(() =>
      simulateFleet(
        smallFleet([
          {
            request: payDev,
            state: 'provisioned',
            nodes: { system: { desired: 9 } },
          },
        ]),
      ),
    ).toThrow(/outside its 1..3/);
    expect(() =>
      simulateFleet(
        smallFleet([
          { request: payDev, state: 'provisioned' },
          { request: payDev, state: 'provisioned' },
        ]),
      ),
    ).toThrow(/defined twice/);
  });
});
