import type {
  LoadBalancerView,
  SubnetView,
  TopologyView,
} from '@clusterdeck/plugin-aws-clusters-common';

/** What a box of the diagram stands for. */
export type DiagramKind =
  | 'region'
  | 'vpc'
  | 'zone'
  | 'public'
  | 'private'
  | 'pod'
  | 'other'
  | 'nat'
  | 'lb'
  | 'pool'
  | 'igw'
  | 'tgw'
  | 'peering'
  | 'api'
  | 'unplaced';

/** One AWS or Cluster API object of the diagram, with what its details panel shows. */
export interface DiagramItem {
  id: string;
  kind: DiagramKind;
  /** The accessible name of the item's box. */
  label: string;
  details: Array<[string, string]>;
  tags?: Record<string, string>;
  consoleUrl?: string;
}

/** A link to the AWS console page of an object in a region. */
export function consoleUrl(
  region: string | undefined,
  path: string,
): string | undefined {
  if (!region) return undefined;
  return `https://${region}.console.aws.amazon.com/${path.replace(
    '{region}',
    region,
  )}`;
}

const vpcConsole = (region: string | undefined, fragment: string) =>
  consoleUrl(region, `vpcconsole/home?region={region}#${fragment}`);

// One formatter for the whole diagram: `toLocaleString('en')` builds one per call.
const COUNT = new Intl.NumberFormat('en');

/** `3,900 of 4,091` free addresses, or `unknown`. */
export function freeAddresses(s: SubnetView): string {
  return s.availableAddresses === undefined
    ? 'unknown'
    : `${COUNT.format(s.availableAddresses)} of ${COUNT.format(
        s.totalAddresses,
      )}`;
}

const ROLE_TITLE: Record<SubnetView['role'], string> = {
  public: 'Public subnet',
  private: 'Private subnet',
  pod: 'ENI pod subnet',
};

/** Where a subnet's default route goes, in a few words. */
export function defaultRouteText(s: SubnetView): string | undefined {
  return s.defaultRoute ? `0.0.0.0/0 → ${s.defaultRoute.id}` : undefined;
}

export function regionItem(t: TopologyView, accountName?: string): DiagramItem {
  const account = t.accountId
    ? `${accountName ? `${accountName} ` : ''}(${t.accountId})`
    : 'unknown account';
  return {
    id: 'region',
    kind: 'region',
    label: `AWS account ${account}, region ${t.region ?? 'unknown'}`,
    details: [
      ['Account', t.accountId ?? 'unknown'],
      ...(accountName
        ? [['Account name', accountName] as [string, string]]
        : []),
      ['Region', t.region ?? 'unknown'],
    ],
  };
}

export function vpcItem(t: TopologyView): DiagramItem {
  const r = t.region;
  if (!t.vpc)
    return {
      id: 'vpc',
      kind: 'vpc',
      label: 'VPC not known yet',
      details: [['VPC', 'not known yet']],
    };
  return {
    id: `vpc:${t.vpc.id}`,
    kind: 'vpc',
    label: `VPC ${t.vpc.id} (${
      t.vpc.adopted ? 'adopted' : 'managed'
    }) ${t.vpc.cidrs.join(', ')}`,
    details: [
      ['VPC', t.vpc.id],
      ['CIDRs', t.vpc.cidrs.join(', ')],
      [
        'Managed by',
        t.vpc.adopted ? 'adopted: created outside the cluster' : 'CAPA',
      ],
      ['State', t.vpc.state ?? 'unknown'],
      ['CNI', `${t.cni.mode} ${t.cni.podCidrs.join(', ')}`],
    ],
    consoleUrl: vpcConsole(r, `VpcDetails:VpcId=${t.vpc.id}`),
  };
}

export function subnetItem(
  t: TopologyView,
  s: SubnetView,
  used: boolean,
): DiagramItem {
  const route = s.defaultRoute
    ? [['Default route', `${s.defaultRoute.target} ${s.defaultRoute.id}`]]
    : [];
  return {
    id: `subnet:${s.id}`,
    kind: used ? s.role : 'other',
    label: `${used ? ROLE_TITLE[s.role] : 'Subnet the cluster does not use'} ${
      s.cidr
    } in ${s.availabilityZone}, ${freeAddresses(s)} addresses free`,
    details: [
      ['Subnet', s.id],
      [
        'Role',
        used ? ROLE_TITLE[s.role] : `${s.role}, not used by the cluster`,
      ],
      ['CIDR', s.cidr],
      ['Zone', s.availabilityZone],
      ['Free addresses', freeAddresses(s)],
      ...(route as Array<[string, string]>),
      ...s.routes.map(
        x => ['Route', `${x.destination} → ${x.target}`] as [string, string],
      ),
    ],
    tags: s.tags,
    consoleUrl: vpcConsole(t.region, `SubnetDetails:subnetId=${s.id}`),
  };
}

export function natItem(
  t: TopologyView,
  n: TopologyView['natGateways'][number],
): DiagramItem {
  return {
    id: `nat:${n.id}`,
    kind: 'nat',
    label: `NAT gateway ${n.id}`,
    details: [
      ['NAT gateway', n.id],
      ['Subnet', n.subnetId],
      ['Public IP', n.publicIp ?? 'unknown'],
      ['State', n.state ?? 'unknown'],
    ],
    consoleUrl: vpcConsole(t.region, `NatGatewayDetails:natGatewayId=${n.id}`),
  };
}

const LB_TYPE: Record<LoadBalancerView['type'], string> = {
  application: 'ALB',
  network: 'NLB',
  gateway: 'GWLB',
  classic: 'CLB',
};

/** `NLB internal → kube-system/ingress-nginx`, `NLB public → apiserver` */
export function loadBalancerText(lb: LoadBalancerView): string {
  const scheme = lb.scheme === 'internet-facing' ? 'public' : 'internal';
  return `${LB_TYPE[lb.type]} ${scheme} → ${lb.target}`;
}

export function loadBalancerItem(
  t: TopologyView,
  lb: LoadBalancerView,
): DiagramItem {
  return {
    id: `lb:${lb.name}`,
    kind: 'lb',
    label: `Load balancer ${lb.name}: ${loadBalancerText(lb)}`,
    details: [
      ['Load balancer', lb.name],
      ['Type', lb.type],
      ['Scheme', lb.scheme],
      ['Serves', lb.target],
      ...(lb.controller
        ? [['Made by', lb.controller] as [string, string]]
        : []),
      ['DNS', lb.dnsName ?? 'unknown'],
      ['Subnets', lb.subnetIds.join(', ') || 'none known'],
      ...(lb.arn ? [['ARN', lb.arn] as [string, string]] : []),
      ...(lb.state ? [['State', lb.state] as [string, string]] : []),
    ],
    consoleUrl: consoleUrl(
      t.region,
      `ec2/home?region={region}#LoadBalancers:search=${lb.name}`,
    ),
  };
}

const POOL_KIND: Record<TopologyView['nodePools'][number]['kind'], string> = {
  asg: 'Auto Scaling group',
  karpenter: 'Karpenter',
  managed: 'EKS managed node group',
};

export function poolItem(
  p: TopologyView['nodePools'][number],
  zone: string | undefined,
  inZone: number | undefined,
): DiagramItem {
  const count =
    inZone === undefined
      ? `${p.instances} nodes`
      : `${inZone} of ${p.instances} nodes`;
  return {
    id: `pool:${p.name}`,
    kind: 'pool',
    label: `Node pool ${p.name}${zone ? ` in ${zone}` : ''} (${
      p.kind
    }, ${count})`,
    details: [
      ['Node pool', p.name],
      ['Kind', POOL_KIND[p.kind]],
      ['Instances', String(p.instances)],
      ...(zone && inZone !== undefined
        ? [[`In ${zone}`, String(inZone)] as [string, string]]
        : []),
      ['Zones', p.availabilityZones.join(', ') || 'none known'],
      ['Subnets', p.subnetIds.join(', ') || 'none known'],
    ],
  };
}

export function internetGatewayItem(
  t: TopologyView,
  igw: { id: string },
): DiagramItem {
  return {
    id: `igw:${igw.id}`,
    kind: 'igw',
    label: `Internet gateway ${igw.id}`,
    details: [
      ['Internet gateway', igw.id],
      [
        'Default route of',
        t.subnets
          .filter(s => s.defaultRoute?.id === igw.id)
          .map(s => s.id)
          .join(', ') || 'no subnet',
      ],
    ],
    consoleUrl: vpcConsole(
      t.region,
      `InternetGateway:internetGatewayId=${igw.id}`,
    ),
  };
}

export function transitGatewayItem(
  t: TopologyView,
  a: TopologyView['transitGatewayAttachments'][number],
): DiagramItem {
  return {
    id: `tgw:${a.id}`,
    kind: 'tgw',
    label: `Transit gateway ${a.transitGatewayId}, routes ${
      a.routes.join(', ') || 'none'
    }`,
    details: [
      ['Attachment', a.id],
      ['Transit gateway', a.transitGatewayId],
      ['State', a.state ?? 'unknown'],
      ['Routes', a.routes.join(', ') || 'none'],
      ['Subnets', a.subnetIds.join(', ') || 'none known'],
    ],
    consoleUrl: vpcConsole(
      t.region,
      `TransitGatewayAttachmentDetails:transitGatewayAttachmentId=${a.id}`,
    ),
  };
}

export function peeringItem(
  t: TopologyView,
  p: TopologyView['peerings'][number],
): DiagramItem {
  return {
    id: `pcx:${p.id}`,
    kind: 'peering',
    label: `Peering with ${p.peerVpcId ?? p.id}, routes ${
      p.routes.join(', ') || 'none'
    }`,
    details: [
      ['Peering', p.id],
      ['Peer VPC', p.peerVpcId ?? 'unknown'],
      ['Peer account', p.peerAccountId ?? 'unknown'],
      ['Peer CIDRs', p.peerCidrs.join(', ')],
      ['Routes', p.routes.join(', ') || 'none'],
      ['Status', p.status ?? 'unknown'],
    ],
    consoleUrl: vpcConsole(
      t.region,
      `PeeringConnectionDetails:VpcPeeringConnectionId=${p.id}`,
    ),
  };
}

// An empty allow-list means "not known yet" or "private" once the backend reads what AWS enforces.
const EMPTY_ALLOW_LIST: Record<string, string> = {
  unknown: 'not known yet',
  private: 'inside the network',
};

export function apiItem(t: TopologyView): DiagramItem {
  const cp = t.controlPlane;
  const allowed =
    cp.allowedCidrs.join(', ') ||
    EMPTY_ALLOW_LIST[cp.exposure ?? ''] ||
    'anywhere';
  return {
    id: 'api',
    kind: 'api',
    label: `Kubernetes API ${cp.endpoint ?? 'endpoint unknown'} (${
      cp.apiMode
    })`,
    details: [
      ['Control plane', cp.kind],
      ['Endpoint', cp.endpoint ?? 'unknown'],
      ['Access', cp.exposure ? `${cp.apiMode}, ${cp.exposure}` : cp.apiMode],
      ['Allowed CIDRs', allowed],
      ...(cp.requestedCidrs
        ? [['Spec allows', cp.requestedCidrs.join(', ')] as [string, string]]
        : []),
      ...(cp.exposureNote
        ? [['From', cp.exposureNote] as [string, string]]
        : []),
    ],
  };
}
