import fs from 'node:fs';
import path from 'node:path';

/** The environment variable that points at the upstream reference data. */
const REFERENCE_DIR_ENV = 'CLUSTERDECK_REFERENCE_DIR';

/** The file that marks the root of the Backstage checkout. */
const REPO_ROOT_MARKER = 'backstage.json';

/** @public Why reference-backed checks cannot run: shown by tests that skip themselves. */
export const referenceSkipReason = `upstream reference data not found: set ${REFERENCE_DIR_ENV} or place shared/reference beside the checkout`;

/** @public Describes the missing reference data, naming the places that were looked at. */
export function describeMissingReference(): string {
  const looked = candidateDirectories();
  return looked.length > 0
    ? `${referenceSkipReason} (looked in: ${looked.join(', ')})`
    : referenceSkipReason;
}

/** @public Finds the directory with the upstream CRDs and Helm schemas, or undefined when absent. */
export function findReferenceDir(): string | undefined {
  return candidateDirectories().find(isDirectory);
}

/** The environment variable first, then `<repoRoot>/../shared/reference` for every root we can find. */
function candidateDirectories(): string[] {
  const candidates: string[] = [];
  const fromEnv = process.env[REFERENCE_DIR_ENV];
  if (fromEnv) {
    candidates.push(path.resolve(fromEnv));
  }
  // Both starting points matter: __dirname when run from the source tree,
  // cwd when the code has been bundled somewhere else (where __dirname lies).
  // eslint-disable-next-line no-restricted-syntax
  for (const start of [__dirname, process.cwd()]) {
    const root = findRepoRoot(start);
    if (root) {
      candidates.push(path.resolve(root, '..', 'shared', 'reference'));
    }
  }
  return [...new Set(candidates)];
}

function findRepoRoot(start: string): string | undefined {
  let dir = path.resolve(start);
  for (;;) {
    if (fs.existsSync(path.join(dir, REPO_ROOT_MARKER))) {
      return dir;
    }
    const parent = path.dirname(dir);
    if (parent === dir) {
      return undefined;
    }
    dir = parent;
  }
}

function isDirectory(dir: string): boolean {
  try {
    return fs.statSync(dir).isDirectory();
  } catch {
    return false;
  }
}
