import { ec2Request, eksRequest } from '../__fixtures__/requests';
import {
  ClusterRequestInput,
  clusterRequestSchema,
} from '../request/clusterRequestSchema';
import {
  buildFleetReferences,
  ConfiguredReferences,
  ReferenceSnapshot,
} from './buildFleetReferences';
import { checkClusterReferences } from './checkClusterReferences';

const PROD = '123456789012';
const DEV = '444455556666';
const NETWORK = '111122223333';
const UNRELATED = '777788889999';

// Outputs as the EC2 API reference documents them (DescribeAvailabilityZones,
// DescribeTransitGateways), as the collector records them per account and region.
const zone = (
  region: string,
  letter: string,
  id: string,
  extra: Record<string, string> = {},
) => ({
  ZoneName: `${region}${letter}`,
  ZoneId: id,
  ZoneType: 'availability-zone',
  State: 'available',
  RegionName: region,
  GroupName: region,
  OptInStatus: 'opt-in-not-required',
  NetworkBorderGroup: region,
  Messages: [],
  ...extra,
});
const transitGateway = (
  id: string,
  owner: string,
  region: string,
  name: string,
  state = 'available',
) => ({
  TransitGatewayId: id,
  TransitGatewayArn: `arn:aws:ec2:${region}:${owner}:transit-gateway/${id}`,
  State: state,
  OwnerId: owner,
  Description: name,
  CreationTime: '2025-03-04T10:12:00.000Z',
  Options: {
    AmazonSideAsn: 64512,
    AutoAcceptSharedAttachments: 'disable',
    DefaultRouteTableAssociation: 'enable',
    DefaultRouteTablePropagation: 'enable',
    VpnEcmpSupport: 'enable',
    DnsSupport: 'enable',
  },
  Tags: [{ Key: 'Name', Value: name }],
});
// EKS DescribeClusterVersions, as its API reference documents the output.
const eksVersion = (
  version: string,
  versionStatus: string,
  extra: Record<string, unknown> = {},
) => ({
  clusterVersion: version,
  clusterType: 'eks',
  defaultPlatformVersion: 'eks.5',
  defaultVersion: false,
  releaseDate: '2025-01-29T00:00:00.000Z',
  endOfStandardSupportDate: '2026-03-29T00:00:00.000Z',
  endOfExtendedSupportDate: '2027-03-29T00:00:00.000Z',
  status: versionStatus.toLowerCase().replace('_', '-'),
  versionStatus,
  kubernetesPatchVersion: `${version}.5`,
  ...extra,
});
// Giant Swarm's Release objects (release.giantswarm.io/v1alpha1, cluster-scoped).
const release = (name: string, state: string) => ({
  apiVersion: 'release.giantswarm.io/v1alpha1',
  kind: 'Release',
  metadata: { name },
  spec: {
    apps: [{ name: 'cilium', version: '1.2.1', dependsOn: [] }],
    components: [
      { name: 'cluster-aws', version: '3.6.1', catalog: 'cluster' },
      { name: 'kubernetes', version: '1.31.9' },
    ],
    date: '2025-05-20T12:00:00Z',
    state,
  },
});
// A cluster-eks release as Giant Swarm publishes it (giantswarm/releases eks/v34.0.0/release.yaml).
const eksRelease = (version: string, state: string) => ({
  apiVersion: 'release.giantswarm.io/v1alpha1',
  kind: 'Release',
  metadata: { name: `eks-${version}` },
  spec: {
    apps: [{ name: 'aws-ebs-csi-driver', version: '4.1.1' }],
    components: [
      { name: 'cluster-eks', catalog: 'cluster', version: '1.2.1' },
      { name: 'kubernetes', version: '1.34.4' },
    ],
    date: '2026-02-24T08:50:53Z',
    state,
  },
});
const identity = (name: string, account: string) => ({
  metadata: { name },
  spec: {
    roleARN: `arn:aws:iam::${account}:role/capa-controller`,
    allowedNamespaces: {},
  },
});

function recorded(): ReferenceSnapshot {
  return {
    aws: [
      {
        accountId: PROD,
        region: 'eu-west-1',
        availabilityZones: [
          zone('eu-west-1', 'a', 'euw1-az3'),
          zone('eu-west-1', 'b', 'euw1-az1'),
          zone('eu-west-1', 'c', 'euw1-az2'),
        ],
        // Owned by the network account and shared with this one through RAM.
        transitGateways: [
          transitGateway('tgw-0123456789abcdef0', NETWORK, 'eu-west-1', 'hub'),
        ],
        eksClusterVersions: [
          eksVersion('1.33', 'STANDARD_SUPPORT', { defaultVersion: true }),
          eksVersion('1.32', 'STANDARD_SUPPORT'),
          eksVersion('1.30', 'EXTENDED_SUPPORT'),
          eksVersion('1.28', 'UNSUPPORTED'),
        ],
      },
      {
        accountId: DEV,
        region: 'eu-central-1',
        availabilityZones: [
          zone('eu-central-1', 'a', 'euc1-az2'),
          zone('eu-central-1', 'b', 'euc1-az3'),
        ],
        transitGateways: [],
      },
      {
        accountId: NETWORK,
        region: 'eu-west-1',
        transitGateways: [
          transitGateway('tgw-0123456789abcdef0', NETWORK, 'eu-west-1', 'hub'),
        ],
        transitGatewayAttachments: [
          {
            TransitGatewayId: 'tgw-0123456789abcdef0',
            TransitGatewayOwnerId: NETWORK,
            State: 'available',
          },
        ],
      },
      {
        accountId: UNRELATED,
        region: 'eu-west-1',
        transitGateways: [
          transitGateway(
            'tgw-0aaaabbbbccccdddd',
            UNRELATED,
            'eu-west-1',
            'theirs',
          ),
        ],
      },
    ],
    managementClusters: [
      {
        name: 'mc-eu-prod',
        objects: {
          awsClusterRoleIdentities: [identity('payments-prod', PROD)],
          releases: [
            release('aws-30.2.0', 'active'),
            release('aws-31.1.0', 'active'),
            release('aws-29.5.0', 'deprecated'),
            release('azure-31.1.0', 'active'),
          ],
        },
      },
      {
        name: 'mc-eu-dev',
        objects: {
          awsClusterRoleIdentities: [identity('dev-shared', DEV)],
        },
      },
    ],
  };
}

const CONFIGURED: ConfiguredReferences = {
  releases: { 'mc-eu-prod': ['28.0.0'], 'mc-eu-dev': ['31.0.0'] },
  eksVersions: ['1.29'],
  zones: {
    'eu-west-1': ['eu-west-1a'],
    'us-east-1': ['us-east-1a', 'us-east-1b'],
  },
  transitGateways: {
    [DEV]: [
      {
        id: 'tgw-0fedcba9876543210',
        name: 'dev',
        region: 'eu-central-1',
        ownerAccountId: NETWORK,
      },
    ],
  },
};

function references(snapshot = recorded(), configured = CONFIGURED) {
  return buildFleetReferences({
    accounts: [
      {
        id: PROD,
        name: 'production',
        environment: 'production',
        regions: ['eu-west-1', 'us-east-1'],
      },
      {
        id: DEV,
        name: 'development',
        environment: 'development',
        regions: ['eu-central-1'],
      },
    ],
    managementClusters: [
      { name: 'mc-eu-prod', region: 'eu-west-1', accountId: NETWORK },
      { name: 'mc-eu-dev', region: 'eu-central-1', accountId: NETWORK },
    ],
    snapshot,
    configured,
  });
}

const check = (
  change: (r: ClusterRequestInput) => void,
  base = ec2Request(),
  refs = references(),
) => {
  change(base);
  return checkClusterReferences(clusterRequestSchema.parse(base), refs);
};
const inDev = (r: ClusterRequestInput) => {
  r.spec.managementCluster = 'mc-eu-dev';
  r.spec.account = { id: DEV, roleIdentity: 'dev-shared' };
  r.spec.region = 'eu-central-1';
  r.spec.network.availabilityZones = 2;
  r.spec.release = '31.0.0';
};
const viaTgw = (id: string) => (r: ClusterRequestInput) => {
  r.spec.network.topology = { mode: 'transitGateway', transitGatewayId: id };
};

describe('buildFleetReferences from what AWS and the management clusters report', () => {
  it('takes zones per region from DescribeAvailabilityZones, and configuration only where nothing was recorded', () => {
    expect(references().zones).toEqual({
      'eu-west-1': ['eu-west-1a', 'eu-west-1b', 'eu-west-1c'],
      'eu-central-1': ['eu-central-1a', 'eu-central-1b'],
      'us-east-1': ['us-east-1a', 'us-east-1b'],
    });
    expect(
      check(r => {
        r.spec.network.availabilityZones = ['eu-west-1a', 'eu-west-1c'];
      }),
    ).toEqual([]);
    // A zone of another region is refused, naming the field.
    expect(
      check(r => {
        r.spec.network.availabilityZones = ['eu-west-1a', 'eu-central-1b'];
      }),
    ).toEqual([
      {
        path: 'spec.network.availabilityZones[1]',
        message:
          'eu-central-1b is not an availability zone of eu-west-1; its zones: eu-west-1a, eu-west-1b, eu-west-1c',
      },
    ]);
    // Three zones asked of a region AWS reports two for.
    expect(check(r => inDev(r))).toEqual([]);
    expect(
      check(r => {
        inDev(r);
        r.spec.network.availabilityZones = 3;
      }),
    ).toEqual([
      {
        path: 'spec.network.availabilityZones',
        message:
          'eu-central-1c is not an availability zone of eu-central-1; its zones: eu-central-1a, eu-central-1b',
      },
    ]);
  });

  it('leaves out zones that are not available or not availability zones', () => {
    const snapshot = recorded();
    snapshot.aws[0].availabilityZones!.push(
      zone('eu-west-1', 'd', 'euw1-az4', { State: 'impaired' }),
      zone('eu-west-1', '-lhr-1a', 'euw1-lhr1-az1', {
        ZoneType: 'local-zone',
      }),
    );
    expect(references(snapshot).zones!['eu-west-1']).toEqual([
      'eu-west-1a',
      'eu-west-1b',
      'eu-west-1c',
    ]);
  });

  it('offers the transit gateways an account owns or is shared through RAM, besides the configured ones', () => {
    const refs = references();
    expect(refs.transitGateways[PROD]).toEqual([
      {
        id: 'tgw-0123456789abcdef0',
        name: 'hub',
        region: 'eu-west-1',
        ownerAccountId: NETWORK,
        attached: false,
      },
    ]);
    expect(refs.transitGateways[NETWORK]).toEqual([
      {
        id: 'tgw-0123456789abcdef0',
        name: 'hub',
        region: 'eu-west-1',
        ownerAccountId: NETWORK,
        attached: true,
      },
    ]);
    expect(refs.transitGateways[DEV]).toEqual(CONFIGURED.transitGateways![DEV]);
    // Shared with the production account through RAM: accepted.
    expect(check(viaTgw('tgw-0123456789abcdef0'))).toEqual([]);
    // Owned by an account that shares it with nobody here: refused.
    expect(check(viaTgw('tgw-0aaaabbbbccccdddd'))).toEqual([
      {
        path: 'spec.network.topology.transitGatewayId',
        message:
          'transit gateway tgw-0aaaabbbbccccdddd is not shared with account 123456789012; reachable: tgw-0123456789abcdef0',
      },
    ]);
  });

  it('refuses a transit gateway that is not available', () => {
    const snapshot = recorded();
    snapshot.aws[0].transitGateways!.push(
      transitGateway(
        'tgw-0bbbbccccddddeeee',
        NETWORK,
        'eu-west-1',
        'old',
        'deleting',
      ),
    );
    expect(
      check(
        viaTgw('tgw-0bbbbccccddddeeee'),
        ec2Request(),
        references(snapshot),
      ).map(p => p.path),
    ).toEqual(['spec.network.topology.transitGatewayId']);
  });

  it('needs the management cluster attached to the gateway of a private API, not merely allowed to attach', () => {
    const privateApi = (r: ClusterRequestInput) => {
      r.spec.controlPlane = { apiMode: 'private' };
      viaTgw('tgw-0123456789abcdef0')(r);
    };
    expect(check(privateApi)).toEqual([]);
    const snapshot = recorded();
    snapshot.aws[2].transitGatewayAttachments = [];
    expect(check(privateApi, ec2Request(), references(snapshot))).toEqual([
      {
        path: 'spec.network.topology.transitGatewayId',
        message:
          "mc-eu-prod's network (account 111122223333) is not attached to tgw-0123456789abcdef0, so it could not reach the private API",
      },
    ]);
  });

  it("offers a management cluster's non-deprecated AWS releases, newest first, and configuration where it has none", () => {
    const refs = references();
    expect(refs.managementClusters[0].releases).toEqual(['31.1.0', '30.2.0']);
    expect(refs.managementClusters[1].releases).toEqual(['31.0.0']);
    expect(check(r => (r.spec.release = '30.2.0'))).toEqual([]);
    expect(check(r => (r.spec.release = '29.5.0'))).toEqual([
      {
        path: 'spec.release',
        message:
          'mc-eu-prod does not offer release 29.5.0; it offers 31.1.0, 30.2.0',
      },
    ]);
    // Configured releases do not add to those the management cluster serves.
    expect(check(r => (r.spec.release = '28.0.0'))[0].path).toBe(
      'spec.release',
    );
    expect(check(r => inDev(r))).toEqual([]);
  });

  it("offers a management cluster's EKS releases from its eks-* Release objects, apart from the EC2 ones", () => {
    const withEks = recorded();
    withEks.managementClusters[0].objects.releases!.push(
      eksRelease('34.0.0', 'active'),
      eksRelease('33.0.0', 'deprecated'),
    );
    const refs = references(withEks);
    expect(refs.managementClusters[0]).toMatchObject({
      releases: ['31.1.0', '30.2.0'],
      eksReleases: ['34.0.0'],
    });
    // mc-eu-dev has no eks-* Release object: configuration decides, and none is configured.
    expect(refs.managementClusters[1].eksReleases).toBeUndefined();
    const asEks = (version: string) => (r: ClusterRequestInput) => {
      r.spec.release = version;
      r.spec.kubernetesVersion = '1.33';
    };
    expect(check(asEks('34.0.0'), eksRequest(), refs)).toEqual([]);
    // An EC2-only release is no release of cluster-eks.
    expect(check(asEks('31.1.0'), eksRequest(), refs)).toEqual([
      {
        path: 'spec.release',
        message:
          'mc-eu-prod does not offer EKS release 31.1.0; it offers 34.0.0',
      },
    ]);
    // And an EKS release is none of cluster-aws.
    expect(check(r => (r.spec.release = '34.0.0'), ec2Request(), refs)).toEqual(
      [
        {
          path: 'spec.release',
          message:
            'mc-eu-prod does not offer release 34.0.0; it offers 31.1.0, 30.2.0',
        },
      ],
    );
    // Configured EKS releases stand in where a management cluster has no eks-* Release.
    const configured = references(recorded(), {
      ...CONFIGURED,
      eksReleases: { 'mc-eu-prod': ['32.1.0'] },
    });
    expect(configured.managementClusters[0].eksReleases).toEqual(['32.1.0']);
    expect(
      references(withEks, {
        ...CONFIGURED,
        eksReleases: { 'mc-eu-prod': ['32.1.0'] },
      }).managementClusters[0].eksReleases,
    ).toEqual(['34.0.0']);
  });

  it('offers the EKS versions in standard or extended support, and configuration where none were recorded', () => {
    expect(references().managementClusters[0].eksVersions).toEqual([
      '1.33',
      '1.32',
      '1.30',
    ]);
    expect(
      check(r => (r.spec.kubernetesVersion = '1.30'), eksRequest()),
    ).toEqual([]);
    expect(
      check(r => (r.spec.kubernetesVersion = '1.28.15'), eksRequest()),
    ).toEqual([
      {
        path: 'spec.kubernetesVersion',
        message:
          'mc-eu-prod does not offer EKS 1.28; it offers 1.33, 1.32, 1.30',
      },
    ]);
    const unrecorded = recorded();
    delete unrecorded.aws[0].eksClusterVersions;
    const fallback = references(unrecorded);
    expect(fallback.managementClusters[0].eksVersions).toEqual(['1.29']);
    expect(
      check(r => (r.spec.kubernetesVersion = '1.33'), eksRequest(), fallback),
    ).toEqual([
      {
        path: 'spec.kubernetesVersion',
        message: 'mc-eu-prod does not offer EKS 1.33; it offers 1.29',
      },
    ]);
  });

  it('gives a management cluster the environment configured for it, else that of its own account', () => {
    const build = (environment?: string) =>
      buildFleetReferences({
        accounts: [
          {
            id: NETWORK,
            name: 'shared-services',
            environment: 'shared-services',
            regions: ['eu-west-1'],
          },
        ],
        managementClusters: [
          {
            name: 'mc-eu-prod',
            region: 'eu-west-1',
            accountId: NETWORK,
            ...(environment ? { environment } : {}),
          },
        ],
        snapshot: { aws: [], managementClusters: [] },
      }).managementClusters[0].environment;
    expect(build('production')).toBe('production');
    expect(build()).toBe('shared-services');
  });

  it('falls back to configuration for everything when nothing was recorded', () => {
    const refs = references(
      {
        aws: [],
        managementClusters: [{ name: 'mc-eu-prod', objects: { releases: [] } }],
      },
      CONFIGURED,
    );
    expect(refs.zones).toEqual(CONFIGURED.zones);
    expect(refs.managementClusters[0]).toMatchObject({
      releases: ['28.0.0'],
      eksVersions: ['1.29'],
    });
    expect(refs.transitGateways).toEqual(CONFIGURED.transitGateways);
    const none = references({ aws: [], managementClusters: [] }, {});
    expect(none.zones).toBeUndefined();
    expect(none.managementClusters[0].releases).toBeUndefined();
    expect(none.managementClusters[0].eksVersions).toBeUndefined();
  });
});
