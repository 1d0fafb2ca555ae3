import fs from 'node:fs/promises';
import path from 'node:path';
import { parse as parseYaml } from 'yaml';
import {
  AwsRegionSnapshot,
  EksInsight,
  emptyAwsRegionSnapshot,
  emptyManagementClusterObjects,
  KubeObject,
  MANAGEMENT_CLUSTER_KINDS,
  ManagementClusterKind,
  ManagementClusterSnapshot,
  SourceError,
} from '../types';

/**
 * @public The files of a recorded account region (`aws/<account>/<region>/`): one per SDK
 * operation, each holding the command's output as `JSON.stringify` writes it (or a list of
 * outputs, one per page), and the list of the region snapshot it fills.
 */
export const RECORDED_AWS_FILES = [
  { file: 'ec2.DescribeVpcs.json', output: 'Vpcs', list: 'vpcs' },
  { file: 'ec2.DescribeSubnets.json', output: 'Subnets', list: 'subnets' },
  {
    file: 'ec2.DescribeRouteTables.json',
    output: 'RouteTables',
    list: 'routeTables',
  },
  {
    file: 'ec2.DescribeInternetGateways.json',
    output: 'InternetGateways',
    list: 'internetGateways',
  },
  {
    file: 'ec2.DescribeNatGateways.json',
    output: 'NatGateways',
    list: 'natGateways',
  },
  {
    file: 'ec2.DescribeTransitGatewayVpcAttachments.json',
    output: 'TransitGatewayVpcAttachments',
    list: 'transitGatewayAttachments',
  },
  {
    file: 'ec2.DescribeVpcPeeringConnections.json',
    output: 'VpcPeeringConnections',
    list: 'vpcPeeringConnections',
  },
  {
    file: 'ec2.DescribeTransitGateways.json',
    output: 'TransitGateways',
    list: 'transitGateways',
  },
  {
    file: 'ec2.DescribeAvailabilityZones.json',
    output: 'AvailabilityZones',
    list: 'availabilityZones',
  },
  {
    file: 'ec2.DescribeInstanceTypes.json',
    output: 'InstanceTypes',
    list: 'instanceTypes',
  },
  {
    file: 'ec2.DescribeSecurityGroups.json',
    output: 'SecurityGroups',
    list: 'securityGroups',
  },
  {
    file: 'ec2.DescribeInstances.json',
    output: 'Reservations[].Instances',
    list: 'instances',
  },
  {
    file: 'elbv2.DescribeLoadBalancers.json',
    output: 'LoadBalancers',
    list: 'loadBalancers',
  },
  {
    file: 'elbv2.DescribeTags.json',
    output: 'TagDescriptions (by ResourceArn)',
    list: 'loadBalancers',
  },
  {
    file: 'elb.DescribeLoadBalancers.json',
    output: 'LoadBalancerDescriptions',
    list: 'classicLoadBalancers',
  },
  {
    file: 'elb.DescribeTags.json',
    output: 'TagDescriptions (by LoadBalancerName)',
    list: 'classicLoadBalancers',
  },
  {
    file: 'autoscaling.DescribeAutoScalingGroups.json',
    output: 'AutoScalingGroups',
    list: 'autoScalingGroups',
  },
  {
    file: 'autoscaling.DescribeScalingActivities.json',
    output: 'Activities',
    list: 'scalingActivities',
  },
  {
    file: 'eks.DescribeClusterVersions.json',
    output: 'clusterVersions',
    list: 'eksClusterVersions',
  },
  {
    file: 'eks.DescribeCluster.<cluster>.json',
    output: 'cluster',
    list: 'eksClusters',
  },
  {
    file: 'eks.DescribeNodegroup.<cluster>.<nodegroup>.json',
    output: 'nodegroup',
    list: 'eksNodegroups',
  },
  {
    file: 'eks.ListInsights.<cluster>.json',
    output: 'insights',
    list: 'eksInsights',
  },
  {
    file: 'eks.DescribeInsight.<cluster>.<insight>.json',
    output: 'insight',
    list: 'eksInsights',
  },
] as const;

/**
 * @public Cost Explorer's `GetCostAndUsage` answer, recorded beside `aws/` and
 * `management-clusters/`: a list of output pages (each with its `NextPageToken` but the last).
 * A recorded fleet answers cost queries with it, whatever period they ask for.
 */
export const RECORDED_COST_FILE = 'cost-explorer/ce.GetCostAndUsage.json';

/** @public The file beside the recorded outputs that says when they were read (`{ "fetchedAt": ISO }`). */
export const RECORDED_AT_FILE = 'recorded.json';

type Outputs = Array<Record<string, unknown>>;

class Problems {
  readonly errors: SourceError[] = [];
  constructor(
    private readonly source: string,
    private readonly shown: string,
  ) {}
  add(file: string, code: string, message: string) {
    this.errors.push({
      source: this.source,
      operation: `read ${this.shown}/${file}`,
      code,
      message,
      at: new Date().toISOString(),
    });
  }
}

async function readText(file: string): Promise<string | undefined> {
  try {
    return await fs.readFile(file, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw error;
  }
}

/** The outputs in a file: one command output, or a list of them (one per page). */
async function outputs(
  dir: string,
  file: string,
  problems: Problems,
): Promise<Outputs | undefined> {
  const text = await readText(path.join(dir, file));
  if (text === undefined) return undefined;
  try {
    const value = JSON.parse(text);
    const pages = Array.isArray(value) ? value : [value];
    if (
      pages.some(p => p === null || typeof p !== 'object' || Array.isArray(p))
    ) {
      problems.add(
        file,
        'MalformedSnapshot',
        `${file} holds neither a command output nor a list of them`,
      );
      return undefined;
    }
    return pages;
  } catch (error) {
    problems.add(
      file,
      'MalformedSnapshot',
      `${file} is not valid JSON: ${(error as Error).message}`,
    );
    return undefined;
  }
}

function listOf<T>(
  pages: Outputs | undefined,
  key: string,
  file: string,
  problems: Problems,
): T[] {
  const all: T[] = [];
  for (const page of pages ?? []) {
    const value = page[key];
    if (value === undefined || value === null) continue;
    if (!Array.isArray(value)) {
      problems.add(file, 'MalformedSnapshot', `${file}: ${key} is not a list`);
      continue;
    }
    all.push(...(value as T[]));
  }
  return all;
}

/** The output under `key` of each page that has one (`DescribeCluster`'s `cluster`, …). */
function outputOf<T>(pages: Outputs | undefined, key: string): T[] {
  return (pages ?? []).flatMap(page => (page[key] ? [page[key] as T] : []));
}

type TagList = Array<{ Key?: string; Value?: string }>;

/** Puts the tags DescribeTags answered onto the load balancers they describe, as the collector does. */
function withTags<T extends Record<string, unknown>>(
  items: T[],
  descriptions: Array<Record<string, unknown>>,
  itemKey: string,
  descriptionKey: string,
): T[] {
  const tags = new Map(
    descriptions.map(d => [
      d[descriptionKey] as string,
      d.Tags as TagList | undefined,
    ]),
  );
  return items.map(item =>
    tags.has(item[itemKey] as string)
      ? { ...item, Tags: tags.get(item[itemKey] as string) ?? [] }
      : item,
  );
}

/**
 * @public
 * Reads an account region recorded as one file per SDK operation ({@link RECORDED_AWS_FILES}).
 * A missing file leaves its list empty; a malformed one becomes an error of the region.
 */
export async function readRecordedRegion(
  dir: string,
  accountId: string,
  region: string,
  shown: string,
): Promise<AwsRegionSnapshot> {
  const problems = new Problems(`aws:${accountId}:${region}`, shown);
  const files = (await fs.readdir(dir)).filter(f => f.endsWith('.json')).sort();
  const read = (file: string) => outputs(dir, file, problems);
  const meta = (await read(RECORDED_AT_FILE))?.[0] ?? {};
  const snapshot = emptyAwsRegionSnapshot(
    accountId,
    region,
    typeof meta.fetchedAt === 'string'
      ? meta.fetchedAt
      : new Date().toISOString(),
  );
  const recordedErrors = Array.isArray(meta.errors)
    ? (meta.errors as SourceError[])
    : [];
  const lists = snapshot as unknown as Record<string, unknown[]>;

  for (const entry of RECORDED_AWS_FILES) {
    if (
      entry.file.includes('<') ||
      entry.file.includes('DescribeTags') ||
      entry.list === 'instances'
    )
      continue;
    lists[entry.list] = listOf(
      await read(entry.file),
      entry.output,
      entry.file,
      problems,
    );
  }
  snapshot.instances = listOf<{ Instances?: AwsRegionSnapshot['instances'] }>(
    await read('ec2.DescribeInstances.json'),
    'Reservations',
    'ec2.DescribeInstances.json',
    problems,
  ).flatMap(r => r.Instances ?? []);
  const tagged = async <T>(
    items: T[],
    file: string,
    itemKey: string,
    descriptionKey: string,
  ): Promise<T[]> =>
    withTags(
      items as unknown as Array<Record<string, unknown>>,
      listOf(await read(file), 'TagDescriptions', file, problems),
      itemKey,
      descriptionKey,
    ) as unknown as T[];
  snapshot.loadBalancers = await tagged(
    snapshot.loadBalancers,
    'elbv2.DescribeTags.json',
    'LoadBalancerArn',
    'ResourceArn',
  );
  snapshot.classicLoadBalancers = await tagged(
    snapshot.classicLoadBalancers,
    'elb.DescribeTags.json',
    'LoadBalancerName',
    'LoadBalancerName',
  );

  const known = new Set<string>(RECORDED_AWS_FILES.map(e => e.file));
  const listed: EksInsight[] = [];
  const described = new Map<string, EksInsight>();
  for (const file of files) {
    if (file === RECORDED_AT_FILE || known.has(file)) continue;
    const cluster = /^eks\.DescribeCluster\.([^.]+)\.json$/.exec(file);
    const nodegroup = /^eks\.DescribeNodegroup\.([^.]+)\.([^.]+)\.json$/.exec(
      file,
    );
    const insights = /^eks\.ListInsights\.([^.]+)\.json$/.exec(file);
    const insight = /^eks\.DescribeInsight\.([^.]+)\.([^.]+)\.json$/.exec(file);
    const pages =
      cluster || nodegroup || insights || insight
        ? await read(file)
        : undefined;
    if (cluster) {
      snapshot.eksClusters.push(
        ...outputOf<AwsRegionSnapshot['eksClusters'][number]>(pages, 'cluster'),
      );
    } else if (nodegroup) {
      snapshot.eksNodegroups.push(
        ...outputOf<AwsRegionSnapshot['eksNodegroups'][number]>(
          pages,
          'nodegroup',
        ),
      );
    } else if (insights) {
      for (const summary of listOf<EksInsight>(
        pages,
        'insights',
        file,
        problems,
      ))
        listed.push({ ...summary, clusterName: insights[1] });
    } else if (insight) {
      for (const found of outputOf<EksInsight>(pages, 'insight'))
        described.set(`${insight[1]}/${insight[2]}`, {
          ...found,
          clusterName: insight[1],
        });
    } else {
      problems.add(
        file,
        'UnknownFile',
        `${file} is not the output of an operation the collector reads (see RECORDED_AWS_FILES)`,
      );
    }
  }
  // A described insight replaces its summary, as the collector keeps it.
  snapshot.eksInsights = listed.map(
    i => described.get(`${i.clusterName}/${i.id}`) ?? i,
  );
  snapshot.errors = [...recordedErrors, ...problems.errors];
  return snapshot;
}

const KIND_OF_PLURAL = new Map<string, ManagementClusterKind>(
  Object.entries(MANAGEMENT_CLUSTER_KINDS).map(([key, value]) => [
    value.plural,
    key as ManagementClusterKind,
  ]),
);

/**
 * @public
 * Reads a management cluster recorded as one file per kind (`<plural>.yaml`, as
 * `kubectl get <plural> -A -o yaml` prints it: a `List` of the objects, or one object).
 */
export async function readRecordedManagementCluster(
  dir: string,
  name: string,
  shown: string,
): Promise<ManagementClusterSnapshot> {
  const problems = new Problems(`kubernetes:${name}`, shown);
  const objects = emptyManagementClusterObjects();
  let fetchedAt = new Date().toISOString();
  for (const file of (await fs.readdir(dir)).sort()) {
    if (file === RECORDED_AT_FILE) {
      const meta = (await outputs(dir, file, problems))?.[0];
      if (typeof meta?.fetchedAt === 'string') fetchedAt = meta.fetchedAt;
      continue;
    }
    const match = /^([a-z0-9]+)(\.[a-z0-9.-]+)?\.(ya?ml|json)$/.exec(file);
    if (!match) continue;
    const key = KIND_OF_PLURAL.get(match[1]);
    if (!key) {
      problems.add(
        file,
        'UnknownFile',
        `${file} names no kind the collector reads (${[
          ...KIND_OF_PLURAL.keys(),
        ].join(', ')})`,
      );
      continue;
    }
    let document: any;
    try {
      document = parseYaml((await readText(path.join(dir, file))) ?? '');
    } catch (error) {
      problems.add(
        file,
        'MalformedSnapshot',
        `${file} is not valid YAML: ${(error as Error).message.split('\n')[0]}`,
      );
      continue;
    }
    const isList = document?.kind === 'List' || Array.isArray(document?.items);
    let items: unknown[] = [];
    if (isList) items = document.items ?? [];
    else if (document) items = [document];
    const expected = Object.values(MANAGEMENT_CLUSTER_KINDS).find(
      k => k.plural === match[1],
    )!.kind;
    for (const item of items as KubeObject[]) {
      if (item?.kind !== expected || !item.metadata?.name) {
        problems.add(
          file,
          'MalformedSnapshot',
          `${file} holds an object that is not a ${expected} with a name`,
        );
        continue;
      }
      objects[key].push(item);
    }
  }
  return { name, fetchedAt, objects, errors: problems.errors };
}
