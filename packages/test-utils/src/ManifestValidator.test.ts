import path from 'node:path';
import Ajv from 'ajv';
import { ManifestValidator } from './ManifestValidator';
import {
  describeMissingReference,
  findReferenceDir,
  referenceSkipReason,
} from '@clusterdeck/plugin-aws-clusters-node';
import { isCidr, isIPv6 } from './formats';
import { readYamlDocuments, yamlFiles } from './referenceFixtures';

const referenceDir = findReferenceDir();
const describeIfRef = referenceDir ? describe : describe.skip;
if (!referenceDir) {
  // eslint-disable-next-line no-console
  console.warn(
    `ManifestValidator tests skipped: ${describeMissingReference()}`,
  );
}
const suffix = referenceDir ? '' : ` (skipped: ${referenceSkipReason})`;

const CAPA = 'infrastructure.cluster.x-k8s.io/v1beta2';
const NAMESPACE = 'org-test';

/** Kinds in upstream's templates that the reference set has no CRD for. */
const KINDS_WITHOUT_CRD = [
  'ClusterClass',
  'ClusterResourceSet',
  'KubeadmControlPlaneTemplate',
];

// The largest CRD schemas take a while to compile on a slow machine.
jest.setTimeout(120_000);

type Manifest = Record<string, unknown> & {
  apiVersion: string;
  kind: string;
  metadata: Record<string, unknown>;
};

function manifest(
  kind: string,
  spec: unknown,
  apiVersion = CAPA,
  metadata: Record<string, unknown> = { name: 'test', namespace: NAMESPACE },
): Manifest {
  return { apiVersion, kind, metadata, spec };
}

function groupOf(apiVersion: string): string {
  return apiVersion.includes('/') ? apiVersion.split('/')[0] : '';
}

describe('formats', () => {
  it('accepts real CIDRs and rejects others', () => {
    for (const ok of [
      '10.0.0.0/16',
      '0.0.0.0/0',
      '10.1.2.3/32',
      'fd00::/8',
      '::/0',
      '2001:db8::1/128',
      '::ffff:10.0.0.1/128',
    ]) {
      expect([ok, isCidr(ok)]).toEqual([ok, true]);
    }
    for (const bad of [
      '10.0.0.0',
      '10.0.0.0/33',
      '10.0.0.256/8',
      '010.0.0.0/8',
      '10.0.0/8',
      'fd00::/129',
      'fd00:::1/64',
      'a/1',
      '10.0.0.0/-1',
      '10.0.0.0/ 8',
    ]) {
      expect([bad, isCidr(bad)]).toEqual([bad, false]);
    }
  });

  it('places an embedded IPv4 address only at the end of an IPv6 address', () => {
    expect(isIPv6('::ffff:1.2.3.4')).toBe(true);
    expect(isIPv6('1.2.3.4::')).toBe(false);
    expect(isIPv6('1:2:3:4:5:6:7:8')).toBe(true);
    expect(isIPv6('1:2:3:4:5:6:7:8:9')).toBe(false);
  });
});

describeIfRef(`ManifestValidator against the upstream CRDs${suffix}`, () => {
  const dir = referenceDir ?? '';
  let validator: ManifestValidator;

  beforeAll(() => {
    validator = ManifestValidator.fromDirectory(dir);
  });

  describe('upstream capa templates', () => {
    // it.each refuses an empty table; it is only empty when the suite is skipped.
    const templates = referenceDir
      ? yamlFiles(path.join(dir, 'capa-templates'))
      : [{ name: 'none', file: '' }];
    const skipped = new Set<string>();

    it.each(templates)(
      '$name: every document with a CRD validates',
      ({ file }) => {
        const checked = readYamlDocuments(file, true).flatMap(doc => {
          const m = doc as Manifest;
          const scope = validator.scope(groupOf(m.apiVersion), m.kind);
          if (!scope) {
            skipped.add(`${m.apiVersion}/${m.kind}`);
            return [];
          }
          // clusterctl's --target-namespace does the same for templates without one.
          if (scope === 'Namespaced' && !m.metadata.namespace) {
            m.metadata.namespace = NAMESPACE;
          }
          return [m];
        });
        expect(checked.length).toBeGreaterThan(0);
        expect(validator.validateAll(checked)).toEqual([]);
      },
    );

    it('skips only the kinds the reference set has no CRD for', () => {
      const kinds = [...skipped].map(k => k.split('/').pop());
      // eslint-disable-next-line no-console
      console.info(
        `capa template kinds without a CRD, not validated: ${[...skipped]
          .sort()
          .join(', ')}`,
      );
      expect([...new Set(kinds)].sort()).toEqual(KINDS_WITHOUT_CRD);
    });
  });

  describe('unknown fields', () => {
    it('reports an unknown field in AWSCluster.spec with its path', () => {
      const issues = validator.validate(
        manifest('AWSCluster', { region: 'eu-west-1', notAField: true }),
      );
      expect(issues).toEqual([
        { path: 'spec.notAField', message: 'unknown field "spec.notAField"' },
      ]);
    });

    it('reports an unknown field nested deep in AWSMachinePool.spec.awsLaunchTemplate', () => {
      const issues = validator.validate(
        manifest('AWSMachinePool', {
          minSize: 1,
          maxSize: 3,
          awsLaunchTemplate: {
            instanceType: 'm5.xlarge',
            rootVolume: { size: 50, notAField: 'x' },
          },
        }),
      );
      expect(issues).toEqual([
        {
          path: 'spec.awsLaunchTemplate.rootVolume.notAField',
          message:
            'unknown field "spec.awsLaunchTemplate.rootVolume.notAField"',
        },
      ]);
    });

    it('reports unknown top-level and metadata fields', () => {
      const m = manifest('AWSCluster', { region: 'eu-west-1' });
      const issues = validator.validate({
        ...m,
        extra: 1,
        metadata: { ...m.metadata, labelz: {} },
      });
      expect(issues.map(i => i.path).sort()).toEqual([
        'extra',
        'metadata.labelz',
      ]);
    });

    it('treats an object schema that declares no fields as closed, as the server prunes all of it', () => {
      // Organization.spec is a bare `type: object`: the organization is its name.
      const issues = validator.validate(
        manifest(
          'Organization',
          { owner: 'x' },
          'security.giantswarm.io/v1alpha1',
          {
            name: 'acme',
          },
        ),
      );
      expect(issues).toEqual([
        { path: 'spec.owner', message: 'unknown field "spec.owner"' },
      ]);
    });

    it('keeps fields under x-kubernetes-preserve-unknown-fields open', () => {
      const cluster = manifest(
        'Cluster',
        {
          topology: {
            classRef: { name: 'c' },
            version: 'v1.33.0',
            variables: [
              { name: 'anything', value: { free: { form: [1, 'two'] } } },
            ],
          },
        },
        'cluster.x-k8s.io/v1beta2',
      );
      expect(validator.validate(cluster)).toEqual([]);
    });
  });

  describe('types, enums, formats', () => {
    it('reports a wrong type with the field path', () => {
      const issues = validator.validate(
        manifest('AWSMachinePool', {
          minSize: '1',
          maxSize: 3,
          awsLaunchTemplate: {},
        }),
      );
      expect(issues).toEqual([
        { path: 'spec.minSize', message: 'must be integer' },
      ]);
    });

    it('reports an enum violation inside a list with [i] in the path', () => {
      const issues = validator.validate(
        manifest('AWSManagedMachinePool', {
          taints: [
            { key: 'a', value: 'b', effect: 'no-schedule' },
            { key: 'c', value: 'd', effect: 'NoSchedule' },
          ],
        }),
      );
      expect(issues).toHaveLength(1);
      expect(issues[0].path).toBe('spec.taints[1].effect');
      expect(issues[0].message).toMatch(/^must be one of "no-schedule"/);
    });

    it('reports a wrong cidr format', () => {
      const network = (cidrBlock: string) =>
        manifest('ROSANetwork', {
          region: 'eu-west-1',
          stackName: 'n',
          availabilityZoneCount: 1,
          cidrBlock,
        });
      expect(validator.validate(network('10.0.0.0/16'))).toEqual([]);
      expect(validator.validate(network('10.0.0.0/33'))).toEqual([
        { path: 'spec.cidrBlock', message: 'must match format "cidr"' },
      ]);
      expect(validator.validate(network('10.0.0.0'))).toHaveLength(1);
    });

    it('accepts integer or string for x-kubernetes-int-or-string, nothing else', () => {
      const mhc = (maxUnhealthy: unknown) =>
        manifest(
          'MachineHealthCheck',
          { clusterName: 'c', selector: {}, maxUnhealthy },
          'cluster.x-k8s.io/v1beta1',
        );
      expect(validator.validate(mhc('40%'))).toEqual([]);
      expect(validator.validate(mhc(3))).toEqual([]);
      expect(validator.validate(mhc(true))).toEqual([
        { path: 'spec.maxUnhealthy', message: 'must be integer or string' },
      ]);
    });

    it('reports a missing required field by its own path', () => {
      const issues = validator.validate(
        manifest('AWSMachineTemplate', { template: { spec: {} } }),
      );
      expect(issues).toEqual([
        {
          path: 'spec.template.spec.instanceType',
          message: 'required field is missing',
        },
      ]);
    });
  });

  describe('nulls', () => {
    it('does not report a null in a non-nullable field: the server drops it', () => {
      const issues = validator.validate(
        manifest('AWSCluster', {
          region: 'eu-west-1',
          bastion: null,
          network: { vpc: null, cni: { cniIngressRules: null } },
        }),
      );
      expect(issues).toEqual([]);
    });

    it('does not change the manifest it is given', () => {
      const m = manifest('AWSCluster', { region: 'eu-west-1', bastion: null });
      validator.validate(m);
      expect(m.spec).toEqual({ region: 'eu-west-1', bastion: null });
    });

    it('keeps a null in a nullable field and accepts it', () => {
      const identity = manifest(
        'AWSClusterRoleIdentity',
        {
          allowedNamespaces: null,
          roleARN: 'arn:aws:iam::123456789012:role/r',
          sourceIdentityRef: {
            kind: 'AWSClusterControllerIdentity',
            name: 'default',
          },
        },
        CAPA,
        { name: 'identity' },
      );
      expect(validator.validate(identity)).toEqual([]);
    });

    it('still reports a null in a field the schema does not declare', () => {
      const issues = validator.validate(
        manifest('AWSCluster', { region: 'eu-west-1', notAField: null }),
      );
      expect(issues.map(i => i.path)).toEqual(['spec.notAField']);
    });
  });

  describe('kinds and versions', () => {
    it('reports an apiVersion the CRD defines but does not serve', () => {
      // CAPA keeps v1beta1 in its CRDs with served: false.
      const issues = validator.validate(
        manifest(
          'AWSCluster',
          { region: 'eu-west-1' },
          'infrastructure.cluster.x-k8s.io/v1beta1',
        ),
      );
      expect(issues).toEqual([
        {
          path: 'apiVersion',
          message:
            'version "v1beta1" of infrastructure.cluster.x-k8s.io/AWSCluster is not served; served: v1beta2',
        },
      ]);
    });

    it('reports an apiVersion the CRD does not define', () => {
      const issues = validator.validate(
        manifest(
          'AWSCluster',
          { region: 'eu-west-1' },
          'infrastructure.cluster.x-k8s.io/v1alpha1',
        ),
      );
      expect(issues).toEqual([
        {
          path: 'apiVersion',
          message:
            'version "v1alpha1" of infrastructure.cluster.x-k8s.io/AWSCluster does not exist; served: v1beta2',
        },
      ]);
    });

    it('reports an unknown kind', () => {
      expect(validator.validate(manifest('AWSNotAKind', {}))).toEqual([
        {
          path: 'kind',
          message:
            'no CustomResourceDefinition for kind "AWSNotAKind" in group "infrastructure.cluster.x-k8s.io" in the reference set',
        },
      ]);
      expect(validator.validate(manifest('Service', {}, 'v1'))[0].path).toBe(
        'kind',
      );
    });

    it('reports a missing or malformed apiVersion and kind', () => {
      expect(validator.validate({ kind: 'AWSCluster' })).toEqual([
        expect.objectContaining({ path: 'apiVersion' }),
      ]);
      expect(
        validator.validate({ apiVersion: 'a/b/c' }).map(i => i.path),
      ).toEqual(['apiVersion', 'kind']);
      expect(validator.validate('not an object')).toHaveLength(1);
    });

    it('lists the served versions', () => {
      expect(
        validator.servedVersions(
          'infrastructure.cluster.x-k8s.io',
          'AWSCluster',
        ),
      ).toEqual(['v1beta2']);
      expect(validator.servedVersions('cluster.x-k8s.io', 'Cluster')).toEqual([
        'v1beta1',
        'v1beta2',
      ]);
      expect(
        validator.servedVersions(
          'infrastructure.cluster.x-k8s.io',
          'KarpenterMachinePool',
        ),
      ).toEqual(['v1alpha1']);
      expect(validator.servedVersions('example.com', 'Nothing')).toEqual([]);
    });
  });

  describe('metadata', () => {
    it('requires a namespace for namespaced kinds', () => {
      const issues = validator.validate(
        manifest('AWSCluster', { region: 'eu-west-1' }, CAPA, { name: 'test' }),
      );
      expect(issues).toEqual([
        {
          path: 'metadata.namespace',
          message: 'required field is missing: the kind is namespaced',
        },
      ]);
    });

    it('forbids a namespace for cluster-scoped kinds', () => {
      const issues = validator.validate(
        manifest('Organization', {}, 'security.giantswarm.io/v1alpha1'),
      );
      expect(issues).toEqual([
        {
          path: 'metadata.namespace',
          message: 'must not be set: the kind is cluster-scoped',
        },
      ]);
    });

    it('requires a valid name', () => {
      const noName = manifest('AWSCluster', { region: 'eu-west-1' }, CAPA, {
        namespace: NAMESPACE,
      });
      expect(validator.validate(noName)).toEqual([
        { path: 'metadata.name', message: 'required field is missing' },
      ]);
      const badName = manifest('AWSCluster', { region: 'eu-west-1' }, CAPA, {
        name: 'Test_Cluster',
        namespace: NAMESPACE,
      });
      expect(validator.validate(badName).map(i => i.path)).toEqual([
        'metadata.name',
      ]);
      expect(
        validator
          .validate({ apiVersion: CAPA, kind: 'AWSCluster', spec: {} })
          .map(i => i.path),
      ).toEqual(['metadata.name']);
    });

    it('reports invalid label keys and values, and non-string annotations', () => {
      const issues = validator.validate(
        manifest('AWSCluster', { region: 'eu-west-1' }, CAPA, {
          name: 'test',
          namespace: NAMESPACE,
          labels: {
            'app.kubernetes.io/name': 'ok',
            'bad key': 'x',
            'Not_A_Domain/name': 'x',
            [`${'a'.repeat(64)}`]: 'x',
            long: 'v'.repeat(64),
            trailing: 'dash-',
          },
          annotations: { 'giantswarm.io/ok': 'any value: allowed', count: 3 },
        }),
      );
      expect(issues.map(i => i.path)).toEqual([
        'metadata.labels["bad key"]',
        'metadata.labels["Not_A_Domain/name"]',
        `metadata.labels.${'a'.repeat(64)}`,
        'metadata.labels.long',
        'metadata.labels.trailing',
        'metadata.annotations.count',
      ]);
    });
  });

  describe('built-in kinds', () => {
    it('checks ConfigMap data values are strings and keys are valid', () => {
      const cm = (data: unknown) => ({
        apiVersion: 'v1',
        kind: 'ConfigMap',
        metadata: { name: 'values', namespace: NAMESPACE },
        data,
      });
      expect(validator.validate(cm({ 'values.yaml': 'a: 1' }))).toEqual([]);
      expect(validator.validate(cm({ replicas: 3 }))).toEqual([
        { path: 'data.replicas', message: 'must be string' },
      ]);
      expect(validator.validate(cm({ 'a/b': 'x' })).map(i => i.path)).toEqual([
        'data["a/b"]',
      ]);
      expect(
        validator.validate({ ...cm({}), spec: {} }).map(i => i.path),
      ).toEqual(['spec']);
    });

    it('knows Secret and the cluster-scoped Namespace', () => {
      expect(
        validator.validate({
          apiVersion: 'v1',
          kind: 'Secret',
          metadata: { name: 's', namespace: NAMESPACE },
          stringData: { token: 'x' },
          type: 'Opaque',
        }),
      ).toEqual([]);
      expect(
        validator.validate({
          apiVersion: 'v1',
          kind: 'Namespace',
          metadata: { name: 'org-test' },
        }),
      ).toEqual([]);
      expect(validator.scope('', 'Namespace')).toBe('Cluster');
    });
  });

  describe('CEL rules', () => {
    it('lists the rules ajv cannot evaluate, with their paths', () => {
      const rules = validator.celRules(CAPA, 'AWSCluster');
      expect(rules).toContainEqual({
        path: 'spec.network.vpc.carrierGatewayId',
        rule: "self.startsWith('cagw-')",
        message: "Carrier Gateway ID must start with 'cagw-'",
      });
      expect(
        validator.celRules(
          'infrastructure.cluster.x-k8s.io/v1alpha1',
          'KarpenterMachinePool',
        ).length,
      ).toBeGreaterThan(0);
      expect(validator.celRules(CAPA, 'AWSNotAKind')).toEqual([]);
    });

    it('does not evaluate them', () => {
      const issues = validator.validate(
        manifest('AWSCluster', {
          region: 'eu-west-1',
          network: { vpc: { carrierGatewayId: 'not-cagw' } },
        }),
      );
      expect(issues).toEqual([]);
    });
  });

  describe('compile cache', () => {
    it('compiles a schema once per apiVersion and kind', () => {
      const fresh = ManifestValidator.fromDirectory(dir);
      const compile = jest.spyOn(Ajv.prototype, 'compile');
      try {
        const cluster = (name: string) =>
          manifest('AWSManagedCluster', {}, CAPA, {
            name,
            namespace: NAMESPACE,
          });
        expect(fresh.validate(cluster('one'))).toEqual([]);
        expect(compile).toHaveBeenCalledTimes(1);
        expect(fresh.validate(cluster('two'))).toEqual([]);
        expect(
          fresh.validate({ ...cluster('three'), spec: { nope: 1 } }),
        ).toHaveLength(1);
        expect(compile).toHaveBeenCalledTimes(1);
        fresh.validate(
          manifest('Organization', {}, 'security.giantswarm.io/v1alpha1', {
            name: 'o',
          }),
        );
        expect(compile).toHaveBeenCalledTimes(2);
      } finally {
        compile.mockRestore();
      }
    });
  });

  it('validateAll returns only the manifests with issues', () => {
    const good = manifest('AWSManagedCluster', {});
    const bad = manifest('AWSManagedCluster', { nope: 1 }, CAPA, {
      name: 'bad',
      namespace: NAMESPACE,
    });
    expect(validator.validateAll([good, bad, good])).toEqual([
      {
        index: 1,
        kind: 'AWSManagedCluster',
        name: 'bad',
        issues: [{ path: 'spec.nope', message: 'unknown field "spec.nope"' }],
      },
    ]);
  });
});
