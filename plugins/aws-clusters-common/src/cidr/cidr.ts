import ipaddr from 'ipaddr.js';

/**
 * An IPv4 network block, with its first address and size as numbers so that blocks can be
 * compared and carved without string round trips.
 * @public
 */
export interface Ipv4Block {
  /** The block in canonical CIDR notation, e.g. `10.0.0.0/16`. */
  cidr: string;
  /** The prefix length. */
  prefixLength: number;
  /** The network address as an unsigned 32-bit number. */
  start: number;
  /** The number of addresses in the block. */
  size: number;
}

const IPV4_CIDR = /^\d{1,3}(\.\d{1,3}){3}\/\d{1,2}$/;

function toNumber(address: ipaddr.IPv4): number {
  return address.toByteArray().reduce((value, byte) => value * 256 + byte, 0);
}

function fromNumber(value: number): string {
  const bytes = [24, 16, 8, 0].map(
    shift => Math.floor(value / 2 ** shift) % 256,
  );
  return ipaddr.fromByteArray(bytes).toString();
}

/**
 * Parses an IPv4 CIDR block. Returns a reason instead of a block when the text is not a
 * CIDR, or when it has host bits set (`10.0.0.1/16`), which AWS refuses for VPCs and subnets.
 * @public
 */
export function parseIpv4Cidr(text: string): Ipv4Block | { error: string } {
  if (
    typeof text !== 'string' ||
    !IPV4_CIDR.test(text) ||
    !ipaddr.IPv4.isValidCIDR(text)
  ) {
    return { error: `"${text}" is not an IPv4 CIDR block such as 10.0.0.0/16` };
  }
  const [address, prefixLength] = ipaddr.IPv4.parseCIDR(text);
  const network = ipaddr.IPv4.networkAddressFromCIDR(text);
  if (network.toString() !== address.toString()) {
    return {
      error: `"${text}" has host bits set; the network is ${network.toString()}/${prefixLength}`,
    };
  }
  return {
    cidr: `${network.toString()}/${prefixLength}`,
    prefixLength,
    start: toNumber(network),
    size: 2 ** (32 - prefixLength),
  };
}

/**
 * Parses a CIDR block the caller already knows to be valid, throwing otherwise.
 * @public
 */
export function ipv4Block(text: string): Ipv4Block {
  const block = parseIpv4Cidr(text);
  if ('error' in block) {
    throw new TypeError(block.error);
  }
  return block;
}

/** @public Whether a text is a well-formed IPv4 CIDR block without host bits. */
export function isIpv4Cidr(text: string): boolean {
  return !('error' in parseIpv4Cidr(text));
}

function asBlock(block: string | Ipv4Block): Ipv4Block {
  return typeof block === 'string' ? ipv4Block(block) : block;
}

/** @public Whether two blocks share at least one address. */
export function cidrsOverlap(
  a: string | Ipv4Block,
  b: string | Ipv4Block,
): boolean {
  const x = asBlock(a);
  const y = asBlock(b);
  return x.start < y.start + y.size && y.start < x.start + x.size;
}

/** @public Whether `inner` lies entirely inside `outer`. */
export function cidrContains(
  outer: string | Ipv4Block,
  inner: string | Ipv4Block,
): boolean {
  const o = asBlock(outer);
  const i = asBlock(inner);
  return i.start >= o.start && i.start + i.size <= o.start + o.size;
}

/**
 * Splits a block into consecutive sub-blocks of the given prefix length.
 * @public
 */
export function splitCidr(
  block: string | Ipv4Block,
  prefixLength: number,
): string[] {
  const b = asBlock(block);
  if (prefixLength < b.prefixLength || prefixLength > 32) {
    throw new RangeError(`cannot split ${b.cidr} into /${prefixLength} blocks`);
  }
  const size = 2 ** (32 - prefixLength);
  const blocks: string[] = [];
  for (let start = b.start; start < b.start + b.size; start += size) {
    blocks.push(`${fromNumber(start)}/${prefixLength}`);
  }
  return blocks;
}

/**
 * Addresses in a subnet that instances can use: AWS reserves the first four and the last
 * address of every subnet.
 * @public
 */
export function usableSubnetAddresses(block: string | Ipv4Block): number {
  return Math.max(asBlock(block).size - 5, 0);
}

/**
 * Finds the first block of the given prefix length inside `pool` that overlaps none of
 * `used`. Returns undefined when the pool is full.
 * @public
 */
export function findFreeCidr(
  pool: string,
  prefixLength: number,
  used: ReadonlyArray<string>,
): string | undefined {
  const p = ipv4Block(pool);
  if (prefixLength < p.prefixLength || prefixLength > 32) {
    return undefined;
  }
  const taken = used
    .map(cidr => parseIpv4Cidr(cidr))
    .filter((b): b is Ipv4Block => !('error' in b))
    .filter(b => cidrsOverlap(b, p))
    .sort((a, b) => a.start - b.start);
  const size = 2 ** (32 - prefixLength);
  let candidate = p.start;
  for (const block of taken) {
    if (candidate + size <= block.start) {
      break;
    }
    const blockEnd = block.start + block.size;
    if (blockEnd > candidate) {
      // Jump past the taken block, aligned to the wanted block size.
      candidate = Math.ceil(blockEnd / size) * size;
    }
  }
  if (candidate + size > p.start + p.size) {
    return undefined;
  }
  return `${fromNumber(candidate)}/${prefixLength}`;
}

/**
 * A planned subnet of a cluster VPC.
 * @public
 */
export interface PlannedSubnet {
  cidr: string;
  availabilityZone: string;
  public: boolean;
}

/**
 * Derives the subnets of a new VPC: one private and one public subnet per availability zone.
 * The VPC is cut in quarters; each of the first three quarters is the private (node) subnet
 * of one zone, and the last quarter is cut in quarters again for the public (load balancer)
 * subnets, so nodes get four times the addresses of load balancers.
 * @public
 */
export function planSubnets(
  vpcCidr: string,
  availabilityZones: ReadonlyArray<string>,
): PlannedSubnet[] | { error: string } {
  const vpc = parseIpv4Cidr(vpcCidr);
  if ('error' in vpc) {
    return vpc;
  }
  if (availabilityZones.length < 1 || availabilityZones.length > 3) {
    return { error: 'subnets can be derived for 1 to 3 availability zones' };
  }
  if (vpc.prefixLength + 4 > 28) {
    return {
      error: `${vpc.cidr} is too small to derive subnets (AWS subnets are at most /28, so the VPC needs at least a /24); list the subnets explicitly`,
    };
  }
  const quarters = splitCidr(vpc, vpc.prefixLength + 2);
  const publicBlocks = splitCidr(quarters[3], vpc.prefixLength + 4);
  return availabilityZones.flatMap((availabilityZone, i) => [
    { cidr: quarters[i], availabilityZone, public: false },
    { cidr: publicBlocks[i], availabilityZone, public: true },
  ]);
}
