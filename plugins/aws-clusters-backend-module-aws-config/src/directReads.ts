import { AutoScalingClient } from '@aws-sdk/client-auto-scaling';
import { EC2Client } from '@aws-sdk/client-ec2';
import { EKSClient } from '@aws-sdk/client-eks';
import {
  AwsRead,
  AwsReadClients,
  AwsRegionSnapshot,
  describeEksCluster,
  describeEksNodegroup,
  describeEksUpgradeInsights,
  EksInsight,
  listEksUpgradeInsights,
  readEksClusterNames,
  REGION_LIST_READS,
  RegionListKey,
  RegionListRead,
} from '@clusterdeck/plugin-aws-clusters-node';

/** @public The SDK clients of one account region for what AWS Config does not record. */
export type DirectClients = AwsReadClients;

/** @public The client configuration the direct reads ask for. */
export interface DirectClientConfig {
  region: string;
  credentials: () => Promise<{
    accessKeyId: string;
    secretAccessKey: string;
    sessionToken?: string;
    expiration?: Date;
  }>;
  maxAttempts: number;
  retryMode: 'adaptive';
  requestHandler: { requestTimeout: number; connectionTimeout: number };
}

/** @public The clients of one account region, as the source makes them unless given a factory. */
export function createDirectClients(config: DirectClientConfig): DirectClients {
  return {
    ec2: new EC2Client(config),
    autoScaling: new AutoScalingClient(config),
    eks: new EKSClient(config),
  };
}

/** Every EKS cluster of the region, listed and described. */
export const readEksClusters: AwsRead<
  AwsRegionSnapshot['eksClusters']
> = async c =>
  Promise.all(
    (await readEksClusterNames(c)).map(name => describeEksCluster(name)(c)),
  );

/** The lists read directly where AWS Config left them out: those read whole, and the EKS clusters. */
export type DirectListKey = RegionListKey | 'eksClusters';

/** How each list of {@link DirectListKey} is read. */
export const DIRECT_LIST_READS: {
  [K in DirectListKey]: RegionListRead<K>;
} = {
  ...REGION_LIST_READS,
  eksClusters: { operation: 'ListClusters', read: readEksClusters },
};

/** The node groups named by their Auto Scaling groups' EKS tags. */
export function readEksNodegroups(
  names: Array<{ clusterName: string; nodegroupName: string }>,
): AwsRead<AwsRegionSnapshot['eksNodegroups']> {
  return c =>
    Promise.all(
      names.map(n => describeEksNodegroup(n.clusterName, n.nodegroupName)(c)),
    );
}

/**
 * A cluster's upgrade insights, which AWS Config does not record: listed (category
 * `UPGRADE_READINESS`), and those not passing described for their recommendation and
 * deprecated APIs.
 */
export function readEksInsights(clusterName: string): AwsRead<EksInsight[]> {
  return async c =>
    describeEksUpgradeInsights(
      clusterName,
      await listEksUpgradeInsights(clusterName)(c),
    )(c);
}
