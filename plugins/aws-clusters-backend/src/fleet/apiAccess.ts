import type { ApiExposure } from '@clusterdeck/plugin-aws-clusters-common';
import type { KubeObject } from '@clusterdeck/plugin-aws-clusters-node';
import { clusterLoadBalancers } from './loadBalancers';
import type { RegionIndex, VpcResources } from './regionIndex';

/** How a cluster's Kubernetes API can be reached, as AWS enforces it, beside what the spec asks. */
export interface ApiAccess {
  apiMode: 'public' | 'private';
  exposure: ApiExposure;
  /** The CIDRs AWS lets reach the API; empty while unknown. */
  allowedCidrs: string[];
  /**
   * What Cluster API would let in (EC2: the spec's allow-list and the rules CAPA adds itself;
   * EKS: the spec's public CIDRs), when it differs from what AWS enforces.
   */
  requestedCidrs?: string[];
  /** The ranges CAPA adds to the API load balancer's group itself, and why (EC2). */
  capaCidrs?: { cidrs: string[]; why: string };
  /**
   * With `requestedCidrs` on EC2: what CAPA's own group lets in that Cluster API would not
   * (`extra`), and what Cluster API would let in that it does not (`missing`).
   */
  drift?: { extra: string[]; missing: string[] };
  note?: string;
}

const WORLD = ['0.0.0.0/0', '::/0'];
const DEFAULT_API_PORT = 6443;

type SecurityGroup = RegionIndex['snapshot']['securityGroups'][number];

/** What a rule lets in, in the terms both CAPA's ingress rules and EC2's permissions come down to. */
interface PortRule {
  protocol?: string;
  fromPort?: number;
  toPort?: number;
  cidrs: string[];
}

/** Whether a rule lets TCP traffic reach `port`: all traffic, or a TCP range that holds the port. */
function reaches(rule: PortRule, port: number): boolean {
  if (rule.protocol === '-1') return true;
  const tcp = rule.protocol === 'tcp' || rule.protocol === '6';
  return tcp && (rule.fromPort ?? 0) <= port && port <= (rule.toPort ?? 65535);
}

function cidrsOn(rules: PortRule[], port: number): string[] {
  return [
    ...new Set(rules.filter(r => reaches(r, port)).flatMap(r => r.cidrs)),
  ].sort();
}

/** The spec's public CIDRs of an EKS endpoint; a public endpoint without them is open to everyone. */
function eksRequested(spec: any): {
  mode: 'public' | 'private';
  cidrs: string[];
} {
  const publicAccess = spec?.endpointAccess?.public !== false;
  const cidrs: string[] = spec?.endpointAccess?.publicCIDRs ?? [];
  return {
    mode: publicAccess ? 'public' : 'private',
    cidrs: publicAccess && cidrs.length === 0 ? ['0.0.0.0/0'] : cidrs,
  };
}

/**
 * The rules CAPA keeps on the API load balancer's own security group (role `apiserver-lb`), as
 * its security group service makes them (`getSecurityGroupIngressRules`): the rules that let the
 * nodes' kubelets reach an internet-facing balancer through the NAT gateways (their addresses as
 * `/32`, from `status.networkStatus.natGatewaysIPs`; everyone while CAPA knows none), or the
 * VPC's CIDR for an internal one; and the spec's `ingressRules` of both control plane load
 * balancers (everyone without any). A rule with `natGatewaysIPsSource` lets in the NAT gateways'
 * addresses; one without CIDRs names source security groups and lets in no address range.
 */
function capaRules(
  cluster: KubeObject,
  infrastructure: KubeObject | undefined,
  vpc: VpcResources | undefined,
): { rules: PortRule[]; kubelet: { cidrs: string[]; why: string } } {
  const spec = infrastructure?.spec ?? {};
  const port: number =
    cluster.spec?.clusterNetwork?.apiServerPort ?? DEFAULT_API_PORT;
  const ipv6 = spec.network?.vpc?.ipv6;
  const natCidrs: string[] = (
    infrastructure?.status?.networkStatus?.natGatewaysIPs ?? []
  ).map((ip: string) => `${ip}/32`);
  const world = ['0.0.0.0/0', ...(ipv6 ? ['::/0'] : [])];
  let kubelet: { cidrs: string[]; why: string };
  if (spec.controlPlaneLoadBalancer?.scheme === 'internal') {
    const vpcCidr = spec.network?.vpc?.cidrBlock ?? vpc?.vpc.CidrBlock;
    kubelet = {
      cidrs: [vpcCidr, ipv6?.cidrBlock].filter(Boolean),
      why: "the load balancer is internal: the VPC's CIDR lets the nodes in",
    };
  } else if (natCidrs.length > 0) {
    kubelet = {
      cidrs: natCidrs,
      why: 'the nodes reach an internet-facing API through the NAT gateways',
    };
  } else {
    kubelet = {
      cidrs: world,
      why: 'it knows no NAT gateway address (status.networkStatus.natGatewaysIPs) to let the nodes in by',
    };
  }
  const custom: any[] = [
    ...(spec.controlPlaneLoadBalancer?.ingressRules ?? []),
    ...(spec.secondaryControlPlaneLoadBalancer?.ingressRules ?? []),
  ];
  const rules: PortRule[] = [
    { protocol: 'tcp', fromPort: port, toPort: port, cidrs: kubelet.cidrs },
    ...(custom.length === 0
      ? [{ protocol: 'tcp', fromPort: port, toPort: port, cidrs: world }]
      : custom.map(rule => ({
          protocol: rule.protocol,
          fromPort: rule.fromPort,
          toPort: rule.toPort,
          cidrs: rule.natGatewaysIPsSource
            ? natCidrs
            : [...(rule.cidrBlocks ?? []), ...(rule.ipv6CidrBlocks ?? [])],
        }))),
  ];
  return { rules, kubelet };
}

/** The rules of security groups as EC2 reports them (`IpPermissions`). */
function groupRules(groups: SecurityGroup[]): PortRule[] {
  return groups.flatMap(group =>
    (group.IpPermissions ?? []).map(p => ({
      protocol: p.IpProtocol,
      fromPort: p.FromPort,
      toPort: p.ToPort,
      cidrs: [
        ...(p.IpRanges ?? []).flatMap(r => (r.CidrIp ? [r.CidrIp] : [])),
        ...(p.Ipv6Ranges ?? []).flatMap(r => (r.CidrIpv6 ? [r.CidrIpv6] : [])),
      ],
    })),
  );
}

function sameSet(a: string[], b: string[]): boolean {
  const x = new Set(a);
  const y = new Set(b);
  return x.size === y.size && [...x].every(v => y.has(v));
}

function judged(cidrs: string[]): ApiExposure {
  return cidrs.some(c => WORLD.includes(c)) ? 'open-to-world' : 'allow-listed';
}

function eksAccess(spec: any, region: RegionIndex | undefined): ApiAccess {
  const asked = eksRequested(spec);
  const eks = spec?.eksClusterName
    ? region?.eksClusters.get(spec.eksClusterName)
    : undefined;
  if (!eks?.resourcesVpcConfig) {
    return {
      apiMode: asked.mode,
      exposure: 'unknown',
      allowedCidrs: [],
      note: 'the EKS cluster does not exist yet',
    };
  }
  const config = eks.resourcesVpcConfig;
  if (config.endpointPublicAccess === false) {
    return {
      apiMode: 'private',
      exposure: 'private',
      allowedCidrs: [],
      note: 'EKS endpoint: private access only',
    };
  }
  // EKS reports 0.0.0.0/0 when a public endpoint has no allow-list.
  const cidrs = [
    ...(config.publicAccessCidrs?.length
      ? config.publicAccessCidrs
      : ['0.0.0.0/0']),
  ].sort();
  return {
    apiMode: 'public',
    exposure: judged(cidrs),
    allowedCidrs: cidrs,
    ...(sameSet(cidrs, asked.cidrs)
      ? {}
      : { requestedCidrs: [...asked.cidrs].sort() }),
    note: 'EKS endpoint public access CIDRs',
  };
}

function ec2Access(
  cluster: KubeObject,
  infrastructure: KubeObject | undefined,
  names: string[],
  vpc: VpcResources | undefined,
  region: RegionIndex | undefined,
): ApiAccess {
  const spec = infrastructure?.spec;
  const api = vpc
    ? clusterLoadBalancers(vpc, names).find(lb => lb.target === 'apiserver')
    : undefined;
  if (!api) {
    return {
      apiMode:
        spec?.controlPlaneLoadBalancer?.scheme === 'internal'
          ? 'private'
          : 'public',
      exposure: 'unknown',
      allowedCidrs: [],
      note: 'the API load balancer does not exist yet',
    };
  }
  const listener = (
    api.raw as {
      ListenerDescriptions?: Array<{
        Listener?: { LoadBalancerPort?: number };
      }>;
    }
  ).ListenerDescriptions?.[0]?.Listener?.LoadBalancerPort;
  const port: number =
    listener ??
    cluster.spec?.controlPlaneEndpoint?.port ??
    spec?.controlPlaneEndpoint?.port ??
    DEFAULT_API_PORT;
  if (api.scheme === 'internal') {
    return {
      apiMode: 'private',
      exposure: 'private',
      allowedCidrs: [],
      note: `internal load balancer ${api.name}`,
    };
  }
  const ids = api.securityGroupIds ?? [];
  if (ids.length === 0) {
    return {
      apiMode: 'public',
      exposure: 'unknown',
      allowedCidrs: [],
      note: `load balancer ${api.name} has no security groups: the control plane's own security groups decide`,
    };
  }
  const groups = ids.map(id => region?.securityGroups.get(id));
  if (groups.some(g => !g)) {
    return {
      apiMode: 'public',
      exposure: 'unknown',
      allowedCidrs: [],
      note: `the security groups of ${api.name} were not read`,
    };
  }
  const cidrs = cidrsOn(groupRules(groups as SecurityGroup[]), port);
  const access: ApiAccess = {
    apiMode: 'public',
    exposure: judged(cidrs),
    allowedCidrs: cidrs,
    note: `security groups ${ids.join(', ')} of ${api.name}, port ${port}`,
  };
  // CAPA keeps the rules of its own group only: groups the spec adds to the balancer
  // (additionalSecurityGroups) or puts in its place (securityGroupOverrides) are someone else's.
  const others = new Set<string>([
    ...(spec?.controlPlaneLoadBalancer?.additionalSecurityGroups ?? []),
    ...Object.values<string>(spec?.network?.securityGroupOverrides ?? {}),
  ]);
  const own = (groups as SecurityGroup[]).filter(g => !others.has(g.GroupId!));
  if (own.length === 0) return access;
  const expected = capaRules(cluster, infrastructure, vpc);
  const wanted = cidrsOn(expected.rules, port);
  const enforced = cidrsOn(groupRules(own), port);
  const opened = expected.kubelet.cidrs.filter(c => WORLD.includes(c));
  const checked: ApiAccess = {
    ...access,
    capaCidrs: expected.kubelet,
    ...(opened.length > 0
      ? {
          note: `${access.note}; CAPA itself lets in ${opened.join(
            ', ',
          )} because ${expected.kubelet.why}`,
        }
      : {}),
  };
  if (sameSet(enforced, wanted)) return checked;
  return {
    ...checked,
    requestedCidrs: wanted,
    drift: {
      extra: enforced.filter(c => !wanted.includes(c)),
      missing: wanted.filter(c => !enforced.includes(c)),
    },
  };
}

/**
 * How the API of a cluster is reachable: for EC2 clusters from the API load balancer's scheme
 * and the inbound rules of its security groups, compared with the rules CAPA itself keeps on
 * its group; for EKS from the cluster's endpoint access as EKS reports it, compared with the
 * spec. Nothing is claimed before the load balancer or EKS cluster exists.
 */
export function apiAccess(options: {
  flavor: 'ec2' | 'eks';
  cluster: KubeObject;
  infrastructure?: KubeObject;
  names: string[];
  vpc?: VpcResources;
  region?: RegionIndex;
}): ApiAccess {
  return options.flavor === 'eks'
    ? eksAccess(options.infrastructure?.spec, options.region)
    : ec2Access(
        options.cluster,
        options.infrastructure,
        options.names,
        options.vpc,
        options.region,
      );
}
