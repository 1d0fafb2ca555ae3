import { InputError } from '@backstage/errors';
import { ipv4Block, splitCidr } from '@clusterdeck/plugin-aws-clusters-common';
import { MAX_REF_LENGTH } from './access';

/** @public CIDR blocks reserved for a cluster. */
export interface AllocatedCidrs {
  /** The VPC's primary CIDR. */
  vpcCidr?: string;
  /** An extra VPC CIDR from which ENI-mode pod subnets are cut, one per zone. */
  podCidr?: string;
}

type Json = Record<string, any>;

function isObject(value: unknown): value is Json {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** @public How many availability zones a request as written asks for (3 when it says nothing). */
export function zoneCount(request: unknown): number {
  const zones = isObject(request)
    ? request.spec?.network?.availabilityZones
    : undefined;
  if (typeof zones === 'number') return zones;
  if (Array.isArray(zones)) return zones.length;
  return 3;
}

/**
 * The ENI pod subnets cut from an extra VPC CIDR: the block in quarters, one per zone, so a
 * zone added later still finds room.
 * @public
 */
export function podSubnetsFor(podCidr: string, zones: number): string[] {
  const block = ipv4Block(podCidr);
  return splitCidr(block, Math.min(block.prefixLength + 2, 28)).slice(
    0,
    Math.max(1, Math.min(zones, 3)),
  );
}

/**
 * Puts reserved CIDRs into a request as written: the VPC CIDR (create mode), and for ENI mode
 * the pod CIDR as an extra VPC CIDR with the pod subnets cut from it. Leaves the input as is.
 * @public
 */
export function withAllocatedCidrs(
  request: unknown,
  cidrs: AllocatedCidrs,
): unknown {
  if (
    !isObject(request) ||
    !isObject(request.spec) ||
    !isObject(request.spec.network)
  )
    return request;
  const copy = structuredClone(request) as Json;
  const network = copy.spec.network;
  if (cidrs.vpcCidr && isObject(network.vpc) && network.vpc.mode === 'create') {
    network.vpc.cidr = cidrs.vpcCidr;
  }
  if (
    cidrs.podCidr &&
    isObject(network.cni) &&
    network.cni.mode === 'eni' &&
    isObject(network.vpc)
  ) {
    const extras: string[] = Array.isArray(network.vpc.extraCidrs)
      ? network.vpc.extraCidrs
      : [];
    network.vpc.extraCidrs = extras.includes(cidrs.podCidr)
      ? extras
      : [...extras, cidrs.podCidr];
    network.cni.podSubnetCidrs = podSubnetsFor(
      cidrs.podCidr,
      zoneCount(request),
    );
  }
  return copy;
}

/** @public The reference of a workload cluster, `<managementCluster>/<namespace>/<name>`. */
export function clusterRef(
  managementCluster: string,
  namespace: string,
  name: string,
): string {
  return `${managementCluster}/${namespace}/${name}`;
}

/** @public Splits a cluster reference; undefined when it is not one. */
export function parseClusterRef(
  ref: string,
): { managementCluster: string; namespace: string; name: string } | undefined {
  const parts = ref.split('/');
  if (
    parts.length !== 3 ||
    parts.some(p => !/^[a-z0-9]([-a-z0-9.]*[a-z0-9])?$/.test(p))
  )
    return undefined;
  const [managementCluster, namespace, name] = parts;
  return { managementCluster, namespace, name };
}

/**
 * A cluster reference given as an input, split; an InputError naming the input when it is no
 * reference or longer than the fleet backend keeps.
 * @public
 */
export function clusterRefInput(
  value: string,
  field: string,
): { managementCluster: string; namespace: string; name: string } {
  if (value.length > MAX_REF_LENGTH)
    throw new InputError(
      `${field}: is longer than ${MAX_REF_LENGTH} characters`,
    );
  const ref = parseClusterRef(value);
  if (!ref)
    throw new InputError(
      `${field}: "${value}" is not <managementCluster>/<namespace>/<name>`,
    );
  return ref;
}
