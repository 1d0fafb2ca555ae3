import { useEffect, useRef } from 'react';

/** How often a view asks again when the backend cannot push changes. */
export const POLL_INTERVAL_MS = 30_000;

/**
 * Calls `refetch` when one of `refs` may have changed. Returns whether changes are pushed
 * (true) or polled (false).
 */
export function useClusterChanges(
  refs: string[],
  refetch: () => void,
): boolean {
  const latest = useRef(refetch);
  latest.current = refetch;
  const key = refs.join(',');
  useEffect(() => {
    if (!key) return undefined;
    const timer = setInterval(() => latest.current(), POLL_INTERVAL_MS);
    return () => clearInterval(timer);
  }, [key]);
  return false;
}
