import path from 'node:path';
import {
  clusterDirectory,
  clusterFiles,
  parseScaffolderModuleConfig,
} from '@clusterdeck/plugin-scaffolder-backend-module-aws-clusters';
import { FleetDefinition } from './fleetDefinition';

/** @public The folder of the demo fleet that seeds the local GitOps repository. */
export const DEMO_GITOPS_DIR = 'gitops';

/**
 * The GitOps repository the demo fleet runs from: every cluster of the definition as the
 * scaffolder would have written it when the cluster was requested (request and `cluster-aws`
 * manifests, in the default layout), by path under {@link DEMO_GITOPS_DIR}. The scaffolder module
 * copies the folder into the local repository it creates (`clusterdeck.gitops.seedDirectory`), so
 * day-2 templates find the clusters the portal shows.
 * @public
 */
export function demoGitopsFiles(fleet: FleetDefinition): Map<string, string> {
  const { gitops } = parseScaffolderModuleConfig({});
  const files = new Map<string, string>();
  for (const scenario of fleet.clusters) {
    const request = scenario.request;
    const managementCluster = fleet.managementClusters.find(
      mc => mc.name === request.spec.managementCluster,
    );
    const directory = clusterDirectory(gitops, {
      managementCluster: request.spec.managementCluster,
      namespace: `org-${request.metadata.organization}`,
      name: request.metadata.name,
    });
    const rendered = clusterFiles({
      request,
      format: 'cluster-aws',
      baseDomain: managementCluster?.baseDomain,
      catalogInfo: false,
    });
    for (const [name, content] of Object.entries(rendered.files)) {
      files.set(path.posix.join(DEMO_GITOPS_DIR, directory, name), content);
    }
  }
  return files;
}
