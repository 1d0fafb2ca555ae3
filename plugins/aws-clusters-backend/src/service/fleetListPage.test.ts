import type { ClusterSummary } from '@clusterdeck/plugin-aws-clusters-common';
import {
  encodeCursor,
  fleetListPage,
  ListCursor,
  listCursorSchema,
  OrderedFleetList,
} from './fleetListPage';

const summary = (ref: string, createdAt?: string): ClusterSummary => {
  const [managementCluster, namespace, name] = ref.split('/');
  return {
    ref,
    name,
    namespace,
    managementCluster,
    owner: 'group:default/web',
    ownerSource: 'annotation',
    flavor: 'ec2',
    status: createdAt ? 'requested' : 'ready',
    apiMode: 'public',
    nodes: { desired: 0, ready: 0, min: 0, max: 0 },
    nodePools: 1,
    ...(createdAt ? { createdAt } : {}),
  };
};

/** Reported clusters in the fleet model's order, then pending requests by request time. */
function list(reported: string[], requested: Array<[string, string]> = []) {
  return {
    reported: reported
      .map(ref => summary(ref))
      .sort((a, b) => a.ref.localeCompare(b.ref)),
    requested: requested.map(([ref, at]) => summary(ref, at)),
  };
}

const decode = (text: string): ListCursor =>
  listCursorSchema.parse(text) as ListCursor;

/** Every page of `limit` from the start, each page's refs. */
function allPages(whole: OrderedFleetList, limit: number): string[][] {
  const pages: string[][] = [];
  let cursor: ListCursor | undefined;
  for (;;) {
    const page = fleetListPage(whole, limit, cursor);
    pages.push(page.items.map(c => c.ref));
    if (!page.nextCursor) return pages;
    cursor = decode(page.nextCursor);
  }
}

const REPORTED = Array.from(
  { length: 11 },
  (_, i) => `mc-a/org-web/web-${String(i).padStart(2, '0')}`,
);
const REQUESTED: Array<[string, string]> = [
  ['mc-a/org-web/new-b', '2026-12-01T10:00:00.000Z'],
  ['mc-a/org-web/new-a', '2026-12-01T11:00:00.000Z'],
  ['mc-a/org-web/new-c', '2026-12-01T11:00:00.000Z'],
];

describe('fleetListPage', () => {
  it('pages through reported clusters and then pending requests, each once, in the list’s order', () => {
    const whole = list(REPORTED, REQUESTED);
    const order = [...whole.reported, ...whole.requested].map(c => c.ref);
    for (const limit of [1, 4, 11, 12, 14, 500]) {
      const pages = allPages(whole, limit);
      expect(pages.flat()).toEqual(order);
      expect(pages.slice(0, -1).every(p => p.length === limit)).toBe(true);
      expect(pages.length).toBe(Math.ceil(order.length / limit));
    }
    expect(fleetListPage(whole, 5)).toEqual(
      expect.objectContaining({ total: 14, nextCursor: expect.any(String) }),
    );
    expect(fleetListPage({ reported: [], requested: [] }, 5)).toEqual({
      items: [],
      total: 0,
    });
  });

  it('continues after a removed cluster’s place, neither repeating nor skipping the others', () => {
    const first = fleetListPage(list(REPORTED, REQUESTED), 3);
    expect(first.items.map(c => c.ref)).toEqual(REPORTED.slice(0, 3));
    // web-02 (the cursor's) and web-03 are gone; web-11 is new.
    const changed = list(
      [
        ...REPORTED.filter(r => !/web-0[23]$/.test(r)),
        'mc-a/org-web/web-11',
        'mc-a/org-web/web-015',
      ],
      REQUESTED,
    );
    const next = fleetListPage(changed, 3, decode(first.nextCursor!));
    expect(next.items.map(c => c.ref)).toEqual([
      'mc-a/org-web/web-04',
      'mc-a/org-web/web-05',
      'mc-a/org-web/web-06',
    ]);
    expect(next.total).toBe(14);
  });

  it('continues within the pending requests when the cursor’s request is withdrawn or reported', () => {
    const whole = list(REPORTED, REQUESTED);
    const page = fleetListPage(whole, 12);
    expect(page.items.at(-1)!.ref).toBe('mc-a/org-web/new-b');
    const cursor = decode(page.nextCursor!);
    expect(cursor).toEqual({
      after: 'mc-a/org-web/new-b',
      requestedAt: '2026-12-01T10:00:00.000Z',
    });
    const rest = ['mc-a/org-web/new-a', 'mc-a/org-web/new-c'];
    // Withdrawn: the requests after its time come next.
    const withdrawn = list(REPORTED, REQUESTED.slice(1));
    expect(fleetListPage(withdrawn, 5, cursor).items.map(c => c.ref)).toEqual(
      rest,
    );
    // Reported since: listed with the reported clusters, whose pages the caller has had already.
    const reported = list(
      [...REPORTED, 'mc-a/org-web/new-b'],
      REQUESTED.slice(1),
    );
    expect(fleetListPage(reported, 5, cursor).items.map(c => c.ref)).toEqual(
      rest,
    );
    // A withdrawn request among others of the same time continues after its ref.
    const sameTime = {
      after: 'mc-a/org-web/new-b',
      requestedAt: REQUESTED[1][1],
    };
    expect(fleetListPage(withdrawn, 5, sameTime).items.map(c => c.ref)).toEqual(
      ['mc-a/org-web/new-c'],
    );
  });

  it('reads back the cursors it hands out and refuses anything else', () => {
    const cursor = { after: 'mc-a/org-web/web-00' };
    expect(decode(encodeCursor(cursor))).toEqual(cursor);
    const refused = [
      '',
      'not a cursor',
      Buffer.from('{"after":').toString('base64url'),
      encodeCursor({ after: 'not-a-ref' }),
      Buffer.from(JSON.stringify({ ...cursor, index: 3 })).toString(
        'base64url',
      ),
      `${encodeCursor(cursor)}=`,
      'A'.repeat(600),
    ];
    for (const text of refused) {
      const result = listCursorSchema.safeParse(text);
      expect({ text, success: result.success }).toEqual({
        text,
        success: false,
      });
      expect(result.error?.issues[0].message).toBe(
        'must be a cursor a previous page of this list returned',
      );
    }
  });
});
