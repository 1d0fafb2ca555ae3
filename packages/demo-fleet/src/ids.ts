import { ipv4Block } from '@clusterdeck/plugin-aws-clusters-common';

// cyrb53: a fast, well-mixed 53-bit string hash. Ids must be stable across runs and machines
// (the demo fleet is committed), so no Math.random and no crypto with per-process salts.
function cyrb53(text: string, seed: number): number {
  let h1 = 0xdeadbeef ^ seed;
  let h2 = 0x41c6ce57 ^ seed;
  for (let i = 0; i < text.length; i++) {
    const ch = text.charCodeAt(i);
    h1 = Math.imul(h1 ^ ch, 2654435761);
    h2 = Math.imul(h2 ^ ch, 1597334677);
  }
  h1 =
    Math.imul(h1 ^ (h1 >>> 16), 2246822507) ^
    Math.imul(h2 ^ (h2 >>> 13), 3266489909);
  h2 =
    Math.imul(h2 ^ (h2 >>> 16), 2246822507) ^
    Math.imul(h1 ^ (h1 >>> 13), 3266489909);
  return 4294967296 * (2097151 & h2) + (h1 >>> 0);
}

/**
 * Deterministic AWS and Kubernetes identifiers derived from a seed and a key naming the
 * resource, so that the same fleet definition always yields the same ids.
 * @public
 */
export class IdFactory {
  private readonly seed: number;

  constructor(seed: string) {
    this.seed = cyrb53(seed, 0) % 0x7fffffff;
  }

  /** `length` lowercase hex digits for a key. */
  hex(key: string, length: number): string {
    let out = '';
    for (let round = 0; out.length < length; round++) {
      // 13 hex digits hold 52 of the 53 bits; pad so every round adds exactly 13.
      out += cyrb53(key, this.seed + round)
        .toString(16)
        .padStart(14, '0')
        .slice(-13);
    }
    return out.slice(0, length);
  }

  /** An AWS id in the current long form: `<prefix>-` and 17 hex digits (`vpc-0a1b…`). */
  aws(prefix: string, key: string): string {
    return `${prefix}-${this.hex(key, 17)}`;
  }

  /** A UUID-shaped id (version 5 layout) for Kubernetes uids and ASG ARNs. */
  uuid(key: string): string {
    const h = this.hex(key, 32);
    const variant = ((parseInt(h[16], 16) & 0x3) | 0x8).toString(16);
    return `${h.slice(0, 8)}-${h.slice(8, 12)}-5${h.slice(
      13,
      16,
    )}-${variant}${h.slice(17, 20)}-${h.slice(20, 32)}`;
  }

  /** A number in [0, modulo) for a key: used for plausible, stable variety (ages, IPs). */
  int(key: string, modulo: number): number {
    return cyrb53(key, this.seed + 7919) % modulo;
  }
}

/** The dotted address `offset` addresses into a CIDR block. @public */
export function addressInBlock(cidr: string, offset: number): string {
  const { start, size } = ipv4Block(cidr);
  const value = start + (offset % size);
  return [24, 16, 8, 0]
    .map(shift => Math.floor(value / 2 ** shift) % 256)
    .join('.');
}
