import { WarningPanel } from '@backstage/core-components';
import type { SourceStatus } from '@clusterdeck/plugin-aws-clusters-common';

/** "5 minutes ago" from an ISO time, relative to now. */
export function relativeTime(
  iso: string | undefined,
  now: number = Date.now(),
): string {
  if (!iso) return 'at an unknown time';
  const then = Date.parse(iso);
  if (Number.isNaN(then)) return 'at an unknown time';
  const seconds = Math.round((now - then) / 1000);
  const units: Array<[Intl.RelativeTimeFormatUnit, number]> = [
    ['day', 86400],
    ['hour', 3600],
    ['minute', 60],
  ];
  const format = new Intl.RelativeTimeFormat('en', { numeric: 'auto' });
  for (const [unit, size] of units) {
    if (Math.abs(seconds) >= size)
      return format.format(-Math.round(seconds / size), unit);
  }
  return format.format(-seconds, 'second');
}

/** Says which sources served old data, how old, and why their refresh failed; nothing when all are fresh. */
export function StaleDataWarning(props: {
  sources: SourceStatus[];
  generatedAt?: string;
}) {
  const stale = props.sources.filter(s => s.stale);
  if (stale.length === 0) return null;
  return (
    <WarningPanel
      severity="warning"
      title={`Data may be out of date: ${stale.length} source${
        stale.length > 1 ? 's' : ''
      } failed to refresh`}
    >
      <ul>
        {stale.map(s => (
          <li key={s.source}>
            <strong>{s.source}</strong>: last read {relativeTime(s.fetchedAt)}
            {s.error ? ` (${s.error})` : ''}
          </li>
        ))}
      </ul>
      {props.generatedAt ? (
        <>Fleet assembled {relativeTime(props.generatedAt)}.</>
      ) : null}
    </WarningPanel>
  );
}
