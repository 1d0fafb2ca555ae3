/**
 * Clusterdeck's frontend: the fleet of AWS workload clusters in Backstage.
 *
 * @packageDocumentation
 */
export { awsClustersPlugin } from './plugin';
