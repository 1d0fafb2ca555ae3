import { resolveSafeChildPath } from '@backstage/backend-plugin-api';
import { InputError } from '@backstage/errors';
import path from 'node:path';

/** Long values are cut in messages, so that a refusal stays readable. */
function shown(value: string): string {
  return JSON.stringify(value.length > 80 ? `${value.slice(0, 77)}...` : value);
}

/** The longest relative path an input may give; file systems refuse longer names anyway. */
const MAX_PATH = 1024;

function assertUsable(value: string, field: string) {
  if (
    value.length > MAX_PATH ||
    value.includes('\0') ||
    value.split('/').some(part => Buffer.byteLength(part) > 255)
  ) {
    throw new InputError(`${field}: ${shown(value)} is not a usable path`);
  }
}

/**
 * A directory or file of the task's workspace named by an input, or an InputError naming the
 * input when the value leaves the workspace or is no usable path.
 * @public
 */
export function workspacePathOf(
  workspacePath: string,
  value: string,
  field: string,
): string {
  assertUsable(value, field);
  try {
    return resolveSafeChildPath(workspacePath, value);
  } catch {
    throw new InputError(`${field}: ${shown(value)} leaves the workspace`);
  }
}

/**
 * A path inside the GitOps repository named by an input (`.` for its root), normalized, or an
 * InputError naming the input when it is absolute, leaves the repository or is no usable path.
 * @public
 */
export function repositoryPathOf(value: string, field: string): string {
  assertUsable(value, field);
  const normalized = path.posix.normalize(value || '.');
  if (
    normalized === '..' ||
    normalized.startsWith('../') ||
    path.posix.isAbsolute(normalized) ||
    normalized.startsWith('-')
  ) {
    throw new InputError(`${field}: ${shown(value)} leaves the repository`);
  }
  return normalized.replace(/\/$/, '');
}
