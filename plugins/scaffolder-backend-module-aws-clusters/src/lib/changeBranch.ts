import { InputError } from '@backstage/errors';

/** What a change is called in its branch name: a short slug. */
export const CHANGE_SLUG = /^[a-z0-9][a-z0-9-]{0,62}$/;

/** A cluster's name as Kubernetes names objects: one DNS label. */
export const CLUSTER_NAME = /^[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?$/;

/** Every branch Clusterdeck creates lies under this prefix. */
export const BRANCH_PREFIX = 'clusterdeck';

/**
 * An owning group as one segment of a branch name: the group's name, prefixed by its namespace
 * when that is not `default`. `+` joins them because neither part may contain it, so that no two
 * groups share a segment. Entity references ignore case, and so does the segment.
 * @public
 */
export function ownerSlug(owner: string): string {
  const ref = owner.replace(/^group:/, '');
  const [namespace, name] = ref.includes('/')
    ? ref.split('/', 2)
    : ['default', ref];
  return (
    namespace.toLowerCase() === 'default' ? name : `${namespace}+${name}`
  ).toLowerCase();
}

/**
 * The branch a change is proposed on: `clusterdeck/<owner>/<cluster>/<change>`, or
 * `clusterdeck/<owner>/<change>` for a change that concerns no one cluster (an account). Derived,
 * never chosen by the caller, so that a change can only land on its owner's branches.
 * @public
 */
export function changeBranch(options: {
  owner: string;
  cluster?: string;
  change: string;
}): string {
  if (!CHANGE_SLUG.test(options.change)) {
    throw new InputError(
      `change: ${JSON.stringify(
        options.change.slice(0, 80),
      )} must be 1 to 63 lowercase letters, digits and '-', starting with a letter or digit`,
    );
  }
  if (options.cluster !== undefined && !CLUSTER_NAME.test(options.cluster)) {
    throw new InputError(
      `cluster: ${JSON.stringify(
        options.cluster.slice(0, 80),
      )} is not a cluster name (lowercase letters, digits and '-', at most 63)`,
    );
  }
  return [
    BRANCH_PREFIX,
    ownerSlug(options.owner),
    ...(options.cluster !== undefined ? [options.cluster] : []),
    options.change,
  ].join('/');
}

/** Whether a branch is one of the owner's (see {@link changeBranch}). */
export function isOwnersBranch(branch: string, owner: string): boolean {
  return branch.startsWith(`${BRANCH_PREFIX}/${ownerSlug(owner)}/`);
}

/** A change slug made of free text (`change node pool def00` → `change-node-pool-def00`), cut to fit. */
export function toChangeSlug(text: string): string {
  const slug = text
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+/, '')
    .slice(0, 63)
    .replace(/-+$/, '');
  return slug || 'change';
}
