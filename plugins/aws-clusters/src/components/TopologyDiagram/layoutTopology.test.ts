import type { TopologyView } from '@clusterdeck/plugin-aws-clusters-common';
import { clusterDetail } from '../../__fixtures__/clusterDetail';
import {
  CHAR_WIDTH,
  DiagramBox,
  FONT_SIZE,
  fitText,
  layoutTopology,
  lineBaseline,
  lineFontSize,
} from './layoutTopology';

/** A cluster over `zones` zones with public, private and pod subnets and `pools` pools over all of them. */
function wideTopology(zones: number, pools: number): TopologyView {
  const azs = Array.from(
    { length: zones },
    (_, i) => `eu-central-1${String.fromCharCode(97 + i)}`,
  );
  const t = structuredClone(clusterDetail.topology);
  t.availabilityZones = azs;
  t.subnets = azs.flatMap((az, i) =>
    (['public', 'private', 'pod'] as const).map((role, r) => ({
      id: `subnet-${role}-${i}`,
      cidr: `10.${r}.${i * 16}.0/20`,
      availabilityZone: az,
      role,
      totalAddresses: 4091,
      availableAddresses: 4000,
      defaultRoute:
        role === 'pod'
          ? undefined
          : {
              target:
                role === 'public'
                  ? ('internet-gateway' as const)
                  : ('nat-gateway' as const),
              id: role === 'public' ? 'igw-0a1b2c3d4e5f60001' : `nat-0${i}`,
            },
      routes: [],
      tags: {},
    })),
  );
  t.natGateways = azs.map((az, i) => ({
    id: `nat-0${i}`,
    subnetId: `subnet-public-${i}`,
    availabilityZone: az,
  }));
  t.loadBalancers = t.loadBalancers.map(lb => ({
    ...lb,
    subnetIds: azs.map(
      (_, i) =>
        `subnet-${lb.scheme === 'internal' ? 'private' : 'public'}-${i}`,
    ),
  }));
  t.nodePools = Array.from({ length: pools }, (_, i) => ({
    name: `pool-with-a-long-name-${String(i).padStart(2, '0')}`,
    kind: 'asg' as const,
    availabilityZones: azs,
    subnetIds: azs.map((_az, z) => `subnet-private-${z}`),
    instances: i + 1,
  }));
  return t;
}

const inside = (child: DiagramBox, parent: DiagramBox) =>
  child.x >= parent.x &&
  child.y >= parent.y &&
  child.x + child.w <= parent.x + parent.w &&
  child.y + child.h <= parent.y + parent.h;

const overlap = (a: DiagramBox, b: DiagramBox) =>
  a.x < b.x + b.w && b.x < a.x + a.w && a.y < b.y + b.h && b.y < a.y + a.h;

/** Boxes on the VPC's edge straddle its border by design; every other pair of siblings is apart. */
const straddles = (a: DiagramBox, b: DiagramBox) =>
  [a.kind, b.kind].includes('vpc') &&
  [a, b].some(x => ['igw', 'tgw', 'peering', 'api'].includes(x.kind));

describe('layoutTopology', () => {
  it.each([3, 4, 5, 6])(
    'places %i zones and 20 pools with no two boxes overlapping, each inside its parent, every line inside its box',
    zones => {
      const layout = layoutTopology(wideTopology(zones, 20));
      const byKey = new Map(layout.boxes.map(b => [b.key, b]));
      expect(byKey.size).toBe(layout.boxes.length);
      expect(layout.boxes.filter(b => b.kind === 'zone')).toHaveLength(zones);
      // Every pool in every zone's private subnet.
      expect(layout.boxes.filter(b => b.kind === 'pool')).toHaveLength(
        20 * zones,
      );
      const outside: string[] = [];
      const cut: string[] = [];
      for (const box of layout.boxes) {
        const parent = box.parent ? byKey.get(box.parent) : undefined;
        if (box.parent && !parent) outside.push(`${box.key}: no parent`);
        if (parent && !straddles(box, parent) && !inside(box, parent))
          outside.push(box.key);
        box.lines.forEach((line, i) => {
          if (
            lineBaseline(box, i) > box.h ||
            lineFontSize(box, i) < 12 ||
            line.length * CHAR_WIDTH > box.w
          )
            cut.push(`${box.key} line ${i}`);
        });
      }
      expect(outside).toEqual([]);
      expect(cut).toEqual([]);
      const siblings = new Map<string, DiagramBox[]>();
      for (const b of layout.boxes)
        siblings.set(b.parent ?? '', [
          ...(siblings.get(b.parent ?? '') ?? []),
          b,
        ]);
      const overlapping: string[] = [];
      for (const group of siblings.values())
        for (let i = 0; i < group.length; i++)
          for (let j = i + 1; j < group.length; j++)
            if (!straddles(group[i], group[j]) && overlap(group[i], group[j]))
              overlapping.push(`${group[i].key} × ${group[j].key}`);
      expect(overlapping).toEqual([]);
      expect(layout.width).toBe(Math.max(...layout.boxes.map(b => b.x + b.w)));
    },
  );

  it('draws labels at 12 px or more, and a 3-zone diagram fits a card of 740 px', () => {
    const layout = layoutTopology(wideTopology(3, 20));
    expect(FONT_SIZE).toBeGreaterThanOrEqual(12);
    expect(layout.width).toBeLessThanOrEqual(740);
  });

  it('aligns the rows of subnets across zones and puts each subnet in its zone’s column', () => {
    const layout = layoutTopology(clusterDetail.topology, {
      nodePools: clusterDetail.nodePools,
    });
    const box = (key: string) => layout.boxes.find(b => b.key === key)!;
    expect(box('subnet:subnet-pub0').y).toBe(box('subnet:subnet-pub2').y);
    expect(box('subnet:subnet-priv0').y).toBe(box('subnet:subnet-priv1').y);
    expect(box('subnet:subnet-pub0').y).toBeLessThan(
      box('subnet:subnet-priv0').y,
    );
    expect(box('subnet:subnet-priv0').y).toBeLessThan(
      box('subnet:subnet-pod0').y,
    );
    expect(box('subnet:subnet-pub1').parent).toBe('zone:eu-west-1b');
    expect(box('subnet:subnet-pod2').lines).toEqual([
      'ENI pods 100.64.128.0/18',
      '14,998 of 16,379 free',
    ]);
    expect(box('subnet:subnet-priv0').lines[2]).toBe('0.0.0.0/0 → nat-00');
    // NAT gateways in public subnets, load balancers where they have interfaces, pools with their count in the zone.
    expect(box('nat:nat-01@subnet-pub1').parent).toBe('subnet:subnet-pub1');
    expect(box('lb:pay01-apiserver@subnet-pub2').lines).toEqual([
      'NLB public → apiserver',
    ]);
    expect(box('pool:system@subnet-priv1').lines).toEqual(['system · 1 node']);
    expect(box('pool:system@subnet-priv1').item!.label).toBe(
      'Node pool system in eu-west-1b (managed, 1 of 3 nodes)',
    );
    expect(
      layout.boxes.find(b => b.key === 'pool:system@subnet-priv2'),
    ).toBeUndefined();
  });

  it('puts the internet gateway, transit gateway, peering and API endpoint on the VPC’s top edge', () => {
    const layout = layoutTopology(clusterDetail.topology);
    const vpc = layout.boxes.find(b => b.key === 'vpc')!;
    const edge = layout.boxes.filter(b =>
      ['igw', 'tgw', 'peering', 'api'].includes(b.kind),
    );
    expect(edge.map(b => b.lines[0])).toEqual([
      'Internet gateway',
      'Transit gateway',
      'VPC peering',
      'Kubernetes API (public)',
    ]);
    expect(edge.find(b => b.kind === 'tgw')!.lines.slice(1)).toEqual([
      'tgw-0123456789abcdef0',
      'routes 10.0.0.0/8',
    ]);
    const lastRow = Math.max(...edge.map(b => b.y));
    for (const b of edge.filter(x => x.y === lastRow)) {
      expect(b.y).toBeLessThan(vpc.y);
      expect(b.y + b.h).toBeGreaterThan(vpc.y);
    }
    expect(vpc.lines).toEqual([
      'VPC vpc-0a1b2c3d4e5f60001 · managed',
      '10.20.0.0/16',
    ]);
  });

  it('shows an adopted VPC’s other subnets apart, and what names no subnet below the zones', () => {
    const t = structuredClone(clusterDetail.topology);
    t.vpc = { ...t.vpc!, adopted: true };
    t.otherSubnets = [
      { ...t.subnets[0], id: 'subnet-legacy', cidr: '10.20.200.0/24' },
    ];
    t.nodePools.push({
      name: 'karpenter-pending',
      kind: 'karpenter',
      availabilityZones: [],
      subnetIds: [],
      instances: 0,
    });
    const layout = layoutTopology(t);
    const box = (key: string) => layout.boxes.find(b => b.key === key)!;
    expect(box('vpc').lines[0]).toMatch(/· adopted$/);
    expect(box('subnet:subnet-legacy').kind).toBe('other');
    expect(box('subnet:subnet-legacy').lines[0]).toBe(
      'Not used 10.20.200.0/24',
    );
    expect(box('pool:karpenter-pending@unplaced').parent).toBe('unplaced');
  });

  it('cuts text to the box and marks the cut', () => {
    expect(fitText('short', 100)).toBe('short');
    const cut = fitText('x'.repeat(100), 100);
    expect(cut.endsWith('…')).toBe(true);
    expect(cut.length * CHAR_WIDTH).toBeLessThanOrEqual(100);
  });
});
