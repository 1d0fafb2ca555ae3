import fs from 'node:fs/promises';
import path from 'node:path';
import type { CostAndUsagePage, CostAndUsageQuery } from '../types';
import { RECORDED_COST_FILE } from './recordedLayout';

function namedError(name: string, message: string): Error {
  const error = new Error(message);
  error.name = name;
  return error;
}

/**
 * Answers a `GetCostAndUsage` query from the recording in a snapshot directory
 * ({@link RECORDED_COST_FILE}): the first page, or the one after the page whose `NextPageToken`
 * the query names. Without a recording it fails as Cost Explorer does when it has no data
 * (`DataUnavailableException`); a token no page gave is Cost Explorer's `InvalidNextTokenException`.
 * @public
 */
export async function readRecordedCostAndUsage(
  directory: string,
  query: CostAndUsageQuery,
): Promise<CostAndUsagePage> {
  const file = path.join(directory, RECORDED_COST_FILE);
  let text: string;
  try {
    text = await fs.readFile(file, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT')
      throw namedError(
        'DataUnavailableException',
        `no Cost Explorer answer is recorded in ${RECORDED_COST_FILE}`,
      );
    throw error;
  }
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    throw namedError(
      'MalformedSnapshot',
      `${RECORDED_COST_FILE} is not valid JSON: ${(error as Error).message}`,
    );
  }
  const pages = (Array.isArray(value) ? value : [value]) as CostAndUsagePage[];
  if (pages.some(p => p === null || typeof p !== 'object' || Array.isArray(p)))
    throw namedError(
      'MalformedSnapshot',
      `${RECORDED_COST_FILE} holds neither a GetCostAndUsage output nor a list of them`,
    );
  if (!query.NextPageToken) return pages[0] ?? {};
  const at = pages.findIndex(p => p.NextPageToken === query.NextPageToken);
  if (at < 0 || at + 1 >= pages.length)
    throw namedError(
      'InvalidNextTokenException',
      `no recorded page follows the token ${query.NextPageToken}`,
    );
  return pages[at + 1];
}
