export {
  EntityManagementClusterCard,
  managementClusterOfEntity,
} from './ManagementClusterCard';
export { EntityAccountCard, accountOfEntity } from './AccountCard';
