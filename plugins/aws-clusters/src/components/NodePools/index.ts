export { ActivityList } from './ActivityList';
export { InstanceTypeList } from './InstanceTypeList';
export { SizeHistoryChart } from './SizeHistoryChart';
export {
  orderedActivities,
  scalingBlockers,
  sizeHistory,
} from './scalingHistory';
