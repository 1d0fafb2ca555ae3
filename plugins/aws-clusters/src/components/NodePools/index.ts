export { ActivityList } from './ActivityList';
export { SizeHistoryChart } from './SizeHistoryChart';
export {
  orderedActivities,
  scalingBlockers,
  sizeHistory,
} from './scalingHistory';
