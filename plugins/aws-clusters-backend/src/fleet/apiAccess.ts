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
  /** The spec's allow-list, when it differs from what AWS enforces. */
  requestedCidrs?: string[];
  note?: string;
}

const WORLD = ['0.0.0.0/0', '::/0'];
const DEFAULT_API_PORT = 6443;

type SecurityGroup = RegionIndex['snapshot']['securityGroups'][number];

/** The spec's allow-list; a public API without one is open to everyone (CAPA's and EKS's default). */
function requested(
  flavor: 'ec2' | 'eks',
  spec: any,
): { mode: 'public' | 'private'; cidrs: string[] } {
  if (flavor === 'eks') {
    const publicAccess = spec?.endpointAccess?.public !== false;
    const cidrs: string[] = spec?.endpointAccess?.publicCIDRs ?? [];
    return {
      mode: publicAccess ? 'public' : 'private',
      cidrs: publicAccess && cidrs.length === 0 ? ['0.0.0.0/0'] : cidrs,
    };
  }
  const lb = spec?.controlPlaneLoadBalancer ?? {};
  const cidrs: string[] = (lb.ingressRules ?? []).flatMap(
    (r: any) => r.cidrBlocks ?? [],
  );
  const mode = lb.scheme === 'internal' ? 'private' : 'public';
  return {
    mode,
    cidrs: mode === 'public' && cidrs.length === 0 ? ['0.0.0.0/0'] : cidrs,
  };
}

function sameSet(a: string[], b: string[]): boolean {
  const x = new Set(a);
  const y = new Set(b);
  return x.size === y.size && [...x].every(v => y.has(v));
}

/** The CIDRs the groups let in on `port`: rules for all traffic, or for TCP ranges that hold the port. */
function ingressCidrs(groups: SecurityGroup[], port: number): string[] {
  const cidrs = new Set<string>();
  for (const group of groups) {
    for (const rule of group.IpPermissions ?? []) {
      const all = rule.IpProtocol === '-1';
      const tcp = rule.IpProtocol === 'tcp' || rule.IpProtocol === '6';
      if (
        !all &&
        !(tcp && (rule.FromPort ?? 0) <= port && port <= (rule.ToPort ?? 65535))
      )
        continue;
      for (const range of rule.IpRanges ?? [])
        if (range.CidrIp) cidrs.add(range.CidrIp);
      for (const range of rule.Ipv6Ranges ?? [])
        if (range.CidrIpv6) cidrs.add(range.CidrIpv6);
    }
  }
  return [...cidrs].sort();
}

function judged(cidrs: string[]): ApiExposure {
  return cidrs.some(c => WORLD.includes(c)) ? 'open-to-world' : 'allow-listed';
}

function withRequest(access: ApiAccess, asked: { cidrs: string[] }): ApiAccess {
  if (access.exposure === 'unknown' || access.exposure === 'private')
    return access;
  return sameSet(access.allowedCidrs, asked.cidrs)
    ? access
    : { ...access, requestedCidrs: asked.cidrs };
}

function eksAccess(spec: any, region: RegionIndex | undefined): ApiAccess {
  const asked = requested('eks', spec);
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
  return withRequest(
    {
      apiMode: 'public',
      exposure: judged(cidrs),
      allowedCidrs: cidrs,
      note: 'EKS endpoint public access CIDRs',
    },
    asked,
  );
}

function ec2Access(
  cluster: KubeObject,
  spec: any,
  names: string[],
  vpc: VpcResources | undefined,
  region: RegionIndex | undefined,
): ApiAccess {
  const asked = requested('ec2', spec);
  const api = vpc
    ? clusterLoadBalancers(vpc, names).find(lb => lb.target === 'apiserver')
    : undefined;
  if (!api) {
    return {
      apiMode: asked.mode,
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
  const cidrs = ingressCidrs(groups as SecurityGroup[], port);
  return withRequest(
    {
      apiMode: 'public',
      exposure: judged(cidrs),
      allowedCidrs: cidrs,
      note: `security groups ${ids.join(', ')} of ${api.name}, port ${port}`,
    },
    asked,
  );
}

/**
 * How the API of a cluster is reachable: for EC2 clusters from the API load balancer's scheme
 * and the inbound rules of its security groups, for EKS from the cluster's endpoint access as
 * EKS reports it. Nothing is claimed before the load balancer or EKS cluster exists.
 */
export function apiAccess(options: {
  flavor: 'ec2' | 'eks';
  cluster: KubeObject;
  infrastructure?: KubeObject;
  names: string[];
  vpc?: VpcResources;
  region?: RegionIndex;
}): ApiAccess {
  const spec = options.infrastructure?.spec;
  return options.flavor === 'eks'
    ? eksAccess(spec, options.region)
    : ec2Access(
        options.cluster,
        spec,
        options.names,
        options.vpc,
        options.region,
      );
}
