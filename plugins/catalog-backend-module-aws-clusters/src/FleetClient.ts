import { AuthService, DiscoveryService } from '@backstage/backend-plugin-api';
import { ResponseError } from '@backstage/errors';
import type {
  AccountView,
  ClusterSummary,
  ListResponse,
} from '@clusterdeck/plugin-aws-clusters-common';

/** What the provider reads from the fleet backend. */
export interface FleetReader {
  listClusters(): Promise<ListResponse<ClusterSummary>>;
  listAccounts(): Promise<ListResponse<AccountView>>;
}

/**
 * Reads the fleet from the `aws-clusters` backend plugin with the catalog's own service
 * credentials, which see every team's clusters.
 */
export class FleetClient implements FleetReader {
  constructor(
    private readonly deps: { discovery: DiscoveryService; auth: AuthService },
  ) {}

  listClusters() {
    return this.get<ListResponse<ClusterSummary>>('/clusters');
  }

  listAccounts() {
    return this.get<ListResponse<AccountView>>('/accounts');
  }

  private async get<T>(path: string): Promise<T> {
    const { discovery, auth } = this.deps;
    const baseUrl = await discovery.getBaseUrl('aws-clusters');
    const { token } = await auth.getPluginRequestToken({
      onBehalfOf: await auth.getOwnServiceCredentials(),
      targetPluginId: 'aws-clusters',
    });
    const response = await fetch(`${baseUrl}${path}`, {
      headers: { Authorization: `Bearer ${token}` },
    });
    if (!response.ok) throw await ResponseError.fromResponse(response);
    return (await response.json()) as T;
  }
}
