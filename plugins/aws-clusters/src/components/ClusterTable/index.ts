export {
  ClusterTable,
  clusterEntityPath,
  useClusterTableQuery,
} from './ClusterTable';
export { ClusterStatusCell, ClusterStatusLabel } from './ClusterStatusCell';
export {
  FILTERS,
  applyFilters,
  countBy,
  filterValue,
  filterValueText,
  filtersFor,
  findingsByCluster,
  type FilterKey,
} from './clusterFilters';
export { clustersCsv } from './clustersCsv';
export { sortClusters } from './clusterSort';
export {
  SUPPORT_ORDER,
  supportStatus,
  supportStatusText,
} from './lifecycleColumns';
