export {
  TeamClustersTable,
  ClusterStatusLabel,
  clusterEntityPath,
} from './TeamClustersTable';
export {
  AwsClustersPage,
  EntityTeamClustersContent,
  REQUEST_CLUSTER_PATH,
} from './TeamClustersContent';
