import { BackstageCredentials, LoggerService } from '@backstage/backend-plugin-api';
import { stringifyError } from '@backstage/errors';
import type { FleetApi } from './fleetApi';

/**
 * Runs a step's work; when it fails, releases the CIDR allocations made for the request earlier
 * in the task (best effort, each release logged), then fails with the original error. A retried
 * task finds the allocations gone and `clusterdeck:cidr:allocate` reserves again.
 */
export async function releasingOnFailure<T>(
  options: {
    allocationIds?: ReadonlyArray<string>;
    fleet: Pick<FleetApi, 'release'>;
    credentials: BackstageCredentials;
    logger: Pick<LoggerService, 'info' | 'warn'>;
    dryRun?: boolean;
  },
  work: () => Promise<T>,
): Promise<T> {
  try {
    return await work();
  } catch (error) {
    const ids = (options.allocationIds ?? []).filter(Boolean);
    if (!options.dryRun) {
      for (const id of ids) {
        try {
          await options.fleet.release(options.credentials, id);
          options.logger.info(`Released CIDR allocation ${id} because this step failed`);
        } catch (releaseError) {
          options.logger.warn(`Could not release CIDR allocation ${id}: ${stringifyError(releaseError)}`);
        }
      }
    }
    throw error;
  }
}
