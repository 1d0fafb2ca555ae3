export { TeamClustersTable, ClusterStatusLabel, clusterEntityPath } from './TeamClustersTable';
