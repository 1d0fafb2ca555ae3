import fs from 'node:fs';
import path from 'node:path';
import {
  DescribeAutoScalingGroupsCommand,
  DescribeScalingActivitiesCommand,
} from '@aws-sdk/client-auto-scaling';
import {
  DescribeAvailabilityZonesCommand,
  DescribeInstancesCommand,
  DescribeInstanceTypesCommand,
  DescribeInternetGatewaysCommand,
  DescribeNatGatewaysCommand,
  DescribeRouteTablesCommand,
  DescribeSecurityGroupsCommand,
  DescribeSubnetsCommand,
  DescribeTransitGatewaysCommand,
  DescribeTransitGatewayVpcAttachmentsCommand,
  DescribeVpcPeeringConnectionsCommand,
  DescribeVpcsCommand,
} from '@aws-sdk/client-ec2';
import {
  DescribeClusterCommand,
  DescribeClusterVersionsCommand,
  DescribeInsightCommand,
  DescribeNodegroupCommand,
  ListClustersCommand,
  ListInsightsCommand,
  ListNodegroupsCommand,
} from '@aws-sdk/client-eks';
import {
  DescribeLoadBalancersCommand as DescribeClassicLoadBalancersCommand,
  DescribeTagsCommand as DescribeClassicTagsCommand,
} from '@aws-sdk/client-elastic-load-balancing';
import {
  DescribeLoadBalancersCommand,
  DescribeTagsCommand,
} from '@aws-sdk/client-elastic-load-balancing-v2';
import {
  AwsRegionSnapshot,
  RECORDED_AWS_FILES,
  SnapshotSource,
} from '@clusterdeck/plugin-aws-clusters-node';
import { RECORDED_FLEET_DIR } from '../../__testUtils__/recordedFleet';
import { AwsCollector } from './AwsCollector';
import {
  account,
  accountOf,
  AwsMocks,
  createMocks,
  fakeCredentials,
} from './__testUtils__/mockAwsRegion';

/**
 * The hand-written recording (`fleet/__fixtures__/recorded-fleet`) answers the SDK calls of the
 * live collector: each command from the file of its operation (`<service>.<Operation>.json`,
 * page by page with the tokens the pages hold), describes and filtered calls from what the files
 * hold for the names and ids asked. What the collector makes of those answers must be what the
 * snapshot source reads from the same folder.
 */
const REGION = 'eu-west-1';
const ACCOUNTS = fs.readdirSync(path.join(RECORDED_FLEET_DIR, 'aws')).sort();

type Page = Record<string, any>;

function pagesOf(accountId: string, file: string): Page[] | undefined {
  const at = path.join(RECORDED_FLEET_DIR, 'aws', accountId, REGION, file);
  if (!fs.existsSync(at)) return undefined;
  const value = JSON.parse(fs.readFileSync(at, 'utf8'));
  return Array.isArray(value) ? value : [value];
}

function filesOf(accountId: string, prefix: string): string[] {
  return fs
    .readdirSync(path.join(RECORDED_FLEET_DIR, 'aws', accountId, REGION))
    .filter(f => f.startsWith(prefix))
    .sort();
}

/** The recorded page that follows the one whose token was passed (the first without one). */
function nextPage(
  pages: Page[] | undefined,
  token: string | undefined,
  tokenKey: string,
): Page {
  if (!pages) return {};
  const at = token ? pages.findIndex(p => p[tokenKey] === token) + 1 : 0;
  if (at <= 0 && token)
    throw new Error(`no recorded page follows the token ${token}`);
  const { $metadata: _metadata, ...page } = pages[at];
  return page;
}

/** Every item under `key` of all the pages of a file. */
function allItems(accountId: string, file: string, key: string): any[] {
  return (pagesOf(accountId, file) ?? []).flatMap(p => p[key] ?? []);
}

function notFound(message: string): Error {
  return Object.assign(new Error(message), {
    name: 'ResourceNotFoundException',
  });
}

function answerFromRecording(mocks: AwsMocks) {
  const answer =
    (fn: (accountId: string, input: any) => unknown) =>
    async (input: any, getClient: () => any) =>
      fn(await accountOf(getClient), input);
  const paged = (
    mock: any,
    command: any,
    file: string,
    tokenKey = 'NextToken',
    inputKey = tokenKey,
  ) =>
    mock
      .on(command)
      .callsFake(
        answer((id, input) =>
          nextPage(pagesOf(id, file), input[inputKey], tokenKey),
        ),
      );
  paged(mocks.ec2, DescribeVpcsCommand, 'ec2.DescribeVpcs.json');
  paged(mocks.ec2, DescribeSubnetsCommand, 'ec2.DescribeSubnets.json');
  paged(mocks.ec2, DescribeRouteTablesCommand, 'ec2.DescribeRouteTables.json');
  paged(
    mocks.ec2,
    DescribeInternetGatewaysCommand,
    'ec2.DescribeInternetGateways.json',
  );
  paged(mocks.ec2, DescribeNatGatewaysCommand, 'ec2.DescribeNatGateways.json');
  paged(
    mocks.ec2,
    DescribeTransitGatewayVpcAttachmentsCommand,
    'ec2.DescribeTransitGatewayVpcAttachments.json',
  );
  paged(
    mocks.ec2,
    DescribeVpcPeeringConnectionsCommand,
    'ec2.DescribeVpcPeeringConnections.json',
  );
  paged(
    mocks.ec2,
    DescribeTransitGatewaysCommand,
    'ec2.DescribeTransitGateways.json',
  );
  paged(
    mocks.ec2,
    DescribeAvailabilityZonesCommand,
    'ec2.DescribeAvailabilityZones.json',
  );
  paged(mocks.ec2, DescribeInstancesCommand, 'ec2.DescribeInstances.json');
  paged(
    mocks.autoScaling,
    DescribeScalingActivitiesCommand,
    'autoscaling.DescribeScalingActivities.json',
  );
  paged(
    mocks.eks,
    DescribeClusterVersionsCommand,
    'eks.DescribeClusterVersions.json',
    'nextToken',
  );
  paged(
    mocks.elbv2,
    DescribeLoadBalancersCommand,
    'elbv2.DescribeLoadBalancers.json',
    'NextMarker',
    'Marker',
  );
  paged(
    mocks.elb,
    DescribeClassicLoadBalancersCommand,
    'elb.DescribeLoadBalancers.json',
    'NextMarker',
    'Marker',
  );
  // Calls that name what they ask for: the recorded items of those names or ids.
  const named = (
    mock: any,
    command: any,
    file: string,
    key: string,
    asked: (input: any) => string[] | undefined,
    nameOf: (item: any) => string,
  ) =>
    mock.on(command).callsFake(
      answer((id, input) => {
        const names = asked(input);
        const items = allItems(id, file, key);
        return {
          [key]: names ? items.filter(i => names.includes(nameOf(i))) : items,
        };
      }),
    );
  named(
    mocks.autoScaling,
    DescribeAutoScalingGroupsCommand,
    'autoscaling.DescribeAutoScalingGroups.json',
    'AutoScalingGroups',
    input => input.AutoScalingGroupNames,
    g => g.AutoScalingGroupName,
  );
  named(
    mocks.ec2,
    DescribeSecurityGroupsCommand,
    'ec2.DescribeSecurityGroups.json',
    'SecurityGroups',
    input =>
      input.Filters?.find((f: any) => f.Name === 'group-id')?.Values ??
      input.GroupIds ??
      [],
    g => g.GroupId,
  );
  named(
    mocks.ec2,
    DescribeInstanceTypesCommand,
    'ec2.DescribeInstanceTypes.json',
    'InstanceTypes',
    input => input.InstanceTypes ?? [],
    t => t.InstanceType,
  );
  named(
    mocks.elbv2,
    DescribeTagsCommand,
    'elbv2.DescribeTags.json',
    'TagDescriptions',
    input => input.ResourceArns,
    t => t.ResourceArn,
  );
  named(
    mocks.elb,
    DescribeClassicTagsCommand,
    'elb.DescribeTags.json',
    'TagDescriptions',
    input => input.LoadBalancerNames,
    t => t.LoadBalancerName,
  );
  // EKS: the clusters and node groups are those the recording describes.
  const described = (id: string, prefix: string) =>
    filesOf(id, prefix).map(f => f.slice(prefix.length, -'.json'.length));
  mocks.eks.on(ListClustersCommand).callsFake(
    answer(id => ({
      clusters: described(id, 'eks.DescribeCluster.'),
    })),
  );
  mocks.eks.on(DescribeClusterCommand).callsFake(
    answer((id, input) => {
      const [page] =
        pagesOf(id, `eks.DescribeCluster.${input.name}.json`) ?? [];
      if (!page) throw notFound(`No cluster found for name: ${input.name}.`);
      return { cluster: page.cluster };
    }),
  );
  mocks.eks.on(ListNodegroupsCommand).callsFake(
    answer((id, input) => ({
      nodegroups: described(id, `eks.DescribeNodegroup.${input.clusterName}.`),
    })),
  );
  mocks.eks.on(DescribeNodegroupCommand).callsFake(
    answer((id, input) => {
      const [page] =
        pagesOf(
          id,
          `eks.DescribeNodegroup.${input.clusterName}.${input.nodegroupName}.json`,
        ) ?? [];
      if (!page)
        throw notFound(`No node group found for name: ${input.nodegroupName}.`);
      return { nodegroup: page.nodegroup };
    }),
  );
  mocks.eks.on(ListInsightsCommand).callsFake(
    answer((id, input) => {
      const [page] =
        pagesOf(id, `eks.ListInsights.${input.clusterName}.json`) ?? [];
      return { insights: page?.insights ?? [] };
    }),
  );
  mocks.eks.on(DescribeInsightCommand).callsFake(
    answer((id, input) => {
      const [page] =
        pagesOf(
          id,
          `eks.DescribeInsight.${input.clusterName}.${input.id}.json`,
        ) ?? [];
      if (!page) throw notFound(`No insight found for id: ${input.id}.`);
      return { insight: page.insight };
    }),
  );
}

/**
 * A region snapshot without when it was read or what failed, as JSON would carry it. Scaling
 * activities in one order: AWS lists those in progress first, then by start time, and the
 * collector keeps the newest of each group newest first; the views sort them themselves.
 */
function content(region: AwsRegionSnapshot) {
  const { fetchedAt: _at, errors: _errors, ...rest } = region;
  const json = JSON.parse(JSON.stringify(rest));
  json.scalingActivities.sort((a: any, b: any) =>
    `${b.StartTime}${b.ActivityId}`.localeCompare(
      `${a.StartTime}${a.ActivityId}`,
    ),
  );
  return json;
}

let mocks: AwsMocks;
beforeEach(() => {
  mocks = createMocks();
});
afterEach(() => {
  mocks.restore();
});

describe('the recorded layout', () => {
  it('holds only files of the SDK operations the layout names', () => {
    const known = new Set(RECORDED_AWS_FILES.map(f => f.file));
    const files = ACCOUNTS.flatMap(id =>
      fs.readdirSync(path.join(RECORDED_FLEET_DIR, 'aws', id, REGION)),
    );
    const unknown = files.filter(
      f =>
        f !== 'recorded.json' &&
        !known.has(f as any) &&
        !/^eks\.(DescribeCluster|DescribeNodegroup|ListInsights|DescribeInsight)\./.test(
          f,
        ),
    );
    expect(unknown).toEqual([]);
    expect(ACCOUNTS).toEqual(['123456789012', '444455556666']);
  });

  it('is what the live collector reads when AWS answers as the recording says', async () => {
    answerFromRecording(mocks);
    const collected = await new AwsCollector({
      accounts: ACCOUNTS.map(id => account(id, [REGION])),
      credentials: fakeCredentials(),
      now: () => Date.parse('2026-10-15T12:00:00.000Z'),
    }).collect();
    const recorded = await new SnapshotSource({
      directory: RECORDED_FLEET_DIR,
    }).collect();
    expect(collected.aws!.flatMap(r => r.errors)).toEqual([]);
    expect(recorded.aws!.flatMap(r => r.errors)).toEqual([]);
    const byRegion = (regions: AwsRegionSnapshot[]) =>
      Object.fromEntries(
        regions.map(r => [`${r.accountId}/${r.region}`, content(r)]),
      );
    const live = byRegion(collected.aws!);
    const read = byRegion(recorded.aws!);
    expect(Object.keys(live).sort()).toEqual(Object.keys(read).sort());
    for (const key of Object.keys(read)) {
      for (const list of Object.keys(read[key]))
        expect({ [`${key} ${list}`]: live[key][list] }).toEqual({
          [`${key} ${list}`]: read[key][list],
        });
    }
  });
});
