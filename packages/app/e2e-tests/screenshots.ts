import fs from 'node:fs';
import path from 'node:path';

/**
 * Where the browser tests save their screenshots: test-results/screenshots, a test artifact, or
 * with UPDATE_SCREENSHOTS=1 docs/screenshots, which the README shows.
 */
export const SCREENSHOTS = path.resolve(
  __dirname,
  '../../..',
  process.env.UPDATE_SCREENSHOTS
    ? 'docs/screenshots'
    : 'test-results/screenshots',
);
fs.mkdirSync(SCREENSHOTS, { recursive: true });
