export { EntityClusterProvisioningCard } from './ProvisioningCard';
export { provisioningPath, PROVISIONING_ANCHOR } from './provisioningLink';
