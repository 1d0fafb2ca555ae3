import { ConfigReader } from '@backstage/config';
import {
  FleetSnapshot,
  readClusterdeckConfig,
  SnapshotSource,
} from '@clusterdeck/plugin-aws-clusters-node';
import { buildDemoFleet } from '@clusterdeck/demo-fleet';
import fs from 'node:fs';
import path from 'node:path';
import yaml from 'yaml';
import { ruleViolations, unknownAwsValues } from './__testUtils__/ruleChecks';
import { boundariesView } from './boundariesView';
import { buildFleetModel, FleetModel } from './buildFleetModel';
import { scalingView } from './scalingView';
import { clusterSummary } from './summaryView';
import { topologyView } from './topologyView';

const appConfig = yaml.parse(
  fs.readFileSync(
    path.resolve(__dirname, '../../../../app-config.yaml'),
    'utf8',
  ),
);
const config = readClusterdeckConfig(
  new ConfigReader({
    clusterdeck: { ...appConfig.clusterdeck, snapshot: undefined },
  }),
);

const demo: FleetSnapshot = buildDemoFleet();
const model: FleetModel = buildFleetModel(demo, config, []);

function cluster(name: string) {
  const found = model.clusters.find(c => c.name === name);
  if (!found) throw new Error(`no cluster ${name}`);
  return found;
}

describe('the simulated fleet keeps to the rules the recorded one is checked by', () => {
  it('uses only values AWS documents for the fields the join decides by, as the recording does', async () => {
    expect(unknownAwsValues(demo)).toEqual([]);
    const recorded = await new SnapshotSource({
      directory: path.resolve(__dirname, '__fixtures__/recorded-fleet'),
    }).collect();
    expect(
      unknownAwsValues({ aws: recorded.aws ?? [], managementClusters: [] }),
    ).toEqual([]);
  });

  it('violates none of the rules once joined, and neither does the recording', async () => {
    expect(ruleViolations(model)).toEqual([]);
    const recorded = await new SnapshotSource({
      directory: path.resolve(__dirname, '__fixtures__/recorded-fleet'),
    }).collect();
    const fixtureConfig = readClusterdeckConfig(
      new ConfigReader({
        clusterdeck: {
          accounts: [
            {
              id: '123456789012',
              name: 'production',
              environment: 'production',
              accessModel: 'audited-no-access',
              regions: ['eu-west-1'],
            },
            {
              id: '444455556666',
              name: 'development',
              environment: 'development',
              accessModel: 'developer-debug',
              regions: ['eu-west-1'],
            },
          ],
        },
      }),
    );
    const recordedModel = buildFleetModel(
      {
        aws: recorded.aws ?? [],
        managementClusters: recorded.managementClusters ?? [],
      },
      fixtureConfig,
      [],
    );
    expect(recordedModel.clusters.length).toBeGreaterThan(5);
    expect(ruleViolations(recordedModel)).toEqual([]);
  });
});

describe('the demo fleet shows every rule', () => {
  it('an environment label that differs from its account', () => {
    expect(clusterSummary(cluster('search-sandbox'))).toMatchObject({
      accountName: 'production',
      environment: 'development',
      environmentSource: 'label',
    });
  });

  it('a pool with failed spot launches below its desired size, making its cluster degraded', () => {
    const summary = clusterSummary(cluster('pay-prod'));
    expect(summary.status).toBe('degraded');
    expect(summary.statusReason).toMatch(
      /^node pool spot0: scaling activity failed .*InsufficientInstanceCapacity/,
    );
    const spot = scalingView(cluster('pay-prod')).find(
      p => p.name === 'spot0',
    )!;
    expect(spot.current).toBeLessThan(spot.desired);
    expect(spot.warnings).toContainEqual(
      expect.stringMatching(
        /^scaling failed .*Could not launch Spot Instances/,
      ),
    );
  });

  it('a cluster being deleted, its group deleting', () => {
    expect(clusterSummary(cluster('web-canary'))).toMatchObject({
      status: 'deleting',
    });
    const pool = scalingView(cluster('web-canary'))[0];
    expect(pool).toMatchObject({
      current: 0,
      group: { state: 'deleting', status: 'Delete in progress' },
    });
  });

  it('a pool whose Auto Scaling group does not exist yet, counted as nothing', () => {
    const pool = scalingView(cluster('web-prod')).find(
      p => p.name === 'web01',
    )!;
    expect(pool).toMatchObject({
      current: 0,
      ready: 0,
      desired: 2,
      sizesFrom: 'spec',
      group: { state: 'missing' },
    });
    expect(clusterSummary(cluster('web-prod')).status).toBe('ready');
  });

  it('an adopted VPC with a subnet the cluster does not use, and its finding', () => {
    const topology = topologyView(cluster('data-prod'));
    expect(topology.vpc?.adopted).toBe(true);
    expect(topology.subnets).toHaveLength(4);
    expect(topology.otherSubnets?.map(s => s.id)).toEqual([
      'subnet-0a1b2c3d4e5f60009',
    ]);
    const findings = boundariesView(
      model,
      [cluster('data-prod')],
      config.adminGroups,
    ).findings;
    expect(findings.find(f => f.code === 'adopted-vpc')).toMatchObject({
      severity: 'info',
    });
  });

  it('an EKS cluster requested with the major.minor EKS names (1.33): asked for as v1.33, shown as EKS runs it', () => {
    const search = cluster('search-prod');
    expect(search.flavor).toBe('eks');
    expect(search.controlPlane?.spec.version).toBe('v1.33');
    expect(
      search.region_?.eksClusters.get(search.eksClusterName!)?.version,
    ).toBe('1.33');
    expect(clusterSummary(search).kubernetesVersion).toBe('1.33');
  });

  it('load balancers of CAPA, the cloud provider and the AWS Load Balancer Controller', () => {
    const all = model.clusters.flatMap(c => topologyView(c).loadBalancers);
    expect(new Set(all.map(lb => lb.controller))).toEqual(
      new Set(['capa', 'cloud-provider', 'aws-load-balancer-controller']),
    );
    expect(
      topologyView(cluster('web-prod')).loadBalancers.find(
        lb => lb.type === 'application',
      ),
    ).toMatchObject({
      controller: 'aws-load-balancer-controller',
      backend: { kind: 'Ingress', name: 'web/storefront' },
    });
    expect(all.some(lb => lb.backend?.kind === 'IngressGroup')).toBe(true);
  });

  it('API exposure from security groups: open to the world, allow-listed, and rules that differ from the spec', () => {
    // CAPA's own rule lets the nodes in through the NAT gateways, beside the spec's 0.0.0.0/0.
    const webProd = cluster('web-prod');
    const natRules =
      webProd.infrastructure!.status.networkStatus.natGatewaysIPs.map(
        (ip: string) => `${ip}/32`,
      );
    expect(natRules.length).toBeGreaterThan(0);
    expect(topologyView(webProd).controlPlane).toMatchObject({
      exposure: 'open-to-world',
      allowedCidrs: ['0.0.0.0/0', ...natRules].sort(),
    });
    expect(topologyView(webProd).controlPlane.requestedCidrs).toBeUndefined();
    expect(topologyView(cluster('pay-dev')).controlPlane.exposure).toBe(
      'allow-listed',
    );
    expect(topologyView(cluster('pay-prod')).controlPlane.exposure).toBe(
      'private',
    );
    const sandbox = cluster('search-sandbox');
    expect(topologyView(sandbox).controlPlane).toMatchObject({
      exposure: 'open-to-world',
      requestedCidrs: [
        ...sandbox.infrastructure!.status.networkStatus.natGatewaysIPs.map(
          (ip: string) => `${ip}/32`,
        ),
        '198.51.100.0/24',
      ].sort(),
    });
    expect(topologyView(cluster('web-preview')).controlPlane).toMatchObject({
      exposure: 'unknown',
      allowedCidrs: [],
    });
    const findings = boundariesView(
      model,
      model.clusters,
      config.adminGroups,
    ).findings;
    // Only the cluster whose scenario adds a rule by hand differs from what Cluster API keeps.
    expect(
      findings
        .filter(f => f.code === 'api-rules-differ-from-spec')
        .flatMap(f => f.subjects),
    ).toEqual([cluster('search-sandbox').ref]);
    const codes = findings.map(f => f.code);
    expect(codes).toEqual(
      expect.arrayContaining([
        'public-production-api',
        'api-rules-differ-from-spec',
        'adopted-vpc',
        'mixed-environments-in-account',
      ]),
    );
  });
});

describe('the demo configuration accepts findings', () => {
  it("shows the teams sharing the development account as accepted, and the production account's as not", () => {
    const findings = boundariesView(
      model,
      model.clusters,
      config.adminGroups,
    ).findings.filter(f => f.code === 'teams-share-account');
    const development = findings.find(f => f.subjects[0] === '444455556666');
    expect(development).toMatchObject({
      severity: 'info',
      accepted: {
        severity: 'info',
        reason:
          'the development account is shared by the product teams on purpose',
      },
    });
    const production = findings.find(f => f.subjects[0] === '123456789012');
    expect(production).toMatchObject({ severity: 'info' });
    expect(production?.accepted).toBeUndefined();
  });
});
