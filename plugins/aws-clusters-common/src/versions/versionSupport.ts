import { EKS_SUPPORT_CALENDAR } from './eksSupportCalendar';
import { minorOf } from './kubernetesVersion';

/**
 * @public When support of a version ends, as calendar days (`2026-07-29`, UTC): the last day of
 * each phase. A release of `cluster-aws` has one phase, its end of standard support.
 */
export interface SupportDates {
  releasedOn?: string;
  endOfStandardSupport: string;
  endOfExtendedSupport?: string;
}

/** @public A `cluster-aws` release's support dates, and the Kubernetes minor it runs. */
export interface ReleaseSupportDates extends SupportDates {
  kubernetesVersion?: string;
}

/** @public The support calendar a fleet is judged by (`clusterdeck.versionSupport`, over EKS's). */
export interface VersionSupportCalendar {
  /** Days before the end of a support phase from which a version is `ending-soon`. */
  warnDays: number;
  /** Per Kubernetes minor (`1.33`). */
  kubernetes: Record<string, SupportDates>;
  /** Per `cluster-aws` release (`31.1.0`). */
  releases: Record<string, ReleaseSupportDates>;
}

/**
 * @public Where a version is in its support: `supported` (standard support), `extended`
 * (extended support, at extra cost on EKS), `ending-soon` (within `warnDays` of the end of the
 * phase it is in), `unsupported` (past every phase), `unknown` (the calendar does not list it).
 */
export type VersionSupportStatus =
  | 'supported'
  | 'extended'
  | 'ending-soon'
  | 'unsupported'
  | 'unknown';

/** @public One version judged against the calendar on a day. */
export interface VersionSupport {
  /** `kubernetes` (a minor version) or `release` (a `cluster-aws` release). */
  kind: 'kubernetes' | 'release';
  version: string;
  status: VersionSupportStatus;
  /** The phase the version is in: standard, extended, or none (past all, or unknown). */
  phase: 'standard' | 'extended' | 'none';
  /** The last day of the phase it is in (of the last phase when unsupported). */
  endsOn?: string;
  /** Whole days left in the phase, 0 on its last day; negative once unsupported. */
  daysLeft?: number;
  dates?: SupportDates;
}

/** @public A cluster's versions judged: its Kubernetes minor, and its `cluster-aws` release when it has one. */
export interface ClusterVersionSupport {
  kubernetes?: VersionSupport;
  release?: VersionSupport;
  /** The worse of the two. */
  status: VersionSupportStatus;
}

/** @public Days before the end of a phase from which a version is `ending-soon`, unless configured. */
export const DEFAULT_SUPPORT_WARN_DAYS = 90;

const DAY_MS = 86_400_000;
const ISO_DAY = /^\d{4}-\d{2}-\d{2}$/;

/** The first instant after a calendar day (UTC): support lasts through the day named. */
function endOfDay(day: string): number {
  if (!ISO_DAY.test(day)) return Number.NaN;
  return Date.parse(`${day}T00:00:00Z`) + DAY_MS;
}

/**
 * The calendar a fleet is judged by: EKS's published dates, overridden and extended by the
 * configured Kubernetes versions, and the configured `cluster-aws` releases.
 * @public
 */
export function versionSupportCalendar(
  configured?: Partial<VersionSupportCalendar>,
): VersionSupportCalendar {
  return {
    warnDays: configured?.warnDays ?? DEFAULT_SUPPORT_WARN_DAYS,
    kubernetes: { ...EKS_SUPPORT_CALENDAR, ...configured?.kubernetes },
    releases: { ...configured?.releases },
  };
}

/** @public Judges one version's dates on a day. */
export function judgeSupport(
  kind: VersionSupport['kind'],
  version: string,
  dates: SupportDates | undefined,
  now: Date,
  warnDays: number,
): VersionSupport {
  if (!dates) return { kind, version, status: 'unknown', phase: 'none' };
  const at = now.getTime();
  const phases: Array<{ phase: 'standard' | 'extended'; day: string }> = [
    { phase: 'standard', day: dates.endOfStandardSupport },
    ...(dates.endOfExtendedSupport
      ? [{ phase: 'extended' as const, day: dates.endOfExtendedSupport }]
      : []),
  ];
  const current = phases.find(p => at < endOfDay(p.day));
  const last = phases[phases.length - 1];
  const shown = current ?? last;
  const daysLeft = Math.ceil((endOfDay(shown.day) - at) / DAY_MS) - 1;
  if (Number.isNaN(daysLeft))
    return { kind, version, status: 'unknown', phase: 'none', dates };
  let status: VersionSupportStatus;
  if (!current) status = 'unsupported';
  else if (daysLeft < warnDays) status = 'ending-soon';
  else status = current.phase === 'standard' ? 'supported' : 'extended';
  return {
    kind,
    version,
    status,
    phase: current?.phase ?? 'none',
    endsOn: shown.day,
    daysLeft,
    dates,
  };
}

const SEVERITY: Record<VersionSupportStatus, number> = {
  unknown: 0,
  supported: 1,
  extended: 2,
  'ending-soon': 3,
  unsupported: 4,
};

/** @public The worse of two statuses (`unknown` counts as the best, so a known one wins). */
export function worseSupportStatus(
  a: VersionSupportStatus,
  b: VersionSupportStatus,
): VersionSupportStatus {
  return SEVERITY[a] >= SEVERITY[b] ? a : b;
}

/**
 * Judges a cluster's Kubernetes version and, for `cluster-aws` clusters, its release against the
 * calendar on a day. A release's Kubernetes minor stands for the cluster's when the cluster does
 * not report one.
 * @public
 */
export function clusterVersionSupport(
  cluster: { kubernetesVersion?: string; release?: string },
  calendar: VersionSupportCalendar,
  now: Date,
): ClusterVersionSupport {
  const releaseDates = cluster.release
    ? calendar.releases[cluster.release]
    : undefined;
  const minor =
    minorOf(cluster.kubernetesVersion) ??
    minorOf(releaseDates?.kubernetesVersion);
  const kubernetes = minor
    ? judgeSupport(
        'kubernetes',
        minor,
        calendar.kubernetes[minor],
        now,
        calendar.warnDays,
      )
    : undefined;
  const release = cluster.release
    ? judgeSupport(
        'release',
        cluster.release,
        releaseDates,
        now,
        calendar.warnDays,
      )
    : undefined;
  return {
    ...(kubernetes ? { kubernetes } : {}),
    ...(release ? { release } : {}),
    status: worseSupportStatus(
      kubernetes?.status ?? 'unknown',
      release?.status ?? 'unknown',
    ),
  };
}
