import {
  clusterVersionSupport,
  judgeSupport,
  versionSupportCalendar,
} from './versionSupport';
import { minorOf, minorsBetween, nextMinor } from './kubernetesVersion';

const day = (iso: string) => new Date(`${iso}T12:00:00Z`);

describe('Kubernetes versions', () => {
  it('reads the minor of the shapes clusters report', () => {
    expect(minorOf('1.33')).toBe('1.33');
    expect(minorOf('v1.33.2')).toBe('1.33');
    expect(minorOf('1.33.2-eks-1234')).toBe('1.33');
    expect(minorOf('latest')).toBeUndefined();
    expect(minorOf(undefined)).toBeUndefined();
    expect(nextMinor('v1.33.4')).toBe('1.34');
    expect(minorsBetween('1.31', '1.33')).toBe(2);
    expect(minorsBetween('1.33', '2.0')).toBeUndefined();
  });
});

describe('version support', () => {
  const calendar = versionSupportCalendar({
    warnDays: 30,
    releases: {
      '31.1.0': {
        kubernetesVersion: '1.31',
        endOfStandardSupport: '2026-06-30',
      },
    },
  });

  it.each([
    // 1.33: standard support through 2026-07-29, extended through 2027-07-29.
    ['2026-01-10', 'supported', 'standard', 200],
    ['2026-06-29', 'supported', 'standard', 30],
    ['2026-06-30', 'ending-soon', 'standard', 29],
    ['2026-07-29', 'ending-soon', 'standard', 0],
    ['2026-07-30', 'extended', 'extended', 364],
    ['2027-07-01', 'ending-soon', 'extended', 28],
    ['2027-07-29', 'ending-soon', 'extended', 0],
    ['2027-07-30', 'unsupported', 'none', -1],
  ])('judges EKS 1.33 on %s as %s', (on, status, phase, daysLeft) => {
    const judged = judgeSupport(
      'kubernetes',
      '1.33',
      calendar.kubernetes['1.33'],
      day(on),
      calendar.warnDays,
    );
    expect(judged).toMatchObject({ status, phase, daysLeft });
  });

  it('takes configured dates over EKS calendar and adds versions EKS does not list yet', () => {
    const own = versionSupportCalendar({
      kubernetes: {
        '1.33': { endOfStandardSupport: '2026-01-31' },
        '1.36': {
          endOfStandardSupport: '2027-07-31',
          endOfExtendedSupport: '2028-07-31',
        },
      },
    });
    expect(own.warnDays).toBe(90);
    expect(own.kubernetes['1.32'].endOfStandardSupport).toBe('2026-03-23');
    expect(
      clusterVersionSupport(
        { kubernetesVersion: '1.33.1' },
        own,
        day('2026-02-01'),
      ).status,
    ).toBe('unsupported');
    expect(
      clusterVersionSupport(
        { kubernetesVersion: '1.36' },
        own,
        day('2026-02-01'),
      ),
    ).toMatchObject({
      status: 'supported',
      kubernetes: { endsOn: '2027-07-31' },
    });
  });

  it('judges a cluster-aws cluster by its release and its Kubernetes version, the worse deciding', () => {
    const judged = clusterVersionSupport(
      { release: '31.1.0' },
      calendar,
      day('2026-06-10'),
    );
    expect(judged.release).toMatchObject({
      status: 'ending-soon',
      endsOn: '2026-06-30',
      daysLeft: 20,
    });
    // The release's Kubernetes minor stands in for the cluster's: 1.31 is in extended support.
    expect(judged.kubernetes).toMatchObject({
      version: '1.31',
      status: 'extended',
    });
    expect(judged.status).toBe('ending-soon');
  });

  it('says unknown for versions and releases the calendar does not list', () => {
    const judged = clusterVersionSupport(
      { kubernetesVersion: '1.20.4', release: '25.0.0' },
      calendar,
      day('2026-01-01'),
    );
    expect(judged.kubernetes?.status).toBe('unknown');
    expect(judged.release?.status).toBe('unknown');
    expect(judged.status).toBe('unknown');
    expect(clusterVersionSupport({}, calendar, day('2026-01-01'))).toEqual({
      status: 'unknown',
    });
  });
});
