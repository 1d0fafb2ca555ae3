import type { $ZodIssue } from 'zod/v4/core';

/**
 * One thing wrong with an input, at the dotted path of the field it concerns, e.g.
 * `spec.nodePools[1].minSize`.
 * @public
 */
export interface Problem {
  path: string;
  message: string;
}

const IDENTIFIER = /^[A-Za-z_$][A-Za-z0-9_$]*$/;

/**
 * Formats a path of keys and indexes as `a.b[0].c`; keys that are not identifiers (label keys
 * such as `giantswarm.io/team`) are quoted in brackets.
 * @public
 */
export function formatPath(path: ReadonlyArray<PropertyKey>): string {
  let text = '';
  for (const key of path) {
    if (typeof key === 'number') {
      text += `[${key}]`;
    } else if (typeof key === 'string' && IDENTIFIER.test(key)) {
      text += text ? `.${key}` : key;
    } else {
      text += `[${JSON.stringify(String(key))}]`;
    }
  }
  return text;
}

/** @public Formats problems one per line, `path: message`. */
export function formatProblems(problems: ReadonlyArray<Problem>): string {
  return problems
    .map(p => `${p.path || '(document)'}: ${p.message}`)
    .join('\n');
}

function valueAt(input: unknown, path: ReadonlyArray<PropertyKey>): unknown {
  let value = input;
  for (const key of path) {
    if (value === null || typeof value !== 'object') {
      return undefined;
    }
    value = (value as Record<PropertyKey, unknown>)[key];
  }
  return value;
}

/**
 * Turns zod's issues into problems: one per unknown field, and "is required" for missing ones.
 * @public
 */
export function zodProblems(
  input: unknown,
  issues: ReadonlyArray<$ZodIssue>,
): Problem[] {
  return issues.flatMap(issue => {
    if (issue.code === 'unrecognized_keys') {
      return issue.keys.map(key => ({
        path: formatPath([...issue.path, key]),
        message: 'is not a known field',
      }));
    }
    const missing =
      issue.code !== 'custom' &&
      issue.path.length > 0 &&
      valueAt(input, issue.path) === undefined;
    return [
      {
        path: formatPath(issue.path),
        message: missing ? 'is required' : issue.message,
      },
    ];
  });
}
