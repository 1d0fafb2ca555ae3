import { createServiceFactory } from '@backstage/backend-plugin-api';
import { mockServices, startTestBackend } from '@backstage/backend-test-utils';
import {
  notificationService,
  type NotificationSendOptions,
} from '@backstage/plugin-notifications-node';
import {
  MANAGEMENT_CLUSTER_KINDS,
  type FleetSource,
  type ManagementClusterFeed,
  type ManagementClusterKind,
  type ManagementClusterSnapshot,
} from '@clusterdeck/plugin-aws-clusters-node';
import { sourcesModule, TEST_ACCOUNTS } from '../__testUtils__/testServices';
import { awsClustersPlugin } from '../plugin';
import { machinePool, objects, Stage } from './__fixtures__/payPreview';

jest.setTimeout(30_000);

/** A management cluster whose one workload cluster is at the stage the test sets. */
function managementCluster(stage: Stage): ManagementClusterSnapshot {
  const { cluster, infrastructure } = objects(stage);
  cluster.metadata.annotations = {
    ...cluster.metadata.annotations,
    'clusterdeck.io/owner': 'group:default/payments',
  };
  return {
    name: 'mc-eu-dev',
    fetchedAt: new Date().toISOString(),
    objects: {
      ...(Object.fromEntries(
        Object.keys(MANAGEMENT_CLUSTER_KINDS).map(k => [k, []]),
      ) as unknown as Record<ManagementClusterKind, []>),
      clusters: [cluster],
      awsClusters: [infrastructure],
      machinePools: [machinePool('def00', stage === 'nat' ? 0 : 2)],
    },
    errors: [],
  };
}

async function backendWith(notifications?: object) {
  let stage: Stage = 'nat';
  let push: (snapshot: ManagementClusterSnapshot) => void = () => {};
  // A source that also pushes its management cluster between refreshes (ManagementClusterFeed).
  const source: FleetSource & ManagementClusterFeed = {
    name: 'test-mc',
    collect: async () => ({ managementClusters: [managementCluster(stage)] }),
    watchManagementClusters: onChange => {
      push = onChange;
      return () => {};
    },
  };
  const sent: NotificationSendOptions[] = [];
  const scheduler = mockServices.scheduler.mock();
  await startTestBackend({
    features: [
      scheduler.factory,
      awsClustersPlugin,
      sourcesModule([source]),
      createServiceFactory({
        service: notificationService,
        deps: {},
        factory: () => ({
          send: async (options: NotificationSendOptions) => {
            sent.push(options);
          },
        }),
      }),
      mockServices.rootConfig.factory({
        data: {
          clusterdeck: {
            sources: { aws: false, kubernetes: false },
            accounts: TEST_ACCOUNTS,
            managementClusters: [
              {
                name: 'mc-eu-dev',
                region: 'eu-central-1',
                accountId: '111122223333',
              },
            ],
            notifications: { startDelay: { seconds: 0 }, ...notifications },
          },
        },
      }),
    ],
  });
  const task = (id: string) =>
    scheduler.scheduleTask.mock.calls.find(([t]) => t.id === id)?.[0];
  const run = async (id: string) => task(id)?.fn(new AbortController().signal);
  return {
    sent,
    task,
    run,
    pushAt: (next: Stage) => {
      stage = next;
      push(managementCluster(next));
    },
    refreshAt: async (next: Stage) => {
      stage = next;
      await run('aws-clusters:refresh');
    },
  };
}

describe('cluster notifications in the backend', () => {
  it('sends the owning group and the requester that a cluster it saw provisioning is ready', async () => {
    const { sent, refreshAt } = await backendWith();
    // The recorded NAT gateways have been coming since 09:03 on 2026-12-07, long past 30 minutes,
    // but that is how the backend found the cluster at its first look: not news.
    await refreshAt('nat');
    await refreshAt('nat');
    expect(sent).toEqual([]);
    await refreshAt('ready');
    await refreshAt('ready');
    expect(sent).toHaveLength(1);
    expect(sent[0]).toMatchObject({
      recipients: {
        type: 'entity',
        entityRef: ['group:default/payments', 'user:default/guest'],
      },
      payload: {
        title: 'Cluster pay-preview is ready',
        link: '/catalog/default/resource/mc-eu-dev-pay-preview',
        severity: 'normal',
      },
    });
  });

  it('applies what a source pushes between refreshes, and tells of it without a refresh', async () => {
    const { sent, run, pushAt } = await backendWith({
      kinds: { stuck: { enabled: false } },
    });
    await run('aws-clusters:refresh');
    pushAt('ready');
    for (let i = 0; i < 200 && sent.length === 0; i++)
      await new Promise(resolve => setTimeout(resolve, 10));
    expect(sent.map(s => s.payload.title)).toEqual([
      'Cluster pay-preview is ready',
    ]);
  });

  it('evaluates nothing in the startDelay after the start', async () => {
    const { sent, refreshAt } = await backendWith({
      startDelay: { minutes: 1 },
    });
    await refreshAt('nat');
    await refreshAt('ready');
    expect(sent).toEqual([]);
  });

  it('sends nothing with clusterdeck.notifications.enabled false', async () => {
    const { sent, refreshAt } = await backendWith({ enabled: false });
    await refreshAt('nat');
    await refreshAt('ready');
    expect(sent).toEqual([]);
  });
});
