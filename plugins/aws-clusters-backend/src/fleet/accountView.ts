import type {
  AccountUsage,
  AccountView,
} from '@clusterdeck/plugin-aws-clusters-common';
import type { FleetModel } from './buildFleetModel';

// AWS's default quotas per region, used where the configuration does not give the account's own.
const DEFAULT_QUOTAS = { vpcs: 5, elasticIps: 5 };

const VCPUS_BY_SIZE: Record<string, number> = {
  nano: 2,
  micro: 2,
  small: 2,
  medium: 2,
  large: 2,
  xlarge: 4,
  '2xlarge': 8,
  '4xlarge': 16,
  '8xlarge': 32,
  '12xlarge': 48,
  '16xlarge': 64,
  '24xlarge': 96,
  '32xlarge': 128,
  '48xlarge': 192,
  metal: 96,
};

function vcpus(
  instanceType: string | undefined,
  cpuCount: number | undefined,
): number {
  if (cpuCount) return cpuCount;
  const size = instanceType?.split('.')[1] ?? '';
  return VCPUS_BY_SIZE[size] ?? 0;
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
        runningVcpus: (snapshot?.instances ?? [])
          .filter(i => i.State?.Name === 'running')
          .reduce(
            (sum, i) =>
              sum +
              vcpus(
                i.InstanceType,
                i.CpuOptions?.CoreCount && i.CpuOptions?.ThreadsPerCore
                  ? i.CpuOptions.CoreCount * i.CpuOptions.ThreadsPerCore
                  : undefined,
              ),
            0,
          ),
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
