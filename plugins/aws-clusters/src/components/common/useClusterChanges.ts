import { useEffect, useRef } from 'react';
import { useSignal } from '@backstage/plugin-signals-react';
import {
  CLUSTER_CHANGES_CHANNEL,
  type ClusterChangesSignal,
} from '@clusterdeck/plugin-aws-clusters-common';

/** How often a view asks again when the backend cannot push changes. */
export const POLL_INTERVAL_MS = 30_000;

/**
 * Calls `refetch` when the backend signals a change of one of `refs` (any cluster when `refs`
 * is `'any'`), or every `POLL_INTERVAL_MS` (30 s) where signals are not installed. Returns whether
 * changes are pushed (true) or polled (false).
 * @public
 */
export function useClusterChanges(
  refs: string[] | 'any',
  refetch: () => void,
): boolean {
  const latest = useRef(refetch);
  latest.current = refetch;
  const { lastSignal, isSignalsAvailable } = useSignal<ClusterChangesSignal>(
    CLUSTER_CHANGES_CHANNEL,
  );
  const key = refs === 'any' ? 'any' : refs.join(',');
  useEffect(() => {
    if (!lastSignal || !key) return;
    const changed = lastSignal.refs ?? [];
    if (key === 'any' || changed.some(ref => key.split(',').includes(ref)))
      latest.current();
  }, [lastSignal, key]);
  useEffect(() => {
    if (isSignalsAvailable || !key) return undefined;
    const timer = setInterval(() => latest.current(), POLL_INTERVAL_MS);
    return () => clearInterval(timer);
  }, [isSignalsAvailable, key]);
  return isSignalsAvailable;
}
