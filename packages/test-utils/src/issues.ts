import type { ErrorObject } from 'ajv';

/** @public One problem found in a manifest or values document, with the dotted path of the field. */
export interface ManifestIssue {
  /** Dotted path, `[i]` for list items and `["k"]` for keys that contain dots, e.g. `spec.taints[0].effect`. */
  path: string;
  message: string;
}

const PLAIN_KEY = /^[A-Za-z_$][A-Za-z0-9_$-]*$/;

/** Appends one segment to a dotted path. */
export function joinPath(parent: string, segment: string | number): string {
  if (typeof segment === 'number') {
    return `${parent}[${segment}]`;
  }
  // Label and annotation keys contain dots and slashes; quoting keeps the path unambiguous.
  if (!PLAIN_KEY.test(segment)) {
    return `${parent}[${JSON.stringify(segment)}]`;
  }
  return parent ? `${parent}.${segment}` : segment;
}

/**
 * Turns an ajv instance path (a JSON pointer) into a dotted path. The data is
 * needed to tell list indexes from map keys that merely look numeric.
 */
export function pointerToPath(pointer: string, data: unknown): string {
  if (pointer === '') {
    return '';
  }
  let path = '';
  let node: unknown = data;
  for (const raw of pointer.slice(1).split('/')) {
    const key = raw.replace(/~1/g, '/').replace(/~0/g, '~');
    if (Array.isArray(node)) {
      const index = Number(key);
      path = joinPath(path, index);
      node = node[index];
    } else {
      path = joinPath(path, key);
      node = isRecord(node) ? node[key] : undefined;
    }
  }
  return path;
}

/** Converts ajv errors into issues, naming the offending field where ajv only names its parent. */
export function ajvErrorsToIssues(
  errors: readonly ErrorObject[] | null | undefined,
  data: unknown,
): ManifestIssue[] {
  const issues = pruneBranchErrors(errors ?? [])
    // These wrappers repeat what the errors inside them said.
    .filter(
      error => error.keyword !== 'propertyNames' && error.keyword !== 'if',
    )
    .map(error =>
      describeError(error, pointerToPath(error.instancePath, data)),
    );
  return dedupeIssues(issues);
}

/**
 * ajv reports every failing branch of an anyOf/oneOf, most of them about
 * alternatives the author did not mean (the karpenter flavour of a node pool
 * when a plain one was written). Keep only the branch that came closest, the
 * one with the fewest errors, and drop the wrapper when that branch explains.
 */
function pruneBranchErrors(errors: readonly ErrorObject[]): ErrorObject[] {
  let result = [...errors];
  for (const wrapper of errors) {
    if (
      (wrapper.keyword !== 'anyOf' && wrapper.keyword !== 'oneOf') ||
      !result.includes(wrapper)
    ) {
      continue;
    }
    const branches = groupByBranch(result, wrapper);
    if (branches.size === 0) {
      continue;
    }
    const passing = (wrapper.params as { passingSchemas?: unknown })
      .passingSchemas;
    const fewest = Math.min(...[...branches.values()].map(b => b.length));
    const dropped = new Set(
      [...branches.values()]
        // More than one oneOf branch matched: the branch errors are beside the point.
        .filter(b => Array.isArray(passing) || b.length > fewest)
        .flat(),
    );
    if (!Array.isArray(passing)) {
      dropped.add(wrapper);
    }
    result = result.filter(e => !dropped.has(e));
  }
  return result;
}

/** The errors raised inside each branch of an anyOf/oneOf, for the same data. */
function groupByBranch(
  errors: readonly ErrorObject[],
  wrapper: ErrorObject,
): Map<string, ErrorObject[]> {
  const schemaPrefix = `${wrapper.schemaPath}/`;
  const branches = new Map<string, ErrorObject[]>();
  for (const error of errors) {
    const sameData =
      error.instancePath === wrapper.instancePath ||
      error.instancePath.startsWith(`${wrapper.instancePath}/`);
    if (
      error === wrapper ||
      !sameData ||
      !error.schemaPath.startsWith(schemaPrefix)
    ) {
      continue;
    }
    const branch = error.schemaPath.slice(schemaPrefix.length).split('/')[0];
    branches.set(branch, [...(branches.get(branch) ?? []), error]);
  }
  return branches;
}

function describeError(error: ErrorObject, parent: string): ManifestIssue {
  const params = error.params as Record<string, unknown>;
  if (error.propertyName !== undefined) {
    // An error about a map key rather than its value (propertyNames).
    return {
      path: joinPath(parent, error.propertyName),
      message: `key ${error.message ?? 'is invalid'}`,
    };
  }
  switch (error.keyword) {
    case 'additionalProperties':
    case 'unevaluatedProperties': {
      const extra = params.additionalProperty ?? params.unevaluatedProperty;
      const field = joinPath(parent, String(extra));
      return { path: field, message: `unknown field "${field}"` };
    }
    case 'required': {
      const field = joinPath(parent, String(params.missingProperty));
      return { path: field, message: 'required field is missing' };
    }
    case 'enum': {
      const allowed = (params.allowedValues as unknown[] | undefined) ?? [];
      return {
        path: parent,
        message: `must be one of ${allowed
          .map(v => JSON.stringify(v))
          .join(', ')}`,
      };
    }
    case 'type': {
      const type = params.type;
      const wanted = Array.isArray(type) ? type.join(' or ') : String(type);
      return { path: parent, message: `must be ${wanted}` };
    }
    default:
      return {
        path: parent,
        message: error.message ?? `fails "${error.keyword}"`,
      };
  }
}

/** Removes repeats, which ajv produces when several branches fail at one place. */
export function dedupeIssues(issues: ManifestIssue[]): ManifestIssue[] {
  const seen = new Set<string>();
  return issues.filter(issue => {
    const key = `${issue.path}\u0000${issue.message}`;
    if (seen.has(key)) {
      return false;
    }
    seen.add(key);
    return true;
  });
}

/** True for plain objects (not arrays, not null). */
export function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
