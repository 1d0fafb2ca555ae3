import type { Instance } from '@aws-sdk/client-ec2';
import { allocateAddress, RegionBuilder, SubnetFacts } from './regionBuilder';
import { isArm, sdkTime, SimulationContext } from './simulationContext';
import { tagList } from './tags';

/** The EC2 states the simulation uses, with the codes EC2 gives them. */
const STATE_CODES = { pending: 0, running: 16, 'shutting-down': 32 } as const;

/** @public The lifecycle of one simulated instance, in the Auto Scaling group's terms. */
export type InstancePhase = 'running' | 'pending' | 'terminating';

/** What the simulation needs to launch one instance. */
export interface LaunchSpec {
  key: string;
  instanceType: string;
  subnet: SubnetFacts;
  vpcId: string;
  imageId: string;
  launchedAt: number;
  phase: InstancePhase;
  spot: boolean;
  tags: Record<string, string>;
  instanceProfile: string;
  securityGroup: { id: string; name: string };
}

/** An instance as the rest of the simulation refers to it. */
export interface LaunchedInstance {
  id: string;
  zone: string;
  subnetId: string;
  instanceType: string;
  phase: InstancePhase;
  launchedAt: number;
}

const EC2_STATE: Record<InstancePhase, keyof typeof STATE_CODES> = {
  running: 'running',
  pending: 'pending',
  terminating: 'shutting-down',
};

/** Adds one EC2 instance to the region, taking an address from its subnet. */
export function launchInstance(
  ctx: SimulationContext,
  region: RegionBuilder,
  spec: LaunchSpec,
): LaunchedInstance {
  const id = ctx.ids.aws('i', spec.key);
  const ip = allocateAddress(spec.subnet);
  const state = EC2_STATE[spec.phase];
  const instance: Instance = {
    InstanceId: id,
    InstanceType: spec.instanceType as Instance['InstanceType'],
    ImageId: spec.imageId,
    Architecture: isArm(spec.instanceType) ? 'arm64' : 'x86_64',
    LaunchTime: sdkTime(ctx.at(spec.launchedAt)),
    Placement: { AvailabilityZone: spec.subnet.zone, Tenancy: 'default' },
    PrivateDnsName: `ip-${ip.replace(/\./g, '-')}.${
      region.region
    }.compute.internal`,
    PrivateIpAddress: ip,
    SubnetId: spec.subnet.id,
    VpcId: spec.vpcId,
    State: { Code: STATE_CODES[state], Name: state },
    IamInstanceProfile: {
      Arn: `arn:aws:iam::${region.accountId}:instance-profile/${spec.instanceProfile}`,
      Id: `AIPA${ctx.ids
        .hex(`${region.accountId}/${spec.instanceProfile}`, 17)
        .toUpperCase()}`,
    },
    SecurityGroups: [
      { GroupId: spec.securityGroup.id, GroupName: spec.securityGroup.name },
    ],
    ...(spec.spot ? { InstanceLifecycle: 'spot' as const } : {}),
    MetadataOptions: {
      HttpTokens: 'required',
      HttpPutResponseHopLimit: 2,
      HttpEndpoint: 'enabled',
      State: 'applied',
    },
    Tags: tagList(spec.tags),
  };
  region.snapshot.instances.push(instance);
  return {
    id,
    zone: spec.subnet.zone,
    subnetId: spec.subnet.id,
    instanceType: spec.instanceType,
    phase: spec.phase,
    launchedAt: spec.launchedAt,
  };
}

/**
 * The node subnet for the n-th instance of a pool: zones in turn (as ASGs and Karpenter balance
 * them), then the zone's node subnets in turn.
 */
export function placeInstance(
  subnets: SubnetFacts[],
  zones: string[],
  n: number,
): SubnetFacts {
  const zone = zones[n % zones.length];
  const candidates = subnets.filter(
    s => s.role === 'private' && s.zone === zone,
  );
  const pool = candidates.length
    ? candidates
    : subnets.filter(s => s.role === 'private');
  return pool[Math.floor(n / zones.length) % pool.length];
}

/** A stable launch moment for an instance between its cluster's creation and the snapshot. */
export function launchMoment(
  ctx: SimulationContext,
  key: string,
  createdAt: number,
  phase: InstancePhase,
): number {
  if (phase === 'pending')
    return wholeSeconds(ctx.now - (60_000 + ctx.ids.int(key, 4 * 60_000)));
  const earliest = createdAt + 12 * 60_000;
  const span = Math.max(ctx.now - earliest - 60 * 60_000, 1);
  return wholeSeconds(
    Math.min(earliest + ctx.ids.int(key, span), ctx.now - 60 * 60_000),
  );
}

/** AWS reports times to the second. */
export function wholeSeconds(ms: number): number {
  return Math.floor(ms / 1000) * 1000;
}

const CPU_SIZES: Record<string, string> = {
  '2': 'large',
  '4': 'xlarge',
  '8': '2xlarge',
  '16': '4xlarge',
  '32': '8xlarge',
  '48': '12xlarge',
  '64': '16xlarge',
};

interface Requirement {
  key: string;
  operator: string;
  values?: string[];
}

function valuesOf(requirements: Requirement[], key: string): string[] {
  return (
    requirements.find(r => r.key === key && r.operator === 'In')?.values ?? []
  );
}

/**
 * The instance types Karpenter would pick for a node pool's requirements: explicit types if
 * listed, else families (or categories above a generation) in the sizes the CPU counts allow.
 */
export function karpenterInstanceTypes(requirements: Requirement[]): string[] {
  const explicit = valuesOf(requirements, 'node.kubernetes.io/instance-type');
  if (explicit.length) return explicit;
  const arm = valuesOf(requirements, 'kubernetes.io/arch').includes('arm64');
  const generationFloor = Number(
    requirements.find(
      r =>
        r.key === 'karpenter.k8s.aws/instance-generation' &&
        r.operator === 'Gt',
    )?.values?.[0] ?? 5,
  );
  const generation = Math.max(generationFloor + 1, arm ? 7 : 6);
  const categories = valuesOf(
    requirements,
    'karpenter.k8s.aws/instance-category',
  );
  const families = valuesOf(requirements, 'karpenter.k8s.aws/instance-family');
  const picked = families.length
    ? families
    : (categories.length ? categories : ['m', 'c']).map(
        c => `${c}${generation}${arm ? 'g' : 'i'}`,
      );
  const sizes = valuesOf(requirements, 'karpenter.k8s.aws/instance-cpu')
    .map(cpu => CPU_SIZES[cpu])
    .filter(Boolean);
  const chosenSizes = sizes.length ? sizes : ['xlarge', '2xlarge'];
  return picked.flatMap(family => chosenSizes.map(size => `${family}.${size}`));
}
