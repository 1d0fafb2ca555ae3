import {
  mockCredentials,
  mockServices,
  startTestBackend,
} from '@backstage/backend-test-utils';
import awsClustersPlugin from '@clusterdeck/plugin-aws-clusters-backend';
import { examplesPath } from '@clusterdeck/test-utils';
import { awsClustersModuleSnapshot } from './module';

const ACCOUNT = {
  id: '123456789012',
  name: 'production',
  environment: 'production',
  owners: ['group:default/payments'],
  accessModel: 'audited-no-access',
  regions: ['eu-west-1'],
};

async function backendWith(clusterdeck: object) {
  const scheduler = mockServices.scheduler.mock();
  const backend = await startTestBackend({
    features: [
      scheduler.factory,
      awsClustersPlugin,
      awsClustersModuleSnapshot,
      mockServices.rootConfig.factory({ data: { clusterdeck } }),
    ],
  });
  const refresh = scheduler.scheduleTask.mock.calls.find(
    ([task]) => task.id === 'aws-clusters:refresh',
  )![0];
  await refresh.fn(new AbortController().signal);
  const port = (backend.server.address() as { port: number }).port;
  const get = async (path: string) => {
    const res = await fetch(
      `http://localhost:${port}/api/aws-clusters${path}`,
      {
        headers: {
          Authorization: mockCredentials.service.header({
            onBehalfOf: mockCredentials.service('plugin:catalog'),
            targetPluginId: 'aws-clusters',
          }),
        },
      },
    );
    expect(res.status).toBe(200);
    return res.json();
  };
  const clusters = async () =>
    (await get('/clusters')) as { items: unknown[]; errors: unknown[] };
  return { clusters, get, stop: () => backend.stop() };
}

describe('awsClustersModuleSnapshot', () => {
  it('serves the recorded demo fleet instead of reading AWS', async () => {
    const { clusters, stop } = await backendWith({
      snapshot: { directory: examplesPath('demo-fleet') },
      accounts: [ACCOUNT],
    });
    try {
      const list = await clusters();
      expect(list.items.length).toBeGreaterThanOrEqual(14);
    } finally {
      await stop();
    }
  });

  it('replays a cluster provisioning, each step pushed to the fleet API without a refresh', async () => {
    const { get, stop } = await backendWith({
      snapshot: {
        directory: examplesPath('demo-fleet'),
        replayProvisioning: {
          cluster: 'mc-eu-dev/org-payments/pay-dev',
          stepSeconds: 1,
        },
      },
      accounts: [ACCOUNT],
      managementClusters: [
        {
          name: 'mc-eu-dev',
          region: 'eu-central-1',
          accountId: '111122223333',
        },
      ],
    });
    try {
      const timeline = async () =>
        (await get(
          '/clusters/mc-eu-dev/org-payments/pay-dev/provisioning',
        )) as {
          phase: string;
          blocking?: { stepId: string };
        };
      const first = await timeline();
      expect(first.phase).toBe('provisioning');
      let later = first;
      for (
        let i = 0;
        i < 100 && later.blocking?.stepId === first.blocking?.stepId;
        i++
      ) {
        await new Promise(resolve => setTimeout(resolve, 100));
        later = await timeline();
      }
      expect(later.blocking?.stepId).not.toBe(first.blocking?.stepId);
    } finally {
      await stop();
    }
  });

  it('leaves the live sources alone without clusterdeck.snapshot', async () => {
    const { clusters, stop } = await backendWith({
      accounts: [],
      sources: { aws: false, kubernetes: false },
    });
    try {
      expect((await clusters()).items).toEqual([]);
    } finally {
      await stop();
    }
  });
});
