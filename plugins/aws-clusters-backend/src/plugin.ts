import {
  coreServices,
  createBackendPlugin,
} from '@backstage/backend-plugin-api';
import { awsClustersPermissions } from '@clusterdeck/plugin-aws-clusters-common';
import {
  ClusterdeckAuthorizer,
  FleetSource,
  fleetSourcesExtensionPoint,
  isManagementClusterFeed,
  readClusterdeckConfig,
} from '@clusterdeck/plugin-aws-clusters-node';
import { notificationService } from '@backstage/plugin-notifications-node';
import { signalsServiceRef } from '@backstage/plugin-signals-node';
import {
  ClusterdeckDatabase,
  oneReplicaAtATime,
} from './database/ClusterdeckDatabase';
import {
  awsClusterResourceRef,
  awsClusterRules,
} from '@clusterdeck/plugin-aws-clusters-node';
import { CostService } from './cost/CostService';
import { warnIfPermissionsDisabled } from './permissions/permissionsDisabledWarning';
import { startNotifications } from './notifications/startNotifications';
import {
  AttachableClusters,
  CidrReservations,
} from './service/CidrReservations';
import { createSources } from './service/createSources';
import { settleRequests } from './service/requestRecords';
import { startLiveFleet } from './service/startLiveFleet';
import { FleetService } from './service/FleetService';
import { createRouter } from './service/router';

/**
 * The aws-clusters backend plugin: collects the fleet on the scheduler, joins it per team and
 * serves it under `/api/aws-clusters`.
 * @public
 */
export const awsClustersPlugin = createBackendPlugin({
  pluginId: 'aws-clusters',
  register(env) {
    const addedSources: FleetSource[] = [];
    const replacingSources: FleetSource[] = [];
    env.registerExtensionPoint(fleetSourcesExtensionPoint, {
      addSource(source) {
        addedSources.push(source);
      },
      replaceLiveSources(source) {
        replacingSources.push(source);
      },
    });
    env.registerInit({
      deps: {
        rootConfig: coreServices.rootConfig,
        logger: coreServices.logger,
        httpRouter: coreServices.httpRouter,
        httpAuth: coreServices.httpAuth,
        auth: coreServices.auth,
        auditor: coreServices.auditor,
        permissions: coreServices.permissions,
        permissionsRegistry: coreServices.permissionsRegistry,
        database: coreServices.database,
        scheduler: coreServices.scheduler,
        lifecycle: coreServices.lifecycle,
        signals: signalsServiceRef,
        notifications: notificationService,
      },
      async init({
        rootConfig,
        logger,
        httpRouter,
        httpAuth,
        auth,
        auditor,
        permissions,
        permissionsRegistry,
        database,
        scheduler,
        lifecycle,
        signals,
        notifications,
      }) {
        warnIfPermissionsDisabled(rootConfig, logger);
        const config = readClusterdeckConfig(rootConfig);
        const db = await ClusterdeckDatabase.create(database);
        const knex = await database.getClient();
        // A global task's first scheduling creates the scheduler's tables: one replica at a time.
        const scheduleGlobal = (
          task: Parameters<typeof scheduler.scheduleTask>[0],
        ) => oneReplicaAtATime(knex, () => scheduler.scheduleTask(task));
        const reservations = CidrReservations.create({ db, config });
        const authorizer = ClusterdeckAuthorizer.create({
          permissions,
          auth,
          serviceGrants: config.permissions.services,
        });
        const sources = [
          ...(replacingSources.length > 0
            ? replacingSources
            : createSources({ config, rootConfig, logger })),
          ...addedSources,
        ];
        const fleet = FleetService.create({ config, db, logger, sources });
        await fleet.loadStored();
        const costs = CostService.create({
          config,
          rootConfig,
          knex,
          logger,
          sources,
        });
        if (costs) {
          await costs.reload();
          // Cost Explorer updates about once a day and charges per request: one replica reads.
          await scheduleGlobal({
            id: 'aws-clusters:cost',
            frequency: costs.frequency,
            timeout: { minutes: 5 },
            initialDelay: { seconds: 10 },
            scope: 'global',
            fn: () => costs.refresh(),
          });
          await scheduler.scheduleTask({
            id: 'aws-clusters:cost-reload',
            frequency: { minutes: 1 },
            timeout: { minutes: 1 },
            scope: 'local',
            fn: () => costs.reload(),
          });
        }

        // Management-cluster watches between refreshes (one replica), with their changes' follow-ups.
        await startLiveFleet({
          fleet,
          db,
          rootConfig,
          logger,
          lifecycle,
          signals,
          adminGroups: config.adminGroups,
        });
        // Sources that push management clusters' changes (a replayed recording) apply like watches.
        for (const source of sources.filter(isManagementClusterFeed)) {
          const stop = source.watchManagementClusters(snapshot => {
            fleet.applyManagementCluster(snapshot).catch(error => {
              logger.warn(`Could not apply ${snapshot.name}: ${error}`);
            });
          });
          lifecycle.addShutdownHook(stop);
        }
        const notifier = startNotifications({
          fleet,
          db,
          rootConfig,
          notifications,
          logger,
        });

        permissionsRegistry.addResourceType({
          resourceRef: awsClusterResourceRef,
          permissions: awsClustersPermissions.filter(
            p => p.type === 'resource',
          ),
          rules: Object.values(awsClusterRules),
          getResources: async refs =>
            refs.map(ref => fleet.current().byRef.get(ref)),
        });
        permissionsRegistry.addPermissions(
          awsClustersPermissions.filter(p => p.type === 'basic'),
        );

        /** Gives back blocks no cluster used in time and those of clusters gone from the fleet, audited. */
        const reclaimReservations = async (clusters: AttachableClusters) => {
          let released;
          try {
            released = await reservations.reclaim(clusters);
          } catch (error) {
            const event = await auditor.createEvent({
              eventId: 'cidr-allocation',
              severityLevel: 'low',
              meta: { action: 'reclaim' },
            });
            await event.fail({ error: error as Error });
            logger.warn(`Could not reclaim CIDR reservations: ${error}`);
            return;
          }
          if (released.length === 0) return;
          const event = await auditor.createEvent({
            eventId: 'cidr-allocation',
            severityLevel: 'low',
            meta: { action: 'reclaim' },
          });
          await event.success({
            meta: {
              released: released.map(a => ({
                id: a.id,
                pool: a.pool,
                cidr: a.cidr,
                owner: a.owner,
                cluster: a.cluster ?? null,
              })),
            },
          });
          logger.info(
            `Released ${
              released.length
            } CIDR reservations that no cluster uses: ${released
              .map(a => a.cidr)
              .join(', ')}`,
          );
        };

        // One replica refreshes per interval; every replica picks up what it stored.
        await scheduleGlobal({
          id: 'aws-clusters:refresh',
          frequency: config.refresh.frequency,
          timeout: config.refresh.timeout,
          initialDelay: { seconds: 0 },
          scope: 'global',
          fn: async signal => {
            await fleet.refresh(signal);
            // Requests the management clusters now report are clusters like any other.
            const model = fleet.current();
            const pending = await settleRequests(db, model, logger);
            await reclaimReservations(
              reservations.attachableClusters(model, pending),
            );
            // Being stuck is the absence of change: the whole fleet is looked at every refresh.
            await notifier?.evaluate();
          },
        });
        await scheduler.scheduleTask({
          id: 'aws-clusters:reload',
          // Cheap when nothing changed (two reads of timestamps); brings watched changes within seconds.
          frequency: { seconds: 2 },
          timeout: { minutes: 1 },
          scope: 'local',
          fn: async () => {
            await fleet.loadStored();
          },
        });

        httpRouter.use(
          await createRouter({
            fleet,
            db,
            config,
            httpAuth,
            auth,
            authorizer,
            reservations,
            auditor,
            logger,
            costs,
          }),
        );
        httpRouter.addAuthPolicy({ path: '/health', allow: 'unauthenticated' });
      },
    });
  },
});
