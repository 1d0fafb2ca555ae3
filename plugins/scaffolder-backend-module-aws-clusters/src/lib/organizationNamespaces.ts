import { organizationNamespace } from '@clusterdeck/plugin-aws-clusters-common';

/**
 * The namespaces of the organizations a group owns: `org-<group name>` and, for every
 * organization that `clusterdeck.organizations` maps to the group, `org-<organization>`.
 * @public
 */
export function organizationNamespacesOf(owner: string, organizations: Readonly<Record<string, string>>): string[] {
  const ownerName = owner.replace(/^group:/, '').split('/').pop()!;
  const mapped = Object.entries(organizations)
    .filter(([, group]) => group === owner)
    .map(([organization]) => organizationNamespace(organization));
  return [...new Set([organizationNamespace(ownerName), ...mapped])];
}
