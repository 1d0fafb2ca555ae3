import type { ResolvedClusterRequest } from '@clusterdeck/plugin-aws-clusters-common';

type Pool = ResolvedClusterRequest['nodePools'][number];
type Requirement = {
  key: string;
  operator: string;
  values?: string[];
  minValues?: number;
};

/** @public The CPU architecture of a node image, spelled as the cluster-aws chart spells it. */
export type NodeArchitecture = 'x86_64' | 'arm64';

const ARCH_LABEL = 'kubernetes.io/arch';
const CAPACITY_TYPE_LABEL = 'karpenter.sh/capacity-type';
const OS_LABEL = 'kubernetes.io/os';
const ZONE_LABEL = 'topology.kubernetes.io/zone';
// The charts' own defaults, written out because Karpenter needs both and the charts fall back
// to them only when `limits` is absent altogether.
const DEFAULT_KARPENTER_LIMITS = { cpu: '1000', memory: '1000Gi' };

/** @public The CPU architecture an EC2 instance type runs. */
export function instanceArchitecture(instanceType: string): NodeArchitecture {
  const match = /^([a-z]+)\d+([a-z]*)/.exec(instanceType);
  if (!match) {
    return 'x86_64';
  }
  const [, family, attributes] = match;
  // Graviton types carry a `g` among the attributes after the generation (m7g, c6gn, x2gd,
  // is4gen); a1 was the first Graviton family.
  return family === 'a' || attributes.includes('g') ? 'arm64' : 'x86_64';
}

/** @public The instance types an ASG pool may launch: its instance type and the overrides. */
export function asgInstanceTypes(pool: Pool): string[] {
  return [
    ...new Set([
      ...(pool.instanceType ? [pool.instanceType] : []),
      ...pool.instanceTypeOverrides,
    ]),
  ];
}

/** Returns undefined for an empty list, so that the key stays out of the values. */
function nonEmpty<T>(list: T[]): T[] | undefined {
  return list.length > 0 ? list : undefined;
}

/** @public Drops keys whose value is undefined, so that fields the request leaves out leave no trace. */
export function compact(
  record: Record<string, unknown>,
): Record<string, unknown> {
  return Object.fromEntries(
    Object.entries(record).filter(([, value]) => value !== undefined),
  );
}

/** The charts take node labels as `key=value` strings (kubelet `--node-labels` syntax). */
function customNodeLabels(pool: Pool): string[] | undefined {
  return nonEmpty(
    Object.entries(pool.labels).map(([key, value]) => `${key}=${value}`),
  );
}

/** cluster-eks requires a taint value; an empty one means the same as none to Kubernetes. */
function customNodeTaints(pool: Pool, valueRequired: boolean) {
  return nonEmpty(
    pool.taints.map(t =>
      compact({
        key: t.key,
        value: valueRequired ? t.value ?? '' : t.value,
        effect: t.effect,
      }),
    ),
  );
}

/** @public The architecture an ASG pool's instance types share, or undefined when they mix. */
export function asgArchitecture(pool: Pool): NodeArchitecture | undefined {
  const architectures = new Set(
    asgInstanceTypes(pool).map(instanceArchitecture),
  );
  return architectures.size === 1 ? [...architectures][0] : undefined;
}

function asgSpot(pool: Pool) {
  // Only the price fits the chart; the on-demand shares have no value (see clusterAwsLimitations).
  return pool.spot.enabled
    ? compact({ enabled: true, maxPrice: pool.spot.maxPrice })
    : undefined;
}

function asgPool(pool: Pool): Record<string, unknown> {
  // An Auto Scaling group boots all its instances from one image, so a pool mixing x86_64 and
  // arm64 types cannot run (reported by clusterAwsLimitations); it keeps the x86_64 default.
  return compact({
    instanceType: pool.instanceType,
    minSize: pool.minSize,
    maxSize: pool.maxSize,
    availabilityZones: [...pool.availabilityZones],
    // The chart picks the node image by this value; x86_64 is its default.
    architecture: asgArchitecture(pool) === 'arm64' ? 'arm64' : undefined,
    instanceTypeOverrides: nonEmpty([...pool.instanceTypeOverrides]),
    spotInstances: asgSpot(pool),
    rootVolumeSizeGB: pool.rootVolumeSizeGB,
    customNodeLabels: customNodeLabels(pool),
    customNodeTaints: customNodeTaints(pool, false),
  });
}

/** @public A Karpenter pool's requirements, with those the request leaves implicit made explicit. */
export function karpenterRequirements(pool: Pool): Requirement[] {
  // As in the capi format: capacity type from spot.enabled, amd64, Linux and the pool's zones.
  // They must be explicit: any requirement replaces all of the chart's default requirements, and
  // the chart's Karpenter pools have no other place for zones or spot.
  const requirements: Requirement[] = (pool.karpenter?.requirements ?? []).map(
    r => ({
      ...r,
      ...(r.values ? { values: [...r.values] } : {}),
    }),
  );
  const has = (key: string) => requirements.some(r => r.key === key);
  if (!has(CAPACITY_TYPE_LABEL)) {
    const values = pool.spot.enabled ? ['spot', 'on-demand'] : ['on-demand'];
    requirements.push({ key: CAPACITY_TYPE_LABEL, operator: 'In', values });
  }
  if (!has(ARCH_LABEL)) {
    requirements.push({ key: ARCH_LABEL, operator: 'In', values: ['amd64'] });
  }
  if (!has(OS_LABEL)) {
    requirements.push({ key: OS_LABEL, operator: 'In', values: ['linux'] });
  }
  if (!has(ZONE_LABEL)) {
    requirements.push({
      key: ZONE_LABEL,
      operator: 'In',
      values: [...pool.availabilityZones],
    });
  }
  return requirements;
}

/** @public The Kubernetes architectures (`amd64`, `arm64`) a Karpenter pool's requirements admit. */
export function karpenterArchitectures(pool: Pool): Set<string> {
  let allowed = new Set(['amd64', 'arm64']);
  for (const r of karpenterRequirements(pool).filter(
    req => req.key === ARCH_LABEL,
  )) {
    const values = r.values ?? [];
    if (r.operator === 'In') {
      allowed = new Set([...allowed].filter(arch => values.includes(arch)));
    } else if (r.operator === 'NotIn') {
      allowed = new Set([...allowed].filter(arch => !values.includes(arch)));
    } else if (r.operator === 'DoesNotExist') {
      allowed = new Set();
    }
  }
  return allowed;
}

function karpenterPool(pool: Pool): Record<string, unknown> {
  const architectures = karpenterArchitectures(pool);
  return compact({
    type: 'karpenter',
    // One node image per pool: arm64 only when the requirements admit nothing else.
    architecture:
      architectures.size === 1 && architectures.has('arm64')
        ? 'arm64'
        : undefined,
    // The chart renders key, operator and values only; minValues has no place there.
    requirements: karpenterRequirements(pool).map(r =>
      compact({ key: r.key, operator: r.operator, values: r.values }),
    ),
    limits: {
      ...DEFAULT_KARPENTER_LIMITS,
      ...compact(pool.karpenter?.limits ?? {}),
    },
    rootVolumeSizeGB: pool.rootVolumeSizeGB,
    customNodeLabels: customNodeLabels(pool),
    customNodeTaints: customNodeTaints(pool, false),
  });
}

/** @public The `global.nodePools` map of the cluster-aws chart: ASG pools as machine pools, Karpenter pools as such. */
export function clusterAwsNodePools(
  resolved: ResolvedClusterRequest,
): Record<string, unknown> {
  return Object.fromEntries(
    resolved.nodePools.map(pool => [
      pool.name,
      pool.type === 'karpenter' ? karpenterPool(pool) : asgPool(pool),
    ]),
  );
}

function eksPool(pool: Pool): Record<string, unknown> {
  const arm =
    pool.instanceType !== undefined &&
    instanceArchitecture(pool.instanceType) === 'arm64';
  return compact({
    instanceType: pool.instanceType,
    minSize: pool.minSize,
    maxSize: pool.maxSize,
    availabilityZones: [...pool.availabilityZones],
    amiType: arm ? 'AL2023_ARM_64_STANDARD' : 'AL2023_x86_64_STANDARD',
    // Declared by the cluster-eks schema but not rendered by its templates (see
    // clusterAwsLimitations); written so that the intent survives in the values.
    rootVolumeSizeGB: pool.rootVolumeSizeGB,
    customNodeLabels: customNodeLabels(pool),
    customNodeTaints: customNodeTaints(pool, true),
  });
}

/** @public The `global.nodePools` map of the cluster-eks chart: managed node groups. */
export function clusterEksNodePools(
  resolved: ResolvedClusterRequest,
): Record<string, unknown> {
  return Object.fromEntries(
    resolved.nodePools.map(pool => [pool.name, eksPool(pool)]),
  );
}
