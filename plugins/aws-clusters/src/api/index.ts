export * from './AwsClustersApi';
export { AwsClustersClient } from './AwsClustersClient';
export {
  isClusterdeckCluster,
  clusterRefOfEntity,
  formatClusterRef,
} from './entity';
