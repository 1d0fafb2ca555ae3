import { mockCredentials } from '@backstage/backend-test-utils';
import request from 'supertest';
import { ControlledSource } from '../__testUtils__/harness/controlledSource';
import {
  as,
  FleetBackend,
  leadOf,
  startFleetBackend,
  USERS,
} from '../__testUtils__/harness/fleetBackend';
import {
  reliabilityConfig,
  reliabilityFleet,
} from '../__testUtils__/harness/fleets';
import {
  accountOfTeam,
  GENERATED_TEAMS,
  teamClusterRequest,
} from '../__testUtils__/harness/generatedFleetConfig';

jest.setTimeout(60_000);

type Team = (typeof GENERATED_TEAMS)[number];
const API = '/api/aws-clusters';
// A secret of the configuration that no log line and no answer may ever show.
const EXTERNAL_ID = 'ext-id-canary-3f9d2a7c51e8';

function config() {
  const base = reliabilityConfig();
  return {
    ...base,
    accounts: base.accounts.map(a => ({ ...a, externalId: EXTERNAL_ID })),
  };
}

/** A cluster name of the team within the 20 characters names may have. */
const short = (team: Team) => team.replace('-', '').slice(0, 8);

describe("one team never reaches another team's clusters, accounts or allocations", () => {
  const source = new ControlledSource(reliabilityFleet);
  let backend: FleetBackend;
  let all: any[];
  /** Per team: its clusters with a detail each, an allocation and a pending cluster request. */
  const owned = new Map<
    Team,
    { clusters: any[]; details: any[]; allocation: any; requestRef: string }
  >();
  /** Every Authorization header sent, to look for in the logs afterwards. */
  const headersSent = new Set<string>();

  const call = (
    method: 'get' | 'post' | 'delete',
    path: string,
    user?: string,
  ) => {
    const header = user ? as(user) : mockCredentials.none.header();
    headersSent.add(header);
    return request(backend.server)
      [method](`${API}${path}`)
      .set('Authorization', header);
  };

  beforeAll(async () => {
    backend = await startFleetBackend({
      sources: [source],
      clusterdeck: config(),
    });
    await backend.refresh();
    all = (await call('get', '/clusters', 'user:default/admin')).body.items;
    expect(all.length).toBe(40);
    for (const team of GENERATED_TEAMS) {
      const lead = leadOf(team);
      const clusters = all.filter(c => c.owner === `group:default/${team}`);
      expect(clusters.length).toBeGreaterThan(0);
      const details = await Promise.all(
        clusters.map(
          async c => (await call('get', `/clusters/${c.ref}`, lead)).body,
        ),
      );
      const allocation = await call('post', '/cidr-allocations', lead).send({
        pool: 'transit',
        owner: `group:default/${team}`,
      });
      expect({
        status: allocation.status,
        error: allocation.body.error?.message,
      }).toEqual({ status: 201, error: undefined });
      const posted = await call('post', '/cluster-requests', lead).send({
        request: teamClusterRequest(
          team,
          `${short(team)}-req`,
          accountOfTeam(team),
        ),
      });
      expect({
        status: posted.status,
        error: posted.body.error?.message,
      }).toEqual({ status: 201, error: undefined });
      owned.set(team, {
        clusters,
        details,
        allocation: allocation.body,
        requestRef: posted.body.ref,
      });
    }
  });

  afterAll(async () => {
    await backend?.stop();
  });

  describe.each(GENERATED_TEAMS.map(t => [t]))('the lead of %s', team => {
    const lead = leadOf(team);
    const others = () =>
      GENERATED_TEAMS.filter(t => t !== team).map(t => owned.get(t)!);
    const mine = () => owned.get(team)!;

    it("lists only the team's own clusters, with or without an owner filter", async () => {
      const res = await call('get', '/clusters', lead);
      expect(res.status).toBe(200);
      expect(res.body.items.map((c: any) => c.ref).sort()).toEqual(
        [...mine().clusters.map(c => c.ref), mine().requestRef].sort(),
      );
      for (const other of GENERATED_TEAMS.filter(t => t !== team)) {
        const filtered = await call(
          'get',
          `/clusters?owner=${encodeURIComponent(`group:default/${other}`)}`,
          lead,
        );
        expect(filtered.status).toBe(200);
        expect(filtered.body.items).toEqual([]);
      }
    });

    it("is answered for every other team's cluster as for one that does not exist, learning nothing of it", async () => {
      for (const other of others()) {
        for (const [i, cluster] of other.clusters.entries()) {
          const res = await call('get', `/clusters/${cluster.ref}`, lead);
          expect({ ref: cluster.ref, status: res.status }).toEqual({
            ref: cluster.ref,
            status: 404,
          });
          const [mc, ns, name] = cluster.ref.split('/');
          const missing = await call(
            'get',
            `/clusters/${mc}/${ns}/${name}x`,
            lead,
          );
          expect(res.body.error.message).toBe(
            missing.body.error.message.replace(`${name}x`, name),
          );
          const body = JSON.stringify(res.body);
          const vpcId: string | undefined = other.details[i].topology?.vpc?.id;
          expect(vpcId !== undefined && body.includes(vpcId)).toBe(false);
          expect(body).not.toContain(cluster.accountId);
        }
      }
    });

    it("sees no other team's cluster in the boundaries view", async () => {
      const res = await call('get', '/boundaries', lead);
      expect(res.status).toBe(200);
      const body = JSON.stringify(res.body);
      for (const other of others())
        for (const cluster of other.clusters)
          expect(body).not.toContain(cluster.ref);
      const filtered = await call(
        'get',
        `/boundaries?owner=${encodeURIComponent(
          `group:default/${GENERATED_TEAMS.find(t => t !== team)}`,
        )}`,
        lead,
      );
      for (const other of others())
        for (const cluster of other.clusters)
          expect(JSON.stringify(filtered.body)).not.toContain(cluster.ref);
    });

    it("sees only the team's own account", async () => {
      const res = await call('get', '/accounts', lead);
      expect(res.status).toBe(200);
      expect(res.body.items.map((a: any) => a.id)).toEqual([
        accountOfTeam(team),
      ]);
    });

    it("neither sees, reserves for, nor releases another team's CIDR allocations", async () => {
      const listed = await call('get', '/cidr-allocations', lead);
      expect(listed.body.items.map((a: any) => a.id)).toEqual([
        mine().allocation.id,
      ]);
      const byPool = await call('get', '/cidr-allocations?pool=transit', lead);
      expect(byPool.body.items.map((a: any) => a.id)).toEqual([
        mine().allocation.id,
      ]);
      for (const other of others()) {
        const reserve = await call('post', '/cidr-allocations', lead).send({
          pool: 'transit',
          owner: other.allocation.owner,
        });
        expect(reserve.status).toBe(403);
        const release = await call(
          'delete',
          `/cidr-allocations/${other.allocation.id}`,
          lead,
        );
        expect(release.status).toBe(404);
      }
      // The refused calls changed nothing.
      const admin = await call(
        'get',
        '/cidr-allocations',
        'user:default/admin',
      );
      expect(admin.body.items).toHaveLength(GENERATED_TEAMS.length);
    });

    it("can neither request clusters for another team, nor in another team's account, nor withdraw theirs", async () => {
      const other = GENERATED_TEAMS.find(t => t !== team)!;
      const forOther = await call('post', '/cluster-requests', lead).send({
        request: teamClusterRequest(
          other,
          `${short(team)}-for`,
          accountOfTeam(other),
        ),
      });
      expect(forOther.status).toBe(403);
      const inOtherAccount = await call('post', '/cluster-requests', lead).send(
        {
          request: teamClusterRequest(
            team,
            `${short(team)}-else`,
            accountOfTeam(other),
          ),
        },
      );
      expect(inOtherAccount.status).toBe(400);
      expect(inOtherAccount.body.error.message).toMatch(
        /^body request\.spec\.account\.id: .* does not admit/,
      );
      for (const theirs of others()) {
        const withdraw = await call(
          'delete',
          `/cluster-requests/${theirs.requestRef}`,
          lead,
        );
        expect(withdraw.status).toBe(404);
      }
    });
  });

  it('shows a user of no team nothing', async () => {
    const user = 'user:default/nobody';
    expect((await call('get', '/clusters', user)).body.items).toEqual([]);
    expect((await call('get', '/accounts', user)).body.items).toEqual([]);
    expect((await call('get', '/cidr-allocations', user)).body.items).toEqual(
      [],
    );
    const boundaries = JSON.stringify(
      (await call('get', '/boundaries', user)).body,
    );
    for (const cluster of all) expect(boundaries).not.toContain(cluster.ref);
    expect((await call('get', `/clusters/${all[0].ref}`, user)).status).toBe(
      404,
    );
  });

  it('refuses every endpoint but health to callers without credentials', async () => {
    const some = owned.get('payments')!;
    const attempts: Array<['get' | 'post' | 'delete', string]> = [
      ['get', '/clusters'],
      ['get', `/clusters/${all[0].ref}`],
      ['get', '/boundaries'],
      ['get', '/accounts'],
      ['get', '/cidr-pools'],
      ['get', '/cidr-allocations'],
      ['post', '/cidr-allocations'],
      ['delete', `/cidr-allocations/${some.allocation.id}`],
      ['post', '/cluster-requests'],
      ['delete', `/cluster-requests/${some.requestRef}`],
    ];
    for (const [method, path] of attempts) {
      const none = await call(method, path);
      expect({ method, path, status: none.status }).toEqual({
        method,
        path,
        status: 401,
      });
      const forged = await request(backend.server)
        [method](`${API}${path}`)
        .set('Authorization', mockCredentials.user.invalidHeader());
      expect({ method, path, status: forged.status }).toEqual({
        method,
        path,
        status: 401,
      });
    }
    expect((await call('get', '/health')).status).toBe(200);
  });

  it('never writes a token or a credential to the log, nor into an answer', async () => {
    // Failures are logged too: make a source fail with a message, and a request fail.
    source.fault = { kind: 'reject', message: 'the source failed' };
    await backend.refresh();
    source.fault = undefined;
    await backend.refresh();
    const text = backend.logger.text();
    expect(backend.logger.lines.length).toBeGreaterThan(0);
    for (const header of headersSent) {
      const token = header.replace(/^Bearer /, '');
      expect(text).not.toContain(token);
    }
    expect(text).not.toContain(mockCredentials.user.token());
    expect(text).not.toMatch(/Bearer\s/);
    expect(text).not.toContain(EXTERNAL_ID);
    const health = await call('get', '/health');
    const accounts = await call('get', '/accounts', 'user:default/admin');
    expect(JSON.stringify(health.body)).not.toContain(EXTERNAL_ID);
    expect(JSON.stringify(accounts.body)).not.toContain(EXTERNAL_ID);
    expect(Object.keys(USERS).length).toBeGreaterThan(GENERATED_TEAMS.length);
  });
});
