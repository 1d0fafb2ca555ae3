import type { SupportDates } from './versionSupport';

/**
 * Amazon EKS's published Kubernetes release calendar: the last day of standard support (14
 * months after the EKS release) and of extended support (12 months more), per minor version. The
 * defaults of `clusterdeck.versionSupport.kubernetes`, which overrides and extends them: AWS adds
 * a version about every four months, and the platform team adds it to the configuration until
 * this table catches up.
 * Source: https://docs.aws.amazon.com/eks/latest/userguide/kubernetes-versions.html
 * @public
 */
export const EKS_SUPPORT_CALENDAR: Readonly<Record<string, SupportDates>> = {
  '1.29': {
    releasedOn: '2024-01-23',
    endOfStandardSupport: '2025-03-23',
    endOfExtendedSupport: '2026-03-23',
  },
  '1.30': {
    releasedOn: '2024-05-23',
    endOfStandardSupport: '2025-07-23',
    endOfExtendedSupport: '2026-07-23',
  },
  '1.31': {
    releasedOn: '2024-09-26',
    endOfStandardSupport: '2025-11-26',
    endOfExtendedSupport: '2026-11-26',
  },
  '1.32': {
    releasedOn: '2025-01-23',
    endOfStandardSupport: '2026-03-23',
    endOfExtendedSupport: '2027-03-23',
  },
  '1.33': {
    releasedOn: '2025-05-29',
    endOfStandardSupport: '2026-07-29',
    endOfExtendedSupport: '2027-07-29',
  },
  '1.34': {
    releasedOn: '2025-10-02',
    endOfStandardSupport: '2026-12-02',
    endOfExtendedSupport: '2027-12-02',
  },
  '1.35': {
    releasedOn: '2026-01-27',
    endOfStandardSupport: '2027-03-27',
    endOfExtendedSupport: '2028-03-27',
  },
};
