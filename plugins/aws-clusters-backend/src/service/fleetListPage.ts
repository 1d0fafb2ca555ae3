import type { ClusterSummary } from '@clusterdeck/plugin-aws-clusters-common';
import { z } from 'zod';
import { clusterRefSchema } from './inputs';

/**
 * Where a page of the fleet list ended: the last cluster's ref and, for a pending request, when
 * it was requested. A place in the order rather than an index, so that a refresh between two
 * pages neither repeats nor skips the clusters that stay listed.
 */
export interface ListCursor {
  after: string;
  requestedAt?: string;
}

/** The fleet list as it is ordered: reported clusters by ref, then pending requests by request time. */
export interface OrderedFleetList {
  reported: ClusterSummary[];
  requested: ClusterSummary[];
}

/** One page of the fleet list, with how many clusters the whole list holds. */
export interface FleetListPage {
  items: ClusterSummary[];
  total: number;
  nextCursor?: string;
}

const cursorJson = z.strictObject({
  after: clusterRefSchema,
  requestedAt: z.string().max(64).optional(),
});

/** The longest cursor this list hands out, with room to spare: a ref, a timestamp and JSON. */
const CURSOR_CHARS = 512;

const NOT_A_CURSOR = 'must be a cursor a previous page of this list returned';

/** A `cursor` query parameter: base64url JSON, decoded to a {@link ListCursor}. */
export const listCursorSchema = z
  .string()
  .transform((text, ctx): ListCursor => {
    const decoded =
      text.length <= CURSOR_CHARS && /^[A-Za-z0-9_-]+$/.test(text)
        ? cursorJson.safeParse(parseJson(base64urlDecode(text)))
        : undefined;
    if (!decoded?.success) {
      ctx.issues.push({ code: 'custom', message: NOT_A_CURSOR, input: text });
      return z.NEVER;
    }
    return decoded.data;
  });

/** A cursor as the `cursor` query parameter carries it. */
export function encodeCursor(cursor: ListCursor): string {
  return Buffer.from(JSON.stringify(cursor), 'utf8').toString('base64url');
}

/**
 * Up to `limit` clusters of the list from after `cursor` (from its start without one). A cursor
 * whose cluster is no longer listed (gone from the fleet, its request withdrawn) continues at the
 * first cluster that sorts after it within its part of the list; a request reported since continues
 * the pending requests after those requested before it.
 */
export function fleetListPage(
  list: OrderedFleetList,
  limit: number,
  cursor?: ListCursor,
): FleetListPage {
  const { reported, requested } = list;
  const total = reported.length + requested.length;
  const start = cursor ? startAfter(list, cursor) : 0;
  const end = Math.min(start + limit, total);
  const items =
    start >= reported.length
      ? requested.slice(start - reported.length, end - reported.length)
      : [
          ...reported.slice(start, end),
          ...requested.slice(0, Math.max(0, end - reported.length)),
        ];
  if (end >= total) return { items, total };
  const last = items[items.length - 1];
  return {
    items,
    total,
    nextCursor: encodeCursor(
      end > reported.length
        ? { after: last.ref, requestedAt: last.createdAt ?? '' }
        : { after: last.ref },
    ),
  };
}

/** The index in the whole list of the first cluster after the cursor's place. */
function startAfter(list: OrderedFleetList, cursor: ListCursor): number {
  const { reported, requested } = list;
  if (cursor.requestedAt === undefined) {
    // Reported clusters are in the fleet model's order: by ref, as String#localeCompare sorts.
    let low = 0;
    let high = reported.length;
    while (low < high) {
      const middle = (low + high) >>> 1;
      if (reported[middle].ref.localeCompare(cursor.after) <= 0)
        low = middle + 1;
      else high = middle;
    }
    return low;
  }
  const at = requested.findIndex(c => c.ref === cursor.after);
  if (at >= 0) return reported.length + at + 1;
  const requestedAt = cursor.requestedAt;
  const next = requested.findIndex(c => {
    const createdAt = c.createdAt ?? '';
    return (
      createdAt > requestedAt ||
      (createdAt === requestedAt && c.ref > cursor.after)
    );
  });
  return reported.length + (next < 0 ? requested.length : next);
}

function base64urlDecode(text: string): string {
  return Buffer.from(text, 'base64url').toString('utf8');
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}
