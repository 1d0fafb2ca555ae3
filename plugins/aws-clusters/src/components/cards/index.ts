export {
  EntityNodePoolScalingCard,
  changeNodePoolLink,
} from './NodePoolScalingCard';
export { EntityClusterBoundariesCard } from './BoundariesCard';
export { EntityClusterTopologyCard } from './TopologyCard';
