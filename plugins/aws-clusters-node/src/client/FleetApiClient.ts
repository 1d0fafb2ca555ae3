import {
  AuthService,
  BackstageCredentials,
  DiscoveryService,
} from '@backstage/backend-plugin-api';
import {
  ConflictError,
  InputError,
  NotAllowedError,
  ResponseError,
} from '@backstage/errors';
import type {
  AccountView,
  BoundariesView,
  CidrAllocationView,
  CidrPoolView,
  ClusterDetail,
  ClusterListQuery,
  ClusterSummary,
  FleetReferences,
  ListResponse,
} from '@clusterdeck/plugin-aws-clusters-common';

/** @public The plugin id of the fleet backend. */
export const FLEET_PLUGIN_ID = 'aws-clusters';

/** @public A reserved CIDR block. */
export type CidrAllocation = CidrAllocationView;

/**
 * On whose behalf a call is made: the initiating user's credentials, or `'service'` for
 * fleet-wide facts (is a name or CIDR taken anywhere) that a user may not list themselves.
 * @public
 */
export type FleetCaller = BackstageCredentials | 'service';

/**
 * The fleet backend's REST API as other backend plugins call it (the scaffolder actions, the
 * catalog provider).
 * @public
 */
export interface FleetApi {
  listAccounts(caller: FleetCaller): Promise<AccountView[]>;
  /** The clusters the caller may read, of one owner, management cluster or account if asked. */
  listClusters(
    caller: FleetCaller,
    filter?: Pick<
      ClusterListQuery,
      'owner' | 'managementCluster' | 'accountId'
    >,
  ): Promise<ClusterSummary[]>;
  /** One cluster's detail; `undefined` when there is no such cluster. A cluster the caller may not see is a NotAllowedError. */
  getCluster(
    ref: string,
    caller: FleetCaller,
  ): Promise<ClusterDetail | undefined>;
  getBoundaries(caller: FleetCaller): Promise<BoundariesView>;
  listCidrPools(caller: FleetCaller): Promise<CidrPoolView[]>;
  listAllocations(
    caller: FleetCaller,
    pool?: string,
  ): Promise<CidrAllocation[]>;
  allocate(
    caller: FleetCaller,
    body: { pool: string; owner: string; cluster?: string },
  ): Promise<CidrAllocation>;
  /** Releases a block; releasing one that is gone already is not an error. */
  release(caller: FleetCaller, id: string): Promise<void>;
  /**
   * Records a cluster request, so that the fleet (and the catalog) lists the cluster as
   * `requested` until its management cluster reports it.
   */
  recordRequest(
    caller: FleetCaller,
    request: unknown,
    delivery?: { branch?: string; changeUrl?: string },
  ): Promise<{ ref: string }>;
  /**
   * What a request for `owner` may name: management clusters with their role identities and
   * releases, the accounts that admit the owner, zones and transit gateways.
   */
  getReferences(caller: FleetCaller, owner: string): Promise<FleetReferences>;
}

/**
 * Calls the fleet backend (`/api/aws-clusters`) with a token made on behalf of the initiating
 * user, so the backend applies that user's permissions.
 * @public
 */
export class FleetApiClient implements FleetApi {
  private constructor(
    private readonly discovery: Pick<DiscoveryService, 'getBaseUrl'>,
    private readonly auth: Pick<
      AuthService,
      'getPluginRequestToken' | 'getOwnServiceCredentials'
    >,
    private readonly fetchImpl: typeof fetch,
  ) {}

  static create(options: {
    discovery: Pick<DiscoveryService, 'getBaseUrl'>;
    auth: Pick<
      AuthService,
      'getPluginRequestToken' | 'getOwnServiceCredentials'
    >;
    fetch?: typeof fetch;
  }): FleetApiClient {
    return new FleetApiClient(
      options.discovery,
      options.auth,
      options.fetch ?? fetch,
    );
  }

  async listAccounts(caller: FleetCaller): Promise<AccountView[]> {
    return (
      await this.request<ListResponse<AccountView>>(caller, 'GET', '/accounts')
    ).items;
  }

  async listClusters(
    caller: FleetCaller,
    filter: Pick<
      ClusterListQuery,
      'owner' | 'managementCluster' | 'accountId'
    > = {},
  ): Promise<ClusterSummary[]> {
    const given = Object.entries(filter).filter(
      (entry): entry is [string, string] => !!entry[1],
    );
    const query = given.length ? `?${new URLSearchParams(given)}` : '';
    return (
      await this.request<ListResponse<ClusterSummary>>(
        caller,
        'GET',
        `/clusters${query}`,
      )
    ).items;
  }

  async getCluster(
    ref: string,
    caller: FleetCaller,
  ): Promise<ClusterDetail | undefined> {
    const parts = ref.split('/');
    if (parts.length !== 3 || parts.some(p => !p)) {
      throw new TypeError(
        `"${ref}" is not a cluster reference <managementCluster>/<namespace>/<name>`,
      );
    }
    const path = `/clusters/${parts.map(encodeURIComponent).join('/')}`;
    return this.request<ClusterDetail>(caller, 'GET', path, undefined, {
      notFound: true,
    });
  }

  async getBoundaries(caller: FleetCaller): Promise<BoundariesView> {
    return this.request<BoundariesView>(caller, 'GET', '/boundaries');
  }

  async listCidrPools(caller: FleetCaller): Promise<CidrPoolView[]> {
    return (
      await this.request<ListResponse<CidrPoolView>>(
        caller,
        'GET',
        '/cidr-pools',
      )
    ).items;
  }

  async listAllocations(
    caller: FleetCaller,
    pool?: string,
  ): Promise<CidrAllocation[]> {
    const query = pool ? `?pool=${encodeURIComponent(pool)}` : '';
    return (
      await this.request<ListResponse<CidrAllocation>>(
        caller,
        'GET',
        `/cidr-allocations${query}`,
      )
    ).items;
  }

  async allocate(
    caller: FleetCaller,
    body: { pool: string; owner: string; cluster?: string },
  ): Promise<CidrAllocation> {
    return this.request<CidrAllocation>(
      caller,
      'POST',
      '/cidr-allocations',
      body,
    );
  }

  async release(caller: FleetCaller, id: string): Promise<void> {
    await this.request<void>(
      caller,
      'DELETE',
      `/cidr-allocations/${encodeURIComponent(id)}`,
      undefined,
      { notFound: true },
    );
  }

  async recordRequest(
    caller: FleetCaller,
    request: unknown,
    delivery?: { branch?: string; changeUrl?: string },
  ): Promise<{ ref: string }> {
    return this.request<{ ref: string }>(caller, 'POST', '/cluster-requests', {
      request,
      ...(delivery?.branch ? { branch: delivery.branch } : {}),
      ...(delivery?.changeUrl ? { changeUrl: delivery.changeUrl } : {}),
    });
  }

  async getReferences(
    caller: FleetCaller,
    owner: string,
  ): Promise<FleetReferences> {
    return this.request<FleetReferences>(
      caller,
      'GET',
      `/references?owner=${encodeURIComponent(owner)}`,
    );
  }

  private async request<T>(
    caller: FleetCaller,
    method: string,
    path: string,
    body?: unknown,
    options: { notFound?: boolean } = {},
  ): Promise<T> {
    const onBehalfOf =
      caller === 'service'
        ? await this.auth.getOwnServiceCredentials()
        : caller;
    const { token } = await this.auth.getPluginRequestToken({
      onBehalfOf,
      targetPluginId: FLEET_PLUGIN_ID,
    });
    const baseUrl = await this.discovery.getBaseUrl(FLEET_PLUGIN_ID);
    const response = await this.fetchImpl(`${baseUrl}${path}`, {
      method,
      headers: {
        ...(token ? { Authorization: `Bearer ${token}` } : {}),
        ...(body !== undefined ? { 'Content-Type': 'application/json' } : {}),
      },
      body: body !== undefined ? JSON.stringify(body) : undefined,
    });
    if (response.status === 404 && options.notFound) {
      return undefined as T;
    }
    if (response.status === 403) {
      const error = await ResponseError.fromResponse(response);
      throw new NotAllowedError(
        error.body?.error?.message ??
          `the fleet backend refused ${method} ${path}`,
      );
    }
    if (response.status === 400 || response.status === 409) {
      // The fleet backend names the part of the request it refuses (`body owner: …`); the names are the actions' inputs.
      const error = await ResponseError.fromResponse(response);
      const message = (error.body?.error?.message ?? error.message).replace(
        /^(body|query|path) /,
        '',
      );
      throw response.status === 400
        ? new InputError(message)
        : new ConflictError(message);
    }
    if (!response.ok) {
      throw await ResponseError.fromResponse(response);
    }
    if (response.status === 204) return undefined as T;
    return (await response.json()) as T;
  }
}
