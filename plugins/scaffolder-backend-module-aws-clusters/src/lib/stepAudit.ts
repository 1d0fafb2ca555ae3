import {
  AuditorService,
  BackstageCredentials,
} from '@backstage/backend-plugin-api';
import { isError } from '@backstage/errors';
import type { JsonObject, JsonValue } from '@backstage/types';

/** @public What an audited step records besides who started it; the step may add to it as it learns. */
export interface AuditedStep {
  /** The owning group the step acts for, once known. */
  owner?: string;
  /** What the step touched: cluster ref, allocation id, account id, branch, kinds, ... */
  refs: Record<string, JsonValue>;
}

/** Inputs are recorded as given, cut to the length of a reference so that hostile input cannot flood the audit log. */
function bounded(value: JsonValue | undefined): JsonValue {
  if (typeof value === 'string')
    return value.length > 255 ? `${value.slice(0, 252)}...` : value;
  if (Array.isArray(value)) return value.slice(0, 50).map(bounded);
  if (value && typeof value === 'object')
    return Object.fromEntries(
      Object.entries(value).map(([k, v]) => [k, bounded(v)]),
    );
  return value ?? null;
}

/** @public The audit event of one step: which action, what happened, how severe, for whom, on what. */
export interface StepAuditEvent {
  actionId: string;
  eventId: string;
  severityLevel: 'medium' | 'high';
  owner?: string;
  refs?: Record<string, JsonValue>;
}

/** @public The part of an action context an audited step reads. */
export interface StepContext {
  getInitiatorCredentials(): Promise<BackstageCredentials>;
  isDryRun?: boolean;
}

/**
 * Records the steps that change something outside the task's workspace (reservations, the fleet,
 * the GitOps repository, management clusters, AWS accounts) as audit events: created when the
 * step starts, then succeeded or failed. Refusals are failures too, so that an audit trail shows
 * who tried what and was turned away.
 * @public
 */
export class StepAudit {
  private constructor(
    private readonly auditor: Pick<AuditorService, 'createEvent'>,
    private readonly nameOf: (credentials: BackstageCredentials) => string,
  ) {}

  /** `nameOf` names the initiator in every event (the authorizer's `nameOf`). */
  static create(options: {
    auditor: Pick<AuditorService, 'createEvent'>;
    nameOf: (credentials: BackstageCredentials) => string;
  }): StepAudit {
    return new StepAudit(options.auditor, options.nameOf);
  }

  /** Runs a step's work inside an audit event. */
  async run<T>(
    ctx: StepContext,
    event: StepAuditEvent,
    work: (step: AuditedStep) => Promise<T>,
  ): Promise<T> {
    const credentials = await ctx.getInitiatorCredentials();
    return this.record(
      credentials,
      { ...event, dryRun: ctx.isDryRun ?? false },
      work,
    );
  }

  /** Like {@link StepAudit.run}, for work done with credentials at hand (a release after a failed step). */
  async record<T>(
    credentials: BackstageCredentials,
    event: StepAuditEvent & { dryRun: boolean },
    work: (step: AuditedStep) => Promise<T>,
  ): Promise<T> {
    const step: AuditedStep = { owner: event.owner, refs: { ...event.refs } };
    const meta = (): JsonObject => ({
      actionId: event.actionId,
      initiator: this.nameOf(credentials),
      ...(step.owner !== undefined ? { owner: bounded(step.owner) } : {}),
      refs: bounded(step.refs),
      dryRun: event.dryRun,
    });
    const audit = await this.auditor.createEvent({
      eventId: event.eventId,
      severityLevel: event.severityLevel,
      meta: meta(),
    });
    try {
      const result = await work(step);
      await audit.success({ meta: meta() });
      return result;
    } catch (error) {
      await audit.fail({
        error: isError(error) ? (error as Error) : new Error(String(error)),
        meta: meta(),
      });
      throw error;
    }
  }
}
