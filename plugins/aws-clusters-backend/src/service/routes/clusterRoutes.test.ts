import {
  FleetBackend,
  leadOf,
  startFleetBackend,
} from '../../__testUtils__/harness/fleetBackend';
import {
  reliabilityConfig,
  reliabilityFleet,
} from '../../__testUtils__/harness/fleets';
import {
  accountOfTeam,
  GENERATED_TEAMS,
  teamClusterRequest,
} from '../../__testUtils__/harness/generatedFleetConfig';
import { ControlledSource } from '../../__testUtils__/harness/controlledSource';
import { Answer, httpClient } from '../../__testUtils__/harness/httpClient';

jest.setTimeout(60_000);

const ADMIN = 'user:default/admin';
const WEB_LEAD = leadOf('web');
const MC = 'mc-eu-west-1';
const OTHER_MC = 'mc-eu-central-1';

describe('GET /clusters by management cluster, account and page', () => {
  /** Names of the clusters left out of the fleet at the next refresh. */
  const removed = new Set<string>();
  const source = new ControlledSource(() => {
    const fleet = reliabilityFleet();
    for (const mc of fleet.managementClusters)
      mc.objects.clusters = mc.objects.clusters.filter(
        c => !removed.has(c.metadata.name!),
      );
    return fleet;
  });
  let backend: FleetBackend;
  let call: ReturnType<typeof httpClient>;
  const get = (path: string, user: string, headers?: Record<string, string>) =>
    call('GET', path, { user, headers });
  const refs = (answer: Answer): string[] =>
    answer.body.items.map((c: any) => c.ref);
  /** The whole list a caller gets today, with no page asked for. */
  const whole = async (user: string, query = '') => {
    const answer = await get(`/clusters${query}`, user);
    expect(answer.status).toBe(200);
    expect(answer.body.total).toBeUndefined();
    expect(answer.body.nextCursor).toBeUndefined();
    return answer.body.items as any[];
  };
  /** Every page of `limit` from the first, following `nextCursor`. */
  const pages = async (user: string, limit: number, query = '') => {
    const answers: Answer[] = [];
    let cursor: string | undefined;
    do {
      const answer = await get(
        `/clusters?limit=${limit}${query}${
          cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''
        }`,
        user,
      );
      expect(answer.status).toBe(200);
      answers.push(answer);
      cursor = answer.body.nextCursor;
    } while (cursor && answers.length < 100);
    return answers;
  };

  beforeAll(async () => {
    backend = await startFleetBackend({
      sources: [source],
      clusterdeck: reliabilityConfig(),
    });
    await backend.refresh();
    call = httpClient(backend.server);
    const posted = await call('POST', '/cluster-requests', {
      user: WEB_LEAD,
      body: { request: teamClusterRequest('web', 'web-pending') },
    });
    expect({ status: posted.status, body: posted.body }).toEqual({
      status: 201,
      body: expect.objectContaining({ ref: `${MC}/org-web/web-pending` }),
    });
  });

  afterAll(() => backend?.stop());

  it('lists the clusters of one management cluster or account, of those the caller may read', async () => {
    const all = await whole(ADMIN);
    expect(all.length).toBe(41);
    expect(new Set(all.map(c => c.managementCluster))).toEqual(
      new Set([MC, OTHER_MC]),
    );
    const web = await whole(WEB_LEAD);
    expect(web.every(c => c.owner === 'group:default/web')).toBe(true);
    for (const mc of [MC, OTHER_MC]) {
      const onMc = await whole(ADMIN, `?managementCluster=${mc}`);
      expect(onMc).toEqual(all.filter(c => c.managementCluster === mc));
      expect(await whole(WEB_LEAD, `?managementCluster=${mc}`)).toEqual(
        web.filter(c => c.managementCluster === mc),
      );
    }
    // The pending request follows the filters too.
    expect((await whole(WEB_LEAD, `?managementCluster=${MC}`)).at(-1).ref).toBe(
      `${MC}/org-web/web-pending`,
    );
    expect(
      (await whole(WEB_LEAD, `?managementCluster=${OTHER_MC}`)).map(
        c => c.name,
      ),
    ).not.toContain('web-pending');

    const webAccount = accountOfTeam('web');
    const inWebAccount = await whole(WEB_LEAD, `?accountId=${webAccount}`);
    expect(inWebAccount).toEqual(web.filter(c => c.accountId === webAccount));
    expect(inWebAccount.length).toBeGreaterThan(1);
    expect(inWebAccount.at(-1).name).toBe('web-pending');
    const searchAccount = accountOfTeam('search');
    const inSearchAccount = await whole(ADMIN, `?accountId=${searchAccount}`);
    expect(inSearchAccount.length).toBeGreaterThan(0);
    expect(inSearchAccount).toEqual(
      all.filter(c => c.accountId === searchAccount),
    );
    // Another team's account holds nothing the web lead may read; an unknown one holds nothing.
    expect(await whole(WEB_LEAD, `?accountId=${searchAccount}`)).toEqual([]);
    expect(await whole(ADMIN, '?accountId=999999999999')).toEqual([]);
    expect(await whole(ADMIN, '?managementCluster=mc-nowhere')).toEqual([]);

    // Filters given together must all match.
    expect(
      await whole(
        ADMIN,
        `?managementCluster=${MC}&accountId=${searchAccount}&owner=group:default/search`,
      ),
    ).toEqual(
      all.filter(
        c => c.managementCluster === MC && c.accountId === searchAccount,
      ),
    );
  });

  it('pages through the whole list with cursors: every cluster the caller may read once, in order', async () => {
    for (const [user, query] of [
      [ADMIN, ''],
      [ADMIN, `&managementCluster=${MC}`],
      [WEB_LEAD, ''],
      [WEB_LEAD, `&accountId=${accountOfTeam('web')}`],
    ]) {
      const expected = (
        await whole(user, query ? `?${query.slice(1)}` : '')
      ).map(c => c.ref);
      for (const limit of [1, 3, 7, expected.length, 500]) {
        const answers = await pages(user, limit, query);
        expect(answers.flatMap(refs)).toEqual(expected);
        expect(answers.length).toBe(
          Math.max(1, Math.ceil(expected.length / limit)),
        );
        for (const answer of answers) {
          expect(answer.body.total).toBe(expected.length);
          expect(answer.body.items.length).toBeLessThanOrEqual(limit);
          expect(answer.body.errors).toEqual([]);
        }
        expect(answers.at(-1)!.body.nextCursor).toBeUndefined();
      }
    }
  });

  it("never shows another team's clusters in a page or its total", async () => {
    for (const team of GENERATED_TEAMS) {
      const lead = leadOf(team);
      const own = await whole(lead);
      const answers = await pages(lead, 4);
      const texts = answers.map(a => a.text).join('\n');
      expect(answers[0].body.total).toBe(own.length);
      const foreign = (await whole(ADMIN)).filter(
        c => c.owner !== `group:default/${team}`,
      );
      expect(foreign.length).toBeGreaterThan(0);
      for (const other of foreign)
        expect(texts).not.toContain(`"${other.ref}"`);
    }
  });

  it('refuses a bad limit, cursor, account or management cluster with a 400 naming the field', async () => {
    const cursor = (await get('/clusters?limit=2', ADMIN)).body.nextCursor;
    const cases: Array<[string, string]> = [
      ['limit=0', 'query limit: must be a whole number from 1 to 500'],
      ['limit=501', 'query limit: must be a whole number from 1 to 500'],
      ['limit=2.5', 'query limit: must be a whole number from 1 to 500'],
      ['limit=-1', 'query limit: must be a whole number from 1 to 500'],
      ['limit=ten', 'query limit: must be a whole number from 1 to 500'],
      [
        'limit=2&cursor=not-ours',
        'query cursor: must be a cursor a previous page of this list returned',
      ],
      [`cursor=${cursor}`, 'query cursor: is given with a limit only'],
      ['accountId=1234', 'query accountId: must be exactly 12 digits'],
      [
        'managementCluster=MC_1',
        'query managementCluster: must be a Kubernetes object name',
      ],
      ['page=2', 'query: unknown page'],
    ];
    for (const [query, message] of cases) {
      const answer = await get(`/clusters?${query}`, ADMIN);
      expect({
        query,
        status: answer.status,
        message: answer.body.error.message,
      }).toEqual({
        query,
        status: 400,
        message,
      });
    }
  });

  it('sends a page with its own ETag, 304 to a caller that holds it', async () => {
    const first = await get('/clusters?limit=5', WEB_LEAD);
    const tag = first.headers.get('etag')!;
    expect(tag).toMatch(/^"[A-Za-z0-9_-]{32}(-br|-gzip)?"$/);
    const again = await get('/clusters?limit=5', WEB_LEAD, {
      'if-none-match': tag,
    });
    expect(again.status).toBe(304);
    expect(again.text).toBe('');
    // The next page, another size, the whole list and another team's page are other answers.
    const next = `/clusters?limit=5&cursor=${encodeURIComponent(
      first.body.nextCursor,
    )}`;
    for (const [path, user] of [
      [next, WEB_LEAD],
      ['/clusters?limit=6', WEB_LEAD],
      ['/clusters', WEB_LEAD],
      ['/clusters?limit=5', leadOf('search')],
    ]) {
      const other = await get(path, user, { 'if-none-match': tag });
      expect({ path, user, status: other.status }).toEqual({
        path,
        user,
        status: 200,
      });
      expect(other.headers.get('etag')).not.toBe(tag);
    }
    const nextPage = await get(next, WEB_LEAD);
    expect(refs(nextPage)).not.toEqual(refs(first));
    expect(
      (
        await get(next, WEB_LEAD, {
          'if-none-match': nextPage.headers.get('etag')!,
        })
      ).status,
    ).toBe(304);
  });

  it('continues a page after a refresh where the last one ended, though its cluster is gone', async () => {
    const before = await whole(ADMIN);
    const first = await get('/clusters?limit=10', ADMIN);
    expect(refs(first)).toEqual(before.slice(0, 10).map(c => c.ref));
    // The cursor's cluster and one the next page would have held leave the fleet.
    removed.add(before[9].name);
    removed.add(before[12].name);
    await backend.refresh();
    const after = (await whole(ADMIN)).map(c => c.ref);
    expect(after.length).toBe(before.length - 2);
    const rest: string[] = [];
    let cursor: string | undefined = first.body.nextCursor;
    while (cursor) {
      const page = await get(
        `/clusters?limit=10&cursor=${encodeURIComponent(cursor)}`,
        ADMIN,
      );
      expect(page.body.total).toBe(after.length);
      rest.push(...refs(page));
      cursor = page.body.nextCursor;
    }
    expect(rest).toEqual(after.slice(9));
    removed.clear();
    await backend.refresh();
  });
});
