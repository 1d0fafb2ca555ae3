import type { DiscoveryApi, FetchApi } from '@backstage/core-plugin-api';
import { ResponseError } from '@backstage/errors';
import type {
  AccountView,
  CidrAllocationView,
  CidrPoolView,
  ClusterListQuery,
  ClusterSummary,
  CostsResponse,
  ListResponse,
  ManagementClusterOption,
  RegionOption,
  ReleaseOption,
  RoleIdentityOption,
  TransitGatewayOption,
} from '@clusterdeck/plugin-aws-clusters-common';
import type {
  AwsClustersApi,
  BoundariesResponse,
  ClusterDetailResponse,
  ClusterRef,
  HealthResponse,
  ProvisioningResponse,
} from './AwsClustersApi';

/** @public Calls the aws-clusters backend through Backstage's discovery and fetch APIs. */
export class AwsClustersClient implements AwsClustersApi {
  private readonly discoveryApi: DiscoveryApi;
  private readonly fetchApi: FetchApi;
  /** Requests under way by path: a cluster's cards mount together and ask for the same detail. */
  private readonly inFlight = new Map<string, Promise<unknown>>();

  constructor(options: { discoveryApi: DiscoveryApi; fetchApi: FetchApi }) {
    this.discoveryApi = options.discoveryApi;
    this.fetchApi = options.fetchApi;
  }

  listClusters(
    options: ClusterListQuery = {},
  ): Promise<ListResponse<ClusterSummary>> {
    return this.get(
      `/clusters${query({ ...options, limit: options.limit?.toString() })}`,
    );
  }

  getCluster(ref: ClusterRef): Promise<ClusterDetailResponse> {
    return this.get(`/clusters/${clusterPath(ref)}`);
  }

  getProvisioning(ref: ClusterRef): Promise<ProvisioningResponse> {
    return this.get(`/clusters/${clusterPath(ref)}/provisioning`);
  }

  getBoundaries(options?: { owner?: string }): Promise<BoundariesResponse> {
    return this.get(`/boundaries${ownerQuery(options?.owner)}`);
  }

  getCosts(options?: { owner?: string }): Promise<CostsResponse> {
    return this.get(`/costs${ownerQuery(options?.owner)}`);
  }

  listAccounts(): Promise<ListResponse<AccountView>> {
    return this.get('/accounts');
  }

  listCidrPools(): Promise<ListResponse<CidrPoolView>> {
    return this.get('/cidr-pools');
  }

  listCidrAllocations(options?: {
    pool?: string;
  }): Promise<ListResponse<CidrAllocationView>> {
    return this.get(
      `/cidr-allocations${
        options?.pool ? `?pool=${encodeURIComponent(options.pool)}` : ''
      }`,
    );
  }

  health(): Promise<HealthResponse> {
    return this.get('/health');
  }

  listManagementClusters(): Promise<ListResponse<ManagementClusterOption>> {
    return this.get('/references/management-clusters');
  }

  listRegions(
    options: { accountId?: string } = {},
  ): Promise<ListResponse<RegionOption>> {
    return this.get(`/references/regions${query(options)}`);
  }

  listRoleIdentities(options: {
    managementCluster: string;
    accountId?: string;
    owner?: string;
  }): Promise<ListResponse<RoleIdentityOption>> {
    return this.get(`/references/role-identities${query(options)}`);
  }

  listReleases(options: {
    managementCluster: string;
    flavor?: 'ec2' | 'eks';
    /** `kubernetes`: the Kubernetes versions EKS offers (EKS only) instead of platform releases. */
    kind?: 'release' | 'kubernetes';
  }): Promise<ListResponse<ReleaseOption> & { known: boolean }> {
    return this.get(`/references/releases${query(options)}`);
  }

  listTransitGateways(options: {
    accountId: string;
    region?: string;
  }): Promise<ListResponse<TransitGatewayOption>> {
    return this.get(`/references/transit-gateways${query(options)}`);
  }

  private get<T>(path: string): Promise<T> {
    const pending = this.inFlight.get(path);
    if (pending) return pending as Promise<T>;
    const request = this.fetchJson<T>(path).finally(() =>
      this.inFlight.delete(path),
    );
    this.inFlight.set(path, request);
    return request;
  }

  private async fetchJson<T>(path: string): Promise<T> {
    const baseUrl = await this.discoveryApi.getBaseUrl('aws-clusters');
    const response = await this.fetchApi.fetch(`${baseUrl}${path}`);
    if (!response.ok) throw await ResponseError.fromResponse(response);
    return (await response.json()) as T;
  }
}

/** A query string of the parameters that have a value. */
function query(params: Record<string, string | undefined>): string {
  const given = Object.entries(params).filter(
    (entry): entry is [string, string] => !!entry[1],
  );
  return given.length ? `?${new URLSearchParams(given).toString()}` : '';
}

function ownerQuery(owner?: string): string {
  return owner ? `?owner=${encodeURIComponent(owner)}` : '';
}

/** The path of a cluster under `/clusters`, each part encoded. */
function clusterPath(ref: ClusterRef): string {
  for (const field of ['managementCluster', 'namespace', 'name'] as const) {
    if (!ref[field])
      throw new TypeError(`cluster ref ${field}: must not be empty`);
  }
  return [ref.managementCluster, ref.namespace, ref.name]
    .map(encodeURIComponent)
    .join('/');
}
