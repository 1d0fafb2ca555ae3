import { organizationNamespace } from '@clusterdeck/plugin-aws-clusters-common';

/** A group reference as the catalog writes it (`group:<namespace>/<name>`, the namespace `default` when left out), in lower case. */
function groupKey(ref: string): {
  key: string;
  namespace: string;
  name: string;
} {
  const bare = ref.replace(/^group:/i, '');
  const [namespace, name] = bare.includes('/')
    ? bare.split('/', 2)
    : ['default', bare];
  const lower = (text: string) => text.toLocaleLowerCase('en-US');
  return {
    key: `group:${lower(namespace)}/${lower(name)}`,
    namespace: lower(namespace),
    name: lower(name),
  };
}

/**
 * The organizations a group owns: every organization `clusterdeck.organizations` maps to the
 * group and, for a group of the catalog's `default` namespace, the organization named like the
 * group unless that one is mapped to another group. A group of another namespace owns only what
 * the mapping gives it: `group:teamx/payments` is not `group:default/payments`, and their names
 * alone would give both the organization `payments`.
 * @public
 */
export function organizationsOf(
  owner: string,
  organizations: Readonly<Record<string, string>>,
): string[] {
  const group = groupKey(owner);
  const mapped = Object.entries(organizations)
    .filter(([, mappedGroup]) => groupKey(mappedGroup).key === group.key)
    .map(([organization]) => organization);
  const ownName =
    group.namespace === 'default' &&
    (!Object.hasOwn(organizations, group.name) ||
      groupKey(organizations[group.name]).key === group.key)
      ? [group.name]
      : [];
  return [...new Set([...ownName, ...mapped])];
}

/**
 * The namespaces of the organizations a group owns (`org-<organization>`, see {@link organizationsOf}).
 * @public
 */
export function organizationNamespacesOf(
  owner: string,
  organizations: Readonly<Record<string, string>>,
): string[] {
  return organizationsOf(owner, organizations).map(organizationNamespace);
}
