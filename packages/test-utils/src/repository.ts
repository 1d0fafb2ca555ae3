import path from 'node:path';

/** The root of the Clusterdeck repository this package lives in (the package is never bundled). */
// eslint-disable-next-line no-restricted-syntax
export const REPOSITORY_ROOT = path.resolve(__dirname, '..', '..', '..');

/** A path inside the repository's `examples/` folder. */
export function examplesPath(...segments: string[]): string {
  return path.join(REPOSITORY_ROOT, 'examples', ...segments);
}
