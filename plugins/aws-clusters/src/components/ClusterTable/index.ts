export {
  ClusterTable,
  ClusterStatusLabel,
  clusterEntityPath,
  useClusterTableQuery,
} from './ClusterTable';
export {
  FILTERS,
  applyFilters,
  countBy,
  filterValue,
  findingsByCluster,
  type FilterKey,
} from './clusterFilters';
export { clustersCsv } from './clustersCsv';
export { sortClusters } from './clusterSort';
