import type {
  AccountUsage,
  AccountView,
} from '@clusterdeck/plugin-aws-clusters-common';
import {
  type AwsRegionSnapshot,
  estimatedVcpus,
} from '@clusterdeck/plugin-aws-clusters-node';
import type { FleetModel } from './buildFleetModel';

// AWS's default quotas per region, used where the configuration does not give the account's own.
const DEFAULT_QUOTAS = { vpcs: 5, elasticIps: 5 };

/**
 * The vCPUs of a region's running instances: each instance's own CPU options, else its type's
 * as DescribeInstanceTypes gives them, else a guess from the type's size.
 */
function runningVcpus(snapshot: AwsRegionSnapshot): number {
  const byType = new Map(
    (snapshot.instanceTypes ?? []).map(t => [
      t.InstanceType as string,
      t.VCpuInfo?.DefaultVCpus,
    ]),
  );
  return (snapshot.instances ?? [])
    .filter(i => i.State?.Name === 'running')
    .reduce((sum, i) => {
      const cpu = i.CpuOptions;
      const own =
        cpu?.CoreCount && cpu.ThreadsPerCore
          ? cpu.CoreCount * cpu.ThreadsPerCore
          : undefined;
      return (
        sum +
        (own ??
          byType.get(i.InstanceType ?? '') ??
          estimatedVcpus(i.InstanceType) ??
          0)
      );
    }, 0);
}

/** Every configured account with its cluster count and what it uses of its quotas. */
export function accountViews(model: FleetModel): AccountView[] {
  return [...model.accounts.values()].map(account => {
    const usage: AccountUsage[] = account.regions.map(region => {
      const index = model.regions.get(`${account.id}/${region}`);
      const snapshot = index?.snapshot;
      return {
        region,
        vpcs: snapshot?.vpcs.length ?? 0,
        elasticIps: (snapshot?.natGateways ?? [])
          .filter(n => n.State !== 'deleted')
          .flatMap(n => n.NatGatewayAddresses ?? []).length,
        runningVcpus: snapshot ? runningVcpus(snapshot) : 0,
        quotas: { ...DEFAULT_QUOTAS, ...account.quotas },
      };
    });
    return {
      id: account.id,
      name: account.name,
      environment: account.environment,
      accessModel: account.accessModel,
      owners: account.owners,
      regions: account.regions,
      clusterCount: model.clusters.filter(c => c.accountId === account.id)
        .length,
      usage,
    };
  });
}
