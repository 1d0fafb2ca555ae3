import fc from 'fast-check';
import { validateClusterRequest } from '@clusterdeck/plugin-aws-clusters-common';
import {
  arbitraryClusterRequest,
  exampleRequests,
  findReferenceDir,
  ManifestValidator,
  referenceSkipReason,
  resolve,
} from '@clusterdeck/test-utils';
import { renderCapi } from './capi';
import { KubernetesObject } from './types';

const referenceDir = findReferenceDir();

function render(request: unknown): KubernetesObject[] {
  return renderCapi({
    resolved: resolve(request),
    options: { format: 'capi' },
    baseDomain: 'eu-prod.example.com',
  });
}

function byKind(manifests: KubernetesObject[], kind: string): any[] {
  return manifests.filter(m => m.kind === kind);
}

const examples = exampleRequests();

describe('renderCapi', () => {
  it('renders the EC2 object set with owner, organization and pool labels', () => {
    const manifests = render(
      examples.find(e => e.file === 'pay-prod.yaml')!.request,
    );
    expect(manifests.map(m => m.kind)).toEqual([
      'Cluster',
      'AWSCluster',
      'KubeadmControlPlane',
      'AWSMachineTemplate',
      'MachinePool',
      'AWSMachinePool',
      'KubeadmConfig',
      'MachinePool',
      'AWSMachinePool',
      'KubeadmConfig',
    ]);
    for (const m of manifests) {
      expect(m.metadata.namespace).toBe('org-payments');
      expect(m.metadata.labels).toMatchObject({
        'cluster.x-k8s.io/cluster-name': 'pay-prod',
        'giantswarm.io/organization': 'payments',
      });
    }
    const [cluster] = byKind(manifests, 'Cluster');
    expect(cluster.metadata.annotations['clusterdeck.io/owner']).toBe(
      'group:default/payments',
    );
    expect(cluster.metadata.labels['clusterdeck.io/environment']).toBe(
      'production',
    );
    const [awsCluster] = byKind(manifests, 'AWSCluster');
    expect(awsCluster.spec.identityRef).toEqual({
      kind: 'AWSClusterRoleIdentity',
      name: 'payments-prod',
    });
    expect(awsCluster.spec.controlPlaneLoadBalancer.scheme).toBe('internal');
    expect(awsCluster.metadata.annotations).toMatchObject({
      'network-topology.giantswarm.io/mode': 'UserManaged',
      'network-topology.giantswarm.io/transit-gateway': 'tgw-0123456789abcdef0',
      'network-topology.giantswarm.io/prefix-list': 'pl-0123456789abcdef0',
    });
    expect(awsCluster.spec.network.subnets).toHaveLength(6);
    expect(awsCluster.spec.additionalTags['cost-center']).toBe('payments');
  });

  it('expresses spot and mixed instances, labels and taints of a pool', () => {
    const manifests = render(
      examples.find(e => e.file === 'pay-prod.yaml')!.request,
    );
    const spotPool = byKind(manifests, 'AWSMachinePool').find(
      p => p.metadata.name === 'pay-prod-spot0',
    );
    expect(spotPool.spec).toMatchObject({ minSize: 0, maxSize: 20 });
    expect(spotPool.spec.mixedInstancesPolicy.overrides).toEqual([
      { instanceType: 'm6i.2xlarge' },
      { instanceType: 'm5.2xlarge' },
      { instanceType: 'm6a.2xlarge' },
    ]);
    expect(
      spotPool.spec.mixedInstancesPolicy.instancesDistribution
        .onDemandPercentageAboveBaseCapacity,
    ).toBe(0);
    const config = byKind(manifests, 'KubeadmConfig').find(
      c => c.metadata.name === 'pay-prod-spot0',
    );
    const args =
      config.spec.joinConfiguration.nodeRegistration.kubeletExtraArgs;
    expect(args.find((a: any) => a.name === 'node-labels').value).toContain(
      'workload.example.com/class=batch',
    );
    expect(config.spec.joinConfiguration.nodeRegistration.taints).toEqual([
      {
        key: 'workload.example.com/batch',
        value: 'true',
        effect: 'NoSchedule',
      },
    ]);
  });

  it('renders ENI pod subnets as secondary subnets CAPA keeps nodes out of', () => {
    const manifests = render(
      examples.find(e => e.file === 'ml-eni.yaml')!.request,
    );
    const [awsCluster] = byKind(manifests, 'AWSCluster');
    const secondary = awsCluster.spec.network.subnets.filter(
      (s: any) =>
        s.tags?.['sigs.k8s.io/cluster-api-provider-aws/association'] ===
        'secondary',
    );
    expect(secondary.map((s: any) => s.cidrBlock)).toEqual([
      '10.51.0.0/18',
      '10.51.64.0/18',
      '10.51.128.0/18',
    ]);
    expect(awsCluster.spec.network.vpc.secondaryCidrBlocks).toEqual([
      { ipv4CidrBlock: '10.51.0.0/16' },
    ]);
    const [cluster] = byKind(manifests, 'Cluster');
    expect(cluster.spec.clusterNetwork.pods.cidrBlocks).toEqual([
      '10.51.0.0/16',
    ]);
  });

  it('adopts an existing VPC by id with its subnets', () => {
    const manifests = render(
      examples.find(e => e.file === 'data-adopt.yaml')!.request,
    );
    const [awsCluster] = byKind(manifests, 'AWSCluster');
    expect(awsCluster.spec.network.vpc).toEqual({
      id: 'vpc-0a1b2c3d4e5f60718',
    });
    expect(awsCluster.spec.network.subnets.map((s: any) => s.id)).toEqual([
      'subnet-0a1b2c3d4e5f60001',
      'subnet-0a1b2c3d4e5f60002',
      'subnet-0a1b2c3d4e5f60003',
      'subnet-0a1b2c3d4e5f60004',
    ]);
  });

  it('renders Karpenter pools with their requirements, limits and zones', () => {
    const manifests = render(
      examples.find(e => e.file === 'platform-karpenter.yaml')!.request,
    );
    const pools = byKind(manifests, 'KarpenterMachinePool');
    expect(pools.map(p => p.metadata.name)).toEqual([
      'plat-tools-batch',
      'plat-tools-arm64',
    ]);
    const [batch, arm] = pools;
    expect(batch.spec.nodePool.limits).toEqual({
      cpu: '500',
      memory: '2000Gi',
    });
    expect(batch.spec.nodePool.template.spec.requirements).toContainEqual({
      key: 'karpenter.sh/capacity-type',
      operator: 'In',
      values: ['spot', 'on-demand'],
    });
    expect(batch.spec.nodePool.template.spec.taints).toEqual([
      { key: 'example.com/batch', effect: 'NoExecute' },
    ]);
    expect(arm.spec.nodePool.template.spec.requirements).toContainEqual({
      key: 'topology.kubernetes.io/zone',
      operator: 'In',
      values: ['eu-west-1a', 'eu-west-1b'],
    });
    expect(
      arm.spec.nodePool.template.spec.requirements.filter(
        (r: any) => r.key === 'kubernetes.io/arch',
      ),
    ).toEqual([
      { key: 'kubernetes.io/arch', operator: 'In', values: ['arm64'] },
    ]);
    const machinePool = byKind(manifests, 'MachinePool').find(
      p => p.metadata.name === 'plat-tools-batch',
    );
    expect(machinePool.spec.template.spec.infrastructureRef.kind).toBe(
      'KarpenterMachinePool',
    );
  });

  it('renders EKS as a managed control plane and managed node groups', () => {
    const manifests = render(
      examples.find(e => e.file === 'search-eks.yaml')!.request,
    );
    expect(manifests.map(m => m.kind)).toEqual([
      'Cluster',
      'AWSManagedCluster',
      'AWSManagedControlPlane',
      'MachinePool',
      'AWSManagedMachinePool',
      'MachinePool',
      'AWSManagedMachinePool',
    ]);
    const [controlPlane] = byKind(manifests, 'AWSManagedControlPlane');
    expect(controlPlane.spec.endpointAccess).toEqual({
      public: true,
      private: true,
      publicCIDRs: ['198.51.100.0/24', '10.0.0.0/8'],
    });
    const indexers = byKind(manifests, 'AWSManagedMachinePool').find(
      p => p.metadata.name === 'search-prod-indexers',
    );
    expect(indexers.spec).toMatchObject({
      capacityType: 'spot',
      scaling: { minSize: 0, maxSize: 8 },
      taints: [
        { key: 'search.example.com/indexer', value: '', effect: 'no-schedule' },
      ],
    });
  });

  (referenceDir ? describe : describe.skip)(
    `against the upstream CRDs${
      referenceDir ? '' : ` (skipped: ${referenceSkipReason})`
    }`,
    () => {
      const validator = referenceDir
        ? ManifestValidator.fromDirectory(referenceDir)
        : undefined;

      it.each(examples.map(e => [e.file, e.request]))(
        '%s renders to manifests the CRDs accept',
        (_file, request) => {
          expect(validator!.validateAll(render(request))).toEqual([]);
        },
      );

      it('renders every generated valid request to manifests the CRDs accept', () => {
        fc.assert(
          fc.property(arbitraryClusterRequest, request => {
            fc.pre(validateClusterRequest(request).ok);
            const manifests = render(request);
            expect(validator!.validateAll(manifests)).toEqual([]);
            assertCelIntents(manifests);
          }),
          { numRuns: 150 },
        );
      });

      it('rejects a rendered object with an unknown field, so the checks above can fail', () => {
        const manifests = render(examples[0].request);
        (manifests[1].spec as any).notAField = true;
        expect(validator!.validateAll(manifests)).toHaveLength(1);
      });
    },
  );
});

/**
 * The CRDs' CEL rules that guard fields we render, which a JSON-schema validator cannot run.
 */
function assertCelIntents(manifests: KubernetesObject[]) {
  for (const m of manifests as any[]) {
    if (m.kind === 'KubeadmConfig' || m.kind === 'KubeadmControlPlane') {
      const spec =
        m.kind === 'KubeadmConfig' ? m.spec : m.spec.kubeadmConfigSpec;
      for (const registration of [
        spec.initConfiguration?.nodeRegistration,
        spec.joinConfiguration?.nodeRegistration,
      ]) {
        const names = (registration?.kubeletExtraArgs ?? []).map(
          (a: any) => a.name,
        );
        expect(new Set(names).size).toBe(names.length);
      }
    }
    if (m.kind === 'KarpenterMachinePool') {
      const { ec2NodeClass, nodePool } = m.spec;
      expect(ec2NodeClass.instanceProfile).not.toBe('');
      expect(ec2NodeClass.securityGroupSelectorTerms.length).toBeGreaterThan(0);
      expect(ec2NodeClass.subnetSelectorTerms.length).toBeGreaterThan(0);
      for (const key of Object.keys(ec2NodeClass.tags ?? {})) {
        expect(key).not.toBe('');
        expect(key.startsWith('kubernetes.io/cluster')).toBe(false);
        expect([
          'karpenter.sh/nodepool',
          'karpenter.sh/nodeclaim',
          'karpenter.k8s.aws/ec2nodeclass',
          'eks:eks-cluster-name',
        ]).not.toContain(key);
      }
      for (const term of [
        ...ec2NodeClass.securityGroupSelectorTerms,
        ...ec2NodeClass.subnetSelectorTerms,
      ]) {
        for (const [key, value] of Object.entries(term.tags ?? {})) {
          expect(key).not.toBe('');
          expect(value).not.toBe('');
        }
      }
      for (const r of nodePool.template.spec.requirements) {
        if (r.operator === 'In') expect(r.values.length).toBeGreaterThan(0);
        if (r.operator === 'Gt' || r.operator === 'Lt') {
          expect(r.values).toHaveLength(1);
          expect(Number.parseInt(r.values[0], 10)).toBeGreaterThanOrEqual(0);
        }
        if (r.minValues !== undefined)
          expect(r.values.length).toBeGreaterThanOrEqual(r.minValues);
      }
    }
  }
}
