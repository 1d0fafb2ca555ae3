import fs from 'node:fs';
import path from 'node:path';
import { parse } from 'yaml';
import { examplesPath } from './repository';
import {
  validateClusterRequest,
  ResolvedClusterRequest,
} from '@clusterdeck/plugin-aws-clusters-common';

/** The folder of example requests that ships with the repository. */
export const EXAMPLE_REQUESTS_DIR = examplesPath('requests');

/** Every example request file, parsed. */
export function exampleRequests(): Array<{ file: string; request: unknown }> {
  return fs
    .readdirSync(EXAMPLE_REQUESTS_DIR)
    .filter(file => file.endsWith('.yaml'))
    .sort()
    .map(file => ({
      file,
      request: parse(
        fs.readFileSync(path.join(EXAMPLE_REQUESTS_DIR, file), 'utf8'),
      ),
    }));
}

/** Validates a request that a test expects to be valid, failing loudly otherwise. */
export function resolve(request: unknown): ResolvedClusterRequest {
  const result = validateClusterRequest(request);
  if (!result.ok) {
    throw new Error(
      `expected a valid request: ${JSON.stringify(result.problems)}`,
    );
  }
  return result.value;
}
