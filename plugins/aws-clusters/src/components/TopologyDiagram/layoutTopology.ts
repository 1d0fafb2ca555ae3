import type {
  NodePoolScaling,
  SubnetView,
  TopologyView,
} from '@clusterdeck/plugin-aws-clusters-common';
import {
  apiItem,
  defaultRouteText,
  DiagramItem,
  DiagramKind,
  freeAddresses,
  internetGatewayItem,
  loadBalancerItem,
  loadBalancerText,
  natItem,
  peeringItem,
  poolItem,
  regionItem,
  subnetItem,
  transitGatewayItem,
  vpcItem,
} from './topologyItems';

/**
 * The diagram's grid, in CSS pixels: the SVG is drawn at this scale (never scaled down to fit),
 * so a label is always FONT_SIZE tall; a diagram wider than its card scrolls.
 */
export const FONT_SIZE = 12;
export const TITLE_FONT_SIZE = 13;
const LINE = 16;
const PAD = 8;
const GAP = 10;
const MARGIN = 12;
const ZONE_WIDTH = 212;
const ZONE_HEADER = 26;
const CHILD_HEIGHT = 22;
const CHILD_GAP = 4;
const EDGE_WIDTH = 200;
const EDGE_HEIGHT = 3 * LINE + 8;
const FRAME_HEADER = 2 * PAD + LINE;
/**
 * The widest a character of the 12 px sans-serif font gets on average (digits, capitals); text is
 * cut to what fits at this width, so nothing is measured.
 */
export const CHAR_WIDTH = 7;

/** A box of the diagram: where it is, the lines it shows, and what it stands for. */
export interface DiagramBox {
  /** Unique within the diagram. */
  key: string;
  kind: DiagramKind;
  x: number;
  y: number;
  w: number;
  h: number;
  /** The text drawn, each line cut to the box's width. */
  lines: string[];
  /** The box it is drawn in; absent for the outermost frame. */
  parent?: string;
  /** The object behind the box: it can be focused and its details shown. */
  item?: DiagramItem;
}

/** A laid-out diagram. */
export interface TopologyLayout {
  width: number;
  height: number;
  boxes: DiagramBox[];
}

/** Cuts a line to what fits in `width` pixels, ending it with an ellipsis when cut. */
export function fitText(text: string, width: number): string {
  const max = Math.max(1, Math.floor((width - 2 * PAD) / CHAR_WIDTH));
  return text.length <= max ? text : `${text.slice(0, max - 1)}…`;
}

const TIERS = ['public', 'private', 'pod', 'other'] as const;
type Tier = (typeof TIERS)[number];

interface Child {
  item: DiagramItem;
  text: string;
}

interface SubnetPlan {
  subnet: SubnetView;
  item: DiagramItem;
  lines: string[];
  children: Child[];
  height: number;
}

const SUBNET_TITLE: Record<Tier, string> = {
  public: 'Public',
  private: 'Private',
  pod: 'ENI pods',
  other: 'Not used',
};

function subnetLines(tier: Tier, s: SubnetView): string[] {
  const route = defaultRouteText(s);
  return [
    `${SUBNET_TITLE[tier]} ${s.cidr}`,
    `${freeAddresses(s)} free`,
    ...(route ? [route] : []),
  ];
}

function stackHeight(heights: number[]): number {
  return heights.length === 0
    ? 0
    : heights.reduce((a, b) => a + b, 0) + GAP * (heights.length - 1);
}

function childrenHeight(n: number): number {
  return n === 0 ? 0 : n * CHILD_HEIGHT + (n - 1) * CHILD_GAP + PAD;
}

/**
 * Lays a cluster's network out as an AWS architecture diagram, in one pass over a fixed grid: the
 * account and region frame, the VPC with its CIDRs, one column per availability zone with the
 * public, private, ENI pod and unused subnets as rows aligned across zones, the NAT gateways, load
 * balancers and node pools inside the subnets they use, and the internet gateway, transit gateway
 * attachments, peerings and API endpoint on the VPC's top edge. Every size is known before any
 * box is placed, so boxes never overlap and nothing is measured.
 */
export function layoutTopology(
  t: TopologyView,
  options: { accountName?: string; nodePools?: NodePoolScaling[] } = {},
): TopologyLayout {
  const spreads = new Map(
    (options.nodePools ?? []).map(p => [p.name, p.spread]),
  );
  const zoneOf = new Map<string, string>();
  const allSubnets = [
    ...t.subnets.map(s => ({ s, tier: s.role as Tier })),
    ...(t.otherSubnets ?? []).map(s => ({ s, tier: 'other' as Tier })),
  ];
  for (const { s } of allSubnets) zoneOf.set(s.id, s.availabilityZone);
  const zones = [...t.availabilityZones];
  for (const { s } of allSubnets)
    if (!zones.includes(s.availabilityZone)) zones.push(s.availabilityZone);

  // What goes inside each subnet; what names no subnet of the diagram goes below the zones.
  const childrenOf = new Map<string, Child[]>();
  const unplaced: Child[] = [];
  const place = (subnetIds: string[], child: (subnetId: string) => Child) => {
    const known = subnetIds.filter(id => zoneOf.has(id));
    if (known.length === 0) {
      unplaced.push(child(''));
      return;
    }
    for (const id of known) {
      const list = childrenOf.get(id) ?? [];
      list.push(child(id));
      childrenOf.set(id, list);
    }
  };
  for (const n of t.natGateways) {
    const item = natItem(t, n);
    place([n.subnetId], () => ({ item, text: `NAT ${n.id}` }));
  }
  for (const lb of t.loadBalancers) {
    const item = loadBalancerItem(t, lb);
    place(lb.subnetIds, () => ({ item, text: loadBalancerText(lb) }));
  }
  for (const p of t.nodePools) {
    place(p.subnetIds, subnetId => {
      const zone = zoneOf.get(subnetId);
      const inZone = zone ? spreads.get(p.name)?.[zone] : undefined;
      const item = poolItem(p, zone, inZone);
      const count =
        inZone === undefined ? `${p.instances} in all zones` : `${inZone}`;
      return {
        item,
        text: `${p.name} · ${count} node${
          (inZone ?? p.instances) === 1 ? '' : 's'
        }`,
      };
    });
  }

  const plans = new Map<string, SubnetPlan[]>(); // by `${tier}/${zone}`
  for (const { s, tier } of allSubnets) {
    const children = childrenOf.get(s.id) ?? [];
    const lines = subnetLines(tier, s);
    const plan: SubnetPlan = {
      subnet: s,
      item: subnetItem(t, s, tier !== 'other'),
      lines,
      children,
      height:
        PAD + lines.length * LINE + PAD / 2 + childrenHeight(children.length),
    };
    const key = `${tier}/${s.availabilityZone}`;
    plans.set(key, [...(plans.get(key) ?? []), plan]);
  }
  const tierHeights = TIERS.map(tier =>
    Math.max(
      0,
      ...zones.map(z =>
        stackHeight((plans.get(`${tier}/${z}`) ?? []).map(p => p.height)),
      ),
    ),
  );

  const edgeItems: DiagramItem[] = [
    ...(t.internetGateway ? [internetGatewayItem(t, t.internetGateway)] : []),
    ...t.transitGatewayAttachments.map(a => transitGatewayItem(t, a)),
    ...t.peerings.map(p => peeringItem(t, p)),
    apiItem(t),
  ];
  const edgeLines = (item: DiagramItem): string[] => {
    switch (item.kind) {
      case 'igw':
        return ['Internet gateway', item.details[0][1]];
      case 'tgw':
        return [
          'Transit gateway',
          item.details[1][1],
          `routes ${item.details[3][1]}`,
        ];
      case 'peering':
        return [
          'VPC peering',
          item.details[1][1],
          `routes ${item.details[4][1]}`,
        ];
      default:
        return [
          `Kubernetes API (${t.controlPlane.apiMode})`,
          t.controlPlane.endpoint ?? 'endpoint unknown',
        ];
    }
  };

  // Widths first: the zones decide the VPC's width, the VPC the frame's.
  const zonesWidth =
    Math.max(zones.length, 1) * ZONE_WIDTH +
    (Math.max(zones.length, 1) - 1) * GAP;
  const vpcWidth = Math.max(zonesWidth, 2 * EDGE_WIDTH + GAP) + 2 * PAD;
  const perRow = Math.max(
    1,
    Math.floor((vpcWidth - 2 * PAD + GAP) / (EDGE_WIDTH + GAP)),
  );
  const edgeRows = Math.ceil(edgeItems.length / perRow);
  const width = vpcWidth + 2 * MARGIN;

  const boxes: DiagramBox[] = [];
  const region = regionItem(t, options.accountName);
  const vpc = vpcItem(t);
  const vpcX = MARGIN;
  // The last row of edge items straddles the VPC's top border.
  const edgeTop = FRAME_HEADER + PAD;
  const vpcY =
    edgeRows === 0
      ? edgeTop
      : edgeTop + (edgeRows - 1) * (EDGE_HEIGHT + GAP) + EDGE_HEIGHT / 2;
  const vpcHeaderY = vpcY + (edgeRows === 0 ? PAD : EDGE_HEIGHT / 2 + PAD / 2);
  const vpcLines = t.vpc
    ? [
        `VPC ${t.vpc.id} · ${t.vpc.adopted ? 'adopted' : 'managed'}`,
        t.vpc.cidrs.join(', '),
      ]
    : ['VPC not known yet'];
  const zonesY = vpcHeaderY + vpcLines.length * LINE + GAP;
  const tiersHeight = stackHeight(tierHeights.filter(h => h > 0));
  const zoneHeight = ZONE_HEADER + tiersHeight + PAD;
  let bottom = zonesY + zoneHeight;

  zones.forEach((zone, i) => {
    const x = vpcX + PAD + i * (ZONE_WIDTH + GAP);
    const zoneKey = `zone:${zone}`;
    boxes.push({
      key: zoneKey,
      kind: 'zone',
      x,
      y: zonesY,
      w: ZONE_WIDTH,
      h: zoneHeight,
      lines: [fitText(`Availability zone ${zone}`, ZONE_WIDTH)],
      parent: 'vpc',
    });
    let tierY = zonesY + ZONE_HEADER;
    TIERS.forEach((tier, ti) => {
      if (tierHeights[ti] === 0) return;
      let y = tierY;
      for (const plan of plans.get(`${tier}/${zone}`) ?? []) {
        const sx = x + PAD / 2;
        const sw = ZONE_WIDTH - PAD;
        const subnetKey = `subnet:${plan.subnet.id}`;
        boxes.push({
          key: subnetKey,
          kind: plan.item.kind,
          x: sx,
          y,
          w: sw,
          h: plan.height,
          lines: plan.lines.map(l => fitText(l, sw)),
          parent: zoneKey,
          item: plan.item,
        });
        let cy = y + PAD + plan.lines.length * LINE + PAD / 2;
        for (const child of plan.children) {
          boxes.push({
            key: `${child.item.id}@${plan.subnet.id}`,
            kind: child.item.kind,
            x: sx + PAD / 2,
            y: cy,
            w: sw - PAD,
            h: CHILD_HEIGHT,
            lines: [fitText(child.text, sw - PAD)],
            parent: subnetKey,
            item: child.item,
          });
          cy += CHILD_HEIGHT + CHILD_GAP;
        }
        y += plan.height + GAP;
      }
      tierY += tierHeights[ti] + GAP;
    });
  });

  if (unplaced.length > 0) {
    const perLine = Math.max(
      1,
      Math.floor((zonesWidth - PAD + CHILD_GAP) / (EDGE_WIDTH + CHILD_GAP)),
    );
    const rows = Math.ceil(unplaced.length / perLine);
    const y = bottom + GAP;
    const h = PAD + LINE + PAD / 2 + childrenHeight(rows);
    boxes.push({
      key: 'unplaced',
      kind: 'unplaced',
      x: vpcX + PAD,
      y,
      w: zonesWidth,
      h,
      lines: [fitText('Not in a subnet of the cluster', zonesWidth)],
      parent: 'vpc',
    });
    unplaced.forEach((child, i) => {
      const col = i % perLine;
      const row = Math.floor(i / perLine);
      boxes.push({
        key: `${child.item.id}@unplaced`,
        kind: child.item.kind,
        x: vpcX + PAD + PAD / 2 + col * (EDGE_WIDTH + CHILD_GAP),
        y: y + PAD + LINE + PAD / 2 + row * (CHILD_HEIGHT + CHILD_GAP),
        w: EDGE_WIDTH,
        h: CHILD_HEIGHT,
        lines: [fitText(child.text, EDGE_WIDTH)],
        parent: 'unplaced',
        item: child.item,
      });
    });
    bottom = y + h;
  }

  const vpcHeight = bottom + PAD - vpcY;
  boxes.unshift({
    key: 'vpc',
    kind: 'vpc',
    x: vpcX,
    y: vpcY,
    w: vpcWidth,
    h: vpcHeight,
    lines: vpcLines.map(l => fitText(l, vpcWidth)),
    parent: 'region',
    item: vpc,
  });
  edgeItems.forEach((item, i) => {
    const row = Math.floor(i / perRow);
    const col = i % perRow;
    boxes.push({
      key: item.id,
      kind: item.kind,
      x: vpcX + PAD + col * (EDGE_WIDTH + GAP),
      y: edgeTop + row * (EDGE_HEIGHT + GAP),
      w: EDGE_WIDTH,
      h: EDGE_HEIGHT,
      lines: edgeLines(item).map(l => fitText(l, EDGE_WIDTH)),
      parent: 'region',
      item,
    });
  });
  const height = vpcY + vpcHeight + MARGIN;
  boxes.unshift({
    key: 'region',
    kind: 'region',
    x: 0,
    y: 0,
    w: width,
    h: height,
    lines: [
      fitText(
        `AWS · ${t.region ?? 'unknown region'} · account ${
          options.accountName ? `${options.accountName} ` : ''
        }${t.accountId ?? 'unknown'}`,
        width,
      ),
    ],
    item: region,
  });
  return { width, height, boxes };
}

/** Where each line of a box is drawn, relative to the box: its text baseline. */
export function lineBaseline(box: DiagramBox, index: number): number {
  if (box.kind === 'zone' || box.h <= CHILD_HEIGHT)
    return Math.min(box.h, CHILD_HEIGHT) / 2 + FONT_SIZE / 2 - 2;
  return PAD + index * LINE + FONT_SIZE;
}

/** The font size of a box's line: its first line is a title on frames and subnets. */
export function lineFontSize(box: DiagramBox, index: number): number {
  const titled: DiagramKind[] = ['region', 'vpc', 'zone'];
  return index === 0 && titled.includes(box.kind) ? TITLE_FONT_SIZE : FONT_SIZE;
}
