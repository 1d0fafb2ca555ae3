import type { Cluster as EksCluster } from '@aws-sdk/client-eks';
import type { LoadBalancerDescription } from '@aws-sdk/client-elastic-load-balancing';
import type { LoadBalancer } from '@aws-sdk/client-elastic-load-balancing-v2';
import type { Tagged } from '@clusterdeck/plugin-aws-clusters-node';
import type { LoadBalancerScenario } from './fleetDefinition';
import {
  allocateAddress,
  RegionBuilder,
  reserveAddresses,
  SubnetFacts,
} from './regionBuilder';
import {
  LaunchedInstance,
  launchInstance,
  launchMoment,
} from './simulateInstances';
import { simulateInsights } from './simulateInsights';
import { ClusterNetwork, nodeSubnetPerZone } from './simulateNetwork';
import { ClusterPlan, sdkTime, SimulationContext } from './simulationContext';
import { capaTags, TAGS, tagList } from './tags';

/** What a control plane is simulated in: the fleet, its region, the cluster, its network and groups. */
interface ControlPlaneSite {
  ctx: SimulationContext;
  region: RegionBuilder;
  plan: ClusterPlan;
  net: ClusterNetwork;
  groups: ControlPlaneOutcome['securityGroups'];
}

/** A load balancer as the management-cluster objects report it. */
export interface LoadBalancerFacts {
  name: string;
  arn: string;
  dnsName: string;
  scheme: 'internet-facing' | 'internal';
  subnets: SubnetFacts[];
}

/** What the control plane of a cluster came to: its endpoint and, for EC2, its machines and NLB. */
export interface ControlPlaneOutcome {
  endpoint?: { host: string; port: number };
  apiLoadBalancer?: LoadBalancerFacts;
  instances: LaunchedInstance[];
  /** EKS only. */
  eks?: { arn: string; oidcIssuer?: string };
  securityGroups: Record<
    'controlplane' | 'node' | 'apiserver-lb' | 'lb',
    string
  >;
}

// Route 53 zones of load balancer DNS names (public AWS constants); other regions fall back to eu-west-1's.
const HOSTED_ZONES: Record<string, { elb: string; nlb: string }> = {
  'eu-west-1': { elb: 'Z32O12XQLNTSW2', nlb: 'Z2IFOLAFXWLO4F' },
  'eu-central-1': { elb: 'Z215JYRZR1TBD5', nlb: 'Z3F0SRJ5LGBH90' },
  'us-east-1': { elb: 'Z35SXDOTRQ7X7K', nlb: 'Z26RNL4JYFTOTI' },
};

const CONTROL_PLANE_PROFILE =
  'control-plane.cluster-api-provider-aws.sigs.k8s.io';
const EKS_CONTROL_PLANE_ROLE =
  'eks-controlplane.cluster-api-provider-aws.sigs.k8s.io';

function securityGroups(
  ctx: SimulationContext,
  plan: ClusterPlan,
): ControlPlaneOutcome['securityGroups'] {
  const sg = (role: string) => ctx.ids.aws('sg', `${plan.key}/sg/${role}`);
  return {
    controlplane: sg('controlplane'),
    node: sg('node'),
    'apiserver-lb': sg('apiserver-lb'),
    lb: sg('lb'),
  };
}

function lbSubnets(
  net: ClusterNetwork,
  scheme: 'internet-facing' | 'internal',
): SubnetFacts[] {
  if (scheme === 'internal') return nodeSubnetPerZone(net.subnets);
  const byZone = new Map<string, SubnetFacts>();
  for (const s of net.subnets)
    if (s.role === 'public' && !byZone.has(s.zone)) byZone.set(s.zone, s);
  // A cluster without public subnets cannot have an internet-facing balancer; AWS would refuse it.
  return byZone.size ? [...byZone.values()] : nodeSubnetPerZone(net.subnets);
}

/** What a security group in front of a load balancer lets in: one port from some ranges. */
interface Ingress {
  port: number;
  cidrs: string[];
  description: string;
}

/**
 * A load balancer's security group in DescribeSecurityGroups' shape, added once per id: what
 * AWS lets reach the balancer, which is what the fleet view judges exposure by.
 */
function addSecurityGroup(
  region: RegionBuilder,
  net: ClusterNetwork,
  group: {
    id: string;
    name: string;
    description: string;
    tags: Record<string, string>;
    ingress: Ingress;
  },
) {
  if (region.snapshot.securityGroups.some(g => g.GroupId === group.id)) return;
  region.snapshot.securityGroups.push({
    GroupId: group.id,
    GroupName: group.name,
    Description: group.description,
    OwnerId: region.accountId,
    VpcId: net.vpc.id,
    SecurityGroupArn: `arn:aws:ec2:${region.region}:${region.accountId}:security-group/${group.id}`,
    IpPermissions: [
      {
        IpProtocol: 'tcp',
        FromPort: group.ingress.port,
        ToPort: group.ingress.port,
        IpRanges: group.ingress.cidrs.map(CidrIp => ({
          CidrIp,
          Description: group.ingress.description,
        })),
        Ipv6Ranges: [],
        PrefixListIds: [],
        UserIdGroupPairs: [],
      },
    ],
    IpPermissionsEgress: [
      {
        IpProtocol: '-1',
        IpRanges: [{ CidrIp: '0.0.0.0/0' }],
        Ipv6Ranges: [],
        PrefixListIds: [],
        UserIdGroupPairs: [],
      },
    ],
    Tags: tagList(group.tags),
  });
}

function hostedZone(region: string, kind: 'elb' | 'nlb'): string {
  return (HOSTED_ZONES[region] ?? HOSTED_ZONES['eu-west-1'])[kind];
}

/** An ALB or NLB in the SDK's shape; each takes one address per subnet. */
function balancerV2(
  ctx: SimulationContext,
  region: RegionBuilder,
  net: ClusterNetwork,
  lb: {
    name: string;
    type: 'network' | 'application';
    scheme: 'internet-facing' | 'internal';
    tags: Record<string, string>;
    createdAt: number;
    provisioning: boolean;
    /** Absent for network load balancers made without one (the cloud provider's). */
    securityGroup?: {
      id: string;
      name: string;
      description: string;
      tags: Record<string, string>;
      ingress: Ingress;
    };
  },
): { object: Tagged<LoadBalancer>; facts: LoadBalancerFacts } {
  const subnets = lbSubnets(net, lb.scheme);
  subnets.forEach(s => allocateAddress(s));
  const suffix = ctx.ids.hex(
    `${region.accountId}/${region.region}/lb/${lb.name}`,
    16,
  );
  const internal = lb.scheme === 'internal' ? 'internal-' : '';
  const dnsName =
    lb.type === 'network'
      ? `${lb.name}-${suffix}.elb.${region.region}.amazonaws.com`
      : `${internal}${lb.name}-${ctx.ids.int(suffix, 1e9) + 1e9}.${
          region.region
        }.elb.amazonaws.com`;
  const arn = `arn:aws:elasticloadbalancing:${region.region}:${
    region.accountId
  }:loadbalancer/${lb.type === 'network' ? 'net' : 'app'}/${lb.name}/${suffix}`;
  const object: Tagged<LoadBalancer> = {
    LoadBalancerArn: arn,
    DNSName: dnsName,
    CanonicalHostedZoneId: hostedZone(
      region.region,
      lb.type === 'network' ? 'nlb' : 'elb',
    ),
    CreatedTime: sdkTime(ctx.at(lb.createdAt)),
    LoadBalancerName: lb.name,
    Scheme: lb.scheme,
    VpcId: net.vpc.id,
    State: { Code: lb.provisioning ? 'provisioning' : 'active' },
    Type: lb.type,
    AvailabilityZones: subnets.map(s => ({
      ZoneName: s.zone,
      SubnetId: s.id,
      LoadBalancerAddresses: [],
    })),
    ...(lb.securityGroup ? { SecurityGroups: [lb.securityGroup.id] } : {}),
    IpAddressType: 'ipv4',
    Tags: tagList(lb.tags),
  };
  if (lb.securityGroup) addSecurityGroup(region, net, lb.securityGroup);
  region.snapshot.loadBalancers.push(object);
  return {
    object,
    facts: { name: lb.name, arn, dnsName, scheme: lb.scheme, subnets },
  };
}

/** A classic ELB, as the in-tree cloud provider still makes for services that ask for one. */
function classicBalancer(
  ctx: SimulationContext,
  region: RegionBuilder,
  plan: ClusterPlan,
  net: ClusterNetwork,
  lb: LoadBalancerScenario,
  nodes: LaunchedInstance[],
) {
  const subnets = lbSubnets(net, lb.scheme);
  subnets.forEach(s => allocateAddress(s));
  const port = 30000 + ctx.ids.int(`${plan.key}/nodeport/${lb.service}`, 2768);
  const internal = lb.scheme === 'internal' ? 'internal-' : '';
  const dnsName = `${internal}${lb.name}-${
    ctx.ids.int(`${plan.key}/clb/${lb.name}`, 1e9) + 1e9
  }.${region.region}.elb.amazonaws.com`;
  const groupId = ctx.ids.aws('sg', `${plan.key}/sg/elb/${lb.name}`);
  addSecurityGroup(region, net, {
    id: groupId,
    name: `k8s-elb-${lb.name}`,
    description: `Security group for Kubernetes ELB ${lb.name} (${lb.service})`,
    tags: { [TAGS.kubernetesCluster(plan.name)]: 'owned' },
    ingress: {
      port: 443,
      cidrs: serviceSourceRanges(net, lb.scheme),
      description: '',
    },
  });
  const object: Tagged<LoadBalancerDescription> = {
    LoadBalancerName: lb.name,
    DNSName: dnsName,
    CanonicalHostedZoneName: dnsName,
    CanonicalHostedZoneNameID: hostedZone(region.region, 'elb'),
    ListenerDescriptions: [
      {
        Listener: {
          Protocol: 'TCP',
          LoadBalancerPort: 443,
          InstanceProtocol: 'TCP',
          InstancePort: port,
        },
        PolicyNames: [],
      },
    ],
    Policies: {
      AppCookieStickinessPolicies: [],
      LBCookieStickinessPolicies: [],
      OtherPolicies: [],
    },
    BackendServerDescriptions: [],
    AvailabilityZones: subnets.map(s => s.zone),
    Subnets: subnets.map(s => s.id),
    VPCId: net.vpc.id,
    Instances: nodes
      .filter(n => n.phase === 'running')
      .map(n => ({ InstanceId: n.id })),
    HealthCheck: {
      Target: `TCP:${port}`,
      Interval: 10,
      Timeout: 5,
      UnhealthyThreshold: 6,
      HealthyThreshold: 2,
    },
    SourceSecurityGroup: {
      OwnerAlias: region.accountId,
      GroupName: `k8s-elb-${lb.name}`,
    },
    SecurityGroups: [groupId],
    CreatedTime: sdkTime(ctx.at(plan.createdAt + 40 * 60_000)),
    Scheme: lb.scheme,
    Tags: tagList(serviceTags(plan, lb)),
  };
  region.snapshot.classicLoadBalancers.push(object);
}

/**
 * The tags each controller puts on its balancers: the cloud provider the cluster tag and the
 * Service; the AWS Load Balancer Controller its own cluster tag and the Service or Ingress stack.
 */
function serviceTags(
  plan: ClusterPlan,
  lb: LoadBalancerScenario,
): Record<string, string> {
  if (lb.controller === 'aws-load-balancer-controller') {
    const kind = lb.ingress ? 'ingress' : 'service';
    return {
      'elbv2.k8s.aws/cluster': plan.name,
      [`${kind}.k8s.aws/resource`]: 'LoadBalancer',
      [`${kind}.k8s.aws/stack`]: (lb.ingress ?? lb.service)!,
    };
  }
  return {
    [TAGS.kubernetesCluster(plan.name)]: 'owned',
    [TAGS.serviceName]: lb.service!,
  };
}

/** Who may reach a service's balancer: anyone when internet-facing, else the VPC. */
function serviceSourceRanges(
  net: ClusterNetwork,
  scheme: 'internet-facing' | 'internal',
): string[] {
  return scheme === 'internet-facing' ? ['0.0.0.0/0'] : [...net.vpc.cidrs];
}

/** The load balancers the cluster's services own, in public subnets or private ones by scheme. */
export function simulateServiceLoadBalancers(
  ctx: SimulationContext,
  region: RegionBuilder,
  plan: ClusterPlan,
  net: ClusterNetwork,
  nodes: LaunchedInstance[],
) {
  if (plan.state === 'provisioning' || plan.state === 'failed') return;
  for (const lb of plan.scenario.loadBalancers ?? []) {
    if (lb.type === 'classic') {
      classicBalancer(ctx, region, plan, net, lb, nodes);
      continue;
    }
    // The cloud provider makes network load balancers without security groups; the controller
    // gives every balancer a managed one.
    const managed =
      lb.controller === 'aws-load-balancer-controller' ||
      lb.type === 'application';
    balancerV2(ctx, region, net, {
      name: lb.name,
      type: lb.type,
      scheme: lb.scheme,
      tags: serviceTags(plan, lb),
      createdAt: plan.createdAt + 45 * 60_000,
      provisioning: false,
      ...(managed
        ? {
            securityGroup: {
              id: ctx.ids.aws('sg', `${plan.key}/sg/lb/${lb.name}`),
              name: lb.name,
              description: '[k8s] Managed SecurityGroup for LoadBalancer',
              tags: serviceTags(plan, lb),
              ingress: {
                port: 443,
                cidrs: serviceSourceRanges(net, lb.scheme),
                description: '',
              },
            },
          }
        : {}),
    });
  }
}

/** EC2: three kubeadm control-plane machines (one while provisioning) behind the API server NLB. */
function ec2ControlPlane(site: ControlPlaneSite): ControlPlaneOutcome {
  const { ctx, region, plan, net, groups } = site;
  const provisioning = plan.state === 'provisioning';
  const scheme =
    plan.resolved.request.spec.controlPlane.apiMode === 'public'
      ? 'internet-facing'
      : 'internal';
  const { facts } = balancerV2(ctx, region, net, {
    name: `${plan.name}-apiserver`,
    type: 'network',
    scheme,
    tags: capaTags(plan, 'apiserver', `${plan.name}-apiserver`),
    createdAt: plan.createdAt + 4 * 60_000,
    provisioning,
    securityGroup: {
      id: groups['apiserver-lb'],
      name: `${plan.name}-apiserver-lb`,
      description: `Kubernetes cluster ${plan.name}: apiserver-lb`,
      tags: capaTags(plan, 'apiserver-lb', `${plan.name}-apiserver-lb`),
      // CAPA lets in the spec's ingress rules (everyone without them) and, for the nodes, the
      // NAT gateways' addresses; the scenario may add rules someone made by hand.
      ingress: {
        port: 6443,
        cidrs: [
          ...new Set([
            ...nodeAccess(net, scheme),
            ...apiAllowList(plan),
            ...(plan.scenario.apiIngressExtraCidrs ?? []),
          ]),
        ],
        description: 'Kubernetes API',
      },
    },
  });
  const zones = nodeSubnetPerZone(net.subnets);
  const instanceType =
    plan.resolved.request.spec.controlPlane.instanceType ?? 'm6i.xlarge';
  const instances: LaunchedInstance[] = [];
  for (let n = 0; n < (provisioning ? 1 : 3); n++) {
    const key = `${plan.key}/control-plane/${n}`;
    const phase = provisioning ? 'pending' : 'running';
    instances.push(
      launchInstance(ctx, region, {
        key,
        instanceType,
        subnet: zones[n % zones.length],
        vpcId: net.vpc.id,
        imageId: ctx.ids.aws(
          'ami',
          `${region.region}/${plan.kubernetesVersion}/${instanceType}`,
        ),
        launchedAt: provisioning
          ? ctx.now - 2 * 60_000
          : launchMoment(ctx, key, plan.createdAt, phase),
        phase,
        spot: false,
        tags: {
          ...capaTags(
            plan,
            'control-plane',
            `${plan.name}-control-plane-${ctx.ids.hex(key, 5)}`,
          ),
          [TAGS.kubernetesCluster(plan.name)]: 'owned',
        },
        instanceProfile: CONTROL_PLANE_PROFILE,
        securityGroup: {
          id: groups.controlplane,
          name: `${plan.name}-controlplane`,
        },
      }),
    );
  }
  return {
    // CAPA writes the endpoint once the balancer exists and has a name.
    endpoint: provisioning ? undefined : { host: facts.dnsName, port: 6443 },
    apiLoadBalancer: facts,
    instances,
    securityGroups: groups,
  };
}

const EKS_STATUS = {
  provisioned: 'ACTIVE',
  provisioning: 'CREATING',
  deleting: 'ACTIVE',
  failed: 'FAILED',
} as const;

/**
 * The rule CAPA adds itself to the API load balancer's group so that the nodes reach the API
 * (`getIngressRulesToAllowKubeletToAccessTheControlPlaneLB`): the VPC's CIDR for an internal
 * balancer, else the NAT gateways' addresses as `/32`, or everyone while there are none.
 */
function nodeAccess(net: ClusterNetwork, scheme: string): string[] {
  if (scheme === 'internal') return [net.vpc.cidrs[0]];
  const nat = net.vpc.natGateways.map(n => `${n.publicIp}/32`);
  return nat.length > 0 ? nat : ['0.0.0.0/0'];
}

function apiAllowList(plan: ClusterPlan): string[] {
  const { allowedCidrs } = plan.resolved.request.spec.controlPlane;
  return allowedCidrs.length ? allowedCidrs : ['0.0.0.0/0'];
}

/** EKS: the control plane is AWS's; CAPA names it and reads its endpoint and OIDC issuer. */
function eksControlPlane(site: ControlPlaneSite): ControlPlaneOutcome {
  const { ctx, region, plan, net, groups } = site;
  const active = plan.state !== 'provisioning';
  const id = ctx.ids.hex(`${plan.key}/eks`, 32).toUpperCase();
  const host = `${id}.gr7.${region.region}.eks.amazonaws.com`;
  const arn = `arn:aws:eks:${region.region}:${region.accountId}:cluster/${plan.name}`;
  const oidcIssuer = `https://oidc.eks.${region.region}.amazonaws.com/id/${id}`;
  const { controlPlane, network } = plan.resolved.request.spec;
  const [major, minor] = plan.kubernetesVersion.replace(/^v/, '').split('.');
  // EKS puts its own network interfaces for the control plane into the cluster's subnets.
  nodeSubnetPerZone(net.subnets).forEach(s => reserveAddresses(s, 2));
  const cluster: EksCluster = {
    name: plan.name,
    arn,
    createdAt: sdkTime(ctx.at(plan.createdAt + 5 * 60_000)),
    version: `${major}.${minor}`,
    ...(active ? { endpoint: `https://${host}` } : {}),
    roleArn: `arn:aws:iam::${region.accountId}:role/${EKS_CONTROL_PLANE_ROLE}`,
    resourcesVpcConfig: {
      subnetIds: net.subnets.filter(s => s.role !== 'pod').map(s => s.id),
      securityGroupIds: [groups.controlplane],
      clusterSecurityGroupId: ctx.ids.aws('sg', `${plan.key}/sg/eks-cluster`),
      vpcId: net.vpc.id,
      endpointPublicAccess: true,
      endpointPrivateAccess: true,
      publicAccessCidrs: controlPlane.allowedCidrs.length
        ? controlPlane.allowedCidrs
        : ['0.0.0.0/0'],
    },
    kubernetesNetworkConfig: {
      serviceIpv4Cidr: network.serviceCidr,
      ipFamily: 'ipv4',
    },
    ...(active ? { identity: { oidc: { issuer: oidcIssuer } } } : {}),
    status: EKS_STATUS[plan.state],
    platformVersion: 'eks.12',
    accessConfig: { authenticationMode: 'API_AND_CONFIG_MAP' },
    tags: {
      ...plan.additionalTags,
      [TAGS.capaCluster(plan.name)]: 'owned',
      Name: plan.name,
    },
  };
  region.snapshot.eksClusters.push(cluster);
  if (plan.state === 'provisioned')
    region.snapshot.eksInsights = [
      ...(region.snapshot.eksInsights ?? []),
      ...simulateInsights(ctx, plan.key, plan.name, cluster.version!),
    ];
  return {
    endpoint: active ? { host, port: 443 } : undefined,
    instances: [],
    eks: { arn, ...(active ? { oidcIssuer } : {}) },
    securityGroups: groups,
  };
}

/** The control plane of a cluster in AWS: EC2 machines and their NLB, or an EKS cluster. */
export function simulateControlPlane(
  ctx: SimulationContext,
  region: RegionBuilder,
  plan: ClusterPlan,
  net: ClusterNetwork,
): ControlPlaneOutcome {
  const groups = securityGroups(ctx, plan);
  // The demo's failures happen before a control plane is asked for (the network comes first).
  if (plan.state === 'failed') return { instances: [], securityGroups: groups };
  const site = { ctx, region, plan, net, groups };
  return plan.flavor === 'eks' ? eksControlPlane(site) : ec2ControlPlane(site);
}
