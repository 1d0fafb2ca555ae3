import type { AuditorService } from '@backstage/backend-plugin-api';
import type { JsonObject } from '@backstage/types';
import type { Request } from 'express';

/**
 * Runs a mutation inside an audit event: who (the auditor reads the caller from the request),
 * what (`eventId` and `meta`: the refs acted on) and the outcome, a refusal included.
 */
export async function audited<T>(
  auditor: AuditorService,
  event: {
    eventId: string;
    request?: Request;
    meta: JsonObject;
    severityLevel?: 'low' | 'medium' | 'high' | 'critical';
  },
  work: () => Promise<T>,
  outcome?: (result: T) => JsonObject,
): Promise<T> {
  const auditorEvent = await auditor.createEvent({
    eventId: event.eventId,
    severityLevel: event.severityLevel ?? 'medium',
    request: event.request,
    meta: event.meta,
  });
  try {
    const result = await work();
    await auditorEvent.success(outcome ? { meta: outcome(result) } : undefined);
    return result;
  } catch (error) {
    await auditorEvent.fail({ error: error as Error });
    throw error;
  }
}
