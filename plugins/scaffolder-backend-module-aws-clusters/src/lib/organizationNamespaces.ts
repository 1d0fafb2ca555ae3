import { organizationNamespace } from '@clusterdeck/plugin-aws-clusters-common';

/**
 * The organizations a group owns: every organization `clusterdeck.organizations` maps to the
 * group, and the organization named like the group unless that one is mapped to another group.
 * @public
 */
export function organizationsOf(
  owner: string,
  organizations: Readonly<Record<string, string>>,
): string[] {
  const ownerName = owner
    .replace(/^group:/, '')
    .split('/')
    .pop()!;
  const mapped = Object.entries(organizations)
    .filter(([, group]) => group === owner)
    .map(([organization]) => organization);
  const ownName =
    !Object.hasOwn(organizations, ownerName) ||
    organizations[ownerName] === owner
      ? [ownerName]
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
