import type AjvCore from 'ajv/dist/core';

/**
 * Formats the Kubernetes API server knows (k8s.io/kube-openapi strfmt) that
 * ajv does not, or knows with different rules. Only the network formats get a
 * real check: the others are accepted as the server would mostly accept them,
 * and ajv merely must not stop on them.
 */
const PERMISSIVE_FORMATS = [
  'int32',
  'int64',
  'float',
  'double',
  'byte',
  'binary',
  'password',
  'date',
  'date-time',
  'datetime',
  'duration',
  'uri',
  'uri-reference',
  'email',
  'hostname',
  'uuid',
  'uuid3',
  'uuid4',
  'uuid5',
  'mac',
  'bsonobjectid',
  'isbn',
  'isbn10',
  'isbn13',
  'creditcard',
  'ssn',
  'hexcolor',
  'rgbcolor',
  'k8s-short-name',
  'k8s-long-name',
] as const;

/** Registers the Kubernetes formats on an ajv instance (plain or 2020). */
export function addKubernetesFormats(ajv: AjvCore): void {
  for (const name of PERMISSIVE_FORMATS) {
    ajv.addFormat(name, true);
  }
  ajv.addFormat('cidr', { type: 'string', validate: isCidr });
  ajv.addFormat('ipv4', { type: 'string', validate: isIPv4 });
  ajv.addFormat('ipv6', { type: 'string', validate: isIPv6 });
}

/** Go's net.ParseCIDR: an IPv4 or IPv6 address, a slash and a prefix length within the address size. */
export function isCidr(value: string): boolean {
  const slash = value.indexOf('/');
  if (slash < 0) {
    return false;
  }
  const address = value.slice(0, slash);
  const prefix = value.slice(slash + 1);
  if (!/^\d{1,3}$/.test(prefix)) {
    return false;
  }
  const bits = Number(prefix);
  if (isIPv4(address)) {
    return bits <= 32;
  }
  return isIPv6(address) && bits <= 128;
}

/** Dotted quad, no leading zeros (Go rejects them since 1.17 because they read as octal elsewhere). */
export function isIPv4(value: string): boolean {
  const octets = value.split('.');
  return (
    octets.length === 4 &&
    octets.every(o => /^(0|[1-9]\d{0,2})$/.test(o) && Number(o) <= 255)
  );
}

/** RFC 4291 text form: eight hex groups, one `::` elision, an optional trailing IPv4. */
export function isIPv6(value: string): boolean {
  const halves = value.split('::');
  if (halves.length > 2) {
    return false;
  }
  const groups = halves.map(h => (h === '' ? [] : h.split(':')));
  const tail = groups[groups.length - 1];
  const all = groups.flat();
  let width = all.length;
  const last = tail[tail.length - 1];
  if (last !== undefined && last.includes('.')) {
    if (!isIPv4(last)) {
      return false;
    }
    all.pop();
    width += 1; // an embedded IPv4 address fills two groups
  }
  if (!all.every(g => /^[0-9A-Fa-f]{1,4}$/.test(g))) {
    return false;
  }
  return halves.length === 2 ? width < 8 : width === 8;
}
