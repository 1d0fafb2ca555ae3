import {
  AutoScalingClient,
  DescribeAutoScalingGroupsCommand,
  DescribeScalingActivitiesCommand,
} from '@aws-sdk/client-auto-scaling';
import {
  ConfigServiceClient,
  DescribeConfigurationAggregatorSourcesStatusCommand,
  SelectAggregateResourceConfigCommand,
} from '@aws-sdk/client-config-service';
import {
  DescribeAvailabilityZonesCommand,
  DescribeInstanceTypesCommand,
  EC2Client,
} from '@aws-sdk/client-ec2';
import {
  DescribeClusterVersionsCommand,
  DescribeInsightCommand,
  DescribeNodegroupCommand,
  EKSClient,
  ListInsightsCommand,
} from '@aws-sdk/client-eks';
import {
  createBackendModule,
  BackendFeature,
} from '@backstage/backend-plugin-api';
import {
  mockCredentials,
  mockServices,
  startTestBackend,
} from '@backstage/backend-test-utils';
import awsClustersPlugin from '@clusterdeck/plugin-aws-clusters-backend';
import {
  AwsRegionSnapshot,
  FleetSnapshot,
  fleetSourcesExtensionPoint,
  SnapshotSource,
} from '@clusterdeck/plugin-aws-clusters-node';
import { examplesPath } from '@clusterdeck/test-utils';
import { mockClient } from 'aws-sdk-client-mock';
import { configurationItemsOf } from './__testUtils__/configurationItemsOf';
import { awsClustersModuleAwsConfig } from './module';

/*
 * End to end: the demo fleet served once from its recording and once with its AWS side read
 * through the module from an aggregator that holds the same resources as configuration items
 * (and answers the direct reads from the recording), joined with the same management clusters.
 * The team's cluster list must come out the same.
 */

const AGGREGATOR_ACCOUNT = '111122223333';
const ACCOUNTS = [
  ['123456789012', 'production', ['eu-west-1', 'eu-central-1']],
  ['444455556666', 'development', ['eu-central-1']],
  ['111122223333', 'shared-services', ['eu-west-1', 'eu-central-1']],
] as const;

const clusterdeck = {
  accounts: ACCOUNTS.map(([id, name, regions]) => ({
    id,
    name,
    environment: name,
    owners: ['group:default/payments', 'group:default/platform'],
    accessModel: 'audited-no-access',
    regions,
  })),
  managementClusters: [
    { name: 'mc-eu-prod', region: 'eu-west-1', accountId: AGGREGATOR_ACCOUNT },
    {
      name: 'mc-eu-dev',
      region: 'eu-central-1',
      accountId: AGGREGATOR_ACCOUNT,
    },
  ],
  organizations: { payments: 'group:default/payments' },
};

const aws = {
  mainAccount: {
    accessKeyId: `AKIA${AGGREGATOR_ACCOUNT}MAIN`,
    secretAccessKey: 'test',
  },
  accounts: ACCOUNTS.map(([id]) => ({
    accountId: id,
    accessKeyId: `AKIA${id}TEST`,
    secretAccessKey: 'test',
  })),
};

async function where(getClient: () => any) {
  const client = getClient();
  const region = await client.config.region();
  const key = (await client.config.credentials()).accessKeyId as string;
  return { account: /\d{12}/.exec(key)![0], region };
}

function answerAggregator(recorded: FleetSnapshot) {
  const items = recorded.aws.flatMap(r =>
    configurationItemsOf(r, r.fetchedAt).map(i => ({
      ...i,
      accountId: r.accountId,
      region: r.region,
    })),
  );
  const config = mockClient(ConfigServiceClient);
  config.on(SelectAggregateResourceConfigCommand).callsFake(input => {
    const e: string = input.Expression;
    const type = /resourceType = '([^']+)'/.exec(e)![1];
    const region = /awsRegion = '([^']+)'/.exec(e)![1];
    const accounts = /accountId IN \(([^)]*)\)/.exec(e)?.[1];
    const ids = /resourceId IN \(([^)]*)\)/.exec(e)?.[1];
    const matching = items.filter(
      i =>
        i.resourceType === type &&
        i.region === region &&
        (!accounts || accounts.includes(`'${i.accountId}'`)) &&
        (!ids || ids.includes(`'${i.resourceId}'`)),
    );
    const start = Number(input.NextToken ?? 0);
    const end = start + input.Limit;
    return {
      Results: matching.slice(start, end).map(i => i.json),
      NextToken: end < matching.length ? String(end) : undefined,
    };
  });
  config.on(DescribeConfigurationAggregatorSourcesStatusCommand).resolves({
    AggregatedSourceStatusList: recorded.aws.map(r => ({
      SourceId: r.accountId,
      SourceType: 'ACCOUNT',
      AwsRegion: r.region,
      LastUpdateStatus: 'SUCCEEDED',
      LastUpdateTime: new Date(),
    })),
  });
  const region = async (getClient: () => any): Promise<AwsRegionSnapshot> => {
    const at = await where(getClient);
    return recorded.aws.find(
      r => r.accountId === at.account && r.region === at.region,
    )!;
  };
  const autoScaling = mockClient(AutoScalingClient);
  autoScaling
    .on(DescribeAutoScalingGroupsCommand)
    .callsFake(async (input, getClient) => ({
      AutoScalingGroups: (await region(getClient)).autoScalingGroups.filter(
        g =>
          !input.AutoScalingGroupNames ||
          input.AutoScalingGroupNames.includes(g.AutoScalingGroupName),
      ),
    }));
  autoScaling
    .on(DescribeScalingActivitiesCommand)
    .callsFake(async (_input, getClient) => ({
      Activities: (await region(getClient)).scalingActivities,
    }));
  const ec2 = mockClient(EC2Client);
  ec2
    .on(DescribeAvailabilityZonesCommand)
    .callsFake(async (_input, getClient) => ({
      AvailabilityZones: (await region(getClient)).availabilityZones,
    }));
  ec2.on(DescribeInstanceTypesCommand).callsFake(async (input, getClient) => ({
    InstanceTypes: ((await region(getClient)).instanceTypes ?? []).filter(t =>
      input.InstanceTypes?.includes(t.InstanceType!),
    ),
  }));
  const eks = mockClient(EKSClient);
  eks.on(DescribeClusterVersionsCommand).resolves({
    clusterVersions: recorded.aws.flatMap(r => r.eksClusterVersions),
  });
  eks.on(DescribeNodegroupCommand).callsFake(async (input, getClient) => ({
    nodegroup: (await region(getClient)).eksNodegroups.find(
      n =>
        n.clusterName === input.clusterName &&
        n.nodegroupName === input.nodegroupName,
    ),
  }));
  // The recording's insights, listed as summaries and each described in full.
  const insightsOf = async (clusterName: string, getClient: () => any) =>
    ((await region(getClient)).eksInsights ?? []).filter(
      i => i.clusterName === clusterName,
    );
  eks.on(ListInsightsCommand).callsFake(async (input, getClient) => ({
    insights: (await insightsOf(input.clusterName, getClient)).map(
      ({ clusterName: _c, ...i }) => ({
        id: i.id,
        name: i.name,
        category: i.category,
        kubernetesVersion: i.kubernetesVersion,
        lastRefreshTime: i.lastRefreshTime,
        lastTransitionTime: i.lastTransitionTime,
        description: i.description,
        insightStatus: i.insightStatus,
      }),
    ),
  }));
  eks.on(DescribeInsightCommand).callsFake(async (input, getClient) => {
    const found = (await insightsOf(input.clusterName, getClient)).find(
      i => i.id === input.id,
    );
    if (!found) return {};
    const { clusterName: _c, ...insight } = found;
    return { insight };
  });
  return {
    config,
    restore: () => [config, autoScaling, ec2, eks].forEach(m => m.restore()),
  };
}

/** A module whose source replaces the plugin's live collectors. */
function replacingLiveSources(
  name: string,
  collect: () => Promise<Partial<FleetSnapshot>>,
): BackendFeature {
  return createBackendModule({
    pluginId: 'aws-clusters',
    moduleId: name,
    register(reg) {
      reg.registerInit({
        deps: { sources: fleetSourcesExtensionPoint },
        async init({ sources }) {
          sources.replaceLiveSources({ name, collect });
        },
      });
    },
  });
}

/** The recording with the ten newest activities per group that both AWS sources keep. */
function tenActivitiesPerGroup(recorded: FleetSnapshot): FleetSnapshot {
  const time = (v: Date | string | undefined) =>
    v ? new Date(v).getTime() : 0;
  return {
    ...recorded,
    aws: recorded.aws.map(r => {
      const kept = new Map<string, number>();
      return {
        ...r,
        scalingActivities: [...r.scalingActivities]
          .sort((a, b) => time(b.StartTime) - time(a.StartTime))
          .filter(a => {
            const n = kept.get(a.AutoScalingGroupName ?? '') ?? 0;
            kept.set(a.AutoScalingGroupName ?? '', n + 1);
            return n < 10;
          }),
      };
    }),
  };
}

async function clustersOf(features: BackendFeature[], config: object) {
  const scheduler = mockServices.scheduler.mock();
  const backend = await startTestBackend({
    features: [
      scheduler.factory,
      awsClustersPlugin,
      ...features,
      mockServices.rootConfig.factory({ data: config }),
    ],
  });
  try {
    const refresh = scheduler.scheduleTask.mock.calls.find(
      ([task]) => task.id === 'aws-clusters:refresh',
    )![0];
    await refresh.fn(new AbortController().signal);
    const port = (backend.server.address() as { port: number }).port;
    const authorization = mockCredentials.service.header({
      onBehalfOf: mockCredentials.service('plugin:catalog'),
      targetPluginId: 'aws-clusters',
    });
    const res = await fetch(
      `http://localhost:${port}/api/aws-clusters/clusters`,
      { headers: { Authorization: authorization } },
    );
    expect(res.status).toBe(200);
    const list = (await res.json()) as { items: any[]; errors?: unknown[] };
    const details: Record<string, any> = {};
    for (const c of list.items) {
      const detail = await fetch(
        `http://localhost:${port}/api/aws-clusters/clusters/${c.managementCluster}/${c.namespace}/${c.name}`,
        { headers: { Authorization: authorization } },
      );
      expect(detail.status).toBe(200);
      details[c.ref] = await detail.json();
    }
    return { ...list, details };
  } finally {
    await backend.stop();
  }
}

describe('awsClustersModuleAwsConfig', () => {
  it('serves the fleet read through AWS Config as the recording of the same fleet', async () => {
    const recorded = (await new SnapshotSource({
      directory: examplesPath('demo-fleet'),
    }).collect()) as FleetSnapshot;
    const expected = await clustersOf(
      [
        replacingLiveSources('recorded', async () =>
          tenActivitiesPerGroup(recorded),
        ),
      ],
      { clusterdeck },
    );

    const aggregator = answerAggregator(recorded);
    try {
      const actual = await clustersOf(
        [
          awsClustersModuleAwsConfig,
          // The management clusters of the recording, in place of the Kubernetes collector.
          replacingLiveSources('recorded-management-clusters', async () => ({
            managementClusters: recorded.managementClusters,
          })),
        ],
        {
          aws,
          clusterdeck: {
            ...clusterdeck,
            sources: { aws: false, kubernetes: false },
            awsConfig: {
              aggregatorName: 'org-aggregator',
              accountId: AGGREGATOR_ACCOUNT,
              region: 'eu-west-1',
              scalingActivities: 'all',
            },
          },
        },
      );
      expect(
        aggregator.config.commandCalls(SelectAggregateResourceConfigCommand)
          .length,
      ).toBeGreaterThan(0);
      expect(expected.items.length).toBeGreaterThanOrEqual(10);
      const byKey = (list: any[]) =>
        [...list].sort((a, b) => a.ref.localeCompare(b.ref));
      expect(byKey(actual.items)).toEqual(byKey(expected.items));
      expect(Object.keys(actual.details)).toEqual(
        expect.arrayContaining(expected.items.map(c => c.ref)),
      );
      // Apart from when it was made, the data's time (the aggregator's last collection) and the
      // transit gateway attachments' state, which Config's items do not carry (their schema lists
      // Id, TransitGatewayId, VpcId and SubnetIds).
      const withoutAttachmentState = (value: any): any => {
        if (Array.isArray(value)) return value.map(withoutAttachmentState);
        if (!value || typeof value !== 'object') return value;
        const out: any = {};
        for (const [k, v] of Object.entries(value))
          if (!(k === 'state' && String(value.id).startsWith('tgw-attach-')))
            out[k] = withoutAttachmentState(v);
        return out;
      };
      const timeless = ({ generatedAt: _at, sources, ...detail }: any) =>
        withoutAttachmentState({
          ...detail,
          sources: sources?.map(({ fetchedAt: _f, ...s }: any) => s),
        });
      for (const ref of Object.keys(expected.details))
        expect(timeless(actual.details[ref])).toEqual(
          timeless(expected.details[ref]),
        );
    } finally {
      aggregator.restore();
    }
  });

  it('refuses to start beside the AWS collector', async () => {
    await expect(
      startTestBackend({
        features: [
          awsClustersPlugin,
          awsClustersModuleAwsConfig,
          mockServices.rootConfig.factory({
            data: {
              clusterdeck: {
                accounts: [],
                awsConfig: {
                  aggregatorName: 'org-aggregator',
                  accountId: AGGREGATOR_ACCOUNT,
                  region: 'eu-west-1',
                },
              },
            },
          }),
        ],
      }),
    ).rejects.toThrow(/set clusterdeck.sources.aws to false/);
  });

  it('does nothing without clusterdeck.awsConfig', async () => {
    const { items } = await clustersOf([awsClustersModuleAwsConfig], {
      clusterdeck: { accounts: [], sources: { aws: false, kubernetes: false } },
    });
    expect(items).toEqual([]);
  });
});
