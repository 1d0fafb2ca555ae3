import { setTimeout as delay } from 'node:timers/promises';

/**
 * The error a step fails with when its task is cancelled: it says so, and what state the step
 * had reached, so that whoever retries or cleans up knows where things stand.
 * @public
 */
export class TaskCancelledError extends Error {
  constructor(state: string) {
    super(`The task was cancelled ${state}`);
    this.name = 'TaskCancelledError';
  }
}

/** Waits, or rejects as soon as the signal aborts (with the signal's reason, to be replaced by the caller). */
export async function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  await delay(ms, undefined, signal ? { signal } : undefined);
}

/**
 * Waits `ms` milliseconds unless the task is cancelled meanwhile; then, or when it was cancelled
 * already, throws a {@link TaskCancelledError} describing the state reached.
 */
export async function waitOrCancel(
  ms: number,
  signal: AbortSignal | undefined,
  state: () => string,
  wait: (ms: number, signal?: AbortSignal) => Promise<void> = sleep,
): Promise<void> {
  throwIfCancelled(signal, state);
  try {
    await wait(ms, signal);
  } catch (error) {
    if (signal?.aborted) throw new TaskCancelledError(state());
    throw error;
  }
  throwIfCancelled(signal, state);
}

/** Throws a {@link TaskCancelledError} describing the state reached when the task was cancelled. */
export function throwIfCancelled(
  signal: AbortSignal | undefined,
  state: () => string,
): void {
  if (signal?.aborted) throw new TaskCancelledError(state());
}
