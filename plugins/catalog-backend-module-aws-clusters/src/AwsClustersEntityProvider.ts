import {
  LoggerService,
  SchedulerServiceTaskRunner,
} from '@backstage/backend-plugin-api';
import { Entity } from '@backstage/catalog-model';
import {
  EntityProvider,
  EntityProviderConnection,
} from '@backstage/plugin-catalog-node';
import type { ClusterdeckConfig } from '@clusterdeck/plugin-aws-clusters-node';
import type { CatalogModuleConfig } from './config';
import type { FleetApi } from '@clusterdeck/plugin-aws-clusters-node';

/**
 * What the provider reads from the fleet backend, with the catalog's own service credentials,
 * which see every team's clusters.
 * @public
 */
export type FleetReader = Pick<FleetApi, 'listClusters' | 'listAccounts'>;
import { fleetEntities, PROVIDER_LOCATION } from './fleetEntities';

/**
 * Puts the fleet into the catalog: AWS accounts, management clusters and workload clusters as
 * `Resource` entities. Each run replaces the provider's entities with a full mutation, so
 * clusters that appeared show up and deleted ones leave; the catalog only reprocesses entities
 * whose content changed.
 * @public
 */
export class AwsClustersEntityProvider implements EntityProvider {
  private connection?: EntityProviderConnection;

  constructor(
    private readonly deps: {
      fleet: FleetReader;
      clusterdeck: Pick<
        ClusterdeckConfig,
        'managementClusters' | 'adminGroups'
      >;
      config: CatalogModuleConfig;
      logger: LoggerService;
      taskRunner?: SchedulerServiceTaskRunner;
    },
  ) {}

  getProviderName(): string {
    return 'clusterdeck-aws-clusters';
  }

  async connect(connection: EntityProviderConnection): Promise<void> {
    this.connection = connection;
    await this.deps.taskRunner?.run({
      id: `${this.getProviderName()}:refresh`,
      fn: async () => {
        try {
          await this.run();
        } catch (error) {
          this.deps.logger.warn(
            `Could not read the fleet for the catalog: ${
              (error as Error).message
            }`,
          );
        }
      },
    });
  }

  /** Reads the fleet and replaces the provider's entities; returns them. */
  async run(): Promise<Entity[]> {
    if (!this.connection)
      throw new Error(
        `${this.getProviderName()} is not connected to the catalog`,
      );
    const [clusters, accounts] = await Promise.all([
      this.deps.fleet.listClusters('service'),
      this.deps.fleet.listAccounts('service'),
    ]);
    const entities = fleetEntities(
      {
        clusters,
        accounts,
        managementClusters: this.deps.clusterdeck.managementClusters,
        adminGroups: this.deps.clusterdeck.adminGroups,
      },
      this.deps.config,
    );
    await this.connection.applyMutation({
      type: 'full',
      entities: entities.map(entity => ({
        entity,
        locationKey: PROVIDER_LOCATION,
      })),
    });
    this.deps.logger.info(
      `Put ${entities.length} fleet entities into the catalog (${clusters.length} clusters, ${accounts.length} accounts)`,
    );
    return entities;
  }
}
