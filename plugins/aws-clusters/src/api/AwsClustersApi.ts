import { createApiRef } from '@backstage/core-plugin-api';
import type {
  AccountView,
  BoundariesView,
  CidrAllocationView,
  CidrPoolView,
  ClusterDetail,
  ClusterListQuery,
  ClusterSummary,
  CostsResponse,
  ListResponse,
  ManagementClusterOption,
  ProvisioningTimeline,
  RegionOption,
  ReleaseOption,
  RoleIdentityOption,
  SourceStatus,
  TransitGatewayOption,
} from '@clusterdeck/plugin-aws-clusters-common';

/** @public Names one workload cluster: its management cluster, namespace and name. */
export interface ClusterRef {
  managementCluster: string;
  namespace: string;
  name: string;
}

/** @public A cluster's detail as served, with when the fleet was read. */
export type ClusterDetailResponse = ClusterDetail & { generatedAt: string };

/** @public A cluster's provisioning timeline as served, with the freshness of its sources. */
export type ProvisioningResponse = ProvisioningTimeline & {
  sources: SourceStatus[];
};

/** @public The isolation boundaries of the visible clusters. */
export type BoundariesResponse = BoundariesView & {
  generatedAt: string;
  errors: SourceStatus[];
};

/** @public How the backend's last refresh of the fleet went. */
export interface HealthResponse {
  refresh?: {
    startedAt: string;
    durationMs: number;
    sources: Array<{ name: string; durationMs: number; error?: string }>;
  };
  sources: SourceStatus[];
  loadedAt?: string;
}

/** @public Reads the fleet from the aws-clusters backend. */
export interface AwsClustersApi {
  /**
   * The clusters the caller may read, of one owner, management cluster or account if asked; with
   * `limit`, one page of them (`total`, and `nextCursor` to pass as `cursor` for the next).
   */
  listClusters(
    options?: ClusterListQuery,
  ): Promise<ListResponse<ClusterSummary>>;
  getCluster(ref: ClusterRef): Promise<ClusterDetailResponse>;
  /** The cluster's provisioning (or deletion) timeline, also while it is only requested. */
  getProvisioning(ref: ClusterRef): Promise<ProvisioningResponse>;
  getBoundaries(options?: { owner?: string }): Promise<BoundariesResponse>;
  /** Cost per cluster and per team per month, of the clusters the caller may read. */
  getCosts(options?: { owner?: string }): Promise<CostsResponse>;
  listAccounts(): Promise<ListResponse<AccountView>>;
  listCidrPools(): Promise<ListResponse<CidrPoolView>>;
  /** The CIDR blocks reserved in a pool that the caller's teams hold. */
  listCidrAllocations(options?: {
    pool?: string;
  }): Promise<ListResponse<CidrAllocationView>>;
  health(): Promise<HealthResponse>;
  /** The management clusters clusters may be requested on. */
  listManagementClusters(): Promise<ListResponse<ManagementClusterOption>>;
  /** The regions of an account the caller may use (with their zones), or without one every region the platform knows. */
  listRegions(options?: {
    accountId?: string;
  }): Promise<ListResponse<RegionOption>>;
  /** The role identities of a management cluster the caller may name, for an account and owner. */
  listRoleIdentities(options: {
    managementCluster: string;
    accountId?: string;
    owner?: string;
  }): Promise<ListResponse<RoleIdentityOption>>;
  /** The releases (EC2) or Kubernetes versions (EKS) a management cluster offers; `known: false` when nothing lists them. */
  listReleases(options: {
    managementCluster: string;
    flavor?: 'ec2' | 'eks';
    /** `kubernetes`: the Kubernetes versions EKS offers (EKS only) instead of platform releases. */
    kind?: 'release' | 'kubernetes';
  }): Promise<ListResponse<ReleaseOption> & { known: boolean }>;
  /** The transit gateways an account can attach to, in a region if given. */
  listTransitGateways(options: {
    accountId: string;
    region?: string;
  }): Promise<ListResponse<TransitGatewayOption>>;
}

/** @public The API reference of {@link AwsClustersApi}. */
export const awsClustersApiRef = createApiRef<AwsClustersApi>({
  id: 'plugin.aws-clusters.service',
});
