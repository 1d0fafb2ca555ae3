import type { AllowedNamespaces } from '../references/fleetReferences';

/** @public A management cluster as the request form offers it. */
export interface ManagementClusterOption {
  name: string;
  region: string;
  accountId: string;
  environment?: string;
  baseDomain?: string;
}

/** @public A region of an account, with its availability zones when known. */
export interface RegionOption {
  name: string;
  zones?: string[];
}

/** @public A role identity the caller may name for an account on a management cluster. */
export interface RoleIdentityOption {
  name: string;
  managementCluster: string;
  roleARN: string;
  accountId: string;
  allowedNamespaces?: AllowedNamespaces | null;
}

/**
 * @public A platform release a management cluster offers to a flavor (its `aws-*` or `eks-*`
 * Release objects, else configuration), or a Kubernetes version EKS offers.
 */
export interface ReleaseOption {
  version: string;
  flavor: 'ec2' | 'eks';
}

/** @public A transit gateway an account can attach to. */
export interface TransitGatewayOption {
  id: string;
  name?: string;
  region?: string;
  ownerAccountId?: string;
  /** True when a VPC of the account is attached to it, false when the account may only attach; absent when configured. */
  attached?: boolean;
}
