import { mockCredentials, mockServices } from '@backstage/backend-test-utils';
import type { FleetSource } from '@clusterdeck/plugin-aws-clusters-node';
import { fixtureFleet } from '../__testUtils__/fleetFixture';
import {
  TEST_ACCOUNTS,
  webClusterRequest,
} from '../__testUtils__/testServices';
import { startFleetBackend } from '../__testUtils__/harness/fleetBackend';
import { httpClient } from '../__testUtils__/harness/httpClient';

jest.setTimeout(60_000);

it('audits every mutation with who, what and the outcome, refusals included', async () => {
  const outcomes: Array<{
    eventId: string;
    meta: any;
    outcome: string;
    caller?: string;
    error?: string;
  }> = [];
  const auditor = mockServices.auditor.mock({
    createEvent: async options => {
      const caller = options.request?.headers.authorization;
      return {
        success: async result => {
          outcomes.push({
            eventId: options.eventId,
            meta: { ...options.meta, ...result?.meta },
            outcome: 'succeeded',
            caller,
          });
        },
        fail: async ({ error }) => {
          outcomes.push({
            eventId: options.eventId,
            meta: options.meta,
            outcome: 'failed',
            caller,
            error: error.name,
          });
        },
      };
    },
  });
  const source: FleetSource = {
    name: 'fixture',
    collect: async () => fixtureFleet(),
  };
  const backend = await startFleetBackend({
    sources: [source],
    clusterdeck: {
      cidrReservations: { unattachedExpiryHours: 0.0002 },
      accounts: TEST_ACCOUNTS,
      cidrPools: [{ name: 'tgw', cidr: '10.0.0.0/8', prefixLength: 16 }],
      managementClusters: [
        { name: 'mc-test', region: 'eu-west-1', accountId: '111122223333' },
      ],
    },
    features: [auditor.factory],
  });
  try {
    await backend.refresh();
    const call = httpClient(backend.server);
    const web = {
      headers: {
        authorization: mockCredentials.user.header('user:default/web-lead'),
      },
    };
    const payments = {
      headers: {
        authorization: mockCredentials.user.header(
          'user:default/payments-lead',
        ),
      },
    };

    const reserved = await call('POST', '/cidr-allocations', {
      ...web,
      body: { pool: 'tgw', owner: 'group:default/web' },
    });
    await call('POST', '/cidr-allocations', {
      ...payments,
      body: { pool: 'tgw', owner: 'group:default/web' },
    });
    await call('DELETE', `/cidr-allocations/${reserved.body.id}`, payments);
    await call('DELETE', `/cidr-allocations/${reserved.body.id}`, web);
    await call('POST', '/cluster-requests', {
      ...web,
      body: { request: webClusterRequest('web-new', '10.20.0.0/16') },
    });
    await call('DELETE', '/cluster-requests/mc-test/org-web/web-new', web);
    // A reservation no cluster uses expires (here within a second) and the next refresh releases it.
    const expiring = await call('POST', '/cidr-allocations', {
      ...web,
      body: { pool: 'tgw', owner: 'group:default/web' },
    });
    await new Promise(resolve => setTimeout(resolve, 1_000));
    await backend.refresh();

    const who = (caller?: string) => {
      if (!caller) return 'system';
      return caller === web.headers.authorization ? 'web' : 'payments';
    };
    expect(
      outcomes.map(({ eventId, meta, outcome, caller, error }) => [
        eventId,
        meta.action,
        outcome,
        error ?? '',
        who(caller),
      ]),
    ).toEqual([
      ['cidr-allocation', 'reserve', 'succeeded', '', 'web'],
      ['cidr-allocation', 'reserve', 'failed', 'NotAllowedError', 'payments'],
      ['cidr-allocation', 'release', 'failed', 'NotFoundError', 'payments'],
      ['cidr-allocation', 'release', 'succeeded', '', 'web'],
      ['cluster-request', 'record', 'succeeded', '', 'web'],
      ['cluster-request', 'withdraw', 'succeeded', '', 'web'],
      ['cidr-allocation', 'reserve', 'succeeded', '', 'web'],
      ['cidr-allocation', 'reclaim', 'succeeded', '', 'system'],
    ]);
    expect(outcomes[7].meta.released).toEqual([
      expect.objectContaining({
        id: expiring.body.id,
        owner: 'group:default/web',
      }),
    ]);
    expect(outcomes[0].meta).toEqual({
      action: 'reserve',
      pool: 'tgw',
      owner: 'group:default/web',
      id: reserved.body.id,
      cidr: reserved.body.cidr,
    });
    expect(outcomes[4].meta).toEqual({
      action: 'record',
      ref: 'mc-test/org-web/web-new',
      owner: 'group:default/web',
    });
  } finally {
    await backend.stop();
  }
});
