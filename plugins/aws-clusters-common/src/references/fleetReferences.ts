/**
 * What a cluster request may name, as the fleet knows it. A list that is absent is not known
 * (nothing reads it yet, or its source was never read); how an absent list is judged is said at
 * each field.
 */

/**
 * `AWSClusterRoleIdentity.spec.allowedNamespaces` as CAPA defines it: `{}` admits every
 * namespace, a missing value admits none, otherwise a namespace in `list` or matched by a
 * non-empty `selector` is admitted.
 * @public
 */
export interface AllowedNamespaces {
  list?: string[] | null;
  selector?: LabelSelector | null;
}

/** @public A Kubernetes label selector. */
export interface LabelSelector {
  matchLabels?: Record<string, string>;
  matchExpressions?: Array<{
    key: string;
    operator: string;
    values?: string[];
  }>;
}

/** @public An `AWSClusterRoleIdentity` of a management cluster, as a request may name it. */
export interface RoleIdentityReference {
  name: string;
  roleARN: string;
  /** Missing (or null) admits no namespace, as in CAPA. */
  allowedNamespaces?: AllowedNamespaces | null;
  sourceIdentityRef?: { kind: string; name: string };
}

/** @public A management cluster and what it offers. */
export interface ManagementClusterReference {
  name: string;
  region: string;
  accountId: string;
  /** The environment whose clusters it runs, as configured; else its own account's environment. */
  environment?: string;
  /** Its role identities; absent when the management cluster has not been read (then nothing is admitted). */
  roleIdentities?: RoleIdentityReference[];
  /**
   * Platform releases it offers to EC2 clusters (the cluster-aws chart's `release`): its
   * non-deprecated Giant Swarm `Release` objects named `aws-<version>`, else the configured ones;
   * absent when not known (then not checked). Newest first.
   */
  releases?: string[];
  /**
   * Platform releases it offers to EKS clusters (the cluster-eks chart's `release`): its
   * non-deprecated `Release` objects named `eks-<version>`, else the configured ones; absent when
   * not known (then not checked). Newest first.
   */
  eksReleases?: string[];
  /**
   * Kubernetes versions (major.minor) it offers to EKS clusters: those EKS reports in standard or
   * extended support, else the configured ones; absent when not known (then not checked).
   */
  eksVersions?: string[];
}

/** @public An AWS account a cluster may be requested in. */
export interface AccountReference {
  id: string;
  name: string;
  environment: string;
  regions: string[];
}

/** @public A transit gateway an account can attach VPCs to. */
export interface TransitGatewayReference {
  id: string;
  name?: string;
  /** Where it lives; VPCs attach only to a transit gateway of their own region. */
  region?: string;
  ownerAccountId?: string;
  /**
   * Whether a VPC of the account is attached to it: true when the fleet shows an attachment,
   * false when AWS only reports that the account may attach (owned or shared through RAM),
   * absent when configured (trusted as attached).
   */
  attached?: boolean;
}

/**
 * Everything a cluster request refers to, for {@link checkClusterReferences}.
 * @public
 */
export interface FleetReferences {
  managementClusters: ManagementClusterReference[];
  /** The accounts that may be used; an account not listed is refused. */
  accounts: AccountReference[];
  /** Availability zones per region (as AWS reports them, else configured); a region not listed is not checked beyond the zone names' form. */
  zones?: Record<string, string[]>;
  /** Transit gateways per account id that can attach to them; an account not listed reaches none. */
  transitGateways: Record<string, TransitGatewayReference[]>;
}

const ROLE_ARN = /^arn:aws[a-z-]*:iam::(\d{12}):role\/.+$/;

/** @public The account whose role an ARN names, if it is a role ARN. */
export function roleArnAccount(roleARN: string): string | undefined {
  return ROLE_ARN.exec(roleARN)?.[1];
}

/** @public The major.minor of a Kubernetes version (`v1.33.4` → `1.33`). */
export function kubernetesMinor(version: string): string {
  return version.replace(/^v/, '').split('.').slice(0, 2).join('.');
}
