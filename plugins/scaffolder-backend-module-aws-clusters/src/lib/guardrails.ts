import {
  AccountEnvironment,
  AccountUsage,
  formatPath,
  Problem,
  ResolvedClusterRequest,
} from '@clusterdeck/plugin-aws-clusters-common';
import { estimatedVcpus } from '@clusterdeck/plugin-aws-clusters-node';
import type {
  EnvironmentGuardrails,
  GuardrailsConfig,
} from '../config/moduleConfig';

/** What production requires unless configured otherwise: the two fixed rules. */
const BUILT_IN: Partial<Record<AccountEnvironment, EnvironmentGuardrails>> = {
  production: { requirePrivateApiOrAllowList: true, minAvailabilityZones: 2 },
};

/**
 * The guardrails in force for an environment: the configured defaults, then the built-in
 * production rules, then what is configured for the environment itself.
 * @public
 */
export function guardrailsFor(
  config: GuardrailsConfig,
  environment: AccountEnvironment,
): EnvironmentGuardrails {
  return {
    ...config.defaults,
    ...BUILT_IN[environment],
    ...config.environments[environment],
  };
}

function escapeRegExp(text: string): string {
  return text.replace(/[.+?^${}()|[\]\\]/g, '\\$&');
}

/** @public Whether an instance type matches one of the allowed patterns (`*` is a wildcard). */
export function instanceTypeAllowed(
  instanceType: string,
  patterns: ReadonlyArray<string>,
): boolean {
  return patterns.some(pattern =>
    new RegExp(`^${pattern.split('*').map(escapeRegExp).join('.*')}$`).test(
      instanceType,
    ),
  );
}

/** Whether an instance family (`m6i`) may yield an allowed type under the patterns. */
function familyAllowed(
  family: string,
  patterns: ReadonlyArray<string>,
): boolean {
  return patterns.some(pattern => {
    const [patternFamily] = pattern.split('.');
    return new RegExp(
      `^${patternFamily.split('*').map(escapeRegExp).join('.*')}$`,
    ).test(family);
  });
}

const INSTANCE_TYPE_KEY = 'node.kubernetes.io/instance-type';
const INSTANCE_FAMILY_KEY = 'karpenter.k8s.aws/instance-family';

/**
 * Checks a valid, resolved request against the platform team's guardrails for the
 * environment of its account. Returns every problem, each at the path of its field.
 * @public
 */
export function checkGuardrails(
  resolved: ResolvedClusterRequest,
  environment: AccountEnvironment,
  rails: EnvironmentGuardrails,
): Problem[] {
  const problems: Problem[] = [];
  const add = (path: ReadonlyArray<PropertyKey>, message: string) =>
    problems.push({ path: formatPath(path), message });
  const { spec } = resolved.request;
  const where = `in ${environment}`;

  if (rails.regions && !rails.regions.includes(spec.region)) {
    add(
      ['spec', 'region'],
      `${spec.region} is not allowed ${where}; allowed: ${rails.regions.join(
        ', ',
      )}`,
    );
  }
  if (rails.flavors && !rails.flavors.includes(spec.flavor)) {
    add(
      ['spec', 'flavor'],
      `${
        spec.flavor
      } clusters are not allowed ${where}; allowed: ${rails.flavors.join(
        ', ',
      )}`,
    );
  }
  if (
    rails.minAvailabilityZones &&
    resolved.availabilityZones.length < rails.minAvailabilityZones
  ) {
    add(
      ['spec', 'network', 'availabilityZones'],
      `${environment} clusters need at least ${rails.minAvailabilityZones} availability zones, not ${resolved.availabilityZones.length}`,
    );
  }
  if (
    rails.requirePrivateApiOrAllowList &&
    spec.controlPlane.apiMode === 'public'
  ) {
    const allowList = spec.controlPlane.allowedCidrs;
    if (allowList.length === 0) {
      add(
        ['spec', 'controlPlane', 'apiMode'],
        `${environment} clusters need a private API, or a public one restricted with controlPlane.allowedCidrs`,
      );
    } else {
      allowList.forEach((cidr, i) => {
        if (cidr.endsWith('/0')) {
          add(
            ['spec', 'controlPlane', 'allowedCidrs', i],
            `${cidr} allows everyone; ${environment} clusters need a real allow-list`,
          );
        }
      });
    }
  }

  const allowedTypes = rails.instanceTypes;
  if (allowedTypes) {
    const checkType = (path: PropertyKey[], type: string | undefined) => {
      if (type && !instanceTypeAllowed(type, allowedTypes)) {
        add(
          path,
          `${type} is not an allowed instance type ${where}; allowed: ${allowedTypes.join(
            ', ',
          )}`,
        );
      }
    };
    if (spec.flavor === 'ec2')
      checkType(
        ['spec', 'controlPlane', 'instanceType'],
        spec.controlPlane.instanceType,
      );
    spec.nodePools.forEach((pool, i) => {
      const path = ['spec', 'nodePools', i];
      checkType([...path, 'instanceType'], pool.instanceType);
      pool.instanceTypeOverrides.forEach((type, j) =>
        checkType([...path, 'instanceTypeOverrides', j], type),
      );
      if (pool.type === 'karpenter') {
        const requirements = pool.karpenter?.requirements ?? [];
        let restricted = false;
        requirements.forEach((req, r) => {
          if (req.operator !== 'In') return;
          if (req.key === INSTANCE_TYPE_KEY) {
            restricted = true;
            (req.values ?? []).forEach((type, v) =>
              checkType(
                [...path, 'karpenter', 'requirements', r, 'values', v],
                type,
              ),
            );
          }
          if (req.key === INSTANCE_FAMILY_KEY) {
            restricted = true;
            (req.values ?? []).forEach((family, v) => {
              if (!familyAllowed(family, allowedTypes)) {
                add(
                  [...path, 'karpenter', 'requirements', r, 'values', v],
                  `instance family ${family} is not allowed ${where}; allowed: ${allowedTypes.join(
                    ', ',
                  )}`,
                );
              }
            });
          }
        });
        if (!restricted) {
          add(
            [...path, 'karpenter', 'requirements'],
            `instance types are restricted ${where}: add a requirement on ${INSTANCE_TYPE_KEY} or ${INSTANCE_FAMILY_KEY} (In) within ${allowedTypes.join(
              ', ',
            )}`,
          );
        }
      }
    });
  }

  if (rails.maxNodesPerPool) {
    spec.nodePools.forEach((pool, i) => {
      if (pool.maxSize !== undefined && pool.maxSize > rails.maxNodesPerPool!) {
        add(
          ['spec', 'nodePools', i, 'maxSize'],
          `${pool.maxSize} nodes exceed the ${environment} limit of ${rails.maxNodesPerPool} per node pool`,
        );
      }
    });
  }
  if (rails.maxNodesPerCluster) {
    const total = spec.nodePools.reduce(
      (sum, pool) => sum + (pool.maxSize ?? 0),
      0,
    );
    if (total > rails.maxNodesPerCluster) {
      add(
        ['spec', 'nodePools'],
        `the node pools may grow to ${total} nodes, over the ${environment} limit of ${rails.maxNodesPerCluster} per cluster`,
      );
    }
  }
  return problems;
}

/** @public The outcome of a quota check: problems, and what could not be checked. */
export interface QuotaCheck {
  problems: Problem[];
  warnings: Problem[];
}

/**
 * Checks that the account has room in the region for what the request creates: a VPC, an
 * Elastic IP per zone for the NAT gateways, and the on-demand vCPUs of the minimum sizes
 * (where the vCPU quota is known).
 * @public
 */
export function checkQuotaHeadroom(
  resolved: ResolvedClusterRequest,
  usage: AccountUsage | undefined,
): QuotaCheck {
  const problems: Problem[] = [];
  const warnings: Problem[] = [];
  const { spec } = resolved.request;
  if (!usage) {
    warnings.push({
      path: 'spec.region',
      message: `the account's usage in ${spec.region} is not known; quota headroom was not checked`,
    });
    return { problems, warnings };
  }
  if (spec.network.vpc.mode === 'create') {
    if (usage.vpcs + 1 > usage.quotas.vpcs) {
      problems.push({
        path: 'spec.network.vpc',
        message: `the account has ${usage.vpcs} of ${usage.quotas.vpcs} VPCs in ${spec.region}; a new VPC needs a quota increase or an adopted VPC`,
      });
    }
    const zones = resolved.availabilityZones.length;
    if (usage.elasticIps + zones > usage.quotas.elasticIps) {
      problems.push({
        path: 'spec.network.availabilityZones',
        message: `a NAT gateway per zone needs ${zones} Elastic IPs; the account uses ${usage.elasticIps} of ${usage.quotas.elasticIps} in ${spec.region}`,
      });
    }
  }
  const quota = usage.quotas.onDemandVcpus;
  if (quota === undefined) {
    warnings.push({
      path: 'spec.nodePools',
      message: `the account's on-demand vCPU quota in ${spec.region} is not known; vCPU headroom was not checked`,
    });
    return { problems, warnings };
  }
  let needed =
    spec.flavor === 'ec2'
      ? 3 * (estimatedVcpus(spec.controlPlane.instanceType) ?? 0)
      : 0;
  for (const pool of spec.nodePools) {
    if (pool.spot.enabled || pool.type === 'karpenter') continue;
    needed += (pool.minSize ?? 0) * (estimatedVcpus(pool.instanceType) ?? 0);
  }
  if (usage.runningVcpus + needed > quota) {
    problems.push({
      path: 'spec.nodePools',
      message: `the cluster starts with about ${needed} on-demand vCPUs; the account runs ${usage.runningVcpus} of its ${quota} in ${spec.region}`,
    });
  }
  return { problems, warnings };
}
