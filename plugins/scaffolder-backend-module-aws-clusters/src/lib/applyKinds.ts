/**
 * The kinds `clusterdeck:manifests:apply` applies by default, as `Kind.group` (the API server's
 * own notation; a core kind has no group): exactly what the renderer produces, in the `capi`
 * format (Cluster API, CAPA, kubeadm bootstrap and control plane, Giant Swarm's
 * KarpenterMachinePool) and in the `cluster-aws` format (a Giant Swarm App and its values
 * ConfigMap). Anything else in a workspace is not Clusterdeck's to apply.
 * @public
 */
export const RENDERED_KINDS: ReadonlyArray<string> = [
  'Cluster.cluster.x-k8s.io',
  'MachinePool.cluster.x-k8s.io',
  'AWSCluster.infrastructure.cluster.x-k8s.io',
  'AWSMachineTemplate.infrastructure.cluster.x-k8s.io',
  'AWSMachinePool.infrastructure.cluster.x-k8s.io',
  'AWSManagedCluster.infrastructure.cluster.x-k8s.io',
  'AWSManagedMachinePool.infrastructure.cluster.x-k8s.io',
  'KarpenterMachinePool.infrastructure.cluster.x-k8s.io',
  'KubeadmControlPlane.controlplane.cluster.x-k8s.io',
  'AWSManagedControlPlane.controlplane.cluster.x-k8s.io',
  'KubeadmConfig.bootstrap.cluster.x-k8s.io',
  'App.application.giantswarm.io',
  'ConfigMap',
];

/**
 * The `Kind.group` of an object (`Cluster.cluster.x-k8s.io`; `ConfigMap` for the core group).
 * @public
 */
export function kindOf(object: { apiVersion?: string; kind?: string }): string {
  const parts = (object.apiVersion ?? '').split('/');
  return parts.length === 1
    ? `${object.kind}`
    : `${object.kind}.${parts.slice(0, -1).join('/')}`;
}
