import type { LoggerService } from '@backstage/backend-plugin-api';
import type {
  ClusterdeckDatabase,
  StoredClusterRequest,
} from '../database/ClusterdeckDatabase';
import type { FleetModel } from '../fleet/buildFleetModel';

/**
 * Brings the requested-cluster records up to date with the fleet: a request its management
 * cluster now reports is marked reported (the record stays, for the cluster's provisioning
 * timeline: who asked, when, on which branch), and a reported one whose cluster is gone is
 * forgotten. Returns the requests still waiting to be reported.
 */
export async function settleRequests(
  db: ClusterdeckDatabase,
  model: FleetModel,
  logger: LoggerService,
  now = new Date(),
): Promise<StoredClusterRequest[]> {
  const requests = await db.listRequests();
  const reported = requests
    .filter(r => !r.reportedAt && model.byRef.has(r.ref))
    .map(r => r.ref);
  const gone = requests
    .filter(r => r.reportedAt && !model.byRef.has(r.ref))
    .map(r => r.ref);
  if (reported.length) {
    await db.markRequestsReported(reported, now.toISOString());
    logger.info(
      `${reported.length} requested clusters are now reported by their management clusters`,
    );
  }
  if (gone.length) await db.deleteRequests(gone);
  return requests.filter(r => !r.reportedAt && !model.byRef.has(r.ref));
}
