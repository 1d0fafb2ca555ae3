import { configApiRef, useApi } from '@backstage/core-plugin-api';
import { DEFAULT_SUPPORT_WARN_DAYS } from '@clusterdeck/plugin-aws-clusters-common';

/**
 * Days before the end of a support phase from which a version counts as ending soon: the
 * backend's `clusterdeck.versionSupport.warnDays` (visible to the frontend), else its default.
 */
export function useSupportWarnDays(): number {
  const config = useApi(configApiRef);
  return (
    config.getOptionalNumber('clusterdeck.versionSupport.warnDays') ??
    DEFAULT_SUPPORT_WARN_DAYS
  );
}
