import { sleep, waitOrCancel } from './cancellation';

/** Error names AWS services answer with when a caller goes too fast or collides with itself. */
const RETRYABLE = new Set([
  'TooManyRequestsException',
  'Throttling',
  'ThrottlingException',
  'RequestLimitExceeded',
  'ConcurrentModificationException',
  'ServiceUnavailableException',
  'ServiceUnavailable',
]);

/** @public How AWS calls of account provisioning are retried: how long to wait and how often to try. */
export interface AwsRetryOptions {
  /** Attempts in all, the first included (default 6). */
  attempts?: number;
  /** The first wait in milliseconds; each further wait doubles, up to 20 s, with jitter (default 500). */
  baseDelayMs?: number;
  /** Waits between attempts; rejects when the signal aborts. */
  sleep?: (ms: number, signal?: AbortSignal) => Promise<void>;
  /** The task's signal: a cancelled task stops waiting at once. */
  signal?: AbortSignal;
}

/** @public Whether an AWS error is worth another attempt: throttling, a concurrent change, an unavailable service. */
export function isRetryableAwsError(error: unknown): boolean {
  const e = error as
    | {
        name?: string;
        $retryable?: unknown;
        $metadata?: { httpStatusCode?: number };
      }
    | undefined;
  return (
    !!e &&
    (RETRYABLE.has(e.name ?? '') ||
      !!e.$retryable ||
      e.$metadata?.httpStatusCode === 429)
  );
}

export const defaultSleep = sleep;

/**
 * Runs an AWS call, trying again with exponential backoff while AWS answers with throttling or a
 * concurrent modification. Organizations and IAM have low per-account rate limits, and the SDK's
 * own retries give up after three attempts; a provisioning task would rather wait.
 * @public
 */
export async function withAwsRetry<T>(
  fn: () => Promise<T>,
  options: AwsRetryOptions = {},
): Promise<T> {
  const attempts = options.attempts ?? 6;
  const wait = options.sleep ?? defaultSleep;
  const base = options.baseDelayMs ?? 500;
  for (let attempt = 1; ; attempt++) {
    try {
      return await fn();
    } catch (error) {
      if (attempt >= attempts || !isRetryableAwsError(error)) throw error;
      const delay = Math.min(20_000, base * 2 ** (attempt - 1));
      await waitOrCancel(
        delay / 2 + Math.random() * (delay / 2),
        options.signal,
        () => 'while waiting to retry a throttled AWS call',
        wait,
      );
    }
  }
}

/** @public Whether an AWS error has this name (`NoSuchEntity`, `EntityAlreadyExists`, ...). */
export function isAwsError(error: unknown, name: string): boolean {
  return (error as { name?: string } | undefined)?.name === name;
}
