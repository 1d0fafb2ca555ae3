import {
  CostExplorerClient,
  GetCostAndUsageCommand,
} from '@aws-sdk/client-cost-explorer';
import type { LoggerService } from '@backstage/backend-plugin-api';
import type { Config } from '@backstage/config';
import { DefaultAwsCredentialsManager } from '@backstage/integration-aws-node';
import {
  AccountCredentials,
  type AwsCredentialsSource,
  type ClusterdeckConfig,
  type CostAndUsagePage,
  type FleetSource,
} from '@clusterdeck/plugin-aws-clusters-node';
import type { Knex } from 'knex';
import { CostStore } from './CostStore';
import { CostIndex } from './costViews';
import { CostAndUsageSender, readCostAndUsage } from './readCostAndUsage';

type CostConfig = NonNullable<ClusterdeckConfig['cost']>;

/** Cost Explorer's only endpoint region in the commercial partition. */
const COST_EXPLORER_REGION = 'us-east-1';

function toMs(duration: CostConfig['frequency']): number {
  const d = duration as Record<string, number | undefined>;
  return (
    (d.days ?? 0) * 86_400_000 +
    (d.hours ?? 0) * 3_600_000 +
    (d.minutes ?? 0) * 60_000 +
    (d.seconds ?? 0) * 1000 +
    (d.milliseconds ?? 0)
  );
}

/**
 * Sends `GetCostAndUsage` in the payer account: its credentials from `clusterdeck.cost.roleArn`
 * (assumed with the main credentials) or from the `aws` block for its id, with the SDK's
 * adaptive retries against throttling.
 */
export function costExplorerSender(options: {
  cost: CostConfig;
  rootConfig: Config;
}): CostAndUsageSender {
  const credentials = new AccountCredentials({
    source: DefaultAwsCredentialsManager.fromConfig(
      options.rootConfig,
    ) as AwsCredentialsSource,
  });
  let client: Promise<CostExplorerClient> | undefined;
  return async query => {
    client ??= credentials
      .forAccount({
        id: options.cost.payerAccountId,
        roleArn: options.cost.roleArn,
      })
      .then(
        provider =>
          new CostExplorerClient({
            region: COST_EXPLORER_REGION,
            credentials: provider,
            retryMode: 'adaptive',
            maxAttempts: 6,
          }),
      );
    client.catch(() => {
      client = undefined;
    });
    return (await (
      await client
    ).send(new GetCostAndUsageCommand(query))) as CostAndUsagePage;
  };
}

/**
 * What each cluster costs, from Cost Explorer: read at most once per `clusterdeck.cost.frequency`
 * (on the scheduler, one replica at a time), kept in the database, and held in memory by every
 * replica, which reloads it when another one read.
 */
export class CostService {
  private index?: CostIndex;
  private loadedStamp = '';

  private constructor(
    private readonly cost: CostConfig,
    private readonly store: CostStore,
    private readonly send: CostAndUsageSender,
    private readonly logger: LoggerService,
    private readonly now: () => Date,
  ) {}

  /**
   * The service, or undefined when `clusterdeck.cost` is not configured. A source that answers
   * `GetCostAndUsage` (a recorded fleet) is asked instead of AWS.
   */
  static create(options: {
    config: ClusterdeckConfig;
    rootConfig: Config;
    knex: Knex;
    logger: LoggerService;
    sources: FleetSource[];
    send?: CostAndUsageSender;
    now?: () => Date;
  }): CostService | undefined {
    const { cost } = options.config;
    if (!cost) return undefined;
    const recorded = options.sources.find(s => s.getCostAndUsage);
    const send =
      options.send ??
      (recorded
        ? ((query => recorded.getCostAndUsage!(query)) as CostAndUsageSender)
        : costExplorerSender({ cost, rootConfig: options.rootConfig }));
    return new CostService(
      cost,
      new CostStore(options.knex),
      send,
      options.logger,
      options.now ?? (() => new Date()),
    );
  }

  /** How often the costs are read. */
  get frequency() {
    return this.cost.frequency;
  }

  /**
   * Reads Cost Explorer unless the stored figures are younger than the frequency (a restart or
   * a second replica does not read again), stores what it read, and loads it.
   */
  async refresh(options: { force?: boolean } = {}): Promise<void> {
    const state = await this.store.readState();
    const now = this.now();
    const last = Date.parse(state?.failedAt ?? state?.readAt ?? '');
    // A little slack, so that a read on the scheduler's next run is never skipped for a few seconds.
    if (
      !options.force &&
      Number.isFinite(last) &&
      now.getTime() - last < toMs(this.cost.frequency) * 0.95
    ) {
      await this.reload();
      return;
    }
    const meta = {
      tagKey: this.cost.tagKey,
      metric: this.cost.metric,
    };
    try {
      const reading = await readCostAndUsage({
        send: this.send,
        now,
        months: this.cost.months,
        ...meta,
      });
      await this.store.saveReading(reading, {
        ...meta,
        readAt: now.toISOString(),
      });
      this.logger.info(
        `Read Cost Explorer: ${reading.status}, ${reading.records.length} figures through ${reading.through}`,
      );
    } catch (error) {
      const e = error as Error & { Code?: string };
      const failure = `${e.Code ?? e.name ?? 'Error'}: ${e.message}`;
      this.logger.warn(`Could not read Cost Explorer: ${failure}`);
      await this.store.saveFailure({
        ...meta,
        failedAt: now.toISOString(),
        failure,
      });
    }
    await this.reload();
  }

  /** Loads the stored figures when another read stored new ones since. */
  async reload(): Promise<void> {
    const state = await this.store.readState();
    const stamp = state ? JSON.stringify(state) : '';
    if (this.index && stamp === this.loadedStamp) return;
    const records = state ? await this.store.records() : [];
    this.index = new CostIndex(
      state ?? {
        status: 'not-read',
        tagKey: this.cost.tagKey,
        metric: this.cost.metric,
      },
      records,
    );
    this.loadedStamp = stamp;
  }

  /** The figures in memory; before the first load, those of no read. */
  current(): CostIndex {
    return (
      this.index ??
      new CostIndex(
        {
          status: 'not-read',
          tagKey: this.cost.tagKey,
          metric: this.cost.metric,
        },
        [],
      )
    );
  }

  /** Changes whenever the figures in memory change. */
  stamp(): string {
    return this.loadedStamp;
  }
}
