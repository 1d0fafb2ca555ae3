import { ConfigReader } from '@backstage/config';
import { readAwsConfigModuleConfig } from './awsConfigConfig';

const base = {
  aggregatorName: 'org-aggregator',
  accountId: '111122223333',
  region: 'us-east-1',
};

function read(awsConfig: object) {
  return readAwsConfigModuleConfig(
    new ConfigReader({ clusterdeck: { awsConfig } }),
  );
}

describe('readAwsConfigModuleConfig', () => {
  it('is undefined without clusterdeck.awsConfig', () => {
    expect(readAwsConfigModuleConfig(new ConfigReader({}))).toBeUndefined();
  });

  it('reads the aggregator and how often everything is queried', () => {
    expect(
      read({ ...base, fullQueryMinutes: 120, changesOverlapMinutes: 10 }),
    ).toMatchObject({
      aggregator: { name: 'org-aggregator', accountId: '111122223333' },
      fullQueryMinutes: 120,
      changesOverlapMinutes: 10,
    });
    expect(read(base)).toMatchObject({
      fullQueryMinutes: undefined,
      changesOverlapMinutes: undefined,
    });
  });

  it.each([
    [
      'accountId',
      { accountId: '1111' },
      /accountId: must be exactly 12 digits/,
    ],
    [
      'fullQueryMinutes',
      { fullQueryMinutes: 0 },
      /fullQueryMinutes: must be a whole number from 1/,
    ],
    [
      'changesOverlapMinutes',
      { changesOverlapMinutes: 1.5 },
      /changesOverlapMinutes: must be a whole number from 1/,
    ],
    [
      'scalingActivities',
      { scalingActivities: 'some' },
      /scalingActivities: must be short or all/,
    ],
  ])('refuses a bad %s, naming it', (_key, value, message) => {
    expect(() => read({ ...base, ...value })).toThrow(message);
  });
});
