import { parseEntityRef } from '@backstage/catalog-model';
import { organizationNamespace } from '@clusterdeck/plugin-aws-clusters-common';

/**
 * The organizations an owner's clusters live in: those `clusterdeck.organizations` maps to it,
 * and, for an owner of the catalog's `default` namespace, the one named after it unless that
 * organization is mapped to another owner. `group:teamx/payments` never gets `payments` by its
 * name: that is `group:default/payments`' (or the mapped owner's).
 */
export function organizationsOf(
  owner: string,
  organizations: Readonly<Record<string, string>>,
): string[] {
  const mapped = Object.entries(organizations)
    .filter(([, group]) => group === owner)
    .map(([organization]) => organization);
  const { namespace, name } = parseEntityRef(owner);
  const ownName =
    namespace === 'default' &&
    (!Object.hasOwn(organizations, name) || organizations[name] === owner)
      ? [name]
      : [];
  return [...new Set([...mapped, ...ownName])];
}

/** The namespaces an owner's clusters live in: those of {@link organizationsOf}. */
export function namespacesOf(
  owner: string,
  organizations: Readonly<Record<string, string>>,
): string[] {
  return organizationsOf(owner, organizations).map(organizationNamespace);
}
