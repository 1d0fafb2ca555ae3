import {
  buildFleetReferences,
  checkClusterReferences,
  ClusterRequestInput,
  clusterRequestSchema,
  FleetReferences,
} from '@clusterdeck/plugin-aws-clusters-common';
import { editedRequest } from '@clusterdeck/test-utils';
import {
  readRecordedFleet,
  RECORDED_FLEET_CONFIG,
  recordedFleetConfig,
} from '../__testUtils__/recordedFleet';

// References from the hand-written recording of AWS's and the management cluster's answers:
// zones from DescribeAvailabilityZones, transit gateways from DescribeTransitGateways (the
// production account's own and one shared through RAM by 111122223333), EKS versions from
// DescribeClusterVersions, Giant Swarm Release objects (one deprecated).
const config = recordedFleetConfig({
  accounts: RECORDED_FLEET_CONFIG.accounts.map(a =>
    a.name === 'production'
      ? { ...a, regions: ['eu-west-1', 'eu-central-1'] }
      : a,
  ),
  // Where the recording has an answer, these are not used.
  references: {
    releases: { 'mc-fixture': ['28.0.0'] },
    eksVersions: ['1.28'],
    zones: {
      'eu-west-1': ['eu-west-1a'],
      'eu-central-1': ['eu-central-1a', 'eu-central-1b'],
    },
  },
});

let references: FleetReferences;

beforeAll(async () => {
  const snapshot = await readRecordedFleet();
  expect(
    [
      ...snapshot.aws.flatMap(r => r.errors),
      ...snapshot.managementClusters.flatMap(m => m.errors),
    ].map(e => `${e.source} ${e.operation}: ${e.message}`),
  ).toEqual([]);
  references = buildFleetReferences({
    accounts: config.accounts,
    managementClusters: config.managementClusters,
    snapshot,
    configured: config.references,
  });
});

/** A request of the shop team in the production account, changed by `change`. */
function request(change: (r: ClusterRequestInput) => void = () => {}) {
  return clusterRequestSchema.parse(
    editedRequest(r => {
      r.metadata = {
        name: 'shop-new',
        organization: 'shop',
        owner: 'group:default/shop',
      };
      r.spec.managementCluster = 'mc-fixture';
      r.spec.account.roleIdentity = 'prod';
      change(r);
    }),
  );
}

const problems = (change?: (r: ClusterRequestInput) => void) =>
  checkClusterReferences(request(change), references);
const inDevelopment = (r: ClusterRequestInput) => {
  r.spec.account = { id: '444455556666', roleIdentity: 'dev' };
};
const viaTgw = (id: string) => (r: ClusterRequestInput) => {
  r.spec.network.topology = { mode: 'transitGateway', transitGatewayId: id };
};

describe('references from a recorded fleet', () => {
  it('accepts a request naming what the recording offers', () => {
    expect(problems()).toEqual([]);
    expect(problems(inDevelopment)).toEqual([]);
  });

  it('takes the zones AWS reported, and configuration for a region nothing recorded', () => {
    expect(references.zones).toEqual({
      'eu-west-1': ['eu-west-1a', 'eu-west-1b', 'eu-west-1c'],
      'eu-central-1': ['eu-central-1a', 'eu-central-1b'],
    });
    expect(
      problems(r => {
        r.spec.network.availabilityZones = ['eu-west-1a', 'eu-central-1a'];
      }),
    ).toEqual([
      {
        path: 'spec.network.availabilityZones[1]',
        message:
          'eu-central-1a is not an availability zone of eu-west-1; its zones: eu-west-1a, eu-west-1b, eu-west-1c',
      },
    ]);
    expect(
      problems(r => {
        r.spec.region = 'eu-central-1';
        r.spec.network.availabilityZones = 3;
      }).map(p => p.path),
    ).toEqual(['spec.network.availabilityZones']);
  });

  it("accepts the account's own and RAM-shared transit gateways, and refuses one the account is not shared", () => {
    expect(references.transitGateways['123456789012']).toEqual([
      {
        id: 'tgw-0a1b2c3d4e5f60718',
        name: 'prod-egress',
        region: 'eu-west-1',
        ownerAccountId: '123456789012',
        attached: false,
      },
      {
        id: 'tgw-0123456789abcdef0',
        name: 'platform-hub',
        region: 'eu-west-1',
        ownerAccountId: '111122223333',
        attached: false,
      },
    ]);
    expect(problems(viaTgw('tgw-0123456789abcdef0'))).toEqual([]);
    expect(problems(viaTgw('tgw-0a1b2c3d4e5f60718'))).toEqual([]);
    expect(
      problems(r => {
        inDevelopment(r);
        viaTgw('tgw-0a1b2c3d4e5f60718')(r);
      }),
    ).toEqual([
      {
        path: 'spec.network.topology.transitGatewayId',
        message:
          'transit gateway tgw-0a1b2c3d4e5f60718 is not shared with account 444455556666; reachable: none',
      },
    ]);
  });

  it("offers the management cluster's non-deprecated releases, not the configured ones", () => {
    expect(references.managementClusters[0].releases).toEqual([
      '31.1.0',
      '30.2.0',
    ]);
    expect(problems(r => (r.spec.release = '29.5.0'))).toEqual([
      {
        path: 'spec.release',
        message:
          'mc-fixture does not offer release 29.5.0; it offers 31.1.0, 30.2.0',
      },
    ]);
    expect(problems(r => (r.spec.release = '28.0.0'))[0].path).toBe(
      'spec.release',
    );
  });

  it('offers the EKS versions in support that AWS reported', () => {
    const eks = (version: string) => (r: ClusterRequestInput) => {
      r.spec.flavor = 'eks';
      r.spec.kubernetesVersion = version;
      r.spec.nodePools = [
        {
          name: 'def00',
          type: 'managed',
          instanceType: 'm6i.large',
          minSize: 1,
          maxSize: 3,
        },
      ];
    };
    expect(references.managementClusters[0].eksVersions).toEqual([
      '1.33',
      '1.32',
      '1.31',
    ]);
    expect(problems(eks('1.31'))).toEqual([]);
    // As EKS names its versions, and as AWSManagedControlPlane writes them.
    expect(problems(eks('1.33'))).toEqual([]);
    expect(problems(eks('v1.33'))).toEqual([]);
    expect(problems(eks('v1.34'))).toEqual([
      {
        path: 'spec.kubernetesVersion',
        message:
          'mc-fixture does not offer EKS 1.34; it offers 1.33, 1.32, 1.31',
      },
    ]);
    expect(problems(eks('1.28'))).toEqual([
      {
        path: 'spec.kubernetesVersion',
        message:
          'mc-fixture does not offer EKS 1.28; it offers 1.33, 1.32, 1.31',
      },
    ]);
  });
});
