import { ec2Request, eksRequest } from '../__fixtures__/requests';
import {
  ClusterRequest,
  ClusterRequestInput,
  clusterRequestSchema,
} from '../request/clusterRequestSchema';
import { admitsNamespace } from './allowedNamespaces';
import { buildFleetReferences } from './buildFleetReferences';
import {
  checkClusterReferences,
  uncheckedReferences,
} from './checkClusterReferences';
import { FleetReferences } from './fleetReferences';

// Identities written as CAPA documents AWSClusterRoleIdentity (v1beta2): roleARN,
// sourceIdentityRef, and allowedNamespaces as a list or a label selector.
const controller = { kind: 'AWSClusterControllerIdentity', name: 'default' };
const identity = (name: string, account: string, allowedNamespaces?: any) => ({
  apiVersion: 'infrastructure.cluster.x-k8s.io/v1beta2',
  kind: 'AWSClusterRoleIdentity',
  metadata: { name },
  spec: {
    roleARN: `arn:aws:iam::${account}:role/${name}`,
    sourceIdentityRef: controller,
    ...(allowedNamespaces !== undefined ? { allowedNamespaces } : {}),
  },
});

function references(): FleetReferences {
  return buildFleetReferences({
    accounts: [
      {
        id: '123456789012',
        name: 'production',
        environment: 'production',
        regions: ['eu-west-1', 'eu-central-1'],
      },
      {
        id: '444455556666',
        name: 'development',
        environment: 'development',
        regions: ['eu-central-1'],
      },
    ],
    managementClusters: [
      { name: 'mc-eu-prod', region: 'eu-west-1', accountId: '111122223333' },
      { name: 'mc-eu-dev', region: 'eu-central-1', accountId: '111122223333' },
      { name: 'mc-unread', region: 'eu-west-1', accountId: '111122223333' },
    ],
    snapshot: {
      aws: [
        {
          accountId: '111122223333',
          region: 'eu-west-1',
          transitGatewayAttachments: [
            { TransitGatewayId: 'tgw-0123456789abcdef0', State: 'available' },
          ],
        },
        {
          accountId: '123456789012',
          region: 'eu-west-1',
          transitGatewayAttachments: [
            { TransitGatewayId: 'tgw-0123456789abcdef0', State: 'available' },
          ],
        },
        {
          accountId: '444455556666',
          region: 'eu-central-1',
          transitGatewayAttachments: [
            { TransitGatewayId: 'tgw-0000000000000dead', State: 'deleted' },
          ],
        },
      ],
      managementClusters: [
        {
          name: 'mc-eu-prod',
          objects: {
            awsClusterRoleIdentities: [
              identity('payments-prod', '123456789012', {
                list: ['org-payments'],
              }),
              identity('search-prod', '123456789012', { list: ['org-search'] }),
              identity('by-label', '123456789012', {
                selector: {
                  matchLabels: {
                    'kubernetes.io/metadata.name': 'org-payments',
                  },
                },
              }),
              identity('everyone', '123456789012', {}),
              identity('no-one', '123456789012'),
              identity('dev-shared', '444455556666', {
                list: ['org-payments'],
              }),
            ],
          },
        },
        {
          name: 'mc-eu-dev',
          objects: {
            awsClusterRoleIdentities: [
              identity('dev-shared', '444455556666', {
                list: ['org-payments'],
              }),
            ],
          },
        },
      ],
    },
    configured: {
      releases: { 'mc-eu-prod': ['31.1.0', '30.2.0'] },
      eksVersions: ['1.33', '1.32'],
      zones: {
        'eu-west-1': ['eu-west-1a', 'eu-west-1b', 'eu-west-1c'],
        'eu-central-1': ['eu-central-1a', 'eu-central-1b'],
      },
      transitGateways: {
        '444455556666': [
          {
            id: 'tgw-0fedcba9876543210',
            name: 'dev',
            region: 'eu-central-1',
            ownerAccountId: '111122223333',
          },
        ],
      },
    },
  });
}

function parsed(
  input: ClusterRequestInput,
  change?: (r: ClusterRequestInput) => void,
): ClusterRequest {
  change?.(input);
  return clusterRequestSchema.parse(input);
}

const check = (
  change?: (r: ClusterRequestInput) => void,
  base = ec2Request(),
) => checkClusterReferences(parsed(base, change), references());

describe('checkClusterReferences', () => {
  it('accepts a request whose every reference exists and belongs together', () => {
    expect(check()).toEqual([]);
    expect(check(undefined, eksRequest())).toEqual([]);
  });

  it('refuses a role identity the management cluster does not have', () => {
    expect(
      check(r => {
        r.spec.account.roleIdentity = 'no-such-identity';
      }),
    ).toEqual([
      {
        path: 'spec.account.roleIdentity',
        message:
          'mc-eu-prod has no AWSClusterRoleIdentity named no-such-identity',
      },
    ]);
  });

  it('refuses an identity whose role is in another account, naming both accounts', () => {
    expect(
      check(r => {
        r.spec.managementCluster = 'mc-eu-dev';
        r.spec.region = 'eu-central-1';
        r.spec.network.availabilityZones = 2;
        r.spec.account.id = '444455556666';
        r.spec.account.roleIdentity = 'payments-prod';
      }),
    ).toEqual([
      {
        path: 'spec.account.roleIdentity',
        message: 'mc-eu-dev has no AWSClusterRoleIdentity named payments-prod',
      },
    ]);
    // The case: the production identity named for a cluster in the development account.
    expect(
      check(r => {
        r.spec.account.id = '444455556666';
        r.spec.region = 'eu-central-1';
        r.spec.network.availabilityZones = 2;
      }),
    ).toEqual([
      {
        path: 'spec.account.roleIdentity',
        message:
          'payments-prod assumes a role in account production (123456789012, production), not in the requested account development (444455556666, development): CAPA would build the cluster there',
      },
    ]);
  });

  it('refuses an identity that does not admit the organization namespace', () => {
    expect(
      check(r => {
        r.spec.account.roleIdentity = 'search-prod';
      }),
    ).toEqual([
      {
        path: 'spec.account.roleIdentity',
        message:
          'search-prod does not admit the namespace org-payments: its allowedNamespaces lists org-search',
      },
    ]);
    expect(
      check(r => {
        r.spec.account.roleIdentity = 'no-one';
      }),
    ).toEqual([
      {
        path: 'spec.account.roleIdentity',
        message: expect.stringMatching(
          /admits no namespace \(allowedNamespaces is not set\)/,
        ),
      },
    ]);
  });

  it('admits through an empty allowedNamespaces and through a matching selector', () => {
    expect(
      check(r => {
        r.spec.account.roleIdentity = 'everyone';
      }),
    ).toEqual([]);
    expect(
      check(r => {
        r.spec.account.roleIdentity = 'by-label';
      }),
    ).toEqual([]);
    expect(
      check(r => {
        r.metadata.organization = 'search';
        r.metadata.owner = 'group:default/search';
        r.spec.account.roleIdentity = 'by-label';
      }),
    ).toEqual([
      {
        path: 'spec.account.roleIdentity',
        message: expect.stringMatching(
          /by-label does not admit the namespace org-search: its allowedNamespaces selects/,
        ),
      },
    ]);
  });

  it('refuses identities of a management cluster that has not been read', () => {
    expect(
      check(r => {
        r.spec.managementCluster = 'mc-unread';
      }),
    ).toEqual([
      {
        path: 'spec.account.roleIdentity',
        message: expect.stringMatching(
          /role identities of mc-unread are not known yet/,
        ),
      },
    ]);
  });

  it('refuses an unknown management cluster and an account that may not be used', () => {
    expect(
      check(r => {
        r.spec.managementCluster = 'mc-nowhere';
        r.spec.account.id = '999999999999';
      }),
    ).toEqual([
      {
        path: 'spec.managementCluster',
        message:
          'no management cluster named mc-nowhere; known: mc-eu-prod, mc-eu-dev, mc-unread',
      },
      {
        path: 'spec.account.id',
        message:
          'account 999999999999 is not one group:default/payments may use',
      },
    ]);
  });

  it("refuses a region that is not the account's", () => {
    expect(
      check(r => {
        r.spec.account.id = '444455556666';
        r.spec.account.roleIdentity = 'dev-shared';
      }),
    ).toEqual([
      {
        path: 'spec.region',
        message:
          'account development (444455556666) is not used in eu-west-1; its regions: eu-central-1',
      },
    ]);
  });

  it('refuses zones the region does not have, by count and by name', () => {
    const inCentral = (r: ClusterRequestInput) => {
      r.spec.region = 'eu-central-1';
    };
    expect(
      check(r => {
        inCentral(r);
        r.spec.network.availabilityZones = 3;
      }),
    ).toEqual([
      {
        path: 'spec.network.availabilityZones',
        message:
          'eu-central-1c is not an availability zone of eu-central-1; its zones: eu-central-1a, eu-central-1b',
      },
    ]);
    expect(
      check(r => {
        inCentral(r);
        r.spec.network.availabilityZones = ['eu-central-1a', 'eu-central-1c'];
      }),
    ).toEqual([
      {
        path: 'spec.network.availabilityZones[1]',
        message: expect.stringMatching(
          /^eu-central-1c is not an availability zone of eu-central-1/,
        ),
      },
    ]);
  });

  it('refuses a release or EKS version the management cluster does not offer', () => {
    expect(
      check(r => {
        r.spec.release = '29.0.0';
      }),
    ).toEqual([
      {
        path: 'spec.release',
        message:
          'mc-eu-prod does not offer release 29.0.0; it offers 31.1.0, 30.2.0',
      },
    ]);
    expect(
      check(r => {
        r.spec.kubernetesVersion = '1.29';
      }, eksRequest()),
    ).toEqual([
      {
        path: 'spec.kubernetesVersion',
        message: 'mc-eu-prod does not offer EKS 1.29; it offers 1.33, 1.32',
      },
    ]);
    // Releases of a management cluster nobody configured are not judged.
    expect(
      check(r => {
        r.spec.managementCluster = 'mc-eu-dev';
        r.spec.account.id = '444455556666';
        r.spec.region = 'eu-central-1';
        r.spec.network.availabilityZones = 2;
        r.spec.account.roleIdentity = 'dev-shared';
        r.spec.release = '1.0.0';
      }),
    ).toEqual([]);
  });

  it('refuses a transit gateway the account cannot reach, one of another region, and one the management cluster is not on', () => {
    const viaTgw = (id: string) => (r: ClusterRequestInput) => {
      r.spec.controlPlane = { apiMode: 'private' };
      r.spec.network.topology = {
        mode: 'transitGateway',
        transitGatewayId: id,
      };
    };
    expect(check(viaTgw('tgw-0123456789abcdef0'))).toEqual([]);
    expect(check(viaTgw('tgw-0fedcba9876543210'))).toEqual([
      {
        path: 'spec.network.topology.transitGatewayId',
        message:
          'transit gateway tgw-0fedcba9876543210 is not shared with account 123456789012; reachable: tgw-0123456789abcdef0',
      },
    ]);
    const dev = (r: ClusterRequestInput) => {
      r.spec.managementCluster = 'mc-eu-dev';
      r.spec.account.id = '444455556666';
      r.spec.region = 'eu-central-1';
      r.spec.network.availabilityZones = 2;
      r.spec.account.roleIdentity = 'dev-shared';
    };
    expect(
      check(r => {
        dev(r);
        viaTgw('tgw-0fedcba9876543210')(r);
      }),
    ).toEqual([
      {
        path: 'spec.network.topology.transitGatewayId',
        message:
          "mc-eu-dev's network (account 111122223333) is not attached to tgw-0fedcba9876543210, so it could not reach the private API",
      },
    ]);
    // A deleted attachment connects nothing.
    expect(
      check(r => {
        dev(r);
        viaTgw('tgw-0000000000000dead')(r);
      })[0].path,
    ).toBe('spec.network.topology.transitGatewayId');
  });
});

describe('uncheckedReferences', () => {
  const unchecked = (
    change?: (r: ClusterRequestInput) => void,
    base = ec2Request(),
    refs = references(),
  ) => uncheckedReferences(parsed(base, change), refs);

  it('says nothing when the releases, EKS versions and zones are listed', () => {
    expect(unchecked()).toEqual([]);
  });

  it('warns at each field that nothing lists what it names', () => {
    // mc-eu-dev has no Release object and no configured release.
    expect(
      unchecked(r => {
        r.spec.managementCluster = 'mc-eu-dev';
        r.spec.release = '1.0.0';
      }),
    ).toEqual([
      {
        path: 'spec.release',
        message:
          'nothing lists the releases mc-eu-dev offers, so 1.0.0 is not checked',
      },
    ]);
    // mc-eu-prod lists EC2 releases only: an EKS request's release is not judged by them.
    const refs = references();
    delete refs.managementClusters[0].eksVersions;
    delete refs.zones!['eu-west-1'];
    expect(
      unchecked(r => (r.spec.kubernetesVersion = '1.33'), eksRequest(), refs),
    ).toEqual([
      {
        path: 'spec.release',
        message:
          'nothing lists the EKS releases mc-eu-prod offers, so 31.1.0 is not checked',
      },
      {
        path: 'spec.kubernetesVersion',
        message:
          'nothing lists the EKS versions mc-eu-prod offers, so 1.33 is not checked',
      },
      {
        path: 'spec.network.availabilityZones',
        message:
          'nothing lists the availability zones of eu-west-1, so the zones are not checked',
      },
    ]);
    // What is not checked is not refused either.
    expect(
      checkClusterReferences(
        parsed(eksRequest(), r => (r.spec.kubernetesVersion = '1.33')),
        refs,
      ),
    ).toEqual([]);
  });
});

describe('admitsNamespace', () => {
  it("follows CAPA's documented semantics", () => {
    expect(admitsNamespace(undefined, 'org-a')).toBe(false);
    expect(admitsNamespace(null, 'org-a')).toBe(false);
    expect(admitsNamespace({}, 'org-a')).toBe(true);
    expect(admitsNamespace({ list: [] }, 'org-a')).toBe(false);
    expect(admitsNamespace({ selector: {} }, 'org-a')).toBe(false);
    expect(admitsNamespace({ list: ['org-a'] }, 'org-a')).toBe(true);
    expect(
      admitsNamespace(
        {
          list: ['org-b'],
          selector: {
            matchExpressions: [
              {
                key: 'kubernetes.io/metadata.name',
                operator: 'In',
                values: ['org-a'],
              },
            ],
          },
        },
        'org-a',
      ),
    ).toBe(true);
    expect(
      admitsNamespace({ selector: { matchLabels: { team: 'a' } } }, 'org-a', {
        team: 'a',
      }),
    ).toBe(true);
    expect(
      admitsNamespace(
        {
          selector: { matchExpressions: [{ key: 'team', operator: 'Exists' }] },
        },
        'org-a',
      ),
    ).toBe(false);
  });
});
