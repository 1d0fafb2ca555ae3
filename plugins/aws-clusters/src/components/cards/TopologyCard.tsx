import { useMemo, useState } from 'react';
import { Box, Chip, Link, Typography } from '@material-ui/core';
import type { TopologyView } from '@clusterdeck/plugin-aws-clusters-common';
import { ClusterCardFrame } from '../common/ClusterCardFrame';
import { LayeredGraph, LayeredGraphEdge } from './LayeredGraph';

/** Every node is drawn in a box of this size, so the layout needs no measuring. */
const NODE_WIDTH = 260;
/** Longer labels are cut with an ellipsis; the full label is the node's title and accessible name. */
const MAX_LABEL = 40;
const NODE_HEIGHT = 36;

type Kind =
  | 'account'
  | 'vpc'
  | 'az'
  | 'public'
  | 'private'
  | 'pod'
  | 'nat'
  | 'igw'
  | 'lb'
  | 'pool'
  | 'api'
  | 'tgw'
  | 'peering';

const COLORS: Record<Kind, string> = {
  account: '#455a64',
  vpc: '#1565c0',
  az: '#6a1b9a',
  public: '#2e7d32',
  private: '#00838f',
  pod: '#f9a825',
  nat: '#5d4037',
  igw: '#c62828',
  lb: '#ad1457',
  pool: '#283593',
  api: '#000000',
  tgw: '#ef6c00',
  peering: '#ef6c00',
};

const LEGEND: Record<Kind, string> = {
  account: 'Account and region',
  vpc: 'VPC',
  az: 'Availability zone',
  public: 'Public subnet',
  private: 'Private subnet',
  pod: 'ENI pod subnet',
  nat: 'NAT gateway',
  igw: 'Internet gateway',
  lb: 'Load balancer',
  pool: 'Node pool',
  api: 'Control-plane endpoint',
  tgw: 'Transit gateway attachment',
  peering: 'VPC peering',
};

/** A node of the topology graph with what its details panel shows. */
export interface TopologyNode {
  id: string;
  kind: Kind;
  label: string;
  details: Array<[string, string]>;
  tags?: Record<string, string>;
  consoleUrl?: string;
}

function consoleUrl(
  region: string | undefined,
  path: string,
): string | undefined {
  if (!region) return undefined;
  return `https://${region}.console.aws.amazon.com/${path.replace(
    '{region}',
    region,
  )}`;
}

/** Turns a cluster's topology into graph nodes and edges. */
export function topologyGraph(t: TopologyView): {
  nodes: TopologyNode[];
  edges: LayeredGraphEdge[];
} {
  const r = t.region;
  const nodes: TopologyNode[] = [];
  const edges: LayeredGraphEdge[] = [];
  const account = `account:${t.accountId ?? '?'}`;
  nodes.push({
    id: account,
    kind: 'account',
    label: `${t.accountId ?? 'unknown account'} · ${r ?? 'unknown region'}`,
    details: [
      ['Account', t.accountId ?? 'unknown'],
      ['Region', r ?? 'unknown'],
    ],
  });
  const vpc = t.vpc ? `vpc:${t.vpc.id}` : account;
  if (t.vpc) {
    nodes.push({
      id: vpc,
      kind: 'vpc',
      label: `${t.vpc.id} (${t.vpc.cidrs.join(', ')})`,
      details: [
        ['VPC', t.vpc.id],
        ['CIDRs', t.vpc.cidrs.join(', ')],
        ['Adopted', t.vpc.adopted ? 'yes' : 'no'],
        ['State', t.vpc.state ?? 'unknown'],
      ],
      consoleUrl: consoleUrl(
        r,
        `vpcconsole/home?region={region}#VpcDetails:VpcId=${t.vpc.id}`,
      ),
    });
    edges.push({ from: account, to: vpc });
  }
  if (t.internetGateway) {
    const id = `igw:${t.internetGateway.id}`;
    nodes.push({
      id,
      kind: 'igw',
      label: `Internet gateway ${t.internetGateway.id}`,
      details: [['Internet gateway', t.internetGateway.id]],
      consoleUrl: consoleUrl(
        r,
        `vpcconsole/home?region={region}#InternetGateway:internetGatewayId=${t.internetGateway.id}`,
      ),
    });
    edges.push({ from: vpc, to: id });
  }
  for (const az of t.availabilityZones) {
    nodes.push({
      id: `az:${az}`,
      kind: 'az',
      label: az,
      details: [['Availability zone', az]],
    });
    edges.push({ from: vpc, to: `az:${az}` });
  }
  for (const s of t.subnets) {
    const free =
      s.availableAddresses === undefined
        ? 'unknown'
        : `${s.availableAddresses} of ${s.totalAddresses}`;
    nodes.push({
      id: `subnet:${s.id}`,
      kind: s.role,
      label: `${s.role === 'pod' ? 'pod' : s.role} ${s.cidr} · ${free} free`,
      details: [
        ['Subnet', s.id],
        ['CIDR', s.cidr],
        ['Zone', s.availabilityZone],
        ['Free addresses', free],
        ...(s.defaultRoute
          ? [
              [
                'Default route',
                `${s.defaultRoute.target} ${s.defaultRoute.id}`,
              ] as [string, string],
            ]
          : []),
      ],
      tags: s.tags,
      consoleUrl: consoleUrl(
        r,
        `vpcconsole/home?region={region}#SubnetDetails:subnetId=${s.id}`,
      ),
    });
    edges.push({
      from: t.availabilityZones.includes(s.availabilityZone)
        ? `az:${s.availabilityZone}`
        : vpc,
      to: `subnet:${s.id}`,
    });
  }
  const subnetNode = (id: string) =>
    t.subnets.some(s => s.id === id) ? `subnet:${id}` : vpc;
  for (const n of t.natGateways) {
    nodes.push({
      id: `nat:${n.id}`,
      kind: 'nat',
      label: `NAT ${n.id}`,
      details: [
        ['NAT gateway', n.id],
        ['Public IP', n.publicIp ?? 'unknown'],
        ['State', n.state ?? 'unknown'],
      ],
      consoleUrl: consoleUrl(
        r,
        `vpcconsole/home?region={region}#NatGatewayDetails:natGatewayId=${n.id}`,
      ),
    });
    edges.push({ from: subnetNode(n.subnetId), to: `nat:${n.id}` });
  }
  for (const lb of t.loadBalancers) {
    const id = `lb:${lb.name}`;
    nodes.push({
      id,
      kind: 'lb',
      label: `${lb.type} ${lb.scheme} → ${lb.target}`,
      details: [
        ['Load balancer', lb.name],
        ['Type', lb.type],
        ['Scheme', lb.scheme],
        ['Service', lb.target],
        ['DNS', lb.dnsName ?? 'unknown'],
        ...(lb.arn ? [['ARN', lb.arn] as [string, string]] : []),
      ],
      consoleUrl: consoleUrl(
        r,
        `ec2/home?region={region}#LoadBalancers:search=${lb.name}`,
      ),
    });
    for (const sid of lb.subnetIds)
      edges.push({ from: subnetNode(sid), to: id });
    if (lb.subnetIds.length === 0) edges.push({ from: vpc, to: id });
  }
  for (const p of t.nodePools) {
    const id = `pool:${p.name}`;
    nodes.push({
      id,
      kind: 'pool',
      label: `${p.name} (${p.kind}, ${p.instances} nodes)`,
      details: [
        ['Node pool', p.name],
        ['Kind', p.kind],
        ['Instances', String(p.instances)],
        ['Zones', p.availabilityZones.join(', ')],
        ['Subnets', p.subnetIds.join(', ')],
      ],
    });
    for (const sid of p.subnetIds)
      edges.push({ from: subnetNode(sid), to: id });
    if (p.subnetIds.length === 0) edges.push({ from: vpc, to: id });
  }
  const cp = t.controlPlane;
  // An empty allow-list means "not known yet" or "private" once the backend reads what AWS enforces.
  const EMPTY_ALLOW_LIST: Record<string, string> = {
    unknown: 'not known yet',
    private: 'inside the network',
  };
  const allowed =
    cp.allowedCidrs.join(', ') ||
    EMPTY_ALLOW_LIST[cp.exposure ?? ''] ||
    'anywhere';
  const access: Array<[string, string]> = [
    ['Access', cp.exposure ? `${cp.apiMode}, ${cp.exposure}` : cp.apiMode],
    ['Allowed CIDRs', allowed],
    ...(cp.requestedCidrs
      ? [['Spec allows', cp.requestedCidrs.join(', ')] as [string, string]]
      : []),
    ...(cp.exposureNote ? [['From', cp.exposureNote] as [string, string]] : []),
  ];
  nodes.push({
    id: 'api',
    kind: 'api',
    label: `API ${cp.endpoint ?? 'endpoint unknown'} (${cp.apiMode})`,
    details: [
      ['Control plane', cp.kind],
      ['Endpoint', cp.endpoint ?? 'unknown'],
      ...access,
      ['CNI', `${t.cni.mode} ${t.cni.podCidrs.join(', ')}`],
    ],
  });
  edges.push({ from: vpc, to: 'api' });
  for (const a of t.transitGatewayAttachments) {
    const id = `tgw:${a.id}`;
    nodes.push({
      id,
      kind: 'tgw',
      label: `TGW ${a.transitGatewayId}`,
      details: [
        ['Attachment', a.id],
        ['Transit gateway', a.transitGatewayId],
        ['State', a.state ?? 'unknown'],
        ['Routes', a.routes.join(', ')],
      ],
      consoleUrl: consoleUrl(
        r,
        `vpcconsole/home?region={region}#TransitGatewayAttachmentDetails:transitGatewayAttachmentId=${a.id}`,
      ),
    });
    edges.push({ from: vpc, to: id, label: a.routes.join(', ') });
  }
  for (const p of t.peerings) {
    const id = `pcx:${p.id}`;
    nodes.push({
      id,
      kind: 'peering',
      label: `Peering ${p.peerVpcId ?? p.id}`,
      details: [
        ['Peering', p.id],
        ['Peer VPC', p.peerVpcId ?? 'unknown'],
        ['Peer account', p.peerAccountId ?? 'unknown'],
        ['Peer CIDRs', p.peerCidrs.join(', ')],
        ['Status', p.status ?? 'unknown'],
      ],
      consoleUrl: consoleUrl(
        r,
        `vpcconsole/home?region={region}#PeeringConnectionDetails:VpcPeeringConnectionId=${p.id}`,
      ),
    });
    edges.push({ from: vpc, to: id, label: p.routes.join(', ') });
  }
  return { nodes, edges };
}

function Topology(props: { view: TopologyView }) {
  const { nodes, edges } = useMemo(
    () => topologyGraph(props.view),
    [props.view],
  );
  const [selected, setSelected] = useState<TopologyNode | undefined>();
  const renderNode = (node: TopologyNode) => (
    <g
      role="button"
      aria-label={node.label}
      onClick={() => setSelected(node)}
      style={{ cursor: 'pointer' }}
    >
      <rect
        width={NODE_WIDTH}
        height={NODE_HEIGHT}
        rx={6}
        fill={COLORS[node.kind]}
      />
      <title>{node.label}</title>
      <text
        x={NODE_WIDTH / 2}
        y={22}
        textAnchor="middle"
        fill="#fff"
        fontSize={11}
      >
        {node.label.length > MAX_LABEL
          ? `${node.label.slice(0, MAX_LABEL - 1)}…`
          : node.label}
      </text>
    </g>
  );
  return (
    <>
      <Box
        display="flex"
        flexWrap="wrap"
        style={{ gap: 4 }}
        aria-label="Legend"
        role="list"
      >
        {(Object.keys(LEGEND) as Kind[]).map(k => (
          <Chip
            role="listitem"
            key={k}
            size="small"
            label={LEGEND[k]}
            style={{ background: COLORS[k], color: '#fff' }}
          />
        ))}
      </Box>
      <LayeredGraph<TopologyNode>
        aria-label="Cluster topology graph: scroll to zoom, drag to pan"
        nodes={nodes}
        edges={edges}
        nodeWidth={NODE_WIDTH}
        nodeHeight={NODE_HEIGHT}
        renderNode={renderNode}
      />
      {selected && (
        <Box mt={1} role="region" aria-label="Node details">
          <Typography variant="subtitle2">{selected.label}</Typography>
          <ul>
            {selected.details.map(([k, v]) => (
              <li key={k}>
                {k}: {v}
              </li>
            ))}
            {Object.entries(selected.tags ?? {}).map(([k, v]) => (
              <li key={`tag-${k}`}>
                tag {k}={v}
              </li>
            ))}
          </ul>
          {selected.consoleUrl && (
            <Link href={selected.consoleUrl} target="_blank" rel="noopener">
              Open in the AWS console
            </Link>
          )}
        </Box>
      )}
    </>
  );
}

/** The current cluster's network: account, VPC, zones, subnets, gateways, load balancers, node pools and links. */
export function EntityClusterTopologyCard() {
  return (
    <ClusterCardFrame
      title="Cluster topology"
      emptyTitle="No topology known"
      emptyDescription="The cluster's network has not been discovered yet."
      isEmpty={d => !d.topology.vpc && d.topology.subnets.length === 0}
    >
      {d => <Topology view={d.topology} />}
    </ClusterCardFrame>
  );
}
