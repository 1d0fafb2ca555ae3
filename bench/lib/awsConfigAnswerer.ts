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
  configurationItemOf,
  resourceIdOf,
} from '../../plugins/aws-clusters-backend-module-aws-config/src/__testUtils__/configurationItemsOf';
import { CallCounter, sleep } from './stats';

/*
 * Answers AWS Config's aggregator from a generated fleet, as an organization aggregator that
 * records every account and region would: `SelectAggregateResourceConfig` for the queries the
 * Config source sends (`resourceType = '…' AND awsRegion = '…'` with `accountId IN (…)` or
 * `resourceId IN (…)`), at most 100 results a page with NextToken, each result the resource's
 * configuration item in Config's own shape (written once, when the answerer is installed: AWS's
 * servers, not the process measured, do that work); and
 * `DescribeConfigurationAggregatorSourcesStatus`, every account region collected a minute ago.
 * Each call after the same fixed latency as the other AWS calls. A query it cannot read is refused
 * as Config refuses a bad expression.
 */

class AwsError extends Error {
  readonly $metadata = { httpStatusCode: 400 };
  constructor(name: string, message: string) {
    super(message);
    this.name = name;
  }
}

interface Indexed {
  accountId: string;
  resourceId: string;
  /** The result as the aggregator answers it. */
  json: string;
}

function list(expression: string, field: string): Set<string> | undefined {
  const m = new RegExp(`${field} IN \\(([^)]*)\\)`).exec(expression);
  if (!m) return undefined;
  return new Set(
    m[1]
      .split(',')
      .map(v => v.trim().replace(/^'|'$/g, ''))
      .filter(Boolean),
  );
}

/** Installs the aggregator's answers on every ConfigServiceClient; returns its counter and a restore. */
export function installAwsConfigAnswerer(
  snapshot: FleetSnapshot,
  options: { latencyMs: number; maxPageSize?: number },
) {
  const counter = new CallCounter();
  const index = new Map<string, Indexed[]>();
  const capturedAt = new Date(Date.now() - 10 * 60_000).toISOString();
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
          resourceId: resourceIdOf(type, resource),
          json: configurationItemOf(region, type, resource, capturedAt),
        });
      index.set(`${type}|${region.region}`, bucket);
    }
  }
  const maxPage = options.maxPageSize ?? 100;

  const results = new Map<string, Indexed[]>();
  const config = mockClient(ConfigServiceClient);
  config.on(SelectAggregateResourceConfigCommand).callsFake(async input => {
    const done = counter.start('config:SelectAggregateResourceConfig');
    try {
      await sleep(options.latencyMs);
      const expression: string = input.Expression ?? '';
      const type = /resourceType = '([^']+)'/.exec(expression)?.[1];
      const region = /awsRegion = '([^']+)'/.exec(expression)?.[1];
      if (!type || !region)
        throw new AwsError(
          'InvalidExpressionException',
          `The expression is not one this aggregator answers: ${expression.slice(
            0,
            200,
          )}`,
        );
      const limit = input.Limit ?? input.MaxResults ?? 25;
      if (limit < 0 || limit > maxPage)
        throw new AwsError(
          'InvalidLimitException',
          `Limit ${limit} is outside 0 to ${maxPage}`,
        );
      // Later pages of a query continue its result, as a cursor would.
      let matching = results.get(expression);
      if (!matching) {
        const accounts = list(expression, 'accountId');
        const ids = list(expression, 'resourceId');
        matching = (index.get(`${type}|${region}`) ?? []).filter(
          i =>
            (!accounts || accounts.has(i.accountId)) &&
            (!ids || ids.has(i.resourceId)),
        );
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
    restore: () => config.restore(),
  };
}
