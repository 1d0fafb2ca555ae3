/**
 * A Kubernetes minor version as a pair of numbers, read from the shapes clusters report:
 * `1.33`, `v1.33.2`, `1.33.2-eks-1234`. Undefined for anything else.
 * @public
 */
export function parseMinor(
  version: string | undefined,
): { major: number; minor: number } | undefined {
  const match = /^v?(\d+)\.(\d+)(?:[.+-].*)?$/.exec(version?.trim() ?? '');
  if (!match) return undefined;
  return { major: Number(match[1]), minor: Number(match[2]) };
}

/** @public The minor version (`1.33`) of a Kubernetes version, or undefined when it is none. */
export function minorOf(version: string | undefined): string | undefined {
  const parsed = parseMinor(version);
  return parsed ? `${parsed.major}.${parsed.minor}` : undefined;
}

/**
 * How many minor versions `to` lies after `from` (negative when before); undefined when either
 * is no version or the majors differ.
 * @public
 */
export function minorsBetween(
  from: string | undefined,
  to: string | undefined,
): number | undefined {
  const a = parseMinor(from);
  const b = parseMinor(to);
  if (!a || !b || a.major !== b.major) return undefined;
  return b.minor - a.minor;
}

/** @public The minor version after this one: `1.33` → `1.34`. */
export function nextMinor(version: string | undefined): string | undefined {
  const parsed = parseMinor(version);
  return parsed ? `${parsed.major}.${parsed.minor + 1}` : undefined;
}
