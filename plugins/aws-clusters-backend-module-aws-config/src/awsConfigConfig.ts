import type { Config } from '@backstage/config';
import type { AwsConfigSourceOptions } from './AwsConfigSource';

/** @public `clusterdeck.awsConfig`, checked. */
export interface AwsConfigModuleConfig {
  aggregator: AwsConfigSourceOptions['aggregator'];
  maxLagMinutes?: number;
  scalingActivities?: 'short' | 'all';
  accountsPerQuery?: number;
  fullQueryMinutes?: number;
  changesOverlapMinutes?: number;
}

/**
 * Reads `clusterdeck.awsConfig`; undefined when it is absent. A wrong value is an error that
 * names its key, so the backend does not start reading half-configured.
 * @public
 */
export function readAwsConfigModuleConfig(
  config: Config,
): AwsConfigModuleConfig | undefined {
  const block = config.getOptionalConfig('clusterdeck.awsConfig');
  if (!block) return undefined;
  const accountId = block.getString('accountId');
  if (!/^\d{12}$/.test(accountId))
    throw new Error(
      'clusterdeck.awsConfig.accountId: must be exactly 12 digits',
    );
  const scalingActivities = block.getOptionalString('scalingActivities');
  if (
    scalingActivities !== undefined &&
    scalingActivities !== 'short' &&
    scalingActivities !== 'all'
  )
    throw new Error(
      'clusterdeck.awsConfig.scalingActivities: must be short or all',
    );
  const positive = (key: string, max: number) => {
    const value = block.getOptionalNumber(key);
    if (
      value !== undefined &&
      (!Number.isInteger(value) || value < 1 || value > max)
    )
      throw new Error(
        `clusterdeck.awsConfig.${key}: must be a whole number from 1 to ${max}`,
      );
    return value;
  };
  return {
    aggregator: {
      name: block.getString('aggregatorName'),
      accountId,
      region: block.getString('region'),
      roleArn: block.getOptionalString('roleArn'),
      externalId: block.getOptionalString('externalId'),
    },
    maxLagMinutes: positive('maxLagMinutes', 7 * 24 * 60),
    scalingActivities: scalingActivities as 'short' | 'all' | undefined,
    accountsPerQuery: positive('accountsPerQuery', 250),
    fullQueryMinutes: positive('fullQueryMinutes', 7 * 24 * 60),
    changesOverlapMinutes: positive('changesOverlapMinutes', 24 * 60),
  };
}
