import {
  BackstageCredentials,
  LoggerService,
} from '@backstage/backend-plugin-api';
import { NotAllowedError, stringifyError } from '@backstage/errors';
import { cidrAllocationDeletePermission } from '@clusterdeck/plugin-aws-clusters-common';
import { AccessPolicy } from './access';
import type { FleetApi } from '@clusterdeck/plugin-aws-clusters-node';
import { StepAudit } from './stepAudit';

/** What releasing a reservation takes. */
interface ReleaseServices {
  fleet: Pick<FleetApi, 'release'>;
  access: Pick<AccessPolicy, 'allows' | 'nameOf'>;
  audit: StepAudit;
}

/**
 * Runs a step's work; when it fails, releases the CIDR allocations made for the request earlier
 * in the task (best effort, each release audited and logged), then fails with the original error.
 * Only an initiator who may release the owner's reservations
 * (`aws-clusters.cidr-allocation.delete`) releases them. A retried task finds the allocations
 * gone and `clusterdeck:cidr:allocate` reserves again.
 */
export async function releasingOnFailure<T>(
  options: ReleaseServices & {
    allocationIds?: ReadonlyArray<string>;
    /** The owner the reservations were made for. */
    owner?: string;
    actionId: string;
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
    if (!options.dryRun && ids.length > 0) {
      const { owner, credentials } = options;
      const allowed =
        owner !== undefined &&
        (await options.access
          .allows(credentials, cidrAllocationDeletePermission, owner)
          .catch(() => false));
      for (const id of ids) {
        try {
          await options.audit.record(
            credentials,
            {
              actionId: options.actionId,
              eventId: 'cidr-release',
              severityLevel: 'medium',
              owner,
              refs: { allocationId: id },
              dryRun: false,
            },
            async () => {
              if (!allowed) {
                throw new NotAllowedError(
                  `${options.access.nameOf(
                    credentials,
                  )} may not release CIDR reservations${
                    owner ? ` of ${owner}` : ''
                  } (${cidrAllocationDeletePermission.name})`,
                );
              }
              await options.fleet.release(credentials, id);
            },
          );
          options.logger.info(
            `Released CIDR allocation ${id} because this step failed`,
          );
        } catch (releaseError) {
          options.logger.warn(
            `Could not release CIDR allocation ${id}: ${stringifyError(
              releaseError,
            )}`,
          );
        }
      }
    }
    throw error;
  }
}

/**
 * {@link releasingOnFailure} for an action's step: the allocations of its `releaseOnFailure`
 * input, released through the action's services, logged to its logger, kept in a dry run.
 */
export function releasingOnStepFailure<T>(
  ctx: {
    input: { releaseOnFailure?: ReadonlyArray<string> };
    logger: Pick<LoggerService, 'info' | 'warn'>;
    isDryRun?: boolean;
  },
  services: ReleaseServices,
  step: { owner?: string; actionId: string; credentials: BackstageCredentials },
  work: () => Promise<T>,
): Promise<T> {
  return releasingOnFailure(
    {
      fleet: services.fleet,
      access: services.access,
      audit: services.audit,
      ...step,
      allocationIds: ctx.input.releaseOnFailure,
      logger: ctx.logger,
      dryRun: ctx.isDryRun,
    },
    work,
  );
}
