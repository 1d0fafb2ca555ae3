import type {
  DescribeInstanceTypesRequest,
  DescribeInstanceTypesResult,
  InstanceTypeInfo,
} from '@aws-sdk/client-ec2';
import type { AwsRegionSnapshot } from '../types';

/** @public Instance types per `DescribeInstanceTypes` call: the most its `InstanceTypes` takes. */
export const INSTANCE_TYPE_BATCH = 100;

/** @public How long read instance types are kept: their figures do not change. */
export const INSTANCE_TYPE_CACHE_TTL_MS = 24 * 60 * 60_000;

/**
 * The instance types the node pools of an account region use, as the AWS side names them: the
 * Auto Scaling groups' mixed instances policy overrides and the types their instances run (what
 * their launch templates launched), the EKS node groups' `instanceTypes`, and the types of the
 * cluster instances (Karpenter's among them, launched from its requirements). Sorted, each once.
 * One rule for every source that reads instance types.
 * @public
 */
export function instanceTypesInUse(
  snapshot: Pick<
    AwsRegionSnapshot,
    'autoScalingGroups' | 'instances' | 'eksNodegroups'
  >,
): string[] {
  const types = new Set<string>();
  const add = (type: string | undefined) => {
    if (type) types.add(type);
  };
  for (const group of snapshot.autoScalingGroups ?? []) {
    for (const o of group.MixedInstancesPolicy?.LaunchTemplate?.Overrides ?? [])
      add(o.InstanceType);
    for (const i of group.Instances ?? []) add(i.InstanceType);
  }
  for (const nodegroup of snapshot.eksNodegroups ?? [])
    for (const type of nodegroup.instanceTypes ?? []) add(type);
  for (const instance of snapshot.instances ?? []) add(instance.InstanceType);
  return [...types].sort();
}

/**
 * Reads `types` with EC2 `DescribeInstanceTypes`: {@link INSTANCE_TYPE_BATCH} names a call,
 * each batch followed through `NextToken` (pages of up to 100 types).
 * @public
 */
export async function describeInstanceTypes(
  types: string[],
  send: (
    input: DescribeInstanceTypesRequest,
  ) => Promise<DescribeInstanceTypesResult>,
): Promise<InstanceTypeInfo[]> {
  const batches: string[][] = [];
  for (let i = 0; i < types.length; i += INSTANCE_TYPE_BATCH)
    batches.push(types.slice(i, i + INSTANCE_TYPE_BATCH));
  const read = await Promise.all(
    batches.map(async batch => {
      const all: InstanceTypeInfo[] = [];
      let token: string | undefined;
      do {
        const page =
          (await send({
            InstanceTypes:
              batch as DescribeInstanceTypesRequest['InstanceTypes'],
            MaxResults: INSTANCE_TYPE_BATCH,
            ...(token ? { NextToken: token } : {}),
          })) ?? {};
        if (
          page.InstanceTypes !== undefined &&
          !Array.isArray(page.InstanceTypes)
        )
          throw Object.assign(
            new Error(
              'DescribeInstanceTypes answered InstanceTypes that is not a list',
            ),
            { name: 'MalformedResponse' },
          );
        all.push(...(page.InstanceTypes ?? []));
        token = page.NextToken;
      } while (token);
      return all;
    }),
  );
  return read.flat();
}

/**
 * Instance types read before, by name, each kept for a day ({@link INSTANCE_TYPE_CACHE_TTL_MS}):
 * a type's vCPUs and memory are the same in every account and region.
 * @public
 */
export class InstanceTypeCache {
  private readonly known = new Map<
    string,
    { at: number; info: InstanceTypeInfo }
  >();
  private readonly ttlMs: number;
  private readonly now: () => number;

  constructor(options: { ttlMs?: number; now?: () => number } = {}) {
    this.ttlMs = options.ttlMs ?? INSTANCE_TYPE_CACHE_TTL_MS;
    this.now = options.now ?? Date.now;
  }

  /** Those of `types` not read yet, or read longer ago than the cache time. */
  missing(types: string[]): string[] {
    const now = this.now();
    return types.filter(type => {
      const entry = this.known.get(type);
      return !entry || now - entry.at >= this.ttlMs;
    });
  }

  /** Keeps `infos` from now on. */
  add(infos: InstanceTypeInfo[]): void {
    const at = this.now();
    for (const info of infos)
      if (info.InstanceType) this.known.set(info.InstanceType, { at, info });
  }

  /** The read ones of `types`, in their order. */
  get(types: string[]): InstanceTypeInfo[] {
    return types.flatMap(type => {
      const entry = this.known.get(type);
      return entry ? [entry.info] : [];
    });
  }
}

/**
 * Gives each region snapshot the instance types its pools use ({@link instanceTypesInUse}),
 * reading with `read` only those `cache` does not hold: each once, in the first region (in the
 * order given) that uses it, since EC2 offers a type only in some regions. Types whose read
 * failed are left out. One rule for every source that reads instance types.
 * @public
 */
export async function fillInstanceTypes<
  R extends { snapshot: AwsRegionSnapshot },
>(
  regions: R[],
  cache: InstanceTypeCache,
  read: (region: R, types: string[]) => Promise<InstanceTypeInfo[]>,
): Promise<void> {
  const wanted = regions.map(region => ({
    region,
    types: instanceTypesInUse(region.snapshot),
  }));
  const asked = new Set<string>();
  const reads = wanted.flatMap(({ region, types }) => {
    const mine = cache.missing(types).filter(type => !asked.has(type));
    mine.forEach(type => asked.add(type));
    return mine.length
      ? [read(region, mine).then(infos => cache.add(infos))]
      : [];
  });
  await Promise.all(reads);
  for (const { region, types } of wanted)
    region.snapshot.instanceTypes = cache.get(types);
}

const VCPUS_BY_SIZE: Record<string, number> = {
  nano: 2,
  micro: 2,
  small: 2,
  medium: 2,
  large: 2,
  xlarge: 4,
  '2xlarge': 8,
  '3xlarge': 12,
  '4xlarge': 16,
  '6xlarge': 24,
  '8xlarge': 32,
  '9xlarge': 36,
  '12xlarge': 48,
  '16xlarge': 64,
  '18xlarge': 72,
  '24xlarge': 96,
  '32xlarge': 128,
  '48xlarge': 192,
};

/**
 * @public The vCPUs of an instance type guessed from its size, for the common families, where
 * `DescribeInstanceTypes` has not answered; undefined when the size is not one of them.
 */
export function estimatedVcpus(
  instanceType: string | undefined,
): number | undefined {
  const size = instanceType?.split('.')[1];
  return size ? VCPUS_BY_SIZE[size] : undefined;
}
