import { clusterEntityName } from '@clusterdeck/plugin-aws-clusters-common';

/** @public The anchor of the Provisioning card on a cluster's entity page. */
export const PROVISIONING_ANCHOR = 'provisioning';

/**
 * @public The path of a cluster's entity page at its Provisioning card, for links from a status
 * in a table: `/catalog/default/resource/<entity name>#provisioning`.
 */
export function provisioningPath(cluster: {
  managementCluster: string;
  name: string;
}): string {
  return `/catalog/default/resource/${encodeURIComponent(
    clusterEntityName(cluster),
  )}#${PROVISIONING_ANCHOR}`;
}
