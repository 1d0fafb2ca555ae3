import {
  ConfigServiceClient,
  DescribeConfigurationAggregatorSourcesStatusCommand,
  SelectAggregateResourceConfigCommand,
} from '@aws-sdk/client-config-service';
import {
  CONFIG_RESOURCE_TYPES,
  ConfigResourceType,
} from '@clusterdeck/plugin-aws-clusters-backend-module-aws-config';
import type {
  AwsRegionSnapshot,
  FleetSnapshot,
} from '@clusterdeck/plugin-aws-clusters-node';
import { mockClient } from 'aws-sdk-client-mock';
import {
  conditionsOf,
  heldItem,
  HeldItem,
  selects,
} from '../../plugins/aws-clusters-backend-module-aws-config/src/__testUtils__/aggregatorQuery';
import {
  configurationItemOf,
  resourceIdOf,
} from '../../plugins/aws-clusters-backend-module-aws-config/src/__testUtils__/configurationItemsOf';
import { CallCounter, sleep } from './stats';

/*
 * Answers AWS Config's aggregator from a generated fleet, as an organization aggregator that
 * records every account and region would: `SelectAggregateResourceConfig` for the queries the
 * Config source sends (read as Config reads them: `resourceType`, `awsRegion`, `accountId`,
 * `resourceId` equal to or IN a list, `configurationItemCaptureTime >` a time; anything else, or
 * an expression over 4,096 characters, refused as Config refuses a bad expression), at most 100
 * results a page with NextToken, each result the resource's configuration item in Config's own
 * shape (written once, when the answerer is installed: AWS's servers, not the process measured, do
 * that work); and `DescribeConfigurationAggregatorSourcesStatus`, every account region collected a
 * minute ago. Each call after the same fixed latency as the other AWS calls. `recordChanges`
 * records a share of the resources again, as Config does when they change.
 */

class AwsError extends Error {
  readonly $metadata = { httpStatusCode: 400 };
  constructor(name: string, message: string) {
    super(message);
    this.name = name;
  }
}

/** Installs the aggregator's answers on every ConfigServiceClient; returns its counter and a restore. */
export function installAwsConfigAnswerer(
  snapshot: FleetSnapshot,
  options: { latencyMs: number; maxPageSize?: number },
) {
  const counter = new CallCounter();
  const index = new Map<string, HeldItem[]>();
  // Recorded a day ago: most of a fleet's resources have not changed since yesterday.
  const capturedAt = new Date(Date.now() - 24 * 3600_000).toISOString();
  for (const region of snapshot.aws) {
    for (const [type, key] of Object.entries(CONFIG_RESOURCE_TYPES) as Array<
      [ConfigResourceType, keyof AwsRegionSnapshot]
    >) {
      const resources = (region[key] as unknown[] | undefined) ?? [];
      if (resources.length === 0) continue;
      const bucket = index.get(`${type}|${region.region}`) ?? [];
      for (const resource of resources)
        bucket.push({
          accountId: region.accountId,
          awsRegion: region.region,
          resourceType: type,
          resourceId: resourceIdOf(type, resource),
          capturedAt: Date.parse(capturedAt),
          json: configurationItemOf(region, type, resource, capturedAt),
        });
      index.set(`${type}|${region.region}`, bucket);
    }
  }
  const maxPage = options.maxPageSize ?? 100;

  const results = new Map<string, HeldItem[]>();
  const config = mockClient(ConfigServiceClient);
  config.on(SelectAggregateResourceConfigCommand).callsFake(async input => {
    const done = counter.start('config:SelectAggregateResourceConfig');
    try {
      await sleep(options.latencyMs);
      const expression: string = input.Expression ?? '';
      const limit = input.Limit ?? input.MaxResults ?? 25;
      if (limit < 0 || limit > maxPage)
        throw new AwsError(
          'InvalidLimitException',
          `Limit ${limit} is outside 0 to ${maxPage}`,
        );
      // Later pages of a query continue its result, as a cursor would.
      let matching = results.get(expression);
      if (!matching) {
        const conditions = conditionsOf(expression);
        const types = conditions.equals.resourceType;
        const regions = conditions.equals.awsRegion;
        // One type in one region is one bucket; anything else is looked for everywhere.
        const candidates =
          types?.size === 1 && regions?.size === 1
            ? index.get(`${[...types][0]}|${[...regions][0]}`) ?? []
            : [...index.values()].flat();
        matching = candidates.filter(i => selects(conditions, i));
        results.set(expression, matching);
      }
      const start = input.NextToken ? Number(input.NextToken) : 0;
      if (!Number.isInteger(start) || start < 0 || start > matching.length)
        throw new AwsError('InvalidNextTokenException', 'The token is invalid');
      const end = start + limit;
      return {
        Results: matching.slice(start, end).map(i => i.json),
        QueryInfo: { SelectFields: [{ Name: 'resourceId' }] },
        NextToken: end < matching.length ? String(end) : undefined,
      };
    } finally {
      done();
    }
  });
  const statuses = snapshot.aws.map(r => ({
    SourceId: r.accountId,
    SourceType: 'ACCOUNT' as const,
    AwsRegion: r.region,
    LastUpdateStatus: 'SUCCEEDED' as const,
    LastUpdateTime: new Date(Date.now() - 60_000),
  }));
  config
    .on(DescribeConfigurationAggregatorSourcesStatusCommand)
    .callsFake(async input => {
      const done = counter.start(
        'config:DescribeConfigurationAggregatorSourcesStatus',
      );
      try {
        await sleep(options.latencyMs);
        const start = input.NextToken ? Number(input.NextToken) : 0;
        const end = start + Math.min(input.Limit ?? 1000, 1000);
        return {
          AggregatedSourceStatusList: statuses.slice(start, end),
          NextToken: end < statuses.length ? String(end) : undefined,
        };
      } finally {
        done();
      }
    });
  return {
    counter,
    /** Forgets the queries' results, so that a new refresh reads the fleet afresh. */
    reset: () => results.clear(),
    /**
     * Records every `every`-th resource again now (the same configuration, a new capture time), as
     * Config does when resources change; returns how many.
     */
    recordChanges: (every: number) => {
      const now = new Date().toISOString();
      let changed = 0;
      for (const bucket of index.values())
        for (let i = 0; i < bucket.length; i += every) {
          bucket[i] = heldItem(
            bucket[i].json.replace(
              /"configurationItemCaptureTime":"[^"]*"/,
              `"configurationItemCaptureTime":"${now}"`,
            ),
          );
          changed += 1;
        }
      results.clear();
      return changed;
    },
    restore: () => config.restore(),
  };
}
