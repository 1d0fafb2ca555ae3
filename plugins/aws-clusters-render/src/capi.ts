import {
  CLUSTERDECK_ANNOTATIONS,
  GIANT_SWARM_LABELS,
  NETWORK_TOPOLOGY_ANNOTATIONS,
  NodePoolSpec,
  ResolvedClusterRequest,
  cidrContains,
} from '@clusterdeck/plugin-aws-clusters-common';
import { KubernetesObject, RenderContext } from './types';

const CAPI = 'cluster.x-k8s.io';
const INFRA = 'infrastructure.cluster.x-k8s.io';
const CONTROL_PLANE = 'controlplane.cluster.x-k8s.io';
const BOOTSTRAP = 'bootstrap.cluster.x-k8s.io';
// CAPI core is emitted at its storage version; CAPA serves only v1beta2.
const CAPI_VERSION = `${CAPI}/v1beta2`;
const INFRA_VERSION = `${INFRA}/v1beta2`;
const KARPENTER_POOL_VERSION = `${INFRA}/v1alpha1`;
const SECONDARY_SUBNET_TAG = 'sigs.k8s.io/cluster-api-provider-aws/association';
const NODE_INSTANCE_PROFILE = 'nodes.cluster-api-provider-aws.sigs.k8s.io';
const CONTROL_PLANE_INSTANCE_PROFILE =
  'control-plane.cluster-api-provider-aws.sigs.k8s.io';
const EXTERNAL_CLOUD_PROVIDER = [{ name: 'cloud-provider', value: 'external' }];
const NODE_NAME = '{{ ds.meta_data.local_hostname }}';

type Pool = ResolvedClusterRequest['nodePools'][number];

function ref(apiGroup: string, kind: string, name: string) {
  return { apiGroup, kind, name };
}

function kubernetesVersion(ctx: RenderContext): string {
  const version = ctx.resolved.request.spec.kubernetesVersion;
  if (!version) {
    throw new TypeError('the capi format needs spec.kubernetesVersion');
  }
  return version.startsWith('v') ? version : `v${version}`;
}

/** Labels every object of the cluster carries, as Giant Swarm's charts set them. */
function commonLabels(ctx: RenderContext): Record<string, string> {
  const { metadata } = ctx.resolved.request;
  return {
    [GIANT_SWARM_LABELS.capiClusterName]: metadata.name,
    [GIANT_SWARM_LABELS.cluster]: metadata.name,
    [GIANT_SWARM_LABELS.organization]: metadata.organization,
    [GIANT_SWARM_LABELS.managedBy]: 'clusterdeck',
  };
}

function objectMeta(
  ctx: RenderContext,
  name: string,
  extraLabels: Record<string, string> = {},
) {
  return {
    name,
    namespace: ctx.resolved.namespace,
    labels: { ...commonLabels(ctx), ...extraLabels },
  };
}

function clusterObject(
  ctx: RenderContext,
  controlPlaneKind: string,
  infraKind: string,
): KubernetesObject {
  const { request } = ctx.resolved;
  const { name, owner, description, labels } = request.metadata;
  const { network } = request.spec;
  const meta = objectMeta(ctx, name, labels);
  const annotations: Record<string, string> = {
    [CLUSTERDECK_ANNOTATIONS.owner]: owner,
  };
  if (description) {
    annotations['cluster.giantswarm.io/description'] = description;
  }
  return {
    apiVersion: CAPI_VERSION,
    kind: 'Cluster',
    metadata: { ...meta, annotations },
    spec: {
      clusterNetwork: {
        pods: { cidrBlocks: podCidrBlocks(ctx.resolved) },
        services: { cidrBlocks: [network.serviceCidr] },
      },
      controlPlaneRef: ref(
        CONTROL_PLANE,
        controlPlaneKind,
        controlPlaneName(ctx, controlPlaneKind),
      ),
      infrastructureRef: ref(INFRA, infraKind, name),
    },
  };
}

function controlPlaneName(ctx: RenderContext, kind: string): string {
  const { name } = ctx.resolved.request.metadata;
  return kind === 'KubeadmControlPlane' || kind === 'AWSManagedControlPlane'
    ? `${name}-control-plane`
    : name;
}

/** In ENI mode pods take addresses from the extra VPC CIDRs that hold the pod subnets. */
function podCidrBlocks(resolved: ResolvedClusterRequest): string[] {
  const { network } = resolved.request.spec;
  if (network.cni.mode === 'overlay') {
    return [network.podCidr];
  }
  const { podSubnetCidrs } = network.cni;
  return network.vpc.extraCidrs.filter(extra =>
    podSubnetCidrs.some(pod => cidrContains(extra, pod)),
  );
}

function clusterTags(ctx: RenderContext): Record<string, string> {
  const { request } = ctx.resolved;
  return {
    [GIANT_SWARM_LABELS.cluster]: request.metadata.name,
    'giantswarm.io/installation': request.spec.managementCluster,
    [GIANT_SWARM_LABELS.organization]: request.metadata.organization,
    ...request.spec.tags,
  };
}

/** The VPC and subnets in CAPA's shape, shared by AWSCluster and AWSManagedControlPlane. */
function capaNetwork(ctx: RenderContext) {
  const { resolved } = ctx;
  const { name } = resolved.request.metadata;
  const { vpc, cni } = resolved.request.spec.network;
  // CAPA associates extra CIDRs with the VPC whether it creates or adopts it; in an adopted VPC
  // it creates no subnets, so ENI pod subnets there must exist already.
  const vpcSpec = {
    ...(vpc.mode === 'create' ? { cidrBlock: vpc.cidr } : { id: vpc.id }),
    ...(vpc.extraCidrs.length
      ? {
          secondaryCidrBlocks: vpc.extraCidrs.map(ipv4CidrBlock => ({
            ipv4CidrBlock,
          })),
        }
      : {}),
  };
  const subnets: Array<Record<string, unknown>> = resolved.subnets.map(subnet =>
    subnet.id
      ? {
          id: subnet.id,
          isPublic: subnet.public,
          availabilityZone: subnet.availabilityZone,
          ...(subnet.cidr ? { cidrBlock: subnet.cidr } : {}),
        }
      : {
          // CAPA names subnets it creates after `id`; it must not start with "subnet-".
          id: `${name}-subnet-${subnet.public ? 'public' : 'private'}-${
            subnet.availabilityZone
          }`,
          cidrBlock: subnet.cidr,
          availabilityZone: subnet.availabilityZone,
          isPublic: subnet.public,
          ...(subnet.public ? {} : { tags: { 'giantswarm.io/role': 'nodes' } }),
        },
  );
  if (cni.mode === 'eni') {
    cni.podSubnetCidrs.forEach((cidrBlock, i) => {
      const zone = resolved.availabilityZones[i];
      subnets.push({
        id: `${name}-subnet-secondary-${zone}`,
        cidrBlock,
        availabilityZone: zone,
        isPublic: false,
        // The association tag keeps CAPA from placing nodes in the pod subnets.
        tags: {
          [SECONDARY_SUBNET_TAG]: 'secondary',
          'giantswarm.io/role': 'pods',
        },
      });
    });
  }
  return { vpc: vpcSpec, subnets };
}

function topologyAnnotations(ctx: RenderContext): Record<string, string> {
  const { topology } = ctx.resolved.request.spec.network;
  if (topology.mode !== 'transitGateway') {
    return { [NETWORK_TOPOLOGY_ANNOTATIONS.mode]: 'None' };
  }
  return {
    [NETWORK_TOPOLOGY_ANNOTATIONS.mode]: 'UserManaged',
    [NETWORK_TOPOLOGY_ANNOTATIONS.transitGatewayId]: topology.transitGatewayId,
    ...(topology.prefixListId
      ? { [NETWORK_TOPOLOGY_ANNOTATIONS.prefixListId]: topology.prefixListId }
      : {}),
  };
}

function awsCluster(ctx: RenderContext): KubernetesObject {
  const { request } = ctx.resolved;
  const { controlPlane } = request.spec;
  const annotations: Record<string, string> = { ...topologyAnnotations(ctx) };
  if (ctx.baseDomain) {
    annotations['network.giantswarm.io/base-domain'] = ctx.baseDomain;
  }
  return {
    apiVersion: INFRA_VERSION,
    kind: 'AWSCluster',
    metadata: { ...objectMeta(ctx, request.metadata.name), annotations },
    spec: {
      region: request.spec.region,
      identityRef: {
        kind: 'AWSClusterRoleIdentity',
        name: request.spec.account.roleIdentity,
      },
      additionalTags: clusterTags(ctx),
      controlPlaneLoadBalancer: {
        loadBalancerType: 'nlb',
        scheme:
          controlPlane.apiMode === 'public' ? 'internet-facing' : 'internal',
        ...(controlPlane.allowedCidrs.length
          ? {
              ingressRules: [
                {
                  description: 'Kubernetes API',
                  protocol: 'tcp',
                  fromPort: 6443,
                  toPort: 6443,
                  cidrBlocks: controlPlane.allowedCidrs,
                },
              ],
            }
          : {}),
      },
      network: capaNetwork(ctx),
    },
  };
}

function kubeadmControlPlane(ctx: RenderContext): KubernetesObject {
  const { name } = ctx.resolved.request.metadata;
  const nodeRegistration = {
    name: NODE_NAME,
    kubeletExtraArgs: EXTERNAL_CLOUD_PROVIDER,
  };
  return {
    apiVersion: `${CONTROL_PLANE}/v1beta2`,
    kind: 'KubeadmControlPlane',
    metadata: objectMeta(ctx, `${name}-control-plane`),
    spec: {
      // Three members keep etcd quorum through the loss of one, whatever the zone count.
      replicas: 3,
      version: kubernetesVersion(ctx),
      machineTemplate: {
        spec: {
          infrastructureRef: ref(
            INFRA,
            'AWSMachineTemplate',
            `${name}-control-plane`,
          ),
        },
      },
      kubeadmConfigSpec: {
        clusterConfiguration: {
          controllerManager: { extraArgs: EXTERNAL_CLOUD_PROVIDER },
        },
        initConfiguration: { nodeRegistration },
        joinConfiguration: { nodeRegistration },
      },
    },
  };
}

function controlPlaneMachineTemplate(ctx: RenderContext): KubernetesObject {
  const { request } = ctx.resolved;
  return {
    apiVersion: INFRA_VERSION,
    kind: 'AWSMachineTemplate',
    metadata: objectMeta(ctx, `${request.metadata.name}-control-plane`),
    spec: {
      template: {
        spec: {
          instanceType: request.spec.controlPlane.instanceType,
          iamInstanceProfile: CONTROL_PLANE_INSTANCE_PROFILE,
          rootVolume: { size: 120, type: 'gp3' },
          additionalTags: clusterTags(ctx),
        },
      },
    },
  };
}

function poolObjectName(ctx: RenderContext, pool: NodePoolSpec): string {
  return `${ctx.resolved.request.metadata.name}-${pool.name}`;
}

function poolLabels(ctx: RenderContext, pool: NodePoolSpec) {
  return { [GIANT_SWARM_LABELS.machinePool]: poolObjectName(ctx, pool) };
}

function machinePool(
  ctx: RenderContext,
  pool: Pool,
  infraKind: string,
  bootstrap: Record<string, unknown>,
): KubernetesObject {
  const { name } = ctx.resolved.request.metadata;
  const objectName = poolObjectName(ctx, pool);
  return {
    apiVersion: CAPI_VERSION,
    kind: 'MachinePool',
    metadata: objectMeta(ctx, objectName, poolLabels(ctx, pool)),
    spec: {
      clusterName: name,
      ...(pool.minSize !== undefined ? { replicas: pool.minSize } : {}),
      failureDomains: pool.availabilityZones,
      template: {
        metadata: { labels: poolLabels(ctx, pool) },
        spec: {
          clusterName: name,
          version: kubernetesVersion(ctx),
          bootstrap,
          infrastructureRef: ref(INFRA, infraKind, objectName),
        },
      },
    },
  };
}

function kubeletNodeLabels(ctx: RenderContext, pool: NodePoolSpec) {
  const labels = { ...poolLabels(ctx, pool), ...pool.labels };
  return Object.entries(labels)
    .map(([key, value]) => `${key}=${value}`)
    .join(',');
}

/** A pool's taints as Kubernetes takes them (kubeadm's node registration, Karpenter's NodePool), or no field at all. */
function taintsField(pool: Pool) {
  return pool.taints.length
    ? {
        taints: pool.taints.map(t => ({
          key: t.key,
          ...(t.value !== undefined ? { value: t.value } : {}),
          effect: t.effect,
        })),
      }
    : {};
}

function kubeadmConfig(ctx: RenderContext, pool: Pool): KubernetesObject {
  return {
    apiVersion: `${BOOTSTRAP}/v1beta2`,
    kind: 'KubeadmConfig',
    metadata: objectMeta(ctx, poolObjectName(ctx, pool), poolLabels(ctx, pool)),
    spec: {
      joinConfiguration: {
        nodeRegistration: {
          name: NODE_NAME,
          kubeletExtraArgs: [
            ...EXTERNAL_CLOUD_PROVIDER,
            { name: 'node-labels', value: kubeletNodeLabels(ctx, pool) },
          ],
          ...taintsField(pool),
        },
      },
    },
  };
}

function autoscalerTags(
  ctx: RenderContext,
  pool: NodePoolSpec,
): Record<string, string> {
  const { name } = ctx.resolved.request.metadata;
  return {
    'k8s.io/cluster-autoscaler/enabled': 'true',
    [`k8s.io/cluster-autoscaler/${name}`]: 'owned',
    'giantswarm.io/machine-pool': pool.name,
  };
}

function mixedInstancesPolicy(pool: Pool) {
  const overrides = pool.instanceTypeOverrides.map(instanceType => ({
    instanceType,
  }));
  return {
    instancesDistribution: {
      onDemandAllocationStrategy: 'prioritized',
      onDemandBaseCapacity: pool.spot.onDemandBaseCapacity ?? 0,
      onDemandPercentageAboveBaseCapacity: pool.spot.enabled
        ? pool.spot.onDemandPercentageAboveBaseCapacity ?? 0
        : 100,
      spotAllocationStrategy: 'price-capacity-optimized',
    },
    ...(overrides.length ? { overrides } : {}),
  };
}

function awsMachinePool(ctx: RenderContext, pool: Pool): KubernetesObject {
  const mixed = pool.instanceTypeOverrides.length > 0;
  return {
    apiVersion: INFRA_VERSION,
    kind: 'AWSMachinePool',
    metadata: objectMeta(ctx, poolObjectName(ctx, pool), poolLabels(ctx, pool)),
    spec: {
      minSize: pool.minSize,
      maxSize: pool.maxSize,
      availabilityZones: pool.availabilityZones,
      availabilityZoneSubnetType: 'private',
      additionalTags: { ...clusterTags(ctx), ...autoscalerTags(ctx, pool) },
      awsLaunchTemplate: {
        instanceType: pool.instanceType,
        iamInstanceProfile: NODE_INSTANCE_PROFILE,
        rootVolume: { size: pool.rootVolumeSizeGB ?? 100, type: 'gp3' },
        instanceMetadataOptions: {
          httpTokens: 'required',
          httpPutResponseHopLimit: 2,
        },
        // A mixed-instances policy carries the spot split itself; a single type uses spot options.
        ...(pool.spot.enabled && !mixed
          ? {
              spotMarketOptions:
                pool.spot.maxPrice !== undefined
                  ? { maxPrice: String(pool.spot.maxPrice) }
                  : {},
            }
          : {}),
      },
      ...(mixed ? { mixedInstancesPolicy: mixedInstancesPolicy(pool) } : {}),
    },
  };
}

const DEFAULT_KARPENTER_LIMITS = { cpu: '1000', memory: '1000Gi' };

function karpenterRequirements(pool: Pool) {
  const requirements = (pool.karpenter?.requirements ?? []).map(r => ({
    key: r.key,
    operator: r.operator,
    ...(r.values ? { values: r.values } : {}),
    ...(r.minValues !== undefined ? { minValues: r.minValues } : {}),
  }));
  const has = (key: string) => requirements.some(r => r.key === key);
  if (!has('karpenter.sh/capacity-type')) {
    requirements.push({
      key: 'karpenter.sh/capacity-type',
      operator: 'In',
      values: pool.spot.enabled ? ['spot', 'on-demand'] : ['on-demand'],
    });
  }
  if (!has('kubernetes.io/arch')) {
    requirements.push({
      key: 'kubernetes.io/arch',
      operator: 'In',
      values: ['amd64'],
    });
  }
  if (!has('kubernetes.io/os')) {
    requirements.push({
      key: 'kubernetes.io/os',
      operator: 'In',
      values: ['linux'],
    });
  }
  if (!has('topology.kubernetes.io/zone')) {
    requirements.push({
      key: 'topology.kubernetes.io/zone',
      operator: 'In',
      values: pool.availabilityZones,
    });
  }
  return requirements;
}

function karpenterMachinePool(
  ctx: RenderContext,
  pool: Pool,
): KubernetesObject {
  const { name } = ctx.resolved.request.metadata;
  const ownedTag = `sigs.k8s.io/cluster-api-provider-aws/cluster/${name}`;
  return {
    apiVersion: KARPENTER_POOL_VERSION,
    kind: 'KarpenterMachinePool',
    metadata: objectMeta(ctx, poolObjectName(ctx, pool), poolLabels(ctx, pool)),
    spec: {
      ec2NodeClass: {
        amiSelectorTerms: [
          { name: `capa-ami-ubuntu-24.04-${kubernetesVersion(ctx)}-*` },
        ],
        instanceProfile: NODE_INSTANCE_PROFILE,
        securityGroupSelectorTerms: [
          {
            tags: {
              [ownedTag]: 'owned',
              'sigs.k8s.io/cluster-api-provider-aws/role': 'node',
            },
          },
        ],
        subnetSelectorTerms: [
          { tags: { [ownedTag]: 'owned', 'giantswarm.io/role': 'nodes' } },
        ],
        metadataOptions: { httpTokens: 'required', httpPutResponseHopLimit: 2 },
        blockDeviceMappings: [
          {
            deviceName: '/dev/xvda',
            rootVolume: true,
            ebs: {
              volumeSize: `${pool.rootVolumeSizeGB ?? 100}Gi`,
              volumeType: 'gp3',
              deleteOnTermination: true,
            },
          },
        ],
        tags: { ...clusterTags(ctx), Name: poolObjectName(ctx, pool) },
      },
      nodePool: {
        limits: { ...DEFAULT_KARPENTER_LIMITS, ...pool.karpenter?.limits },
        template: {
          metadata: { labels: { ...poolLabels(ctx, pool), ...pool.labels } },
          spec: {
            requirements: karpenterRequirements(pool),
            ...taintsField(pool),
          },
        },
      },
    },
  };
}

const EKS_TAINT_EFFECTS = {
  NoSchedule: 'no-schedule',
  PreferNoSchedule: 'prefer-no-schedule',
  NoExecute: 'no-execute',
} as const;

function awsManagedMachinePool(
  ctx: RenderContext,
  pool: Pool,
): KubernetesObject {
  return {
    apiVersion: INFRA_VERSION,
    kind: 'AWSManagedMachinePool',
    metadata: objectMeta(ctx, poolObjectName(ctx, pool), poolLabels(ctx, pool)),
    spec: {
      eksNodegroupName: poolObjectName(ctx, pool),
      amiType: 'AL2023_x86_64_STANDARD',
      instanceType: pool.instanceType,
      capacityType: pool.spot.enabled ? 'spot' : 'onDemand',
      scaling: { minSize: pool.minSize, maxSize: pool.maxSize },
      availabilityZones: pool.availabilityZones,
      availabilityZoneSubnetType: 'private',
      diskSize: pool.rootVolumeSizeGB ?? 100,
      labels: { ...poolLabels(ctx, pool), ...pool.labels },
      ...(pool.taints.length
        ? {
            taints: pool.taints.map(t => ({
              key: t.key,
              value: t.value ?? '',
              effect: EKS_TAINT_EFFECTS[t.effect],
            })),
          }
        : {}),
      additionalTags: { ...clusterTags(ctx), ...autoscalerTags(ctx, pool) },
    },
  };
}

function ec2Pools(ctx: RenderContext): KubernetesObject[] {
  return ctx.resolved.nodePools.flatMap(pool => {
    const bootstrap = {
      configRef: ref(BOOTSTRAP, 'KubeadmConfig', poolObjectName(ctx, pool)),
    };
    const infra =
      pool.type === 'karpenter'
        ? karpenterMachinePool(ctx, pool)
        : awsMachinePool(ctx, pool);
    return [
      machinePool(ctx, pool, infra.kind, bootstrap),
      infra,
      kubeadmConfig(ctx, pool),
    ];
  });
}

function awsManagedControlPlane(ctx: RenderContext): KubernetesObject {
  const { request } = ctx.resolved;
  const { controlPlane } = request.spec;
  return {
    apiVersion: `${CONTROL_PLANE}/v1beta2`,
    kind: 'AWSManagedControlPlane',
    metadata: {
      ...objectMeta(ctx, `${request.metadata.name}-control-plane`),
      annotations: topologyAnnotations(ctx),
    },
    spec: {
      eksClusterName: request.metadata.name,
      region: request.spec.region,
      version: kubernetesVersion(ctx),
      identityRef: {
        kind: 'AWSClusterRoleIdentity',
        name: request.spec.account.roleIdentity,
      },
      additionalTags: clusterTags(ctx),
      endpointAccess: {
        public: true,
        // Nodes reach the API inside the VPC; the public endpoint serves people and the MC.
        private: true,
        ...(controlPlane.allowedCidrs.length
          ? { publicCIDRs: controlPlane.allowedCidrs }
          : {}),
      },
      network: capaNetwork(ctx),
    },
  };
}

function eksObjects(ctx: RenderContext): KubernetesObject[] {
  const { name } = ctx.resolved.request.metadata;
  return [
    clusterObject(ctx, 'AWSManagedControlPlane', 'AWSManagedCluster'),
    {
      apiVersion: INFRA_VERSION,
      kind: 'AWSManagedCluster',
      metadata: objectMeta(ctx, name),
      spec: {},
    },
    awsManagedControlPlane(ctx),
    ...ctx.resolved.nodePools.flatMap(pool => [
      // Managed node groups bootstrap themselves; CAPI still wants the field.
      machinePool(ctx, pool, 'AWSManagedMachinePool', { dataSecretName: '' }),
      awsManagedMachinePool(ctx, pool),
    ]),
  ];
}

/**
 * Renders a resolved request as raw Cluster API and CAPA objects: for EC2 a kubeadm control
 * plane and machine pools, for EKS a managed control plane and managed node groups.
 * @public
 */
export function renderCapi(ctx: RenderContext): KubernetesObject[] {
  if (ctx.resolved.request.spec.flavor === 'eks') {
    return eksObjects(ctx);
  }
  return [
    clusterObject(ctx, 'KubeadmControlPlane', 'AWSCluster'),
    awsCluster(ctx),
    kubeadmControlPlane(ctx),
    controlPlaneMachineTemplate(ctx),
    ...ec2Pools(ctx),
  ];
}
