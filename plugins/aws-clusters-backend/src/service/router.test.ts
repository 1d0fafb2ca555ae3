import {
  mockCredentials,
  mockServices,
  startTestBackend,
} from '@backstage/backend-test-utils';
import type {
  FleetSnapshot,
  FleetSource,
} from '@clusterdeck/plugin-aws-clusters-node';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import zlib from 'node:zlib';
import { fixtureFleet } from '../__testUtils__/fleetFixture';
import {
  sourcesModule,
  TEST_ACCOUNTS,
  testPermissions,
  testUserInfo,
  webClusterRequest,
} from '../__testUtils__/testServices';
import { clusterSummary } from '../fleet/summaryView';
import { awsClustersPlugin } from '../plugin';

jest.mock('../fleet/summaryView', () => {
  const actual = jest.requireActual('../fleet/summaryView');
  return { ...actual, clusterSummary: jest.fn(actual.clusterSummary) };
});

const ADMIN = 'user:default/nora.lind';
const PAYMENTS = 'user:default/amara.okafor';
const PAYMENTS_TOO = 'user:default/jonas.berg';
const WEB = 'user:default/liam.walsh';
const USERS: Record<string, string[]> = {
  [ADMIN]: [ADMIN, 'group:default/platform'],
  [PAYMENTS]: [PAYMENTS, 'group:default/payments'],
  [PAYMENTS_TOO]: [PAYMENTS_TOO, 'group:default/payments'],
  [WEB]: [WEB, 'group:default/web'],
};
const LIST = '/api/aws-clusters/clusters';
const PAY_PROD = '/api/aws-clusters/clusters/mc-test/org-payments/pay-prod';

interface Answer {
  status: number;
  headers: http.IncomingHttpHeaders;
  /** The body as sent, before any decoding. */
  raw: Buffer;
  /** The body decoded per its Content-Encoding, parsed when it is JSON. */
  json: any;
}

jest.setTimeout(30_000);

describe('fleet answers: ETags, 304s and ready compressed bodies', () => {
  let port: number;
  let refresh: () => Promise<void>;
  let fleet: FleetSnapshot = fixtureFleet();
  const scheduler = mockServices.scheduler.mock();
  const source: FleetSource = {
    name: 'fixture',
    collect: async () => structuredClone(fleet),
  };

  /** A GET as a browser would send it, with the raw bytes kept, so that encodings can be checked. */
  function get(
    path: string,
    user: string,
    headers: Record<string, string> = {},
  ): Promise<Answer> {
    return new Promise((resolve, reject) => {
      const req = http.get(
        {
          host: '127.0.0.1',
          port,
          path,
          headers: {
            authorization: mockCredentials.user.header(user),
            ...headers,
          },
        },
        res => {
          const chunks: Buffer[] = [];
          res.on('data', c => chunks.push(c));
          res.on('end', () => {
            const raw = Buffer.concat(chunks);
            const decode: Record<string, (b: Buffer) => Buffer> = {
              br: zlib.brotliDecompressSync,
              gzip: zlib.gunzipSync,
              deflate: zlib.inflateSync,
            };
            const decoded =
              decode[res.headers['content-encoding'] ?? '']?.(raw) ?? raw;
            resolve({
              status: res.statusCode!,
              headers: res.headers,
              raw,
              json: decoded.length
                ? JSON.parse(decoded.toString('utf8'))
                : undefined,
            });
          });
          res.on('error', reject);
        },
      );
      req.on('error', reject);
    });
  }

  /** A request with a JSON body, for the routes that record and withdraw cluster requests. */
  function request(
    user: string,
    method: string,
    path: string,
    body?: unknown,
  ): Promise<{ status: number; text: string }> {
    return new Promise((resolve, reject) => {
      const data =
        body === undefined
          ? undefined
          : Buffer.from(typeof body === 'string' ? body : JSON.stringify(body));
      const req = http.request(
        {
          host: '127.0.0.1',
          port,
          path,
          method,
          headers: {
            authorization: mockCredentials.user.header(user),
            ...(data
              ? {
                  'content-type': 'application/json',
                  'content-length': data.length,
                }
              : {}),
          },
        },
        res => {
          const chunks: Buffer[] = [];
          res.on('data', c => chunks.push(c));
          res.on('end', () =>
            resolve({
              status: res.statusCode!,
              text: Buffer.concat(chunks).toString(),
            }),
          );
        },
      );
      req.on('error', reject);
      req.end(data);
    });
  }

  beforeAll(async () => {
    const backend = await startTestBackend({
      features: [
        scheduler.factory,
        awsClustersPlugin,
        sourcesModule([source], 'fixture'),
        testUserInfo(USERS),
        testPermissions(['group:default/platform']),
        mockServices.rootConfig.factory({
          data: {
            clusterdeck: {
              sources: { aws: false, kubernetes: false },
              adminGroups: ['group:default/platform'],
              accounts: TEST_ACCOUNTS,
              managementClusters: [
                {
                  name: 'mc-test',
                  region: 'eu-west-1',
                  accountId: '111122223333',
                },
              ],
            },
          },
        }),
      ],
    });
    port = (backend.server.address() as AddressInfo).port;
    const task = scheduler.scheduleTask.mock.calls.find(
      ([t]) => t.id === 'aws-clusters:refresh',
    )![0];
    refresh = () => task.fn(new AbortController().signal) as Promise<void>;
    await refresh();
  });

  it('sends the fleet list with a strong ETag, private and revalidated, and 304 to a caller that holds it', async () => {
    const first = await get(LIST, PAYMENTS);
    expect(first.status).toBe(200);
    expect(first.json.items.map((c: any) => c.name)).toEqual(['pay-prod']);
    expect(first.headers.etag).toMatch(/^"[A-Za-z0-9_-]{32}"$/);
    expect(first.headers['cache-control']).toBe('private, no-cache');
    expect(first.headers.vary).toMatch(/Accept-Encoding/);

    const again = await get(LIST, PAYMENTS, {
      'if-none-match': first.headers.etag!,
    });
    expect(again.status).toBe(304);
    expect(again.raw.length).toBe(0);
    expect(again.headers.etag).toBe(first.headers.etag);
    // Weak comparison, and a list of tags, as browsers and proxies send them.
    expect(
      (
        await get(LIST, PAYMENTS, {
          'if-none-match': `"other", W/${first.headers.etag}`,
        })
      ).status,
    ).toBe(304);
    expect(
      (await get(LIST, PAYMENTS, { 'if-none-match': '"other"' })).status,
    ).toBe(200);
  });

  it('keeps answers apart by what decides visibility: another team never gets a 304 for a list it may not see', async () => {
    const payments = await get(LIST, PAYMENTS);
    const web = await get(LIST, WEB);
    const admin = await get(LIST, ADMIN);
    expect(web.json.items.map((c: any) => c.name)).toEqual(['web-dev']);
    expect(admin.json.items.map((c: any) => c.name)).toEqual([
      'pay-prod',
      'web-dev',
    ]);
    expect(
      new Set([payments.headers.etag, web.headers.etag, admin.headers.etag])
        .size,
    ).toBe(3);

    // The web lead presenting the payments list's or the admin list's tag gets their own list.
    for (const foreign of [payments.headers.etag!, admin.headers.etag!]) {
      const answer = await get(LIST, WEB, { 'if-none-match': foreign });
      expect(answer.status).toBe(200);
      expect(answer.json.items.map((c: any) => c.name)).toEqual(['web-dev']);
      expect(answer.headers.etag).toBe(web.headers.etag);
    }
    // A second member of the same team sees the same bytes, hence the same tag.
    expect((await get(LIST, PAYMENTS_TOO)).headers.etag).toBe(
      payments.headers.etag,
    );
    // The owner filter is part of the answer: the admin's list of payments only is another answer.
    const adminPayments = await get(
      `${LIST}?owner=group:default/payments`,
      ADMIN,
    );
    expect(adminPayments.json.items.map((c: any) => c.name)).toEqual([
      'pay-prod',
    ]);
    expect(adminPayments.headers.etag).not.toBe(admin.headers.etag);
    expect(
      (
        await get(`${LIST}?owner=group:default/payments`, ADMIN, {
          'if-none-match': admin.headers.etag!,
        })
      ).status,
    ).toBe(200);
  });

  it('sends brotli or gzip bytes made once, and the identity to callers that accept neither or for small answers', async () => {
    const identity = await get(PAY_PROD, ADMIN);
    expect(identity.raw.length).toBeGreaterThan(1024);
    const br = await get(PAY_PROD, ADMIN, {
      'accept-encoding': 'gzip, deflate, br, zstd',
    });
    expect(br.headers['content-encoding']).toBe('br');
    expect(br.json).toEqual(identity.json);
    expect(br.raw.length).toBeLessThan(identity.raw.length / 2);
    expect(br.headers.etag).toBe(`${identity.headers.etag!.slice(0, -1)}-br"`);
    expect(Number(br.headers['content-length'])).toBe(br.raw.length);

    const gzip = await get(PAY_PROD, ADMIN, {
      'accept-encoding': 'gzip, br;q=0.5',
    });
    expect(gzip.headers['content-encoding']).toBe('gzip');
    expect(gzip.json).toEqual(identity.json);
    expect(gzip.headers.etag).toBe(
      `${identity.headers.etag!.slice(0, -1)}-gzip"`,
    );

    const plain = await get(PAY_PROD, ADMIN, { 'accept-encoding': 'identity' });
    expect(plain.headers['content-encoding']).toBeUndefined();
    expect(plain.raw).toEqual(identity.raw);
    // Any encoding's tag names the same content: a 304 answers it whatever the caller accepts now.
    const revalidated = await get(PAY_PROD, ADMIN, {
      'accept-encoding': 'gzip',
      'if-none-match': br.headers.etag!,
    });
    expect(revalidated.status).toBe(304);
    expect(revalidated.headers.etag).toBe(gzip.headers.etag);

    // The fleet list of this small fixture is under 1 KiB: sent as it is.
    const small = await get(LIST, PAYMENTS, { 'accept-encoding': 'br, gzip' });
    expect(small.raw.length).toBeLessThan(1024);
    expect(small.headers['content-encoding']).toBeUndefined();
    expect(small.json.items.map((c: any) => c.name)).toEqual(['pay-prod']);
  });

  it('checks permission before it answers a cluster detail with 304', async () => {
    const own = await get(PAY_PROD, PAYMENTS);
    expect(own.status).toBe(200);
    expect(own.headers.etag).toBeDefined();
    expect(
      (await get(PAY_PROD, PAYMENTS, { 'if-none-match': own.headers.etag! }))
        .status,
    ).toBe(304);
    const foreign = await get(PAY_PROD, WEB, {
      'if-none-match': own.headers.etag!,
    });
    expect(foreign.status).toBe(404);
    expect(foreign.raw.toString()).not.toContain('vpc-');
  });

  it('summarizes the fleet once per model, whoever asks and however often', async () => {
    await refresh();
    const summarize = clusterSummary as jest.Mock;
    summarize.mockClear();
    for (const user of [ADMIN, PAYMENTS, WEB, ADMIN, PAYMENTS_TOO]) {
      for (const encoding of ['identity', 'gzip', 'br']) {
        expect(
          (await get(LIST, user, { 'accept-encoding': encoding })).status,
        ).toBe(200);
      }
    }
    // Two clusters, each summarized once for all fifteen answers.
    expect(summarize).toHaveBeenCalledTimes(2);
  });

  it('shows a request recorded or withdrawn on this replica in the very next list', async () => {
    const clusterRequest = webClusterRequest('web-next', '10.30.0.0/16');
    const names = async () =>
      (await get(LIST, WEB)).json.items.map((c: any) => c.name);
    expect(await names()).toEqual(['web-dev']);
    const before = await get(LIST, WEB);
    const posted = await request(
      WEB,
      'POST',
      '/api/aws-clusters/cluster-requests',
      { request: clusterRequest },
    );
    expect(posted.status).toBe(201);
    const after = await get(LIST, WEB, {
      'if-none-match': before.headers.etag!,
    });
    expect(after.status).toBe(200);
    expect(after.json.items.map((c: any) => c.name)).toEqual([
      'web-dev',
      'web-next',
    ]);
    // The payments team does not see the web team's request.
    expect(
      (await get(LIST, PAYMENTS)).json.items.map((c: any) => c.name),
    ).toEqual(['pay-prod']);
    expect(
      (
        await request(
          WEB,
          'DELETE',
          '/api/aws-clusters/cluster-requests/mc-test/org-web/web-next',
        )
      ).status,
    ).toBe(204);
    expect(await names()).toEqual(['web-dev']);
    expect((await get(LIST, WEB)).headers.etag).toBe(before.headers.etag);
  });

  it('names the body when it is not JSON, whatever the parser says', async () => {
    for (const raw of ['[]!', '{', '{"request":']) {
      const answer = await request(
        ADMIN,
        'POST',
        '/api/aws-clusters/cluster-requests',
        raw,
      );
      expect(answer.status).toBe(400);
      expect(JSON.parse(answer.text).error.message).toMatch(
        /^body: is not valid JSON: /,
      );
    }
  });

  it('gives a new tag once a refresh changes the fleet, and the old tag a full answer', async () => {
    const before = await get(LIST, ADMIN);
    const detailBefore = await get(PAY_PROD, ADMIN);
    fleet = fixtureFleet();
    const mc = fleet.managementClusters[0];
    mc.objects.clusters = mc.objects.clusters.filter(
      c => c.metadata.name !== 'web-dev',
    );
    await refresh();
    const after = await get(LIST, ADMIN, {
      'if-none-match': before.headers.etag!,
    });
    expect(after.status).toBe(200);
    expect(after.json.items.map((c: any) => c.name)).toEqual(['pay-prod']);
    expect(after.headers.etag).not.toBe(before.headers.etag);
    expect(
      (
        await get(PAY_PROD, ADMIN, {
          'if-none-match': detailBefore.headers.etag!,
        })
      ).status,
    ).toBe(200);
  });
});
