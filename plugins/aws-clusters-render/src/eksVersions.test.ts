import { validateClusterRequest } from '@clusterdeck/plugin-aws-clusters-common';
import { parse } from 'yaml';
import {
  exampleRequests,
  findReferenceDir,
  ManifestValidator,
  referenceSkipReason,
  ValuesValidator,
} from '@clusterdeck/test-utils';
import { renderClusterRequest } from './renderClusterRequest';

const referenceDir = findReferenceDir();

/** The EKS example request with another Kubernetes version. */
function eks(version: string): any {
  const request = structuredClone(
    exampleRequests().find(e => e.file === 'search-eks.yaml')!.request,
  ) as any;
  request.spec.kubernetesVersion = version;
  return request;
}

function ec2(version: string): any {
  const request = structuredClone(
    exampleRequests().find(e => e.file === 'pay-dev.yaml')!.request,
  ) as any;
  request.spec.kubernetesVersion = version;
  return request;
}

describe('Kubernetes versions of EKS and EC2 requests', () => {
  it.each(['1.33', 'v1.33', '1.33.4'])(
    'accepts %s for an EKS cluster, as EKS names its versions',
    version => {
      const result = validateClusterRequest(eks(version));
      expect(result.ok ? [] : result.problems).toEqual([]);
    },
  );

  it.each(['1.33', 'v1.33'])(
    'refuses %s for an EC2 cluster, which needs the patch release',
    version => {
      const result = validateClusterRequest(ec2(version));
      expect(result.ok).toBe(false);
      expect(result.ok ? [] : result.problems).toEqual([
        {
          path: 'spec.kubernetesVersion',
          message: expect.stringMatching(
            /EC2 clusters need a full version such as 1\.33\.0/,
          ),
        },
      ]);
    },
  );

  it.each(['1', '1.33.4.1', 'latest', '1.33-eks'])(
    'refuses %s for any cluster',
    version => {
      const result = validateClusterRequest(eks(version));
      expect(result.ok ? [] : result.problems.map(p => p.path)).toEqual([
        'spec.kubernetesVersion',
      ]);
    },
  );

  it.each(['1.33', 'v1.33'])(
    'renders %s into the managed control plane and its machine pools as v1.33',
    version => {
      const result = renderClusterRequest(eks(version), {
        format: 'capi',
        baseDomain: 'eu-prod.example.com',
      });
      if (!result.ok) throw new Error(JSON.stringify(result.problems));
      const controlPlane = result.manifests.find(
        m => m.kind === 'AWSManagedControlPlane',
      ) as any;
      expect(controlPlane.spec.version).toBe('v1.33');
      const pools = result.manifests.filter(
        m => m.kind === 'MachinePool',
      ) as any[];
      expect(pools.length).toBeGreaterThan(0);
      expect(pools.map(p => p.spec.template.spec.version)).toEqual(
        pools.map(() => 'v1.33'),
      );
    },
  );

  it.each(['1.33', 'v1.33'])(
    'renders %s for the cluster-eks chart, whose release pins the version, and says so',
    version => {
      const result = renderClusterRequest(eks(version), {
        format: 'cluster-aws',
        baseDomain: 'eu-prod.example.com',
      });
      if (!result.ok) throw new Error(JSON.stringify(result.problems));
      expect(result.warnings).toContainEqual({
        path: 'spec.kubernetesVersion',
        message: expect.stringMatching(
          new RegExp(
            `cluster-eks takes the Kubernetes version from release 31\\.1\\.0; make sure it is ${version.replace(
              '.',
              '\\.',
            )}`,
          ),
        ),
      });
    },
  );

  (referenceDir ? describe : describe.skip)(
    `against the upstream CRD and chart schema${
      referenceDir ? '' : ` (skipped: ${referenceSkipReason})`
    }`,
    () => {
      const manifests = referenceDir
        ? ManifestValidator.fromDirectory(referenceDir)
        : undefined;
      const values = referenceDir
        ? ValuesValidator.fromDirectory(referenceDir)
        : undefined;

      it.each(['1.33', 'v1.33', '1.33.4'])(
        'AWSManagedControlPlane accepts the version rendered from %s',
        version => {
          const result = renderClusterRequest(eks(version), {
            format: 'capi',
            baseDomain: 'eu-prod.example.com',
          });
          if (!result.ok) throw new Error(JSON.stringify(result.problems));
          expect(manifests!.validateAll(result.manifests)).toEqual([]);
        },
      );

      it('the CRD refuses what the request refuses, so the check above can fail', () => {
        const result = renderClusterRequest(eks('1.33'), {
          format: 'capi',
          baseDomain: 'eu-prod.example.com',
        });
        if (!result.ok) throw new Error(JSON.stringify(result.problems));
        const controlPlane = result.manifests.find(
          m => m.kind === 'AWSManagedControlPlane',
        ) as any;
        controlPlane.spec.version = 'latest';
        expect(manifests!.validateAll(result.manifests)).toHaveLength(1);
      });

      it.each(['1.33', 'v1.33'])(
        'the cluster-eks values rendered from %s pass the chart schema',
        version => {
          const result = renderClusterRequest(eks(version), {
            format: 'cluster-aws',
            baseDomain: 'eu-prod.example.com',
          });
          if (!result.ok) throw new Error(JSON.stringify(result.problems));
          expect(manifests!.validateAll(result.manifests)).toEqual([]);
          const configMap = result.manifests.find(
            m => m.kind === 'ConfigMap',
          ) as any;
          expect(
            values!.validate('cluster-eks', parse(configMap.data.values)),
          ).toEqual([]);
        },
      );
    },
  );
});
