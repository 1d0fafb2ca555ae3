import {
  AutoScalingClient,
  DescribeAutoScalingGroupsCommand,
  DescribeScalingActivitiesCommand,
} from '@aws-sdk/client-auto-scaling';
import {
  DescribeAvailabilityZonesCommand,
  DescribeInstanceTypesCommand,
  DescribeInstancesCommand,
  DescribeInternetGatewaysCommand,
  DescribeNatGatewaysCommand,
  DescribeRouteTablesCommand,
  DescribeSecurityGroupsCommand,
  DescribeSubnetsCommand,
  DescribeTransitGatewaysCommand,
  DescribeTransitGatewayVpcAttachmentsCommand,
  DescribeVpcPeeringConnectionsCommand,
  DescribeVpcsCommand,
  EC2Client,
} from '@aws-sdk/client-ec2';
import {
  DescribeClusterCommand,
  DescribeClusterVersionsCommand,
  DescribeNodegroupCommand,
  DescribeInsightCommand,
  EKSClient,
  ListInsightsCommand,
  ListClustersCommand,
  ListNodegroupsCommand,
} from '@aws-sdk/client-eks';
import {
  DescribeLoadBalancersCommand as DescribeClassicLoadBalancersCommand,
  DescribeTagsCommand as DescribeClassicTagsCommand,
  ElasticLoadBalancingClient,
} from '@aws-sdk/client-elastic-load-balancing';
import {
  DescribeLoadBalancersCommand,
  DescribeTagsCommand,
  ElasticLoadBalancingV2Client,
} from '@aws-sdk/client-elastic-load-balancing-v2';
import {
  AssumeRoleCommand,
  GetCallerIdentityCommand,
  STSClient,
} from '@aws-sdk/client-sts';
import type {
  AwsRegionSnapshot,
  FleetSnapshot,
} from '@clusterdeck/plugin-aws-clusters-node';
import { mockClient } from 'aws-sdk-client-mock';
import { CallCounter, sleep } from './stats';

/*
 * Answers the AWS SDK v3 at the client level (aws-sdk-client-mock replaces `send` of every client
 * of a class) from a generated fleet snapshot, as AWS would: per account and region, with the
 * filters and pagination (NextToken, Marker) of each API and its page-size limits, each call
 * after a fixed latency. Unknown filters are refused as AWS refuses them, so a caller that relies
 * on a filter this answerer does not know fails loudly instead of reading the whole region.
 */

export interface AwsAnswererOptions {
  /** Delay of every call, in milliseconds. */
  latencyMs: number;
}

/** An AWS error as the SDK raises it: `name` is the error code. */
class AwsError extends Error {
  readonly $metadata = { httpStatusCode: 400 };
  constructor(name: string, message: string) {
    super(message);
    this.name = name;
  }
}

type Filter = { Name?: string; Values?: string[] };
type Tag = { Key?: string; Value?: string };

function glob(pattern: string): RegExp {
  return new RegExp(
    `^${pattern
      .replace(/[.+^${}()|[\]\\]/g, '\\$&')
      .replace(/\*/g, '.*')
      .replace(/\?/g, '.')}$`,
  );
}

function anyMatches(
  values: string[] | undefined,
  actual: Array<string | undefined>,
): boolean {
  const patterns = (values ?? []).map(glob);
  return actual.some(a => a !== undefined && patterns.some(p => p.test(a)));
}

/** The values a resource has for an EC2 filter name; undefined when the API knows no such filter. */
function filterValues(
  resource: any,
  name: string,
  api: string,
): Array<string | undefined> | undefined {
  const tags: Tag[] = Array.isArray(resource.Tags) ? resource.Tags : [];
  if (name.startsWith('tag:')) {
    const key = name.slice(4);
    return tags.filter(t => t.Key === key).map(t => t.Value);
  }
  switch (name) {
    case 'tag-key':
      return tags.map(t => t.Key);
    case 'tag-value':
      return tags.map(t => t.Value);
    case 'vpc-id':
      return api === 'DescribeInternetGateways' ? undefined : [resource.VpcId];
    case 'attachment.vpc-id':
      return api === 'DescribeInternetGateways'
        ? (resource.Attachments ?? []).map((a: any) => a.VpcId)
        : undefined;
    case 'subnet-id':
      return [resource.SubnetId];
    case 'group-id':
      return api === 'DescribeSecurityGroups' ? [resource.GroupId] : undefined;
    case 'state':
      return [
        typeof resource.State === 'string'
          ? resource.State
          : resource.State?.Name,
      ];
    case 'instance-state-name':
      return api === 'DescribeInstances' ? [resource.State?.Name] : undefined;
    case 'requester-vpc-info.vpc-id':
      return [resource.RequesterVpcInfo?.VpcId];
    case 'accepter-vpc-info.vpc-id':
      return [resource.AccepterVpcInfo?.VpcId];
    case 'transit-gateway-id':
      return [resource.TransitGatewayId];
    case 'owner-id':
      return api === 'DescribeTransitGateways' ? [resource.OwnerId] : undefined;
    case 'zone-type':
    case 'zone-name':
    case 'zone-id':
    case 'region-name': {
      if (api !== 'DescribeAvailabilityZones') return undefined;
      const field = {
        'zone-type': 'ZoneType',
        'zone-name': 'ZoneName',
        'zone-id': 'ZoneId',
        'region-name': 'RegionName',
      }[name];
      return [resource[field]];
    }
    default:
      return undefined;
  }
}

function applyEc2Filters<T>(
  items: T[],
  filters: Filter[] | undefined,
  api: string,
): T[] {
  if (!filters?.length) return items;
  for (const f of filters) {
    if (!f.Name || filterValues({}, f.Name, api) === undefined) {
      throw new AwsError(
        'InvalidParameterValue',
        `The filter '${f.Name}' is invalid`,
      );
    }
  }
  return items.filter(item =>
    filters.every(f => anyMatches(f.Values, filterValues(item, f.Name!, api)!)),
  );
}

/** One page of `items` after the token, and the token of the next page. */
function page<T>(
  items: T[],
  token: string | undefined,
  size: number,
): { items: T[]; next?: string } {
  const start = token ? Number(token) : 0;
  if (!Number.isInteger(start) || start < 0 || start > items.length) {
    throw new AwsError('InvalidNextToken', `The token '${token}' is invalid`);
  }
  const end = start + size;
  return {
    items: items.slice(start, end),
    next: end < items.length ? String(end) : undefined,
  };
}

function pageSize(
  requested: number | undefined,
  fallback: number,
  max: number,
  api: string,
): number {
  if (requested === undefined) return fallback;
  if (!Number.isInteger(requested) || requested < 1 || requested > max) {
    throw new AwsError(
      'ValidationError',
      `${api}: page size ${requested} is outside 1 to ${max}`,
    );
  }
  return requested;
}

/** The account a client acts for: from its credentials (an assumed role's, or test ones naming it). */
async function accountOf(client: any): Promise<string> {
  const credentials = await client.config.credentials();
  const fromKey = /(\d{12})/.exec(credentials?.accessKeyId ?? '')?.[1];
  const account = credentials?.accountId ?? fromKey;
  if (!account)
    throw new AwsError(
      'UnrecognizedClientException',
      'The security token included in the request is invalid',
    );
  return account;
}

/**
 * Installs the answerer: every EC2, ELB, ELBv2, Auto Scaling, EKS and STS client in this process
 * answers from `snapshot`. Returns the call counter and a function that restores the real SDK.
 */
export function installAwsAnswerer(
  snapshot: FleetSnapshot,
  options: AwsAnswererOptions,
) {
  const regions = new Map(
    snapshot.aws.map(r => [`${r.accountId}/${r.region}`, r]),
  );
  const counter = new CallCounter();

  /** Wraps a handler: counts the call, waits the latency, finds the account and region. */
  const handler =
    (
      service: string,
      api: string,
      answer: (input: any, region: AwsRegionSnapshot) => any,
    ) =>
    async (input: any, getClient: () => any) => {
      // aws-sdk-client-mock's getClient() is the client that called `send` last: read it before
      // awaiting anything, or concurrent calls of other accounts answer in its place.
      const client = getClient();
      const done = counter.start(`${service}:${api}`);
      try {
        await sleep(options.latencyMs);
        const region = await client.config.region();
        const accountId = await accountOf(client);
        const data = regions.get(`${accountId}/${region}`);
        if (!data)
          throw new AwsError(
            'AuthFailure',
            `account ${accountId} does not operate in ${region}`,
          );
        return answer(input ?? {}, data);
      } finally {
        done();
      }
    };

  const ec2 = mockClient(EC2Client);
  const ec2List = <K extends keyof AwsRegionSnapshot>(
    api: string,
    key: K,
    outputKey: string,
    ids?: { input: string; field: string },
  ) =>
    handler('ec2', api, (input, data) => {
      let items = data[key] as any[];
      if (ids && input[ids.input]?.length)
        items = items.filter(i => input[ids.input].includes(i[ids.field]));
      items = applyEc2Filters(items, input.Filters ?? input.Filter, api);
      const { items: pageItems, next } = page(
        items,
        input.NextToken,
        pageSize(input.MaxResults, 1000, 1000, api),
      );
      return { [outputKey]: pageItems, NextToken: next };
    });
  ec2.on(DescribeVpcsCommand).callsFake(
    ec2List('DescribeVpcs', 'vpcs', 'Vpcs', {
      input: 'VpcIds',
      field: 'VpcId',
    }),
  );
  ec2.on(DescribeSubnetsCommand).callsFake(
    ec2List('DescribeSubnets', 'subnets', 'Subnets', {
      input: 'SubnetIds',
      field: 'SubnetId',
    }),
  );
  ec2
    .on(DescribeSecurityGroupsCommand)
    .callsFake(
      ec2List('DescribeSecurityGroups', 'securityGroups', 'SecurityGroups'),
    );
  ec2
    .on(DescribeRouteTablesCommand)
    .callsFake(ec2List('DescribeRouteTables', 'routeTables', 'RouteTables'));
  ec2
    .on(DescribeInternetGatewaysCommand)
    .callsFake(
      ec2List(
        'DescribeInternetGateways',
        'internetGateways',
        'InternetGateways',
      ),
    );
  ec2
    .on(DescribeNatGatewaysCommand)
    .callsFake(ec2List('DescribeNatGateways', 'natGateways', 'NatGateways'));
  ec2
    .on(DescribeTransitGatewayVpcAttachmentsCommand)
    .callsFake(
      ec2List(
        'DescribeTransitGatewayVpcAttachments',
        'transitGatewayAttachments',
        'TransitGatewayVpcAttachments',
      ),
    );
  ec2
    .on(DescribeVpcPeeringConnectionsCommand)
    .callsFake(
      ec2List(
        'DescribeVpcPeeringConnections',
        'vpcPeeringConnections',
        'VpcPeeringConnections',
      ),
    );
  ec2.on(DescribeTransitGatewaysCommand).callsFake(
    ec2List('DescribeTransitGateways', 'transitGateways', 'TransitGateways', {
      input: 'TransitGatewayIds',
      field: 'TransitGatewayId',
    }),
  );
  ec2.on(DescribeInstanceTypesCommand).callsFake(
    ec2List('DescribeInstanceTypes', 'instanceTypes', 'InstanceTypes', {
      input: 'InstanceTypes',
      field: 'InstanceType',
    }),
  );
  // Not paginated: the whole answer at once, filtered.
  ec2.on(DescribeAvailabilityZonesCommand).callsFake(
    handler('ec2', 'DescribeAvailabilityZones', (input, data) => {
      let zones = data.availabilityZones as any[];
      if (input.ZoneNames?.length)
        zones = zones.filter(z => input.ZoneNames.includes(z.ZoneName));
      return {
        AvailabilityZones: applyEc2Filters(
          zones,
          input.Filters,
          'DescribeAvailabilityZones',
        ),
      };
    }),
  );
  ec2.on(DescribeInstancesCommand).callsFake(
    handler('ec2', 'DescribeInstances', (input, data) => {
      let items = data.instances as any[];
      if (input.InstanceIds?.length)
        items = items.filter(i => input.InstanceIds.includes(i.InstanceId));
      items = applyEc2Filters(items, input.Filters, 'DescribeInstances');
      const { items: pageItems, next } = page(
        items,
        input.NextToken,
        pageSize(input.MaxResults, 1000, 1000, 'DescribeInstances'),
      );
      return {
        Reservations: pageItems.length ? [{ Instances: pageItems }] : [],
        NextToken: next,
      };
    }),
  );

  const elb = mockClient(ElasticLoadBalancingClient);
  elb.on(DescribeClassicLoadBalancersCommand).callsFake(
    handler('elb', 'DescribeLoadBalancers', (input, data) => {
      let items = data.classicLoadBalancers.map(({ Tags: _tags, ...lb }) => lb);
      if (input.LoadBalancerNames?.length)
        items = items.filter(lb =>
          input.LoadBalancerNames.includes(lb.LoadBalancerName),
        );
      const { items: pageItems, next } = page(
        items,
        input.Marker,
        pageSize(input.PageSize, 400, 400, 'DescribeLoadBalancers'),
      );
      return { LoadBalancerDescriptions: pageItems, NextMarker: next };
    }),
  );
  elb.on(DescribeClassicTagsCommand).callsFake(
    handler('elb', 'DescribeTags', (input, data) => {
      const names: string[] = input.LoadBalancerNames ?? [];
      if (names.length < 1 || names.length > 20)
        throw new AwsError(
          'ValidationError',
          'DescribeTags takes 1 to 20 load balancer names',
        );
      const byName = new Map(
        data.classicLoadBalancers.map(lb => [lb.LoadBalancerName, lb]),
      );
      return {
        TagDescriptions: names.map(name => {
          const lb = byName.get(name);
          if (!lb)
            throw new AwsError(
              'LoadBalancerNotFound',
              `There is no ACTIVE Load Balancer named '${name}'`,
            );
          return { LoadBalancerName: name, Tags: lb.Tags ?? [] };
        }),
      };
    }),
  );

  const elbv2 = mockClient(ElasticLoadBalancingV2Client);
  elbv2.on(DescribeLoadBalancersCommand).callsFake(
    handler('elbv2', 'DescribeLoadBalancers', (input, data) => {
      let items = data.loadBalancers.map(({ Tags: _tags, ...lb }) => lb);
      if (input.LoadBalancerArns?.length)
        items = items.filter(lb =>
          input.LoadBalancerArns.includes(lb.LoadBalancerArn),
        );
      if (input.Names?.length)
        items = items.filter(lb => input.Names.includes(lb.LoadBalancerName));
      const { items: pageItems, next } = page(
        items,
        input.Marker,
        pageSize(input.PageSize, 400, 400, 'DescribeLoadBalancers'),
      );
      return { LoadBalancers: pageItems, NextMarker: next };
    }),
  );
  elbv2.on(DescribeTagsCommand).callsFake(
    handler('elbv2', 'DescribeTags', (input, data) => {
      const arns: string[] = input.ResourceArns ?? [];
      if (arns.length < 1 || arns.length > 20)
        throw new AwsError(
          'ValidationError',
          'DescribeTags takes 1 to 20 resource ARNs',
        );
      const byArn = new Map(
        data.loadBalancers.map(lb => [lb.LoadBalancerArn, lb]),
      );
      return {
        TagDescriptions: arns.map(arn => {
          const lb = byArn.get(arn);
          if (!lb)
            throw new AwsError(
              'LoadBalancerNotFound',
              `One or more load balancers not found: ${arn}`,
            );
          return { ResourceArn: arn, Tags: lb.Tags ?? [] };
        }),
      };
    }),
  );

  const autoscaling = mockClient(AutoScalingClient);
  autoscaling.on(DescribeAutoScalingGroupsCommand).callsFake(
    handler('autoscaling', 'DescribeAutoScalingGroups', (input, data) => {
      let items = data.autoScalingGroups as any[];
      if (input.AutoScalingGroupNames?.length)
        items = items.filter(g =>
          input.AutoScalingGroupNames.includes(g.AutoScalingGroupName),
        );
      for (const f of (input.Filters ?? []) as Filter[]) {
        const values = (g: any): Array<string | undefined> => {
          const tags: Tag[] = g.Tags ?? [];
          if (f.Name === 'tag-key') return tags.map(t => t.Key);
          if (f.Name === 'tag-value') return tags.map(t => t.Value);
          if (f.Name?.startsWith('tag:'))
            return tags
              .filter(t => t.Key === f.Name!.slice(4))
              .map(t => t.Value);
          throw new AwsError(
            'ValidationError',
            `Filter name '${f.Name}' is invalid`,
          );
        };
        items = items.filter(g =>
          (f.Values ?? []).some(v => values(g).includes(v)),
        );
      }
      const { items: pageItems, next } = page(
        items,
        input.NextToken,
        pageSize(input.MaxRecords, 50, 100, 'DescribeAutoScalingGroups'),
      );
      return { AutoScalingGroups: pageItems, NextToken: next };
    }),
  );
  autoscaling.on(DescribeScalingActivitiesCommand).callsFake(
    handler('autoscaling', 'DescribeScalingActivities', (input, data) => {
      let items = data.scalingActivities as any[];
      if (input.AutoScalingGroupName)
        items = items.filter(
          a => a.AutoScalingGroupName === input.AutoScalingGroupName,
        );
      if (input.ActivityIds?.length)
        items = items.filter(a => input.ActivityIds.includes(a.ActivityId));
      const { items: pageItems, next } = page(
        items,
        input.NextToken,
        pageSize(input.MaxRecords, 100, 100, 'DescribeScalingActivities'),
      );
      return { Activities: pageItems, NextToken: next };
    }),
  );

  const eks = mockClient(EKSClient);
  /** One page of an EKS list, at most 100 (`maxResults`), continued by `nextToken`. */
  const eksPage = (list: unknown[], input: any, key: string, api: string) => {
    const { items, next } = page(
      list,
      input.nextToken,
      pageSize(input.maxResults, 100, 100, api),
    );
    return { [key]: items, nextToken: next };
  };
  const clusterOf = (data: AwsRegionSnapshot, name: string) => {
    const cluster = data.eksClusters.find(c => c.name === name);
    if (!cluster)
      throw new AwsError(
        'ResourceNotFoundException',
        `No cluster found for name: ${name}.`,
      );
    return cluster;
  };
  eks.on(ListClustersCommand).callsFake(
    handler('eks', 'ListClusters', (input, data) => {
      return eksPage(
        data.eksClusters.map(c => c.name!),
        input,
        'clusters',
        'ListClusters',
      );
    }),
  );
  // EKS offers the same versions everywhere; the fleet records them once, in one region.
  const clusterVersions = snapshot.aws.flatMap(r => r.eksClusterVersions ?? []);
  eks.on(DescribeClusterVersionsCommand).callsFake(
    handler('eks', 'DescribeClusterVersions', input => {
      let versions = clusterVersions;
      if (input.clusterVersions?.length)
        versions = versions.filter(v =>
          input.clusterVersions.includes(v.clusterVersion),
        );
      if (input.versionStatus)
        versions = versions.filter(
          v => v.versionStatus === input.versionStatus,
        );
      if (input.defaultOnly) versions = versions.filter(v => v.defaultVersion);
      return eksPage(
        versions,
        input,
        'clusterVersions',
        'DescribeClusterVersions',
      );
    }),
  );
  eks.on(DescribeClusterCommand).callsFake(
    handler('eks', 'DescribeCluster', (input, data) => {
      return { cluster: clusterOf(data, input.name) };
    }),
  );
  eks.on(ListNodegroupsCommand).callsFake(
    handler('eks', 'ListNodegroups', (input, data) => {
      clusterOf(data, input.clusterName);
      const names = data.eksNodegroups
        .filter(n => n.clusterName === input.clusterName)
        .map(n => n.nodegroupName!);
      return eksPage(names, input, 'nodegroups', 'ListNodegroups');
    }),
  );
  eks.on(DescribeNodegroupCommand).callsFake(
    handler('eks', 'DescribeNodegroup', (input, data) => {
      const nodegroup = data.eksNodegroups.find(
        n =>
          n.clusterName === input.clusterName &&
          n.nodegroupName === input.nodegroupName,
      );
      if (!nodegroup)
        throw new AwsError(
          'ResourceNotFoundException',
          `No node group found for name: ${input.nodegroupName}.`,
        );
      return { nodegroup };
    }),
  );

  // Upgrade insights as EKS answers them: summaries listed per cluster (filtered by category),
  // one insight described by id with its recommendation and details.
  eks.on(ListInsightsCommand).callsFake(
    handler('eks', 'ListInsights', (input, data) => {
      clusterOf(data, input.clusterName);
      const categories: string[] | undefined = input.filter?.categories;
      const summaries = (data.eksInsights ?? [])
        .filter(
          i =>
            i.clusterName === input.clusterName &&
            (!categories?.length || categories.includes(i.category ?? '')),
        )
        .map(
          ({
            clusterName: _c,
            recommendation: _r,
            additionalInfo: _a,
            resources: _res,
            categorySpecificSummary: _s,
            ...summary
          }: any) => summary,
        );
      return eksPage(summaries, input, 'insights', 'ListInsights');
    }),
  );
  eks.on(DescribeInsightCommand).callsFake(
    handler('eks', 'DescribeInsight', (input, data) => {
      clusterOf(data, input.clusterName);
      const found = (data.eksInsights ?? []).find(
        i => i.clusterName === input.clusterName && i.id === input.id,
      );
      if (!found)
        throw new AwsError(
          'ResourceNotFoundException',
          `No insight found for id: ${input.id}.`,
        );
      const { clusterName: _c, ...insight } = found as any;
      return { insight };
    }),
  );

  // Roles are assumed as STS would grant them: credentials that name the role's account.
  const sts = mockClient(STSClient);
  sts.on(AssumeRoleCommand).callsFake(async (input: any) => {
    const done = counter.start('sts:AssumeRole');
    try {
      await sleep(options.latencyMs);
      const account = /^arn:aws[a-z-]*:iam::(\d{12}):role\//.exec(
        input.RoleArn ?? '',
      )?.[1];
      if (!account)
        throw new AwsError(
          'ValidationError',
          `${input.RoleArn} is not a role ARN`,
        );
      return {
        Credentials: {
          AccessKeyId: `ASIA${account}BENCH`,
          SecretAccessKey: 'bench-secret-access-key',
          SessionToken: 'bench-session-token',
          Expiration: new Date(Date.now() + 3600_000),
        },
        AssumedRoleUser: {
          Arn: `${input.RoleArn}/${input.RoleSessionName}`,
          AssumedRoleId: `AROA${account}:${input.RoleSessionName}`,
        },
      };
    } finally {
      done();
    }
  });
  sts
    .on(GetCallerIdentityCommand)
    .callsFake(async (_input: any, getClient: () => any) => {
      const done = counter.start('sts:GetCallerIdentity');
      try {
        await sleep(options.latencyMs);
        const account = await accountOf(getClient());
        return {
          Account: account,
          Arn: `arn:aws:iam::${account}:user/bench`,
          UserId: 'AIDABENCH',
        };
      } finally {
        done();
      }
    });

  return {
    counter,
    restore() {
      for (const mock of [ec2, elb, elbv2, autoscaling, eks, sts])
        mock.restore();
    },
  };
}

/** Credentials of an account for clients built by benchmarks and tests: the answerer reads the account from them. */
export function benchCredentials(accountId: string) {
  return {
    accessKeyId: `AKIA${accountId}BENCH`,
    secretAccessKey: 'bench-secret-access-key',
    accountId,
  };
}
