import { ConfigReader } from '@backstage/config';
import { readClusterdeckConfig } from './clusterdeckConfig';

const DEVELOPMENT = {
  id: '444455556666',
  name: 'development',
  environment: 'development',
  owners: ['group:default/payments', 'group:default/web'],
  accessModel: 'developer-debug',
  regions: ['eu-central-1'],
};

const read = (clusterdeck: object) =>
  readClusterdeckConfig(
    new ConfigReader({ clusterdeck: clusterdeck as ConfigReader['data'] }),
  );

describe('readClusterdeckConfig', () => {
  it('names every bad key with its reason', () => {
    expect(() =>
      read({ accounts: [{ ...DEVELOPMENT, id: '4444' }], adminGroups: ['x'] }),
    ).toThrow(
      'Invalid clusterdeck configuration:\n' +
        'clusterdeck.adminGroups[0]: must be an entity reference such as group:default/payments\n' +
        'clusterdeck.accounts[0].id: must be exactly 12 digits',
    );
  });

  it("takes a management cluster's environment and EKS releases per management cluster, refusing a release that is none", () => {
    const mc = {
      name: 'mc-eu-dev',
      region: 'eu-central-1',
      accountId: '111122223333',
    };
    const config = read({
      accounts: [DEVELOPMENT],
      managementClusters: [{ ...mc, environment: 'development' }],
      references: { eksReleases: { 'mc-eu-dev': ['34.0.0'] } },
    });
    expect(config.managementClusters[0].environment).toBe('development');
    expect(config.references?.eksReleases).toEqual({ 'mc-eu-dev': ['34.0.0'] });
    expect(() =>
      read({
        accounts: [DEVELOPMENT],
        managementClusters: [mc],
        references: { eksReleases: { 'mc-eu-dev': ['1.33'] } },
      }),
    ).toThrow(
      'clusterdeck.references.eksReleases["mc-eu-dev"][0]: must be a release version such as 31.1.0',
    );
  });

  it('accepts a finding for a configured account', () => {
    const config = read({
      accounts: [DEVELOPMENT],
      findings: {
        accepted: [{ code: 'teams-share-account', accounts: ['444455556666'] }],
      },
    });
    expect(config.findings?.accepted).toEqual([
      { code: 'teams-share-account', accounts: ['444455556666'] },
    ]);
  });

  it('refuses an accepted finding naming an account it does not configure, which would never apply', () => {
    expect(() =>
      read({
        accounts: [DEVELOPMENT],
        findings: {
          accepted: [
            { code: 'teams-share-account', environments: ['development'] },
            {
              code: 'teams-share-account',
              accounts: ['444455556666', '123456789012'],
            },
          ],
        },
      }),
    ).toThrow(
      'clusterdeck.findings.accepted[1].accounts[1]: 123456789012 is not an account of clusterdeck.accounts, so the acceptance would never apply',
    );
  });

  it('reads who may see the catalog cluster entities, owners when unset', () => {
    expect(read({}).permissions.catalogClusterEntities).toBeUndefined();
    expect(
      read({ permissions: { catalogClusterEntities: 'everyone' } }).permissions
        .catalogClusterEntities,
    ).toBe('everyone');
    expect(() =>
      read({ permissions: { catalogClusterEntities: 'teams' } }),
    ).toThrow(/clusterdeck\.permissions\.catalogClusterEntities/);
  });
});
