export { EntityClusterCostCard } from './CostCard';
export { TeamCostCard } from './TeamCostCard';
export {
  formatAmount,
  formatClusterCost,
  formatMonth,
  formatMonthlyCost,
} from './formatCost';
