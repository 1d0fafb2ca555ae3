export { renderCapi } from './capi';
export {
  clusterAwsValues,
  clusterEksValues,
  renderClusterAwsApp,
} from './clusterAws';
export {
  manifestsToYaml,
  RENDER_FORMATS,
  renderClusterRequest,
} from './renderClusterRequest';
export type {
  KubernetesObject,
  RenderContext,
  RenderFormat,
  RenderOptions,
  RenderResult,
} from './types';
