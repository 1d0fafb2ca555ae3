import type { Entity } from '@backstage/catalog-model';
import { CLUSTERDECK_ANNOTATIONS } from '@clusterdeck/plugin-aws-clusters-common';
import type { ClusterRef } from './AwsClustersApi';

/**
 * Whether a catalog entity is a Clusterdeck workload cluster: it carries the management cluster,
 * namespace and cluster name annotations the catalog module writes.
 * @public
 */
export function isClusterdeckCluster(entity: Entity): boolean {
  return clusterRefOfEntity(entity) !== undefined;
}

/**
 * The cluster an entity stands for, from its annotations; undefined when one is missing.
 * @public
 */
export function clusterRefOfEntity(entity: Entity): ClusterRef | undefined {
  const annotations = entity.metadata.annotations ?? {};
  const managementCluster =
    annotations[CLUSTERDECK_ANNOTATIONS.managementCluster];
  const namespace = annotations[CLUSTERDECK_ANNOTATIONS.namespace];
  const name = annotations[CLUSTERDECK_ANNOTATIONS.clusterName];
  if (!managementCluster || !namespace || !name) return undefined;
  return { managementCluster, namespace, name };
}

/** @public The `<managementCluster>/<namespace>/<name>` form of a cluster ref. */
export function formatClusterRef(ref: ClusterRef): string {
  return `${ref.managementCluster}/${ref.namespace}/${ref.name}`;
}
