import {
  Problem,
  ResolvedClusterRequest,
  cidrContains,
  formatPath,
  ipv4Block,
} from '@clusterdeck/plugin-aws-clusters-common';
import { eksPodNetwork } from './clusterAws';
import {
  asgArchitecture,
  asgInstanceTypes,
  karpenterArchitectures,
} from './clusterAwsNodePools';
import { RenderContext } from './types';

/**
 * @public What becomes of a request field the chart cannot express as asked: `rejected` (the
 * chart's schema, CAPA or AWS refuses it), `altered` (the cluster gets something else) or
 * `dropped` (the chart has no place for it, so it has no effect).
 */
export type ClusterAwsLimitationEffect = 'rejected' | 'altered' | 'dropped';

/** @public A request field that the cluster-aws or cluster-eks chart cannot express as asked. */
export interface ClusterAwsLimitation extends Problem {
  effect: ClusterAwsLimitationEffect;
}

type Pool = ResolvedClusterRequest['nodePools'][number];
type Path = ReadonlyArray<PropertyKey>;

// Patterns and minimums of the charts' values schemas and templates (cluster-aws 9, cluster-eks 2).
const CHART_INSTANCE_TYPE = /^[a-z][a-z0-9]*\.[a-z0-9]+$/;
// As written in the schemas: `+-@` is a range, which also admits , ; < > ? and digits.
const CHART_TAG_VALUE = new RegExp('^[ a-zA-Z0-9\\._:/=+-@]+$', 'u');
const CHART_ROLE_IDENTITY = /^[-a-zA-Z0-9_.]{1,63}$/;
const CHART_MIN_ROOT_VOLUME_GB = 15;
// Kept out of the cluster chart's double-quoted, unescaped description annotation.
const UNQUOTABLE = /["\\\n\r]/;
// Labels the charts set themselves on the objects that define the cluster, beside
// global.metadata.labels; a request label of the same key clashes with them.
const CHART_LABELS = new Set([
  'app',
  'helm.sh/chart',
  'application.giantswarm.io/team',
  'cluster-apps-operator.giantswarm.io/watching',
  'cluster.x-k8s.io/cluster-name',
  'cluster.x-k8s.io/watch-filter',
  'giantswarm.io/cluster',
  'giantswarm.io/machine-pool',
  'giantswarm.io/organization',
  'giantswarm.io/prevent-deletion',
  'giantswarm.io/service-priority',
  'release.giantswarm.io/version',
]);
// CAPA accepts an EKS pod (secondary) CIDR only inside these.
const EKS_POD_RANGES = ['100.64.0.0/10', '198.19.0.0/16'];

class Collector {
  readonly found: ClusterAwsLimitation[] = [];

  add(effect: ClusterAwsLimitationEffect, path: Path, message: string) {
    this.found.push({ effect, path: formatPath(path), message });
  }
}

function checkMetadata(
  resolved: ResolvedClusterRequest,
  c: Collector,
  flavor: 'ec2' | 'eks',
) {
  const { metadata } = resolved.request;
  if (metadata.description && UNQUOTABLE.test(metadata.description)) {
    c.add(
      'rejected',
      ['metadata', 'description'],
      'the cluster chart writes the description into a double-quoted annotation without escaping; remove quotes, backslashes and line breaks',
    );
  }
  for (const [key, value] of Object.entries(metadata.labels)) {
    if (flavor === 'ec2' && value === '') {
      c.add(
        'rejected',
        ['metadata', 'labels', key],
        'the cluster-aws schema requires label values of at least one character',
      );
    }
    if (CHART_LABELS.has(key) || key.startsWith('app.kubernetes.io/')) {
      c.add(
        'altered',
        ['metadata', 'labels', key],
        'the cluster charts set this label themselves, on the same objects; one of the two values is lost',
      );
    }
  }
}

function checkSpec(resolved: ResolvedClusterRequest, c: Collector) {
  const { spec } = resolved.request;
  const chart = spec.flavor === 'eks' ? 'cluster-eks' : 'cluster-aws';
  if (spec.kubernetesVersion) {
    c.add(
      'dropped',
      ['spec', 'kubernetesVersion'],
      `${chart} takes the Kubernetes version from release ${
        spec.release ?? '(none)'
      }; make sure it is ${spec.kubernetesVersion}`,
    );
  }
  if (!CHART_ROLE_IDENTITY.test(spec.account.roleIdentity)) {
    c.add(
      'rejected',
      ['spec', 'account', 'roleIdentity'],
      `the ${chart} schema takes role identity names of at most 63 characters`,
    );
  }
  for (const [key, value] of Object.entries(spec.tags)) {
    if (!CHART_TAG_VALUE.test(value)) {
      c.add(
        'rejected',
        ['spec', 'tags', key],
        `the ${chart} schema takes tag values of ASCII letters, digits, spaces and . _ : / = + - @ , ; < > ? only, at least one`,
      );
    }
  }
}

function checkEc2ControlPlane(resolved: ResolvedClusterRequest, c: Collector) {
  const { controlPlane } = resolved.request.spec;
  if (
    controlPlane.instanceType &&
    !CHART_INSTANCE_TYPE.test(controlPlane.instanceType)
  ) {
    c.add(
      'rejected',
      ['spec', 'controlPlane', 'instanceType'],
      'the cluster-aws schema takes instance types without a hyphen only',
    );
  }
  if (controlPlane.allowedCidrs.length > 0) {
    c.add(
      'altered',
      ['spec', 'controlPlane', 'allowedCidrs'],
      "cluster-aws also admits Giant Swarm's VPN addresses to the API",
    );
  }
}

function checkEc2Network(resolved: ResolvedClusterRequest, c: Collector) {
  const { vpc } = resolved.request.spec.network;
  if (vpc.mode === 'adopt' && !vpc.cidr) {
    // The chart takes the first of vpcCidrs for the primary block and has CAPA associate the rest.
    c.add(
      'altered',
      ['spec', 'network', 'vpc', 'cidr'],
      resolved.vpcCidrs.length > 0
        ? `cluster-aws takes the first CIDR it is given (${resolved.vpcCidrs[0]}) for the adopted VPC's primary one: it is not associated, and NodePorts stay closed to the real primary CIDR; set it`
        : "cluster-aws opens NodePorts to the VPC's CIDRs and assumes 10.0.0.0/16 when none is named; set the adopted VPC's CIDR",
    );
  }
}

function checkRootVolume(pool: Pool, path: Path, c: Collector) {
  if (
    pool.rootVolumeSizeGB !== undefined &&
    pool.rootVolumeSizeGB < CHART_MIN_ROOT_VOLUME_GB
  ) {
    c.add(
      'altered',
      [...path, 'rootVolumeSizeGB'],
      `cluster-aws gives nodes root volumes of at least ${CHART_MIN_ROOT_VOLUME_GB} GB`,
    );
  }
}

/** Sprig's `default` takes 0 for "not set", so `minSize | default 1` turns 0 into 1. */
function checkMinSize(pool: Pool, path: Path, c: Collector, chart: string) {
  if (pool.minSize === 0) {
    c.add(
      'altered',
      [...path, 'minSize'],
      `${chart} reads a minimum of 0 as unset and keeps at least one node`,
    );
  }
}

function checkAsgPool(pool: Pool, path: Path, c: Collector) {
  checkMinSize(pool, path, c, 'cluster-aws');
  checkRootVolume(pool, path, c);
  if (pool.instanceType && !CHART_INSTANCE_TYPE.test(pool.instanceType)) {
    c.add(
      'rejected',
      [...path, 'instanceType'],
      'the cluster-aws schema takes instance types without a hyphen only',
    );
  }
  if (asgArchitecture(pool) === undefined) {
    c.add(
      'rejected',
      [...path, 'instanceTypeOverrides'],
      `mixes x86_64 and arm64 types (${asgInstanceTypes(pool).join(
        ', ',
      )}); a pool boots all its nodes from one image`,
    );
  }
  const { spot } = pool;
  if (spot.enabled && pool.instanceTypeOverrides.length > 0) {
    c.add(
      'altered',
      [...path, 'instanceTypeOverrides'],
      `cluster-aws runs spot pools on a single instance type (${pool.instanceType}); the overrides apply to on-demand pools only`,
    );
  }
  if (
    spot.onDemandBaseCapacity !== undefined ||
    spot.onDemandPercentageAboveBaseCapacity !== undefined
  ) {
    c.add(
      'dropped',
      [...path, 'spot'],
      'cluster-aws has no on-demand base or share: a spot pool is all spot, any other pool all on-demand',
    );
  }
}

function checkKarpenterPool(pool: Pool, path: Path, c: Collector) {
  checkRootVolume(pool, path, c);
  (pool.karpenter?.requirements ?? []).forEach((r, i) => {
    if (r.minValues !== undefined) {
      c.add(
        'dropped',
        [...path, 'karpenter', 'requirements', i, 'minValues'],
        'cluster-aws renders requirements without minValues',
      );
    }
  });
  const architectures = karpenterArchitectures(pool);
  if (architectures.size > 1) {
    c.add(
      'altered',
      [...path, 'karpenter', 'requirements'],
      'cluster-aws gives a Karpenter pool one node image, x86_64 here, so Karpenter launches amd64 instances only',
    );
  }
  const armTaintSet = pool.taints.some(
    t =>
      t.key === 'kubernetes.io/arch' &&
      t.value === 'arm64' &&
      t.effect === 'NoSchedule',
  );
  if (architectures.size === 1 && architectures.has('arm64') && !armTaintSet) {
    c.add(
      'altered',
      [...path, 'taints'],
      'cluster-aws taints arm64 Karpenter nodes with kubernetes.io/arch=arm64:NoSchedule',
    );
  }
}

function checkEc2(resolved: ResolvedClusterRequest, c: Collector) {
  checkMetadata(resolved, c, 'ec2');
  checkSpec(resolved, c);
  checkEc2ControlPlane(resolved, c);
  checkEc2Network(resolved, c);
  resolved.nodePools.forEach((pool, i) => {
    const path = ['spec', 'nodePools', i];
    if (pool.type === 'karpenter') {
      checkKarpenterPool(pool, path, c);
    } else {
      checkAsgPool(pool, path, c);
    }
  });
}

function checkEksNetwork(resolved: ResolvedClusterRequest, c: Collector) {
  const { network, controlPlane } = resolved.request.spec;
  if (controlPlane.allowedCidrs.length > 0) {
    c.add(
      'dropped',
      ['spec', 'controlPlane', 'allowedCidrs'],
      'cluster-eks cannot restrict the public API endpoint: it stays open to all addresses',
    );
  }
  if (network.topology.mode === 'transitGateway') {
    c.add(
      'dropped',
      ['spec', 'network', 'topology'],
      'cluster-eks has no network topology: the VPC is not attached to the transit gateway',
    );
  }
  const { podBlock, podSubnets } = eksPodNetwork(resolved);
  const podPath =
    network.cni.mode === 'eni'
      ? ['spec', 'network', 'cni', 'podSubnetCidrs']
      : ['spec', 'network', 'podCidr'];
  if (!EKS_POD_RANGES.some(range => cidrContains(range, podBlock))) {
    c.add(
      'rejected',
      podPath,
      `EKS takes pod addresses from a VPC CIDR inside ${EKS_POD_RANGES.join(
        ' or ',
      )}, not ${podBlock}`,
    );
  } else if (podSubnets.length < resolved.availabilityZones.length) {
    c.add(
      'rejected',
      podPath,
      `${podBlock} is too small for one pod subnet per availability zone`,
    );
  }
  if (network.cni.mode === 'overlay') {
    const narrowed = ipv4Block(network.podCidr).prefixLength < 16;
    c.add(
      'altered',
      ['spec', 'network', 'cni'],
      `cluster-eks always runs Cilium in ENI mode: pods take VPC addresses from ${podBlock}${
        narrowed ? `, the first /16 of ${network.podCidr}` : ''
      }, in ${podSubnets.join(', ')}`,
    );
  }
}

function checkEksPool(pool: Pool, path: Path, c: Collector) {
  checkMinSize(pool, path, c, 'cluster-eks');
  if (pool.spot.enabled) {
    c.add(
      'dropped',
      [...path, 'spot'],
      'cluster-eks has no spot node groups: the pool runs on-demand',
    );
  }
  const ignored = [
    ...(Object.keys(pool.labels).length > 0 ? ['labels'] : []),
    ...(pool.taints.length > 0 ? ['taints'] : []),
    ...(pool.rootVolumeSizeGB !== undefined ? ['rootVolumeSizeGB'] : []),
  ];
  for (const field of ignored) {
    c.add(
      'dropped',
      [...path, field],
      `cluster-eks accepts ${field} in its values but does not render it into the node group`,
    );
  }
}

function checkEks(resolved: ResolvedClusterRequest, c: Collector) {
  checkMetadata(resolved, c, 'eks');
  checkSpec(resolved, c);
  checkEksNetwork(resolved, c);
  resolved.nodePools.forEach((pool, i) =>
    checkEksPool(pool, ['spec', 'nodePools', i], c),
  );
}

/**
 * Lists what the cluster-aws (EC2) or cluster-eks (EKS) chart cannot express of a request as
 * asked, each at the request's dotted path; empty when the chart renders it faithfully.
 * @public
 */
export function clusterAwsLimitations(
  ctx: RenderContext,
): ClusterAwsLimitation[] {
  const c = new Collector();
  if (ctx.resolved.request.spec.flavor === 'eks') {
    checkEks(ctx.resolved, c);
  } else {
    checkEc2(ctx.resolved, c);
  }
  return c.found;
}
