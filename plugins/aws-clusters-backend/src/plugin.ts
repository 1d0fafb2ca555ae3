import { coreServices, createBackendPlugin } from '@backstage/backend-plugin-api';
import { awsClustersPermissions } from '@clusterdeck/plugin-aws-clusters-common';
import { FleetSource, fleetSourcesExtensionPoint, readClusterdeckConfig } from '@clusterdeck/plugin-aws-clusters-node';
import { ClusterdeckDatabase } from './database/ClusterdeckDatabase';
import { awsClusterResourceRef, awsClusterRules } from './permissions/rules';
import { createSources } from './service/createSources';
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
    env.registerExtensionPoint(fleetSourcesExtensionPoint, {
      addSource(source) {
        addedSources.push(source);
      },
    });
    env.registerInit({
      deps: {
        rootConfig: coreServices.rootConfig,
        logger: coreServices.logger,
        httpRouter: coreServices.httpRouter,
        httpAuth: coreServices.httpAuth,
        userInfo: coreServices.userInfo,
        auth: coreServices.auth,
        permissions: coreServices.permissions,
        permissionsRegistry: coreServices.permissionsRegistry,
        database: coreServices.database,
        scheduler: coreServices.scheduler,
      },
      async init({ rootConfig, logger, httpRouter, httpAuth, userInfo, auth, permissions, permissionsRegistry, database, scheduler }) {
        const config = readClusterdeckConfig(rootConfig);
        const db = await ClusterdeckDatabase.create(database);
        const fleet = FleetService.create({ config, db, logger, sources: [...createSources({ config, rootConfig, logger }), ...addedSources] });
        await fleet.loadStored();

        permissionsRegistry.addResourceType({
          resourceRef: awsClusterResourceRef,
          permissions: awsClustersPermissions,
          rules: Object.values(awsClusterRules),
          getResources: async refs => refs.map(ref => fleet.current().byRef.get(ref)),
        });

        // One replica refreshes per interval; every replica picks up what it stored.
        await scheduler.scheduleTask({
          id: 'aws-clusters:refresh',
          frequency: config.refresh.frequency,
          timeout: config.refresh.timeout,
          initialDelay: { seconds: 0 },
          scope: 'global',
          fn: async signal => {
            await fleet.refresh(signal);
            // Requests the management clusters now report are clusters like any other.
            const model = fleet.current();
            const reported = (await db.listRequests()).filter(r => model.byRef.has(r.ref)).map(r => r.ref);
            const forgotten = await db.deleteRequests(reported);
            if (forgotten) logger.info(`${forgotten} requested clusters are now reported by their management clusters`);
          },
        });
        await scheduler.scheduleTask({
          id: 'aws-clusters:reload',
          frequency: { seconds: 15 },
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
            userInfo,
            auth,
            permissions,
            ruleset: permissionsRegistry.getPermissionRuleset(awsClusterResourceRef),
            logger,
          }),
        );
        httpRouter.addAuthPolicy({ path: '/health', allow: 'unauthenticated' });
      },
    });
  },
});
