import fc from 'fast-check';
import { validateClusterRequest } from '@clusterdeck/plugin-aws-clusters-common';
import {
  arbitraryClusterRequest,
  editedRequest,
  findReferenceDir,
  referenceSkipReason,
  resolve,
  ValuesValidator,
} from '@clusterdeck/test-utils';
import { clusterAwsValues, clusterEksValues } from './clusterAws';
import { clusterAwsLimitations } from './clusterAwsLimitations';
import { RenderContext } from './types';

const referenceDir = findReferenceDir();
if (!referenceDir) {
  // eslint-disable-next-line no-console
  console.warn(
    `clusterAwsLimitations.test: chart schema checks skipped: ${referenceSkipReason}`,
  );
}

const WEB_REQUEST = editedRequest(r => {
  r.metadata = {
    name: 'web-prod',
    organization: 'web',
    owner: 'group:default/web',
  };
  delete r.spec.kubernetesVersion;
  r.spec.account.roleIdentity = 'web-prod';
  r.spec.network = {
    vpc: { mode: 'create', cidr: '10.20.0.0/16' },
    availabilityZones: 2,
  };
  r.spec.nodePools[0] = { ...r.spec.nodePools[0], minSize: 2, maxSize: 6 };
});

const request = (edit: (r: any) => void = () => {}) =>
  editedRequest(edit, WEB_REQUEST);

function eks(r: any) {
  r.spec.flavor = 'eks';
  r.spec.nodePools[0].type = 'managed';
}

function contextOf(input: unknown): RenderContext {
  const resolved = resolve(input);
  return {
    resolved,
    options: { format: 'cluster-aws' },
    baseDomain: resolved.request.spec.baseDomain,
  };
}

function limitationsOf(input: unknown) {
  return clusterAwsLimitations(contextOf(input)).map(
    ({ effect, path }) => `${effect} ${path}`,
  );
}

describe('clusterAwsLimitations', () => {
  it('finds nothing in a request the charts render faithfully', () => {
    expect(limitationsOf(request())).toEqual([]);
    expect(
      limitationsOf(
        request(r => {
          r.spec.nodePools[0].spot = { enabled: true, maxPrice: 0.3 };
          r.spec.nodePools[0].labels = { team: 'web' };
          r.spec.network.topology = {
            mode: 'transitGateway',
            transitGatewayId: 'tgw-0123456789abcdef0',
          };
        }),
      ),
    ).toEqual([]);
  });

  it('notes that the release, not the request, decides the Kubernetes version', () => {
    const [limitation] = clusterAwsLimitations(
      contextOf(request(r => (r.spec.kubernetesVersion = '1.33.4'))),
    );
    expect(limitation).toEqual({
      effect: 'dropped',
      path: 'spec.kubernetesVersion',
      message:
        'cluster-aws takes the Kubernetes version from release 31.1.0; make sure it is 1.33.4',
    });
  });

  it('reports what cluster-aws does differently with ASG pools', () => {
    expect(
      limitationsOf(
        request(r => {
          r.spec.nodePools[0] = {
            name: 'spot0',
            type: 'asg',
            instanceType: 'm6i.2xlarge',
            instanceTypeOverrides: ['m6i.2xlarge', 'm5.2xlarge'],
            minSize: 0,
            maxSize: 20,
            rootVolumeSizeGB: 10,
            spot: { enabled: true, onDemandBaseCapacity: 1 },
          };
        }),
      ),
    ).toEqual([
      'altered spec.nodePools[0].minSize',
      'altered spec.nodePools[0].rootVolumeSizeGB',
      'altered spec.nodePools[0].instanceTypeOverrides',
      'dropped spec.nodePools[0].spot',
    ]);
  });

  it('refuses pools that mix x86_64 and arm64 instance types', () => {
    expect(
      limitationsOf(
        request(
          r =>
            (r.spec.nodePools[0].instanceTypeOverrides = [
              'm6i.xlarge',
              'm7g.xlarge',
            ]),
        ),
      ),
    ).toEqual(['rejected spec.nodePools[0].instanceTypeOverrides']);
  });

  it('reports what cluster-aws does differently with Karpenter pools', () => {
    expect(
      limitationsOf(
        request(r => {
          r.spec.nodePools.push(
            {
              name: 'any-arch',
              type: 'karpenter',
              karpenter: {
                requirements: [
                  {
                    key: 'kubernetes.io/arch',
                    operator: 'In',
                    values: ['amd64', 'arm64'],
                    minValues: 2,
                  },
                ],
              },
            },
            {
              name: 'graviton',
              type: 'karpenter',
              karpenter: {
                requirements: [
                  {
                    key: 'kubernetes.io/arch',
                    operator: 'NotIn',
                    values: ['amd64'],
                  },
                ],
              },
            },
          );
        }),
      ),
    ).toEqual([
      'dropped spec.nodePools[1].karpenter.requirements[0].minValues',
      'altered spec.nodePools[1].karpenter.requirements',
      'altered spec.nodePools[2].taints',
    ]);
  });

  it('reports values the chart schema or templates refuse', () => {
    expect(
      limitationsOf(
        request(r => {
          r.metadata.labels = { 'example.com/flag': '' };
          r.metadata.description = 'the "web" cluster';
          r.spec.account.roleIdentity = `${'a'.repeat(40)}.${'b'.repeat(30)}`;
          r.spec.controlPlane = { instanceType: 'u-6tb1.metal' };
          r.spec.tags = {
            'cost-center': '',
            team: 'wéb',
            ok: 'a b:c/d=e+f-g@h',
          };
        }),
      ),
    ).toEqual([
      'rejected metadata.description',
      'rejected metadata.labels["example.com/flag"]',
      'rejected spec.account.roleIdentity',
      'rejected spec.tags["cost-center"]',
      'rejected spec.tags.team',
      'rejected spec.controlPlane.instanceType',
    ]);
  });

  it('reports cluster labels that clash with the labels the charts set', () => {
    expect(
      limitationsOf(
        request(r => {
          r.metadata.labels = {
            'giantswarm.io/organization': 'other',
            'app.kubernetes.io/name': 'web',
            team: 'web',
          };
        }),
      ),
    ).toEqual([
      'altered metadata.labels["giantswarm.io/organization"]',
      'altered metadata.labels["app.kubernetes.io/name"]',
    ]);
  });

  it('asks for the primary CIDR of an adopted VPC, which NodePort rules need', () => {
    expect(
      limitationsOf(
        request(r => {
          r.spec.network.vpc = { mode: 'adopt', id: 'vpc-0123abcd' };
          r.spec.network.subnets = [
            {
              id: 'subnet-0000000a',
              public: false,
              availabilityZone: 'eu-west-1a',
            },
            {
              id: 'subnet-0000000b',
              public: false,
              availabilityZone: 'eu-west-1b',
            },
          ];
        }),
      ),
    ).toEqual(['altered spec.network.vpc.cidr']);
  });

  it('notes that Giant Swarm VPN addresses are admitted beside the allowed CIDRs', () => {
    expect(
      limitationsOf(
        request(
          r => (r.spec.controlPlane = { allowedCidrs: ['203.0.113.0/24'] }),
        ),
      ),
    ).toEqual(['altered spec.controlPlane.allowedCidrs']);
  });

  it('reports what cluster-eks cannot carry: API CIDRs, topology, spot, node labels and taints', () => {
    expect(
      limitationsOf(
        request(r => {
          eks(r);
          r.spec.controlPlane = { allowedCidrs: ['203.0.113.0/24'] };
          r.spec.network.topology = {
            mode: 'transitGateway',
            transitGatewayId: 'tgw-0123456789abcdef0',
          };
          Object.assign(r.spec.nodePools[0], {
            minSize: 0,
            spot: { enabled: true },
            labels: { team: 'web' },
            taints: [{ key: 'dedicated', effect: 'NoSchedule' }],
            rootVolumeSizeGB: 100,
          });
        }),
      ),
    ).toEqual([
      'dropped spec.controlPlane.allowedCidrs',
      'dropped spec.network.topology',
      'altered spec.network.cni',
      'altered spec.nodePools[0].minSize',
      'dropped spec.nodePools[0].spot',
      'dropped spec.nodePools[0].labels',
      'dropped spec.nodePools[0].taints',
      'dropped spec.nodePools[0].rootVolumeSizeGB',
    ]);
  });

  it('refuses EKS pod networks outside the ranges EKS takes', () => {
    const [limitation] = clusterAwsLimitations(
      contextOf(
        request(r => {
          eks(r);
          r.spec.network.podCidr = '10.96.0.0/16';
        }),
      ),
    );
    expect(limitation).toMatchObject({
      effect: 'rejected',
      path: 'spec.network.podCidr',
    });
    expect(
      limitationsOf(
        request(r => {
          eks(r);
          r.spec.network.vpc.extraCidrs = ['100.70.0.0/16'];
          r.spec.network.cni = {
            mode: 'eni',
            podSubnetCidrs: ['100.70.0.0/18', '100.70.64.0/18'],
          };
        }),
      ),
    ).toEqual([]);
  });
});

/** Rejections the values schemas express, which a generated request may carry. */
const schemaBreakers = fc.record({
  emptyLabel: fc.boolean(),
  hyphenatedType: fc.boolean(),
  tagValue: fc.constantFrom('ok', 'a b:c/d=e+f-g@h,i;j', '', 'naïve', 'x!y'),
  longRoleIdentity: fc.boolean(),
});

type SchemaBreakers = typeof schemaBreakers extends fc.Arbitrary<infer T>
  ? T
  : never;

function withBreakers(generated: any, b: SchemaBreakers): any {
  const input = structuredClone(generated);
  if (b.emptyLabel) input.metadata.labels = { 'example.com/flag': '' };
  if (b.hyphenatedType && input.spec.flavor === 'ec2')
    input.spec.controlPlane.instanceType = 'u-6tb1.metal';
  input.spec.tags = { ...input.spec.tags, probe: b.tagValue };
  if (b.longRoleIdentity)
    input.spec.account.roleIdentity = `${'a'.repeat(40)}.${'b'.repeat(30)}`;
  return input;
}

(referenceDir ? describe : describe.skip)(
  `clusterAwsLimitations against the chart schemas${
    referenceDir ? '' : ` (skipped: ${referenceSkipReason})`
  }`,
  () => {
    const validator = referenceDir
      ? ValuesValidator.fromDirectory(referenceDir)
      : undefined;

    // The generator's other fields stay within what the charts accept, so here every rejection
    // comes from the schema and the two must agree.
    it('reports a rejection exactly when the chart schema refuses the values', () => {
      fc.assert(
        fc.property(
          arbitraryClusterRequest,
          schemaBreakers,
          (generated, breakers) => {
            const input = withBreakers(generated, breakers);
            fc.pre(validateClusterRequest(input).ok);
            const ctx = contextOf(input);
            const eksFlavor = input.spec.flavor === 'eks';
            const values = eksFlavor
              ? clusterEksValues(ctx)
              : clusterAwsValues(ctx);
            const issues = validator!.validate(
              eksFlavor ? 'cluster-eks' : 'cluster-aws',
              values,
            );
            const rejected = clusterAwsLimitations(ctx).filter(
              l => l.effect === 'rejected',
            );
            expect(rejected.length > 0).toBe(issues.length > 0);
          },
        ),
        { numRuns: 200 },
      );
    });
  },
);
