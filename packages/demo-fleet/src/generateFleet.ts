import {
  ClusterRequestInput,
  ipv4Block,
  planSubnets,
  splitCidr,
} from '@clusterdeck/plugin-aws-clusters-common';
import type { FleetSnapshot } from '@clusterdeck/plugin-aws-clusters-node';
import {
  ActivityScenario,
  ClusterScenario,
  ClusterState,
  DEFAULT_SNAPSHOT_TIME,
  FleetDefinition,
  LoadBalancerScenario,
  PoolScenario,
} from './fleetDefinition';
import { IdFactory } from './ids';
import { simulateFleet } from './simulateFleet';

/** @public The size and seed of a synthetic fleet. */
export interface GenerateFleetOptions {
  accounts: number;
  clusters: number;
  /** Regions per account, 1 to {@link GENERATED_REGIONS}.length; 3 by default. */
  regions?: number;
  /** The same seed always gives the same fleet. */
  seed?: string;
}

/** @public The regions synthetic fleets spread over, in the order they are taken. */
export const GENERATED_REGIONS = [
  'eu-west-1',
  'eu-central-1',
  'us-east-1',
  'us-west-2',
  'ap-southeast-2',
  'eu-north-1',
];

/**
 * @public Synthetic account ids: `000000` and six digits. No real AWS account id starts with six
 * zeros in practice, and the prefix makes generated ids recognisable at a glance.
 */
export function syntheticAccountId(index: number): string {
  return `000000${String(index).padStart(6, '0')}`;
}

const TEAMS = [
  { org: 'payments', short: 'pay' },
  { org: 'search', short: 'search' },
  { org: 'data-platform', short: 'data' },
  { org: 'web', short: 'web' },
  { org: 'platform', short: 'plat' },
];
const INSTANCE_TYPES = [
  'm6i.large',
  'm6i.xlarge',
  'm6i.2xlarge',
  'm6a.xlarge',
  'c6i.xlarge',
  'c6i.2xlarge',
  'r6i.xlarge',
  'r6i.2xlarge',
];
const KUBERNETES_VERSIONS = ['1.32.9', '1.33.4'];
// Address space for VPCs: primary blocks from 10.0.0.0/8, ENI pod blocks from 100.64.0.0/10
// (the shared address space AWS allows as a secondary VPC block).
const VPC_SPACE = '10.0.0.0/8';
const POD_SPACE = '100.64.0.0/10';
const POD_BLOCK_PREFIX = 20;
const EXTRA_BLOCK_PREFIX = 20;

/** mulberry32: small, fast and good enough to pick among options reproducibly. */
function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

class Dice {
  constructor(private readonly next: () => number) {}

  chance(p: number): boolean {
    return this.next() < p;
  }

  int(min: number, max: number): number {
    return min + Math.floor(this.next() * (max - min + 1));
  }

  pick<T>(items: readonly T[]): T {
    return items[Math.floor(this.next() * items.length)];
  }

  /** One of the options by weight, e.g. `[[16, 1], [20, 4]]`. */
  weighted<T>(options: ReadonlyArray<readonly [T, number]>): T {
    const total = options.reduce((sum, [, w]) => sum + w, 0);
    let roll = this.next() * total;
    for (const [value, weight] of options) {
      roll -= weight;
      if (roll < 0) return value;
    }
    return options[options.length - 1][0];
  }
}

/** What one synthetic cluster will be, before its address blocks are handed out. */
interface Draft {
  index: number;
  team: (typeof TEAMS)[number];
  accountIndex: number;
  region: string;
  flavor: 'ec2' | 'eks';
  zones: number;
  prefix: number;
  eni: boolean;
  extraCidr: boolean;
  adopt: boolean;
  transitGateway: boolean;
  state: ClusterState;
}

/**
 * Hands out non-overlapping blocks. Largest first, so that every block starts aligned right after
 * the previous one and the space packs without holes; sizes shrink when the space would not hold
 * them all (thousands of clusters get /22s instead of /16s).
 */
function allocateBlocks(space: string, prefixes: number[]): string[] {
  const { start, size, prefixLength } = ipv4Block(space);
  let wanted = prefixes.map(p => Math.max(p, prefixLength));
  const total = (list: number[]) =>
    list.reduce((sum, p) => sum + 2 ** (32 - p), 0);
  while (total(wanted) > size) {
    if (wanted.every(p => p >= 24)) {
      throw new RangeError(
        `${space} cannot hold ${prefixes.length} VPC blocks; generate fewer clusters`,
      );
    }
    wanted = wanted.map(p => Math.min(p + 1, 24));
  }
  const order = wanted
    .map((_, i) => i)
    .sort((a, b) => wanted[a] - wanted[b] || a - b);
  const blocks: string[] = new Array(prefixes.length);
  let cursor = start;
  for (const i of order) {
    const value = cursor;
    cursor += 2 ** (32 - wanted[i]);
    blocks[i] = `${[24, 16, 8, 0]
      .map(s => Math.floor(value / 2 ** s) % 256)
      .join('.')}/${wanted[i]}`;
  }
  return blocks;
}

function draftCluster(
  dice: Dice,
  index: number,
  options: Required<GenerateFleetOptions>,
): Draft {
  const flavor = dice.chance(0.3) ? 'eks' : 'ec2';
  return {
    index,
    team: TEAMS[index % TEAMS.length],
    accountIndex: 1 + (index % options.accounts),
    region: GENERATED_REGIONS[dice.int(0, options.regions - 1)],
    flavor,
    zones: dice.weighted([
      [1, 1],
      [2, 2],
      [3, 7],
    ] as const),
    prefix: dice.weighted([
      [16, 1],
      [18, 5],
      [19, 6],
      [20, 8],
    ] as const),
    eni: flavor === 'ec2' && dice.chance(0.1),
    extraCidr: dice.chance(0.08),
    adopt: dice.chance(0.05),
    transitGateway: dice.chance(0.3),
    state: dice.weighted([
      ['provisioned', 90],
      ['provisioning', 4],
      ['deleting', 3],
      ['failed', 3],
    ] as const),
  };
}

function poolName(kind: string, n: number): string {
  return `${kind}${String(n).padStart(2, '0')}`;
}

interface DraftPool {
  spec: Record<string, unknown>;
  name: string;
  nodes: PoolScenario;
  activity?: ActivityScenario;
}

function sizedPool(dice: Dice, type: 'asg' | 'managed', n: number): DraftPool {
  const name = poolName(type === 'asg' ? 'asg' : 'mng', n);
  const minSize = dice.int(0, 3);
  const maxSize = minSize + dice.int(2, 20);
  const atMax = dice.chance(0.05);
  const desired = atMax
    ? maxSize
    : dice.int(Math.max(minSize, 1), Math.min(maxSize, minSize + 6));
  const spot = dice.chance(0.25);
  const overrides =
    type === 'asg' && dice.chance(0.3)
      ? [dice.pick(INSTANCE_TYPES), dice.pick(INSTANCE_TYPES)].filter(
          (t, i, all) => all.indexOf(t) === i,
        )
      : [];
  const instanceType = overrides[0] ?? dice.pick(INSTANCE_TYPES);
  return {
    name,
    spec: {
      name,
      type,
      instanceType,
      ...(overrides.length > 1 ? { instanceTypeOverrides: overrides } : {}),
      minSize,
      maxSize,
      spot: { enabled: spot },
    },
    nodes: {
      desired,
      ready: dice.chance(0.1) ? Math.max(desired - 1, 0) : desired,
    },
    ...(atMax
      ? {
          activity: {
            pool: name,
            status: 'Failed' as const,
            minutesAgo: dice.int(2, 50),
          },
        }
      : {}),
  };
}

function karpenterPool(dice: Dice, n: number): DraftPool {
  const name = poolName('karp', n);
  const family = dice.pick([['m6i', 'c6i'], ['r6i'], ['m7g', 'c7g']]);
  const arm = family[0].endsWith('g');
  return {
    name,
    spec: {
      name,
      type: 'karpenter',
      spot: { enabled: dice.chance(0.5) },
      karpenter: {
        requirements: [
          {
            key: 'karpenter.k8s.aws/instance-family',
            operator: 'In',
            values: family,
          },
          ...(arm
            ? [{ key: 'kubernetes.io/arch', operator: 'In', values: ['arm64'] }]
            : []),
        ],
        limits: { cpu: '400', memory: '1600Gi' },
      },
    },
    nodes: { desired: dice.int(0, 6) },
  };
}

function pools(dice: Dice, draft: Draft): DraftPool[] {
  if (draft.flavor === 'eks') {
    return Array.from({ length: dice.int(1, 2) }, (_, n) =>
      sizedPool(dice, 'managed', n),
    );
  }
  const fixed = Array.from({ length: dice.int(1, 2) }, (_, n) =>
    sizedPool(dice, 'asg', n),
  );
  return dice.chance(0.4) ? [...fixed, karpenterPool(dice, 0)] : fixed;
}

interface Addresses {
  vpc: string;
  extra?: string;
  pods?: string;
}

function networkOf(
  ids: IdFactory,
  draft: Draft,
  name: string,
  addresses: Addresses,
  tgwId: string,
) {
  const zones = ['a', 'b', 'c']
    .slice(0, draft.zones)
    .map(letter => `${draft.region}${letter}`);
  const extraCidrs = [addresses.extra, addresses.pods].filter(
    (c): c is string => !!c,
  );
  const vpc = draft.adopt
    ? {
        mode: 'adopt' as const,
        id: ids.aws('vpc', `adopted/${name}`),
        cidr: addresses.vpc,
        extraCidrs,
      }
    : { mode: 'create' as const, cidr: addresses.vpc, extraCidrs };
  const planned = planSubnets(addresses.vpc, zones);
  const subnets =
    draft.adopt && Array.isArray(planned)
      ? planned.map((s, i) => ({
          ...s,
          id: ids.aws('subnet', `adopted/${name}/${i}`),
        }))
      : [];
  return {
    vpc,
    availabilityZones: draft.zones,
    ...(subnets.length ? { subnets } : {}),
    ...(draft.transitGateway
      ? {
          topology: {
            mode: 'transitGateway' as const,
            transitGatewayId: tgwId,
          },
        }
      : {}),
    ...(addresses.pods
      ? {
          cni: {
            mode: 'eni' as const,
            podSubnetCidrs: splitCidr(
              addresses.pods,
              ipv4Block(addresses.pods).prefixLength + 2,
            ).slice(0, draft.zones),
          },
        }
      : {}),
  };
}

function controlPlaneOf(dice: Dice, draft: Draft) {
  if (draft.flavor === 'eks') {
    return {
      apiMode: 'public' as const,
      allowedCidrs: dice.chance(0.7) ? ['203.0.113.0/24'] : [],
    };
  }
  const private_ = draft.transitGateway && dice.chance(0.5);
  return {
    instanceType: dice.pick(['m6i.large', 'm6i.xlarge']),
    apiMode: private_ ? ('private' as const) : ('public' as const),
    allowedCidrs: !private_ && dice.chance(0.7) ? ['203.0.113.0/24'] : [],
  };
}

function loadBalancersOf(
  dice: Dice,
  ids: IdFactory,
  draft: Draft,
  name: string,
): LoadBalancerScenario[] {
  if (!dice.chance(0.4)) return [];
  return Array.from({ length: dice.int(1, 2) }, (_, n) => {
    const type = dice.weighted([
      ['network', 5],
      ['application', 3],
      ['classic', 1],
    ] as const);
    const service = `${draft.team.short}/svc${n}`;
    return {
      name:
        type === 'classic'
          ? `a${ids.hex(`${name}/clb/${n}`, 31)}`
          : `k8s-${draft.team.short}-svc${n}-${ids.hex(`${name}/lb/${n}`, 10)}`,
      type,
      scheme: dice.chance(0.5)
        ? ('internet-facing' as const)
        : ('internal' as const),
      service,
    };
  });
}

function scenarioOf(
  dice: Dice,
  ids: IdFactory,
  draft: Draft,
  addresses: Addresses,
  mcs: string[],
  tgwIds: Map<string, string>,
): ClusterScenario {
  const name = `${draft.team.short}-${String(draft.index).padStart(5, '0')}`;
  const production = draft.accountIndex % 2 === 1;
  const drafted = pools(dice, draft);
  const request: ClusterRequestInput = {
    apiVersion: 'clusterdeck.io/v1alpha1',
    kind: 'ClusterRequest',
    metadata: {
      name,
      organization: draft.team.org,
      owner: `group:default/${draft.team.org}`,
      labels: {
        'clusterdeck.io/environment': production ? 'production' : 'development',
      },
    },
    spec: {
      managementCluster: mcs[GENERATED_REGIONS.indexOf(draft.region)],
      release: '31.1.0',
      kubernetesVersion: dice.pick(KUBERNETES_VERSIONS),
      flavor: draft.flavor,
      region: draft.region,
      account: {
        id: syntheticAccountId(draft.accountIndex),
        roleIdentity: `account-${syntheticAccountId(draft.accountIndex)}`,
      },
      controlPlane: controlPlaneOf(dice, draft),
      network: networkOf(
        ids,
        draft,
        name,
        addresses,
        tgwIds.get(draft.region)!,
      ),
      nodePools: drafted.map(
        p => p.spec,
      ) as ClusterRequestInput['spec']['nodePools'],
    },
  };
  const activities = drafted.flatMap(p => (p.activity ? [p.activity] : []));
  return {
    request,
    state: draft.state,
    nodes: Object.fromEntries(drafted.map(p => [p.name, p.nodes])),
    loadBalancers: loadBalancersOf(dice, ids, draft, name),
    ...(activities.length ? { activities } : {}),
  };
}

function seedNumber(seed: string): number {
  return parseInt(new IdFactory(seed).hex('prng', 8), 16);
}

/** The releases every synthetic management cluster offers, one of them deprecated. */
const GENERATED_RELEASES: FleetDefinition['releases'] = [
  { version: '31.1.0' },
  { version: '30.2.0' },
  { version: '29.5.0', state: 'deprecated' },
];
/** The EKS versions synthetic fleets record. */
const GENERATED_EKS_VERSIONS: FleetDefinition['eksVersions'] = [
  { version: '1.33', status: 'STANDARD_SUPPORT' },
  { version: '1.32', status: 'STANDARD_SUPPORT' },
  { version: '1.31', status: 'EXTENDED_SUPPORT' },
];

/**
 * A synthetic fleet definition of any size for benchmarks and tests: random but valid cluster
 * requests (EC2 and EKS; asg, Karpenter and managed pools; some behind a transit gateway, some in
 * ENI mode, some adopting a VPC) with VPC blocks that overlap nowhere in the fleet. Account ids
 * are synthetic (`000000` + six digits); management clusters (one per region, `mc-<region>`) run
 * in the first account.
 * @public
 */
export function generateFleetDefinition(
  options: GenerateFleetOptions,
): FleetDefinition {
  const opts: Required<GenerateFleetOptions> = {
    regions: 3,
    seed: 'clusterdeck',
    ...options,
  };
  if (
    opts.accounts < 1 ||
    opts.clusters < 0 ||
    opts.regions < 1 ||
    opts.regions > GENERATED_REGIONS.length
  ) {
    throw new RangeError(
      `need at least one account, no negative cluster count, and 1 to ${GENERATED_REGIONS.length} regions`,
    );
  }
  const dice = new Dice(prng(seedNumber(opts.seed)));
  const ids = new IdFactory(opts.seed);
  const regions = GENERATED_REGIONS.slice(0, opts.regions);
  const mcs = regions.map(region => `mc-${region}`);
  const tgwIds = new Map(
    regions.map(region => [region, ids.aws('tgw', `tgw/${region}`)]),
  );
  const drafts = Array.from({ length: opts.clusters }, (_, i) =>
    draftCluster(dice, i, opts),
  );
  const primaries = allocateBlocks(VPC_SPACE, [
    ...drafts.map(d => d.prefix),
    ...drafts.filter(d => d.extraCidr).map(() => EXTRA_BLOCK_PREFIX),
  ]);
  const pods = allocateBlocks(
    POD_SPACE,
    drafts.filter(d => d.eni).map(() => POD_BLOCK_PREFIX),
  );
  let extraIndex = drafts.length;
  let podIndex = 0;
  const clusters = drafts.map(draft =>
    scenarioOf(
      dice,
      ids,
      draft,
      {
        vpc: primaries[draft.index],
        ...(draft.extraCidr ? { extra: primaries[extraIndex++] } : {}),
        ...(draft.eni ? { pods: pods[podIndex++] } : {}),
      },
      mcs,
      tgwIds,
    ),
  );
  const accountIds = Array.from({ length: opts.accounts }, (_, i) =>
    syntheticAccountId(i + 1),
  );
  return {
    now: DEFAULT_SNAPSHOT_TIME,
    seed: opts.seed,
    accounts: accountIds.map(id => ({ id, regions })),
    managementClusters: regions.map((region, i) => ({
      name: mcs[i],
      accountId: accountIds[0],
      region,
      baseDomain: `${region}.example.com`,
    })),
    roleIdentities: accountIds.map(id => ({
      name: `account-${id}`,
      accountId: id,
    })),
    organizations: TEAMS.map(t => t.org),
    clusters,
    // One transit gateway per region in the first account, shared with all the others.
    transitGateways: regions.map(region => ({
      id: tgwIds.get(region)!,
      name: `hub-${region}`,
      ownerAccountId: accountIds[0],
      region,
      sharedWith: accountIds.slice(1),
    })),
    releases: GENERATED_RELEASES,
    eksVersions: GENERATED_EKS_VERSIONS,
  };
}

/** @public A synthetic fleet's snapshot: {@link generateFleetDefinition} through `simulateFleet`. */
export function generateFleet(options: GenerateFleetOptions): FleetSnapshot {
  return simulateFleet(generateFleetDefinition(options));
}
