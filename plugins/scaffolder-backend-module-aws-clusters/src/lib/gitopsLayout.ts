export { clusterEntityName } from '@clusterdeck/plugin-aws-clusters-common';
import type { GitopsConfig } from '../config/moduleConfig';

/** Fills `{name}`-style placeholders; an unknown placeholder is an error, not a silent gap. */
export function fillPattern(
  pattern: string,
  values: Record<string, string>,
): string {
  return pattern.replace(/\{([A-Za-z]+)\}/g, (_match, key: string) => {
    const value = values[key];
    if (value === undefined) {
      throw new Error(
        `unknown placeholder {${key}} in "${pattern}"; known: ${Object.keys(
          values,
        ).join(', ')}`,
      );
    }
    return value;
  });
}

/** The organization a namespace `org-<organization>` belongs to. */
export function organizationOf(namespace: string): string {
  return namespace.startsWith('org-') ? namespace.slice(4) : namespace;
}

/** @public Where a workload cluster's files live in the GitOps repository. */
export function clusterDirectory(
  gitops: Pick<GitopsConfig, 'clusterPath'>,
  cluster: { managementCluster: string; namespace: string; name: string },
): string {
  return fillPattern(gitops.clusterPath, {
    managementCluster: cluster.managementCluster,
    namespace: cluster.namespace,
    organization: organizationOf(cluster.namespace),
    name: cluster.name,
  });
}

/** @public The files Clusterdeck keeps in a cluster's directory. */
export const CLUSTER_FILES = {
  /** The ClusterRequest the manifests are rendered from; day-2 changes edit it and re-render. */
  request: 'clusterrequest.yaml',
  /** The rendered manifests, one multi-document YAML file. */
  manifests: 'cluster.yaml',
  /** The catalog entity of the cluster. */
  catalogInfo: 'catalog-info.yaml',
} as const;
