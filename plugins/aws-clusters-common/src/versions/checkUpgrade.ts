import type { Problem } from '../request/problems';
import { minorOf, minorsBetween, nextMinor } from './kubernetesVersion';
import { judgeSupport, VersionSupportCalendar } from './versionSupport';

/**
 * @public An upgrade as a cluster's files describe it: a Kubernetes minor for EKS and plain
 * Cluster API clusters, or a `cluster-aws` release.
 */
export interface UpgradeCheckInput {
  /** `kubernetes`: the control plane's version is set; `release`: the platform release is. */
  kind: 'kubernetes' | 'release';
  flavor: 'ec2' | 'eks';
  current: { kubernetesVersion?: string; release?: string };
  target: string;
  /** The node pools' versions as the cluster's files pin them (pools without one follow the control plane). */
  nodePools: Array<{ name: string; version?: string }>;
  /** What the platform team offers: `clusterdeck.references` (undefined: not listed). */
  allowed: { kubernetesVersions?: string[]; releases?: string[] };
  calendar: VersionSupportCalendar;
  now: Date;
}

const RELEASE = /^(\d+)\.(\d+)\.(\d+)(?:-([0-9A-Za-z.-]+))?$/;

/** @public Orders release versions as semantic versions (a pre-release before its release). */
export function compareReleases(a: string, b: string): number {
  const x = RELEASE.exec(a);
  const y = RELEASE.exec(b);
  if (!x || !y) return a.localeCompare(b);
  for (let i = 1; i <= 3; i++) {
    const d = Number(x[i]) - Number(y[i]);
    if (d !== 0) return d;
  }
  if (x[4] === y[4]) return 0;
  if (!x[4]) return 1;
  if (!y[4]) return -1;
  return x[4].localeCompare(y[4]);
}

/**
 * The rules of an upgrade, each problem at the input field it concerns (`target`, `cluster`):
 * one Kubernetes minor at a time (EKS: exactly the next one), only versions and releases the
 * platform team offers, never onto a version past its support, and node pools no older than the
 * control plane before it moves on, so that they follow it one minor at a time too.
 * @public
 */
export function checkUpgrade(input: UpgradeCheckInput): Problem[] {
  const problems: Problem[] = [];
  const { current, target, calendar, now } = input;
  const currentMinor = minorOf(current.kubernetesVersion);
  let targetMinor: string | undefined;

  if (input.kind === 'kubernetes') {
    targetMinor = minorOf(target);
    if (!targetMinor) {
      return [
        {
          path: 'target',
          message: `"${target}" is not a Kubernetes version such as 1.33`,
        },
      ];
    }
    if (!currentMinor) {
      return [
        {
          path: 'cluster',
          message:
            'the cluster names no Kubernetes version, so the next one cannot be told',
        },
      ];
    }
    const step = minorsBetween(currentMinor, targetMinor);
    if (step === 0) {
      problems.push({
        path: 'target',
        message: `the cluster runs ${currentMinor} already`,
      });
    } else if (step === undefined || step < 0) {
      problems.push({
        path: 'target',
        message: `${targetMinor} is not newer than ${currentMinor}; Kubernetes is never downgraded`,
      });
    } else if (step > 1) {
      problems.push({
        path: 'target',
        message: `${targetMinor} skips minor versions: upgrade one minor at a time, to ${nextMinor(
          currentMinor,
        )} first`,
      });
    }
    const offered = input.allowed.kubernetesVersions;
    if (offered && !offered.some(v => minorOf(v) === targetMinor)) {
      problems.push({
        path: 'target',
        message: `${targetMinor} is not a version the platform team offers (${
          offered.join(', ') || 'none'
        })`,
      });
    }
  } else {
    if (!RELEASE.test(target)) {
      return [
        {
          path: 'target',
          message: `"${target}" is not a release version such as 31.1.0: the cluster's chart takes its Kubernetes version from its release`,
        },
      ];
    }
    const offered = input.allowed.releases;
    if (!offered) {
      problems.push({
        path: 'target',
        message:
          'this management cluster offers no releases of the flavor: it has no Release objects of it and clusterdeck.references lists none',
      });
    } else if (!offered.includes(target)) {
      problems.push({
        path: 'target',
        message: `${target} is not a release the platform team offers (${
          offered.join(', ') || 'none'
        })`,
      });
    }
    if (current.release && compareReleases(target, current.release) <= 0) {
      problems.push({
        path: 'target',
        message: `${target} is not newer than the cluster's release ${current.release}`,
      });
    }
    targetMinor = minorOf(calendar.releases[target]?.kubernetesVersion);
    // Releases are compared by the minors they pin; the reported version stands in when the
    // calendar does not say what the current release runs.
    const fromMinor =
      minorOf(
        current.release
          ? calendar.releases[current.release]?.kubernetesVersion
          : undefined,
      ) ?? currentMinor;
    const step = minorsBetween(fromMinor, targetMinor);
    if (step !== undefined && step > 1) {
      problems.push({
        path: 'target',
        message: `release ${target} runs Kubernetes ${targetMinor}, ${step} minors after the cluster's ${fromMinor}: choose a release one minor at a time`,
      });
    }
    const offeredMinors = input.allowed.kubernetesVersions;
    if (
      input.flavor === 'eks' &&
      targetMinor &&
      offeredMinors &&
      !offeredMinors.some(v => minorOf(v) === targetMinor)
    ) {
      problems.push({
        path: 'target',
        message: `release ${target} runs EKS ${targetMinor}, not a version the platform team offers (${
          offeredMinors.join(', ') || 'none'
        })`,
      });
    }
  }

  const judged =
    input.kind === 'release'
      ? judgeSupport(
          'release',
          target,
          calendar.releases[target],
          now,
          calendar.warnDays,
        )
      : undefined;
  const judgedMinor = targetMinor
    ? judgeSupport(
        'kubernetes',
        targetMinor,
        calendar.kubernetes[targetMinor],
        now,
        calendar.warnDays,
      )
    : undefined;
  for (const verdict of [judged, judgedMinor]) {
    if (verdict?.status === 'unsupported') {
      problems.push({
        path: 'target',
        message: `${verdict.kind === 'release' ? 'release ' : ''}${
          verdict.version
        } is out of support since ${verdict.endsOn}`,
      });
    }
  }

  if (currentMinor) {
    for (const pool of input.nodePools) {
      const behind = minorsBetween(pool.version, currentMinor);
      if (behind !== undefined && behind > 0) {
        problems.push({
          path: 'cluster',
          message: `node pool ${pool.name} runs ${minorOf(
            pool.version,
          )}, behind the control plane's ${currentMinor}: bring it to ${currentMinor} before the control plane moves on`,
        });
      }
    }
  }
  return problems;
}
