export { EntityClusterCostCard } from './CostCard';
export {
  formatAmount,
  formatClusterCost,
  formatMonth,
  formatMonthlyCost,
} from './formatCost';
