import fs from 'node:fs';
import path from 'node:path';
import yaml from 'yaml';
import { FakeFleetApi, startFakeFleetApi } from '../__testUtils__/fakeFleetApi';
import { buildFleetReferences } from '@clusterdeck/plugin-aws-clusters-common';
import {
  BASE_CONFIG,
  fleetReferences,
  fleetState,
  paymentsRequest,
  testServices,
  USERS,
} from '../__testUtils__/fixtures';
import { mockContext } from '../__testUtils__/mockContext';
import { ProblemsError } from '../lib/problems';
import { writeClusterFiles } from './renderCluster';
import { createUpgradeClusterAction } from './upgradeCluster';

const REF = 'mc-eu-prod/org-payments/pay-prod';
const DIR =
  'management-clusters/mc-eu-prod/organizations/payments/workload-clusters/pay-prod';
const NOW = new Date('2026-02-01T00:00:00Z');

/**
 * What the fleet serves as mc-eu-prod's offer: Giant Swarm `Release` objects (named
 * `aws-<version>`, as giantswarm/releases publishes them) and EKS DescribeClusterVersions.
 */
function offering(releases: string[], eksVersions: string[]) {
  const offered = buildFleetReferences({
    accounts: BASE_CONFIG.accounts,
    managementClusters: BASE_CONFIG.managementClusters,
    snapshot: {
      aws: [
        {
          accountId: '111122223333',
          region: 'eu-west-1',
          eksClusterVersions: eksVersions.map(version => ({
            clusterVersion: version,
            clusterType: 'eks',
            versionStatus: 'STANDARD_SUPPORT',
            status: 'standard-support',
          })),
        },
      ],
      managementClusters: [
        {
          name: 'mc-eu-prod',
          objects: {
            releases: releases.map(version => ({
              apiVersion: 'release.giantswarm.io/v1alpha1',
              kind: 'Release',
              metadata: { name: `aws-${version}` },
              spec: { apps: [], components: [], state: 'active' },
            })),
          },
        },
      ],
    },
  }).managementClusters[0];
  const references = fleetReferences();
  references.managementClusters[0] = {
    ...references.managementClusters[0],
    releases: offered.releases,
    eksVersions: offered.eksVersions,
  };
  return references;
}

describe('clusterdeck:cluster:upgrade', () => {
  let fake: FakeFleetApi;
  beforeEach(async () => {
    fake = await startFakeFleetApi({
      ...fleetState(),
      references: offering(['31.1.0', '32.0.0'], ['1.32', '1.33']),
    });
  });
  afterEach(() => fake.close());

  const action = (references?: Record<string, unknown>) => {
    const { fleet, access, config, moduleConfig } = testServices(fake);
    return createUpgradeClusterAction({
      config: {
        ...config,
        ...(references ? { references } : {}),
        versionSupport: {
          releases: {
            '31.1.0': {
              kubernetesVersion: '1.31',
              endOfStandardSupport: '2026-09-30',
            },
            '32.0.0': {
              kubernetesVersion: '1.32',
              endOfStandardSupport: '2027-01-31',
            },
          },
        },
      },
      gitops: moduleConfig.gitops,
      fleet,
      access,
      now: () => NOW,
    });
  };

  async function workspace(
    target: string,
    format: 'capi' | 'cluster-aws',
    spec: Record<string, unknown> = {},
  ) {
    const ctx = mockContext({
      input: { cluster: REF, target },
      user: USERS.payments,
    });
    const directory = path.join(ctx.workspacePath, DIR);
    await writeClusterFiles({
      directory,
      request: paymentsRequest({
        name: 'pay-prod',
        spec: {
          network: {
            vpc: { mode: 'create', cidr: '10.0.0.0/16' },
            availabilityZones: 3,
          },
          ...spec,
        },
      }),
      format,
      baseDomain: 'eu-prod.example.com',
      catalogInfo: false,
    });
    const read = (file: string) =>
      fs.readFileSync(path.join(directory, file), 'utf8');
    return { ctx, read };
  }

  const eks = {
    flavor: 'eks',
    kubernetesVersion: '1.32',
    nodePools: [
      {
        name: 'general',
        type: 'managed',
        instanceType: 'm6i.xlarge',
        minSize: 2,
        maxSize: 4,
      },
    ],
  };

  it('moves a cluster-aws cluster to the next release and outputs the diff, also for the description', async () => {
    fake.state.clusters[0].release = '31.1.0';
    const { ctx, read } = await workspace('32.0.0', 'cluster-aws');
    await action().handler(ctx);
    expect(yaml.parse(read('clusterrequest.yaml')).spec.release).toBe('32.0.0');
    const diff = (ctx.output as jest.Mock).mock.calls.find(
      ([name]) => name === 'diff',
    )[1];
    expect(diff).toContain(`--- a/${DIR}/cluster.yaml`);
    expect(diff).toMatch(/^-\s+version: 31\.1\.0$/m);
    expect(diff).toMatch(/^\+\s+version: 32\.0\.0$/m);
    expect(ctx.output).toHaveBeenCalledWith(
      'description',
      expect.stringContaining(
        `release 32.0.0 is supported until 2027-01-31.\n\n\`\`\`diff\n${diff}`,
      ),
    );
    expect(ctx.output).toHaveBeenCalledWith('change', 'upgrade-32-0-0');
    expect(ctx.output).toHaveBeenCalledWith('from', '31.1.0');
  });

  it('moves an EKS cluster to its next minor, its node pools following', async () => {
    fake.state.clusters[0].flavor = 'eks';
    fake.state.clusters[0].kubernetesVersion = '1.32';
    const { ctx, read } = await workspace('1.33', 'capi', eks);
    await action().handler(ctx);
    const docs = yaml
      .parseAllDocuments(read('cluster.yaml'))
      .map(d => d.toJS());
    const plane = docs.find(d => d.kind === 'AWSManagedControlPlane');
    expect(plane.spec.version).toMatch(/^v?1\.33/);
    for (const pool of docs.filter(d => d.kind === 'MachinePool'))
      expect(pool.spec.template.spec.version).toMatch(/^v?1\.33/);
  });

  it('refuses skipping a minor and names the field, writing nothing', async () => {
    fake.state.clusters[0].flavor = 'eks';
    fake.state.clusters[0].kubernetesVersion = '1.32';
    const { ctx, read } = await workspace('1.34', 'capi', eks);
    const before = read('cluster.yaml');
    const error = await action()
      .handler(ctx)
      .catch(e => e);
    expect(error).toBeInstanceOf(ProblemsError);
    expect(error.message).toMatch(/target: 1\.34 skips minor versions/);
    expect(error.message).toMatch(
      /target: 1\.34 is not a version the platform team offers/,
    );
    expect(read('cluster.yaml')).toBe(before);
    expect(ctx.output).not.toHaveBeenCalled();
  });

  it('takes the releases the management cluster offers from the fleet, not from configuration', async () => {
    fake.state.clusters[0].release = '31.1.0';
    // The Release objects offer 31.1.0 only; configuration would have offered 32.0.0 too.
    fake.state.references = offering(['31.1.0'], ['1.32', '1.33']);
    const configured = {
      releases: { 'mc-eu-prod': ['31.1.0', '32.0.0'] },
      eksVersions: ['1.32', '1.33'],
    };
    const { ctx, read } = await workspace('32.0.0', 'cluster-aws');
    const before = read('cluster.yaml');
    const error = await action(configured)
      .handler(ctx)
      .catch(e => e);
    expect(error).toBeInstanceOf(ProblemsError);
    expect(error.message).toMatch(
      /target: 32\.0\.0 is not a release the platform team offers \(31\.1\.0\)/,
    );
    expect(read('cluster.yaml')).toBe(before);
    expect(fake.requests.map(r => r.path)).toContain(
      '/references?owner=group%3Adefault%2Fpayments',
    );

    // Once mc-eu-prod holds the Release, the upgrade goes through without configuration.
    fake.state.references = offering(['32.0.0', '31.1.0'], []);
    const again = await workspace('32.0.0', 'cluster-aws');
    await action().handler(again.ctx);
    expect(yaml.parse(again.read('clusterrequest.yaml')).spec.release).toBe(
      '32.0.0',
    );
  });

  it("refuses another team's cluster", async () => {
    const { ctx } = await workspace('32.0.0', 'cluster-aws');
    (ctx as any).getInitiatorCredentials = mockContext({
      input: {},
      user: USERS.web,
    }).getInitiatorCredentials;
    await expect(action().handler(ctx)).rejects.toThrow(/no cluster|may not/);
  });
});
