import {
  cidrContains,
  cidrsOverlap,
  ipv4Block,
  planSubnets,
  PlannedSubnet,
} from '../cidr/cidr';
import {
  ClusterRequest,
  clusterRequestSchema,
  NodePoolSpec,
} from './clusterRequestSchema';
import { formatPath, Problem, zodProblems } from './problems';

/** @public The default control-plane instance type of EC2 clusters. */
export const DEFAULT_CONTROL_PLANE_INSTANCE_TYPE = 'm6i.xlarge';

/**
 * A valid cluster request with everything derived that the renderer and views need: the
 * availability zones by name, the subnets, and every pool's zones.
 * @public
 */
export interface ResolvedClusterRequest {
  request: ClusterRequest;
  namespace: string;
  availabilityZones: string[];
  /** The subnets to create or adopt; empty CIDRs only for adopted subnets of unknown range. */
  subnets: Array<PlannedSubnet & { id?: string }>;
  /** The CIDRs of the VPC that are known: the primary (unless adopted without it) and extras. */
  vpcCidrs: string[];
  nodePools: Array<NodePoolSpec & { availabilityZones: string[] }>;
}

/** @public The outcome of validating a cluster request. */
export type ClusterRequestValidation =
  | { ok: true; value: ResolvedClusterRequest }
  | { ok: false; problems: Problem[] };

const SIZE_TYPES = new Set(['asg', 'managed']);

// Kubelet may set only these labels of the Kubernetes namespaces on its own node.
const KUBELET_LABEL_PREFIXES = [
  'kubelet.kubernetes.io/',
  'node.kubernetes.io/',
];

function nodeLabelProblem(key: string): string | undefined {
  const prefix = key.includes('/') ? key.slice(0, key.indexOf('/')) : '';
  const reserved = ['kubernetes.io', 'k8s.io'].some(
    domain => prefix === domain || prefix.endsWith(`.${domain}`),
  );
  if (
    reserved &&
    !KUBELET_LABEL_PREFIXES.some(allowed => key.startsWith(allowed))
  ) {
    return 'labels in the kubernetes.io and k8s.io namespaces are reserved; nodes may carry only node.kubernetes.io/ and kubelet.kubernetes.io/ ones';
  }
  return undefined;
}

class Checker {
  readonly problems: Problem[] = [];

  add(path: ReadonlyArray<PropertyKey>, message: string) {
    this.problems.push({ path: formatPath(path), message });
  }
}

function resolveZones(req: ClusterRequest, c: Checker): string[] {
  const { region } = req.spec;
  const zones = req.spec.network.availabilityZones;
  if (typeof zones === 'number') {
    return ['a', 'b', 'c'].slice(0, zones).map(letter => `${region}${letter}`);
  }
  const zoneOfRegion = new RegExp(`^${region.replace(/-/g, '\\-')}[a-z]$`);
  zones.forEach((zone, i) => {
    if (!zoneOfRegion.test(zone)) {
      c.add(
        ['spec', 'network', 'availabilityZones', i],
        `"${zone}" is not an availability zone of ${region}`,
      );
    } else if (zones.indexOf(zone) !== i) {
      c.add(
        ['spec', 'network', 'availabilityZones', i],
        `"${zone}" is listed twice`,
      );
    }
  });
  return zones;
}

function checkVpcCidrs(req: ClusterRequest, c: Checker): string[] {
  const { vpc } = req.spec.network;
  const path = ['spec', 'network', 'vpc'];
  const known: Array<{ cidr: string; path: PropertyKey[] }> = [];
  if (vpc.cidr) {
    known.push({ cidr: vpc.cidr, path: [...path, 'cidr'] });
  }
  vpc.extraCidrs.forEach((cidr, i) =>
    known.push({ cidr, path: [...path, 'extraCidrs', i] }),
  );
  known.forEach(({ cidr, path: p }, i) => {
    const { prefixLength } = ipv4Block(cidr);
    if (prefixLength < 16 || prefixLength > 28) {
      c.add(
        p,
        `VPC CIDR blocks must be between /16 and /28, not /${prefixLength}`,
      );
    }
    const clash = known
      .slice(0, i)
      .find(other => cidrsOverlap(other.cidr, cidr));
    if (clash) {
      c.add(p, `${cidr} overlaps ${clash.cidr} (${formatPath(clash.path)})`);
    }
  });
  return known.map(k => k.cidr);
}

function checkPodAndServiceNetworks(
  req: ClusterRequest,
  vpcCidrs: string[],
  zones: string[],
  c: Checker,
) {
  const { network } = req.spec;
  const netPath = ['spec', 'network'];
  if (network.cni.mode === 'overlay') {
    for (const field of ['podCidr', 'serviceCidr'] as const) {
      const clash = vpcCidrs.find(cidr => cidrsOverlap(cidr, network[field]));
      if (clash) {
        c.add(
          [...netPath, field],
          `${network[field]} overlaps the VPC CIDR ${clash}; pods and services need their own range`,
        );
      }
    }
  } else {
    const { podSubnetCidrs } = network.cni;
    const podPath = [...netPath, 'cni', 'podSubnetCidrs'];
    if (network.vpc.extraCidrs.length === 0) {
      c.add(
        [...netPath, 'vpc', 'extraCidrs'],
        'ENI mode takes pod subnets from an extra VPC CIDR; add one',
      );
    }
    if (podSubnetCidrs.length !== zones.length) {
      c.add(
        podPath,
        `needs one pod subnet per availability zone (${zones.length}), not ${podSubnetCidrs.length}`,
      );
    }
    podSubnetCidrs.forEach((cidr, i) => {
      if (!network.vpc.extraCidrs.some(extra => cidrContains(extra, cidr))) {
        c.add(
          [...podPath, i],
          `${cidr} lies inside none of the extra VPC CIDRs`,
        );
      }
      const clash = podSubnetCidrs
        .slice(0, i)
        .find(other => cidrsOverlap(other, cidr));
      if (clash) {
        c.add([...podPath, i], `${cidr} overlaps the pod subnet ${clash}`);
      }
    });
  }
  if (cidrsOverlap(network.podCidr, network.serviceCidr)) {
    c.add(
      [...netPath, 'serviceCidr'],
      `${network.serviceCidr} overlaps the pod CIDR ${network.podCidr}`,
    );
  }
}

function checkSubnets(
  req: ClusterRequest,
  vpcCidrs: string[],
  zones: string[],
  c: Checker,
): ResolvedClusterRequest['subnets'] {
  const { vpc, subnets } = req.spec.network;
  const path = ['spec', 'network', 'subnets'];
  if (vpc.mode === 'create' && subnets.length === 0) {
    const planned = planSubnets(vpc.cidr, zones);
    if ('error' in planned) {
      c.add(['spec', 'network', 'vpc', 'cidr'], planned.error);
      return [];
    }
    return planned;
  }
  if (vpc.mode === 'adopt' && subnets.length === 0) {
    c.add(
      path,
      'an adopted VPC needs its existing subnets listed (id, public, availabilityZone)',
    );
    return [];
  }
  const podSubnets =
    req.spec.network.cni.mode === 'eni'
      ? req.spec.network.cni.podSubnetCidrs
      : [];
  subnets.forEach((subnet, i) => {
    if (!zones.includes(subnet.availabilityZone)) {
      c.add(
        [...path, i, 'availabilityZone'],
        `"${
          subnet.availabilityZone
        }" is not one of the cluster's availability zones (${zones.join(
          ', ',
        )})`,
      );
    }
    if (vpc.mode === 'adopt' && !subnet.id) {
      c.add([...path, i, 'id'], 'an adopted subnet needs its id');
    }
    if (vpc.mode === 'create' && subnet.id) {
      c.add(
        [...path, i, 'id'],
        'subnets of a VPC to create have no id yet; remove it',
      );
    }
    if (vpc.mode === 'create' && !subnet.cidr) {
      c.add([...path, i, 'cidr'], 'a subnet of a VPC to create needs its CIDR');
    }
    if (subnet.cidr) {
      const cidr = subnet.cidr;
      const { prefixLength } = ipv4Block(cidr);
      if (prefixLength < 16 || prefixLength > 28) {
        c.add(
          [...path, i, 'cidr'],
          `AWS subnets are between /16 and /28, not /${prefixLength}`,
        );
      }
      if (vpcCidrs.length > 0 && !vpcCidrs.some(v => cidrContains(v, cidr))) {
        c.add(
          [...path, i, 'cidr'],
          `${cidr} lies inside none of the VPC's CIDRs (${vpcCidrs.join(
            ', ',
          )})`,
        );
      }
      const clash = subnets
        .slice(0, i)
        .find(other => other.cidr && cidrsOverlap(other.cidr, cidr));
      if (clash) {
        c.add(
          [...path, i, 'cidr'],
          `${cidr} overlaps the subnet ${clash.cidr}`,
        );
      }
      const podClash = podSubnets.find(pod => cidrsOverlap(pod, cidr));
      if (podClash) {
        c.add(
          [...path, i, 'cidr'],
          `${cidr} overlaps the ENI pod subnet ${podClash}`,
        );
      }
    }
    if (subnet.id && subnets.findIndex(other => other.id === subnet.id) !== i) {
      c.add([...path, i, 'id'], `${subnet.id} is listed twice`);
    }
  });
  for (const zone of zones) {
    if (!subnets.some(s => !s.public && s.availabilityZone === zone)) {
      c.add(
        path,
        `availability zone ${zone} has no private subnet for the nodes`,
      );
    }
  }
  return subnets.map(s => ({
    cidr: s.cidr ?? '',
    availabilityZone: s.availabilityZone,
    public: s.public,
    ...(s.id ? { id: s.id } : {}),
  }));
}

function checkNodePools(
  req: ClusterRequest,
  zones: string[],
  c: Checker,
): ResolvedClusterRequest['nodePools'] {
  const { flavor, nodePools } = req.spec;
  return nodePools.map((pool, i) => {
    const path = ['spec', 'nodePools', i];
    if (nodePools.findIndex(other => other.name === pool.name) !== i) {
      c.add(
        [...path, 'name'],
        `"${pool.name}" is used by another node pool of this cluster`,
      );
    }
    if (flavor === 'eks' && pool.type !== 'managed') {
      c.add(
        [...path, 'type'],
        `EKS clusters take only managed node pools, not ${pool.type}`,
      );
    }
    if (flavor === 'ec2' && pool.type === 'managed') {
      c.add(
        [...path, 'type'],
        'managed node pools (EKS node groups) need flavor eks; use asg or karpenter',
      );
    }
    if (pool.type === 'karpenter') {
      for (const field of ['instanceType', 'minSize', 'maxSize'] as const) {
        if (pool[field] !== undefined) {
          c.add(
            [...path, field],
            'Karpenter pools choose instances and size themselves; remove this field and use karpenter.requirements and karpenter.limits',
          );
        }
      }
      if (pool.instanceTypeOverrides.length > 0) {
        c.add(
          [...path, 'instanceTypeOverrides'],
          'Karpenter pools take instance types as karpenter.requirements',
        );
      }
    } else {
      if (pool.karpenter) {
        c.add(
          [...path, 'karpenter'],
          `only karpenter pools take this field, not ${pool.type} pools`,
        );
      }
      if (SIZE_TYPES.has(pool.type)) {
        for (const field of ['instanceType', 'minSize', 'maxSize'] as const) {
          if (pool[field] === undefined) {
            c.add([...path, field], 'is required');
          }
        }
      }
      if (
        pool.minSize !== undefined &&
        pool.maxSize !== undefined &&
        pool.minSize > pool.maxSize
      ) {
        c.add(
          [...path, 'minSize'],
          `must not exceed maxSize (${pool.maxSize})`,
        );
      }
      if (pool.type === 'managed' && pool.instanceTypeOverrides.length > 0) {
        c.add(
          [...path, 'instanceTypeOverrides'],
          'mixed instance types are for asg pools',
        );
      }
    }
    if (pool.type !== 'asg') {
      const {
        maxPrice,
        onDemandBaseCapacity,
        onDemandPercentageAboveBaseCapacity,
      } = pool.spot;
      if (
        maxPrice !== undefined ||
        onDemandBaseCapacity !== undefined ||
        onDemandPercentageAboveBaseCapacity !== undefined
      ) {
        c.add(
          [...path, 'spot'],
          'spot prices and on-demand shares are for asg pools; other pools take only spot.enabled',
        );
      }
    }
    for (const key of Object.keys(pool.labels)) {
      const problem = nodeLabelProblem(key);
      if (problem) {
        c.add([...path, 'labels', key], problem);
      }
    }
    pool.availabilityZones.forEach((zone, z) => {
      if (!zones.includes(zone)) {
        c.add(
          [...path, 'availabilityZones', z],
          `"${zone}" is not one of the cluster's availability zones (${zones.join(
            ', ',
          )})`,
        );
      }
    });
    return {
      ...pool,
      availabilityZones: pool.availabilityZones.length
        ? pool.availabilityZones
        : zones,
    };
  });
}

function checkControlPlane(req: ClusterRequest, c: Checker) {
  const { flavor, controlPlane, network, kubernetesVersion } = req.spec;
  // kubeadm installs an exact release; EKS picks the patch itself and names only major.minor.
  if (
    flavor === 'ec2' &&
    kubernetesVersion &&
    !/^v?\d+\.\d+\.\d+$/.test(kubernetesVersion)
  ) {
    c.add(
      ['spec', 'kubernetesVersion'],
      `EC2 clusters need a full version such as ${kubernetesVersion.replace(
        /^v/,
        '',
      )}.0; only EKS takes major.minor`,
    );
  }
  const path = ['spec', 'controlPlane'];
  if (flavor === 'eks') {
    if (controlPlane.instanceType) {
      c.add(
        [...path, 'instanceType'],
        'EKS runs the control plane itself; remove the instance type',
      );
    }
    if (controlPlane.apiMode !== 'public') {
      c.add(
        [...path, 'apiMode'],
        'EKS clusters take a public API (restrict it with allowedCidrs)',
      );
    }
  } else if (
    controlPlane.apiMode === 'private' &&
    network.topology.mode !== 'transitGateway'
  ) {
    c.add(
      [...path, 'apiMode'],
      'a private API is reachable from the management cluster only through a transit gateway; set spec.network.topology.mode to transitGateway',
    );
  }
}

/**
 * Validates a cluster request as written (parsed YAML or JSON) and resolves what follows from
 * it. Never throws: every problem is reported with the dotted path of its field.
 * @public
 */
export function validateClusterRequest(
  input: unknown,
): ClusterRequestValidation {
  if (input === null || typeof input !== 'object' || Array.isArray(input)) {
    return {
      ok: false,
      problems: [
        {
          path: '',
          message:
            'a ClusterRequest is a mapping with apiVersion, kind, metadata and spec',
        },
      ],
    };
  }
  const parsed = clusterRequestSchema.safeParse(input);
  if (!parsed.success) {
    return { ok: false, problems: zodProblems(input, parsed.error.issues) };
  }
  const request = parsed.data;
  if (
    request.spec.flavor === 'ec2' &&
    !request.spec.controlPlane.instanceType
  ) {
    request.spec.controlPlane.instanceType =
      DEFAULT_CONTROL_PLANE_INSTANCE_TYPE;
  }
  const c = new Checker();
  const availabilityZones = resolveZones(request, c);
  const vpcCidrs = checkVpcCidrs(request, c);
  checkPodAndServiceNetworks(request, vpcCidrs, availabilityZones, c);
  const subnets = checkSubnets(request, vpcCidrs, availabilityZones, c);
  const nodePools = checkNodePools(request, availabilityZones, c);
  checkControlPlane(request, c);
  if (c.problems.length > 0) {
    return { ok: false, problems: c.problems };
  }
  return {
    ok: true,
    value: {
      request,
      namespace: `org-${request.metadata.organization}`,
      availabilityZones,
      subnets,
      vpcCidrs,
      nodePools,
    },
  };
}
