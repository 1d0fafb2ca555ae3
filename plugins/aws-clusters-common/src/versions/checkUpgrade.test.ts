import {
  checkUpgrade,
  compareReleases,
  UpgradeCheckInput,
} from './checkUpgrade';
import { versionSupportCalendar } from './versionSupport';

const calendar = versionSupportCalendar({
  releases: {
    '30.0.0': { kubernetesVersion: '1.30', endOfStandardSupport: '2026-03-31' },
    '31.1.0': { kubernetesVersion: '1.31', endOfStandardSupport: '2026-09-30' },
    '32.0.0': { kubernetesVersion: '1.32', endOfStandardSupport: '2027-01-31' },
    '33.0.0': { kubernetesVersion: '1.33', endOfStandardSupport: '2027-06-30' },
  },
});
const now = new Date('2026-02-01T00:00:00Z');

function eks(
  target: string,
  extra: Partial<UpgradeCheckInput> = {},
): UpgradeCheckInput {
  return {
    kind: 'kubernetes',
    flavor: 'eks',
    current: { kubernetesVersion: '1.32' },
    target,
    nodePools: [{ name: 'def00', version: 'v1.32.0' }],
    allowed: { kubernetesVersions: ['1.32', '1.33', '1.34'] },
    calendar,
    now,
    ...extra,
  };
}

function release(
  target: string,
  extra: Partial<UpgradeCheckInput> = {},
): UpgradeCheckInput {
  return {
    kind: 'release',
    flavor: 'ec2',
    current: { release: '31.1.0' },
    target,
    nodePools: [],
    allowed: { releases: ['31.1.0', '32.0.0', '33.0.0'] },
    calendar,
    now,
    ...extra,
  };
}

describe('checkUpgrade', () => {
  it('lets EKS go to the next minor the platform team offers', () => {
    expect(checkUpgrade(eks('1.33'))).toEqual([]);
  });

  it('refuses skipping, staying and going back, at target', () => {
    expect(checkUpgrade(eks('1.34'))).toEqual([
      {
        path: 'target',
        message: expect.stringContaining('one minor at a time, to 1.33 first'),
      },
    ]);
    expect(checkUpgrade(eks('1.32'))[0].message).toMatch(/runs 1.32 already/);
    expect(checkUpgrade(eks('1.31'))[0].message).toMatch(/never downgraded/);
    expect(checkUpgrade(eks('one'))[0]).toMatchObject({ path: 'target' });
  });

  it('refuses versions the platform team does not offer and versions out of support', () => {
    expect(
      checkUpgrade(eks('1.33', { allowed: { kubernetesVersions: ['1.32'] } })),
    ).toEqual([
      {
        path: 'target',
        message: '1.33 is not a version the platform team offers (1.32)',
      },
    ]);
    const late = checkUpgrade(
      eks('1.30', {
        current: { kubernetesVersion: '1.29' },
        nodePools: [],
        allowed: {},
        now: new Date('2026-08-01T00:00:00Z'),
      }),
    );
    expect(late).toEqual([
      { path: 'target', message: '1.30 is out of support since 2026-07-23' },
    ]);
  });

  it('wants node pools at the control plane before it moves on', () => {
    expect(
      checkUpgrade(
        eks('1.33', { nodePools: [{ name: 'def00', version: '1.31.4' }] }),
      ),
    ).toEqual([
      {
        path: 'cluster',
        message: expect.stringContaining('node pool def00 runs 1.31'),
      },
    ]);
    expect(checkUpgrade(eks('1.33', { nodePools: [{ name: 'p' }] }))).toEqual(
      [],
    );
  });

  it('lets cluster-aws clusters take an offered, newer release one Kubernetes minor on', () => {
    expect(checkUpgrade(release('32.0.0'))).toEqual([]);
    expect(checkUpgrade(release('33.0.0'))).toEqual([
      {
        path: 'target',
        message: expect.stringContaining(
          'runs Kubernetes 1.33, 2 minors after',
        ),
      },
    ]);
    expect(checkUpgrade(release('31.1.0'))[0].message).toMatch(/not newer/);
    expect(checkUpgrade(release('34.0.0'))[0].message).toMatch(
      /not a release the platform team offers/,
    );
    expect(checkUpgrade(release('32.0.0', { allowed: {} }))[0].message).toMatch(
      /offers no releases of the flavor/,
    );
    expect(
      checkUpgrade(
        release('30.0.0', {
          current: { release: '29.0.0' },
          allowed: { releases: ['30.0.0'] },
          now: new Date('2026-04-01T00:00:00Z'),
        }),
      ),
    ).toContainEqual({
      path: 'target',
      message: 'release 30.0.0 is out of support since 2026-03-31',
    });
  });

  it('compares releases by the minors the calendar pins, and holds EKS releases to the offered versions', () => {
    // The cluster reports 1.33 but its release pins 1.31: 32.0.0 is one minor on.
    expect(
      checkUpgrade(
        release('32.0.0', {
          current: { release: '31.1.0', kubernetesVersion: '1.33.4' },
        }),
      ),
    ).toEqual([]);
    expect(
      checkUpgrade(
        release('32.0.0', {
          flavor: 'eks',
          allowed: { releases: ['32.0.0'], kubernetesVersions: ['1.31'] },
        }),
      ),
    ).toEqual([
      {
        path: 'target',
        message:
          'release 32.0.0 runs EKS 1.32, not a version the platform team offers (1.31)',
      },
    ]);
  });

  it('orders releases as semantic versions', () => {
    expect(compareReleases('31.10.0', '31.9.0')).toBeGreaterThan(0);
    expect(compareReleases('32.0.0-beta.1', '32.0.0')).toBeLessThan(0);
    expect(compareReleases('32.0.0', '32.0.0')).toBe(0);
  });
});
