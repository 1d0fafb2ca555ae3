/**
 * The manifest renderer of the Clusterdeck AWS clusters plugins: a validated cluster request
 * becomes Cluster API / CAPA manifests (`capi`) or the values and App of Giant Swarm's
 * `cluster-aws` / `cluster-eks` charts (`cluster-aws`).
 *
 * @packageDocumentation
 */
export { renderCapi } from './capi';
export {
  CLUSTER_CHARTS,
  clusterAwsValues,
  clusterEksValues,
  DEFAULT_CLUSTER_CATALOG,
  renderClusterAwsApp,
} from './clusterAws';
export {
  manifestsToYaml,
  RENDER_FORMATS,
  renderClusterRequest,
} from './renderClusterRequest';
export * from './types';
