import { mockServices } from '@backstage/backend-test-utils';
import { ConfigReader } from '@backstage/config';
import { readClusterdeckConfig } from '@clusterdeck/plugin-aws-clusters-node';
import { createSources } from './createSources';

const ACCOUNT = {
  id: '123456789012',
  name: 'production',
  environment: 'production',
  owners: [],
  accessModel: 'audited-no-access',
  regions: ['eu-west-1'],
};
const MC = {
  name: 'mc-eu-prod',
  region: 'eu-west-1',
  accountId: '111122223333',
};

function sourcesFor(clusterdeck: object) {
  const rootConfig = new ConfigReader({ clusterdeck });
  const logger = mockServices.logger.mock();
  const sources = createSources({
    config: readClusterdeckConfig(rootConfig),
    rootConfig,
    logger,
  });
  return { names: sources.map(s => s.name), logger };
}

describe('createSources', () => {
  it('reads AWS for the configured accounts and the management clusters that have a kubernetes block', () => {
    const clusterdeck = {
      accounts: [ACCOUNT],
      managementClusters: [
        MC,
        {
          ...MC,
          name: 'mc-eu-dev',
          kubernetes: {
            url: 'https://127.0.0.1:6443',
            serviceAccountToken: 'token',
          },
        },
      ],
    };
    expect(sourcesFor(clusterdeck).names).toEqual(['aws', 'kubernetes']);
  });

  it('leaves out the management-cluster source when no cluster can be reached', () => {
    expect(
      sourcesFor({ accounts: [ACCOUNT], managementClusters: [MC] }).names,
    ).toEqual(['aws']);
  });

  it('runs no live source that the configuration switches off', () => {
    const clusterdeck = {
      accounts: [ACCOUNT],
      managementClusters: [
        {
          ...MC,
          kubernetes: {
            url: 'https://127.0.0.1:6443',
            serviceAccountToken: 'token',
          },
        },
      ],
    };
    expect(
      sourcesFor({ ...clusterdeck, sources: { aws: false } }).names,
    ).toEqual(['kubernetes']);
    expect(
      sourcesFor({ ...clusterdeck, sources: { aws: false, kubernetes: false } })
        .names,
    ).toEqual([]);
  });

  it('warns when nothing is configured', () => {
    const { names, logger } = sourcesFor({});
    expect(names).toEqual([]);
    expect(logger.warn).toHaveBeenCalledWith(
      expect.stringMatching(/No fleet source/),
    );
  });
});
