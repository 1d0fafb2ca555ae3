import { Chip, Tooltip } from '@material-ui/core';
import type {
  ClusterVersionSupport,
  VersionSupport,
  VersionSupportStatus,
} from '@clusterdeck/plugin-aws-clusters-common';

const LABELS: Record<VersionSupportStatus, string> = {
  supported: 'Supported',
  extended: 'Extended support',
  'ending-soon': 'Support ending',
  unsupported: 'Unsupported',
  unknown: 'Support unknown',
};

const COLORS: Record<VersionSupportStatus, { bg: string; fg: string }> = {
  supported: { bg: '#e8f5e9', fg: '#1b5e20' },
  extended: { bg: '#fff8e1', fg: '#8d6e00' },
  'ending-soon': { bg: '#fff3e0', fg: '#bf360c' },
  unsupported: { bg: '#ffebee', fg: '#b71c1c' },
  unknown: { bg: '#eeeeee', fg: '#424242' },
};

function days(n: number): string {
  return `${Math.abs(n)} day${Math.abs(n) === 1 ? '' : 's'}`;
}

/**
 * One version's support in a sentence: "Kubernetes 1.30: extended support ends 2026-07-23 (in 45 days)".
 * @public
 */
export function describeVersionSupport(support: VersionSupport): string {
  const what =
    support.kind === 'kubernetes'
      ? `Kubernetes ${support.version}`
      : `Release ${support.version}`;
  if (support.status === 'unknown' || support.daysLeft === undefined)
    return `${what}: not in the support calendar`;
  if (support.status === 'unsupported')
    return `${what}: support ended ${support.endsOn} (${days(
      support.daysLeft,
    )} ago)`;
  const phase =
    support.phase === 'extended' ? 'extended support' : 'standard support';
  return `${what}: ${phase} ends ${support.endsOn} (${
    support.daysLeft === 0 ? 'today' : `in ${days(support.daysLeft)}`
  })`;
}

/** Which of the cluster's versions decided its status: the worse one. */
export function decidingVersion(
  support: ClusterVersionSupport,
): VersionSupport | undefined {
  const { kubernetes, release } = support;
  if (release && release.status === support.status) return release;
  if (kubernetes && kubernetes.status === support.status) return kubernetes;
  return release ?? kubernetes;
}

/**
 * A cluster's version support as a small chip: supported, extended support, ending soon or
 * unsupported, with the deciding version, its end of support and the days left in the tooltip
 * and the accessible name. For tables (the team's clusters, the fleet overview) and the cluster
 * page.
 * @public
 */
export function VersionSupportBadge(props: {
  support?: ClusterVersionSupport;
}) {
  const { support } = props;
  if (!support) return null;
  const deciding = decidingVersion(support);
  const all = [support.kubernetes, support.release]
    .filter((v): v is VersionSupport => Boolean(v))
    .map(describeVersionSupport);
  const title = all.length ? all.join('; ') : 'No version reported';
  const label =
    deciding && deciding.daysLeft !== undefined && support.status !== 'unknown'
      ? `${LABELS[support.status]}${
          support.status === 'unsupported' ? '' : ` · ${deciding.daysLeft}d`
        }`
      : LABELS[support.status];
  const colors = COLORS[support.status];
  return (
    <Tooltip title={title}>
      <Chip
        size="small"
        label={label}
        aria-label={`${LABELS[support.status]}: ${title}`}
        style={{ backgroundColor: colors.bg, color: colors.fg }}
      />
    </Tooltip>
  );
}
