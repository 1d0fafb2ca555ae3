import { mockServices } from '@backstage/backend-test-utils';
import { ConfigReader } from '@backstage/config';
import type {
  NotificationSendOptions,
  NotificationService,
} from '@backstage/plugin-notifications-node';
import { databasesUnderTest } from '../__testUtils__/localServices';
import { ClusterdeckDatabase } from '../database/ClusterdeckDatabase';
import type {
  ClusterRecord,
  FleetModel,
  PoolRecord,
} from '../fleet/buildFleetModel';
import { ClusterNotifier } from './ClusterNotifier';
import {
  machinePool,
  objects,
  OWNER,
  REF,
  Stage,
  T,
  at,
} from './__fixtures__/payPreview';

/*
 * One EC2 cluster as CAPA and Cluster API report it while it provisions (conditions from CAPA's
 * AWSCluster controller: VpcReady … ClusterSecurityGroupsReady, NatGatewaysReady False with
 * NatGatewaysCreationStarted while the gateways are made, LoadBalancerReady; Cluster API's
 * InfrastructureReady, ControlPlaneInitialized, ControlPlaneAvailable; MachinePool ready
 * replicas), then ready, degraded (RemoteConnectionProbe False), with a pool at its maximum and a
 * failed Auto Scaling launch (DescribeScalingActivities `StatusCode: Failed`).
 */

jest.setTimeout(60_000);

function pool(
  name: string,
  ready: number,
  extra: Partial<PoolRecord['state']> = {},
): PoolRecord {
  return {
    name,
    kind: 'asg',
    machinePool: machinePool(name, ready),
    state: {
      min: 1,
      max: 4,
      desired: 2,
      current: ready,
      ready,
      group: { state: 'active' },
      healthIssues: [],
      ...extra,
    } as PoolRecord['state'],
  };
}

const STATUS: Record<Stage, ClusterRecord['status']> = {
  nat: 'creating',
  failed: 'creating',
  pools: 'ready',
  ready: 'ready',
  degraded: 'degraded',
  deleting: 'deleting',
};

function record(
  stage: Stage,
  options: { pools?: PoolRecord[]; uid?: string; ref?: string } = {},
): ClusterRecord {
  const ref = options.ref ?? REF;
  const name = ref.split('/')[2];
  const { cluster, infrastructure } = objects(stage, options.uid);
  cluster.metadata.name = name;
  return {
    ref,
    name,
    namespace: 'org-payments',
    managementCluster: 'mc-eu-dev',
    owner: OWNER,
    ownerSource: 'organization',
    flavor: 'ec2',
    cluster,
    infrastructure,
    status: STATUS[stage],
    statusReason:
      stage === 'degraded'
        ? 'RemoteConnectionProbe is False: Remote connection probe failed'
        : undefined,
    pools: options.pools ?? [
      pool('def00', stage === 'pools' || stage === 'nat' ? 0 : 2),
    ],
    sources: ['kubernetes:mc-eu-dev'],
  } as unknown as ClusterRecord;
}

function model(records: ClusterRecord[], stale = false): FleetModel {
  return {
    clusters: records,
    byRef: new Map(records.map(r => [r.ref, r])),
    regions: new Map(),
    accounts: new Map(),
    sources: [{ source: 'kubernetes:mc-eu-dev', stale }],
    generatedAt: at(0),
    acceptedFindings: [],
  } as unknown as FleetModel;
}

/** The ledger's rows of clusters (without the row that records the first evaluation). */
async function clusterRows(db: ClusterdeckDatabase) {
  return (await db.listSentNotifications()).filter(r => r.ref !== '*');
}

class FakeNotifications implements NotificationService {
  sent: NotificationSendOptions[] = [];
  failNext = false;
  calls = 0;
  async send(options: NotificationSendOptions) {
    this.calls += 1;
    if (this.failNext) {
      this.failNext = false;
      throw new Error('notifications backend unavailable');
    }
    this.sent.push(options);
  }
  titles() {
    return this.sent.map(s => s.payload.title);
  }
}

const { ids, databases } = databasesUnderTest('ClusterNotifier');

describe.each(ids)('ClusterNotifier on %s', id => {
  async function setup(notifications: object = {}) {
    const knex = await databases.init(id);
    const db = await ClusterdeckDatabase.create({
      getClient: async () => knex,
    });
    const fake = new FakeNotifications();
    const make = () =>
      ClusterNotifier.create({
        rootConfig: new ConfigReader({ clusterdeck: { notifications } }),
        db,
        notifications: fake,
        logger: mockServices.logger.mock(),
      })!;
    const notifier = make();
    // The first evaluation only records what holds; these tests start from an empty fleet.
    await notifier.evaluate(model([]), T(0));
    return { db, fake, notifier, replica: make() };
  }

  it('tells the owner and the requester once when a cluster seen provisioning is ready, on one replica of two', async () => {
    const { fake, notifier, replica, db } = await setup();
    await notifier.evaluate(model([record('nat')]), T(4));
    await notifier.evaluate(model([record('pools')]), T(12));
    expect(fake.sent).toEqual([]);

    await Promise.all([
      notifier.evaluate(model([record('ready')]), T(14)),
      replica.evaluate(model([record('ready')]), T(14)),
    ]);
    expect(fake.sent).toEqual([
      {
        recipients: {
          type: 'entity',
          entityRef: [OWNER, 'user:default/guest'],
        },
        payload: {
          title: 'Cluster pay-preview is ready',
          description:
            'mc-eu-dev/org-payments/pay-preview is provisioned after 14 minutes: every step is done and its node pools are ready.',
          link: '/catalog/default/resource/mc-eu-dev-pay-preview',
          severity: 'normal',
          topic: 'Cluster ready',
          scope: 'aws-clusters:mc-eu-dev/org-payments/pay-preview:ready',
        },
      },
    ]);
    // Evaluating again, or after a restart, sends nothing more.
    await notifier.evaluate(model([record('ready')]), T(20));
    await replica.evaluate(model([record('ready')]), T(21));
    expect(fake.sent).toHaveLength(1);
    expect((await clusterRows(db)).map(r => r.kind)).toEqual(['ready']);
  });

  it('records what holds at the first evaluation without sending it, on this replica and the next', async () => {
    const knex = await databases.init(id);
    const db = await ClusterdeckDatabase.create({
      getClient: async () => knex,
    });
    const fake = new FakeNotifications();
    const make = () =>
      ClusterNotifier.create({
        rootConfig: new ConfigReader({}),
        db,
        notifications: fake,
        logger: mockServices.logger.mock(),
      })!;
    const pools = [pool('def00', 4, { desired: 4, current: 4, ready: 4 })];
    await make().evaluate(model([record('degraded', { pools })]), T(31));
    await make().evaluate(model([record('degraded', { pools })]), T(32));
    expect(fake.sent).toEqual([]);
    // What changes after is news.
    await make().evaluate(model([record('ready', { pools })]), T(33));
    await make().evaluate(model([record('degraded', { pools })]), T(34));
    expect(fake.titles()).toEqual(['Cluster pay-preview is degraded']);
  });

  it('says nothing of clusters found ready, and tells of a cluster created again under the same name', async () => {
    const { fake, notifier, db } = await setup();
    await notifier.evaluate(model([record('ready')]), T(14));
    // A long-ready cluster whose pool lacks a node is not provisioning, nor stuck.
    await notifier.evaluate(
      model([record('ready', { pools: [pool('def00', 1)] })]),
      T(200),
    );
    expect(fake.sent).toEqual([]);
    expect(await clusterRows(db)).toEqual([]);
    await notifier.evaluate(model([record('nat', { uid: 'uid-2' })]), T(15));
    await notifier.evaluate(model([record('ready', { uid: 'uid-2' })]), T(30));
    expect(fake.titles()).toEqual(['Cluster pay-preview is ready']);
  });

  it('tells once that provisioning is stuck, and again only when it is stuck at a later step', async () => {
    const { fake, notifier } = await setup({ stuckAfter: { minutes: 20 } });
    await notifier.evaluate(model([record('nat')]), T(10));
    expect(fake.sent).toEqual([]);
    await notifier.evaluate(model([record('nat')]), T(24));
    await notifier.evaluate(model([record('nat')]), T(25));
    expect(fake.sent).toHaveLength(1);
    expect(fake.sent[0].payload).toMatchObject({
      title: 'Cluster pay-preview is stuck provisioning',
      description:
        'mc-eu-dev/org-payments/pay-preview: no step advanced for 21 minutes; waiting for NAT gateways (NatGatewaysCreationStarted): NAT gateways are being created',
      severity: 'high',
    });
    // The gateways come; the pools then wait past the limit: a new matter.
    await notifier.evaluate(model([record('pools')]), T(26));
    expect(fake.sent).toHaveLength(1);
    await notifier.evaluate(model([record('pools')]), T(35));
    expect(fake.sent.map(s => s.payload.description)).toEqual([
      expect.stringContaining('NAT gateways'),
      'mc-eu-dev/org-payments/pay-preview: no step advanced for 24 minutes; waiting for Node pool def00',
    ]);
  });

  it('tells of a failed step as critical, and of a ready cluster turning degraded until it recovers', async () => {
    const { fake, notifier } = await setup();
    await notifier.evaluate(model([record('failed')]), T(5));
    expect(fake.sent.map(s => [s.payload.title, s.payload.severity])).toEqual([
      ['Cluster pay-preview failed to provision', 'critical'],
    ]);
    expect(fake.sent[0].payload.description).toContain('AddressLimitExceeded');

    await notifier.evaluate(model([record('ready')]), T(20));
    await notifier.evaluate(model([record('degraded')]), T(31));
    await notifier.evaluate(model([record('degraded')]), T(32));
    await notifier.evaluate(model([record('ready')]), T(33));
    await notifier.evaluate(model([record('degraded')]), T(34));
    expect(fake.titles()).toEqual([
      'Cluster pay-preview failed to provision',
      'Cluster pay-preview is ready',
      'Cluster pay-preview is degraded',
      'Cluster pay-preview is degraded',
    ]);
    expect(fake.sent[2].payload).toMatchObject({
      description:
        'mc-eu-dev/org-payments/pay-preview: RemoteConnectionProbe is False: Remote connection probe failed',
      severity: 'high',
    });
  });

  it('tells of each pool at its maximum and each failed launch', async () => {
    const { fake, notifier } = await setup();
    const failedActivity = {
      ActivityId: 'f9f2d65b-f1f2-43e7-b46d-d86756459699',
      StatusCode: 'Failed',
      StartTime: T(30),
      StatusMessage:
        'Could not launch Spot Instances. InsufficientInstanceCapacity - There is no Spot capacity available that matches your request. Launching EC2 instance failed.',
    };
    const pools = [
      pool('def00', 4, { desired: 4, current: 4, ready: 4 }),
      pool('spot00', 1, { failedActivity } as any),
    ];
    await notifier.evaluate(model([record('ready', { pools })]), T(31));
    await notifier.evaluate(model([record('ready', { pools })]), T(32));
    expect(fake.sent.map(s => [s.payload.title, s.payload.severity])).toEqual([
      ['Node pool def00 of pay-preview is at its maximum', 'normal'],
      ['Node pool spot00 of pay-preview cannot scale', 'high'],
    ]);
    expect(fake.sent[1].payload.description).toContain(
      'InsufficientInstanceCapacity',
    );
    expect(fake.sent[1].payload.scope).toBe(
      'aws-clusters:mc-eu-dev/org-payments/pay-preview:launchesFailing:spot00',
    );
  });

  it('keeps what it sent while the source is stale, and forgets it when the cluster is gone', async () => {
    const { fake, notifier, db } = await setup();
    await notifier.evaluate(model([record('ready')]), T(20));
    await notifier.evaluate(model([record('degraded')]), T(31));
    // A stale management cluster's last objects say nothing new: no resolution, no resend.
    await notifier.evaluate(model([record('ready')], true), T(32));
    await notifier.evaluate(model([record('degraded')]), T(33));
    expect(fake.titles()).toEqual(['Cluster pay-preview is degraded']);
    await notifier.evaluate(model([]), T(34));
    expect(await clusterRows(db)).toEqual([]);
  });

  it('pauses after a failed send, then tries every matter again', async () => {
    const { fake, notifier } = await setup();
    await notifier.evaluate(model([record('ready')]), T(20));
    fake.failNext = true;
    const pools = [pool('def00', 2, { desired: 4, max: 4 })];
    await notifier.evaluate(model([record('degraded', { pools })]), T(31));
    expect(fake.sent).toEqual([]);
    expect(fake.calls).toBe(1);
    // Sending pauses for five minutes after a failure, then every matter is tried again.
    await notifier.evaluate(model([record('degraded', { pools })]), T(35));
    expect(fake.calls).toBe(1);
    await notifier.evaluate(model([record('degraded', { pools })]), T(37));
    expect(fake.titles()).toEqual([
      'Node pool def00 of pay-preview is at its maximum',
      'Cluster pay-preview is degraded',
    ]);
  });

  it("links to the cluster's entity as the catalog module names it", async () => {
    const knex = await databases.init(id);
    const db = await ClusterdeckDatabase.create({
      getClient: async () => knex,
    });
    const fake = new FakeNotifications();
    const notifier = ClusterNotifier.create({
      rootConfig: new ConfigReader({
        clusterdeck: { catalog: { namespace: 'fleet' } },
      }),
      db,
      notifications: fake,
      logger: mockServices.logger.mock(),
    })!;
    await notifier.evaluate(model([]), T(0));
    // Two clusters of one management cluster share a name: their entities name the namespace too.
    const web = record('degraded', {
      ref: 'mc-eu-dev/org-web/pay-preview',
    });
    (web as { namespace: string }).namespace = 'org-web';
    await notifier.evaluate(model([record('degraded'), web]), T(31));
    expect(fake.sent.map(s => s.payload.link).sort()).toEqual([
      '/catalog/fleet/resource/mc-eu-dev-org-payments-pay-preview',
      '/catalog/fleet/resource/mc-eu-dev-org-web-pay-preview',
    ]);
  });

  it('sends no kind turned off, and each kind with its configured severity', async () => {
    const { fake, notifier } = await setup({
      kinds: { degraded: { enabled: false }, ready: { severity: 'high' } },
    });
    await notifier.evaluate(model([record('nat')]), T(4));
    await notifier.evaluate(model([record('ready')]), T(20));
    await notifier.evaluate(model([record('degraded')]), T(31));
    expect(fake.sent.map(s => [s.payload.title, s.payload.severity])).toEqual([
      ['Cluster pay-preview is ready', 'high'],
    ]);
  });
});

describe('ClusterNotifier configuration', () => {
  const create = (notifications: unknown) =>
    ClusterNotifier.create({
      rootConfig: new ConfigReader({ clusterdeck: { notifications } } as any),
      db: {} as any,
      notifications: new FakeNotifications(),
      logger: mockServices.logger.mock(),
    });

  it('is off with enabled: false', () => {
    expect(create({ enabled: false })).toBeUndefined();
    expect(create({})).toBeInstanceOf(ClusterNotifier);
  });

  it('refuses unknown kinds, severities and a zero stuckAfter, naming the key', () => {
    expect(() => create({ kinds: { ready: { severity: 'urgent' } } })).toThrow(
      /clusterdeck\.notifications\.kinds\.ready\.severity: /,
    );
    expect(() => create({ kinds: { readdy: {} } })).toThrow(
      /clusterdeck\.notifications\.kinds: .*readdy/,
    );
    expect(() => create({ stuckAfter: { minutes: 0 } })).toThrow(
      /clusterdeck\.notifications\.stuckAfter: must be longer than zero/,
    );
  });
});
