import { BackstageCredentials } from '@backstage/backend-plugin-api';
import {
  AccountEnvironment,
  checkClusterReferences,
  CidrPoolView,
  cidrContains,
  cidrsOverlap,
  organizationNamespace,
  Problem,
  ResolvedClusterRequest,
  validateClusterRequest,
} from '@clusterdeck/plugin-aws-clusters-common';
import {
  ClusterdeckConfig,
  FleetApi,
} from '@clusterdeck/plugin-aws-clusters-node';
import {
  renderClusterRequest,
  RenderFormat,
} from '@clusterdeck/plugin-aws-clusters-render';
import type { GitopsConfig, GuardrailsConfig } from '../config/moduleConfig';
import type { AccessPolicy } from './access';
import { clusterRef, withAllocatedCidrs } from './cidrPlan';
import {
  checkGuardrails,
  checkQuotaHeadroom,
  guardrailsFor,
} from './guardrails';

/** @public What the checks of a cluster request read. */
export interface ClusterCheckDeps {
  config: Pick<ClusterdeckConfig, 'accounts' | 'managementClusters'>;
  guardrails: GuardrailsConfig;
  fleet: FleetApi;
}

/**
 * @public What the actions that check a cluster request need (validate, change a node pool):
 * what the checks read, where clusters' files live and who may act for whom.
 */
export interface ClusterRequestActionOptions extends ClusterCheckDeps {
  gitops: Pick<GitopsConfig, 'clusterPath'>;
  access: AccessPolicy;
}

/** What is being checked. */
export interface ClusterCheckInput {
  request: unknown;
  credentials: BackstageCredentials;
  /** The VPC CIDR will come from this pool: the pool's next free block stands in for it. */
  cidrPool?: string;
  /** ENI mode: the pod CIDR will come from this pool. */
  podCidrPool?: string;
  /** Also check that the request renders in this format. */
  format?: RenderFormat;
  /**
   * `create`: a new cluster (name, CIDRs and quotas are checked against the fleet).
   * `update`: an existing cluster's request after a change (only the request and guardrails).
   */
  mode: 'create' | 'update';
}

/** The outcome: problems, warnings, and what was learnt on the way. */
export interface ClusterCheckResult {
  problems: Problem[];
  warnings: Problem[];
  resolved?: ResolvedClusterRequest;
  environment?: AccountEnvironment;
  accountName?: string;
  ref?: string;
}

function stringAt(value: unknown, ...path: string[]): string | undefined {
  let v: any = value;
  for (const key of path) v = v && typeof v === 'object' ? v[key] : undefined;
  return typeof v === 'string' ? v : undefined;
}

function fleetStep<T>(what: string, work: () => Promise<T>): Promise<T> {
  return work().catch(error => {
    if (error?.name === 'NotAllowedError') throw error;
    throw new Error(
      `Could not check ${what} with the fleet backend: ${
        error?.message ?? error
      }`,
    );
  });
}

/**
 * Checks a cluster request against the domain rules, the configuration (management cluster,
 * account, its owners and regions), the guardrails of the account's environment, and for new
 * clusters the live fleet: the name is unused on the management cluster, the CIDRs are free,
 * and the account has quota headroom. Never stops at the first problem.
 *
 * The fleet-wide checks read the fleet as the module itself, so their messages repeat only what
 * the user gave (the name, the CIDR) and never another team's clusters, owners or blocks.
 */
export async function checkClusterRequest(
  deps: ClusterCheckDeps,
  input: ClusterCheckInput,
): Promise<ClusterCheckResult> {
  const { config, fleet } = deps;
  const problems: Problem[] = [];
  const warnings: Problem[] = [];
  const { request, credentials } = input;
  const accountId = stringAt(request, 'spec', 'account', 'id');
  const vpcMode = stringAt(request, 'spec', 'network', 'vpc', 'mode');
  const cniMode = stringAt(request, 'spec', 'network', 'cni', 'mode');

  // Blocks the pools would hand out now stand in for the ones the allocation will reserve.
  let pools: CidrPoolView[] | undefined;
  const standIn = async (
    field: 'cidrPool' | 'podCidrPool',
    requestPath: string,
    explicit?: string,
  ) => {
    const poolName = input[field];
    if (!poolName) return undefined;
    pools ??= await fleetStep('the CIDR pools', () =>
      fleet.listCidrPools(credentials),
    );
    const pool = pools.find(p => p.name === poolName);
    if (!pool) {
      problems.push({
        path: field,
        message: `no CIDR pool named ${poolName}; known: ${
          pools.map(p => p.name).join(', ') || 'none'
        }`,
      });
      return undefined;
    }
    if (pool.accounts && accountId && !pool.accounts.includes(accountId)) {
      problems.push({
        path: field,
        message: `the pool ${pool.name} does not serve account ${accountId}`,
      });
    }
    if (explicit && !cidrContainsSafe(pool.cidr, explicit)) {
      problems.push({
        path: requestPath,
        message: `${explicit} is not in the pool ${pool.name} (${pool.cidr}); leave the block to the allocation`,
      });
    }
    if (!pool.nextFree) {
      problems.push({
        path: field,
        message: `the pool ${pool.name} (${pool.cidr}) has no free /${pool.prefixLength} left`,
      });
      return undefined;
    }
    return pool.nextFree;
  };
  const explicitVpcCidr = stringAt(request, 'spec', 'network', 'vpc', 'cidr');
  const vpcCidr =
    vpcMode === 'create'
      ? await standIn('cidrPool', 'spec.network.vpc.cidr', explicitVpcCidr)
      : undefined;
  const podCidr =
    cniMode === 'eni'
      ? await standIn('podCidrPool', 'spec.network.vpc.extraCidrs')
      : undefined;
  if (problems.length > 0) return { problems, warnings };

  const candidate = withAllocatedCidrs(request, { vpcCidr, podCidr });
  const managementCluster = config.managementClusters.find(
    mc => mc.name === stringAt(request, 'spec', 'managementCluster'),
  );
  const domain = input.format
    ? renderClusterRequest(candidate, {
        format: input.format,
        baseDomain: managementCluster?.baseDomain,
      })
    : validateClusterRequest(candidate);
  if (!domain.ok) {
    return { problems: domain.problems, warnings };
  }
  const resolved = 'resolved' in domain ? domain.resolved : domain.value;
  if ('warnings' in domain) warnings.push(...domain.warnings);
  const { metadata, spec } = resolved.request;
  const ref = clusterRef(
    spec.managementCluster,
    resolved.namespace,
    metadata.name,
  );

  if (!managementCluster) {
    problems.push({
      path: 'spec.managementCluster',
      message: `no management cluster named ${spec.managementCluster}; known: ${
        config.managementClusters.map(mc => mc.name).join(', ') || 'none'
      }`,
    });
  }
  const account = config.accounts.find(a => a.id === spec.account.id);
  if (!account) {
    problems.push({
      path: 'spec.account.id',
      message: `Clusterdeck knows no account ${spec.account.id}`,
    });
    return { problems, warnings, resolved, ref };
  }
  if (!account.owners.includes(metadata.owner)) {
    problems.push({
      path: 'spec.account.id',
      message: `the account ${account.name} (${account.id}) does not admit ${metadata.owner}`,
    });
  }
  if (!account.regions.includes(spec.region)) {
    problems.push({
      path: 'spec.region',
      message: `the account ${account.name} is not set up for ${
        spec.region
      }; its regions: ${account.regions.join(', ')}`,
    });
  }
  const environment = account.environment;
  problems.push(
    ...checkGuardrails(
      resolved,
      environment,
      guardrailsFor(deps.guardrails, environment),
    ),
  );

  if (input.mode === 'create') {
    // Role identity, release, zones, transit gateway: each must exist and belong to the account
    // and organization, or CAPA would build the cluster elsewhere or never.
    const references = await fleetStep('the references', () =>
      fleet.getReferences(credentials, metadata.owner),
    );
    const named = new Set(problems.map(p => p.path));
    problems.push(
      ...checkClusterReferences(resolved.request, references).filter(
        p => !named.has(p.path),
      ),
    );
    await checkNameUnused(fleet, resolved, ref, problems, warnings);
    await checkCidrsFree(
      fleet,
      resolved,
      ref,
      { fromPool: !!vpcCidr, podFromPool: !!podCidr, explicitVpcCidr },
      problems,
    );
    const accounts = await fleetStep('the account quotas', () =>
      fleet.listAccounts(credentials),
    );
    const usage = accounts
      .find(a => a.id === account.id)
      ?.usage.find(u => u.region === spec.region);
    const quota = checkQuotaHeadroom(resolved, usage);
    problems.push(...quota.problems);
    warnings.push(...quota.warnings);
  }
  if (organizationNamespace(metadata.organization) !== resolved.namespace) {
    problems.push({
      path: 'metadata.organization',
      message: 'does not match the namespace',
    });
  }
  if (vpcMode === 'create' && input.mode === 'create' && !input.cidrPool) {
    warnings.push({
      path: 'spec.network.vpc.cidr',
      message:
        'given by hand: nothing reserves it, so the fleet shows the cluster only once it exists',
    });
  }
  if (cniMode === 'eni' && !input.podCidrPool && input.mode === 'create') {
    warnings.push({
      path: 'spec.network.cni.podSubnetCidrs',
      message: 'given by hand: nothing reserves the pod CIDR',
    });
  }
  return {
    problems,
    warnings,
    resolved,
    environment,
    accountName: account.name,
    ref,
  };
}

function cidrContainsSafe(outer: string, inner: string): boolean {
  try {
    return cidrContains(outer, inner);
  } catch {
    return false;
  }
}

async function checkNameUnused(
  fleet: FleetApi,
  resolved: ResolvedClusterRequest,
  ref: string,
  problems: Problem[],
  warnings: Problem[],
) {
  const { metadata, spec } = resolved.request;
  // As the module itself: names must be unique on a management cluster (they are DNS names
  // under its base domain), including in organizations the user cannot see.
  const clusters = await fleetStep('the cluster name', () =>
    fleet.listClusters('service'),
  );
  const same = clusters.filter(
    c =>
      c.managementCluster === spec.managementCluster &&
      c.name === metadata.name,
  );
  for (const cluster of same) {
    if (
      cluster.ref === ref &&
      cluster.status === 'requested' &&
      cluster.owner === metadata.owner
    ) {
      warnings.push({
        path: 'metadata.name',
        message: `${metadata.name} is already requested by ${metadata.owner}; this request continues it`,
      });
    } else {
      problems.push({
        path: 'metadata.name',
        message: `a cluster named ${metadata.name} already exists on ${spec.managementCluster}`,
      });
    }
  }
}

async function checkCidrsFree(
  fleet: FleetApi,
  resolved: ResolvedClusterRequest,
  ref: string,
  how: { fromPool: boolean; podFromPool: boolean; explicitVpcCidr?: string },
  problems: Problem[],
) {
  const { vpc } = resolved.request.spec.network;
  if (vpc.mode !== 'create') return;
  const toCheck: Array<{ cidr: string; path: string }> = [];
  if (!how.fromPool)
    toCheck.push({ cidr: vpc.cidr, path: 'spec.network.vpc.cidr' });
  vpc.extraCidrs.forEach((cidr, i) => {
    const allocatedPod = how.podFromPool && i === vpc.extraCidrs.length - 1;
    if (!allocatedPod)
      toCheck.push({ cidr, path: `spec.network.vpc.extraCidrs[${i}]` });
  });
  if (toCheck.length === 0) return;
  const [pools, allocations, boundaries] = await fleetStep(
    'the CIDRs in use',
    () =>
      Promise.all([
        fleet.listCidrPools('service'),
        fleet.listAllocations('service'),
        fleet.getBoundaries('service'),
      ]),
  );
  const inUse = boundaries.environments.flatMap(env =>
    env.accounts.flatMap(a => a.vpcs.flatMap(v => v.cidrs)),
  );
  for (const { cidr, path } of toCheck) {
    const pool = pools.find(p => cidrsOverlap(p.cidr, cidr));
    const mine = allocations.find(a => a.cidr === cidr && a.cluster === ref);
    if (pool && !mine) {
      problems.push({
        path,
        message: `${cidr} lies in the CIDR pool ${pool.name}; take it through the allocation (cidrPool: ${pool.name}) so that no one else is handed it`,
      });
      continue;
    }
    const taken = allocations.find(
      a => a.cluster !== ref && cidrsOverlap(a.cidr, cidr),
    );
    if (taken) {
      problems.push({
        path,
        message: `${cidr} overlaps a block reserved for another cluster`,
      });
      continue;
    }
    const used = inUse.find(other => cidrsOverlap(other, cidr));
    if (used) {
      problems.push({
        path,
        message: `${cidr} overlaps a VPC in use in the fleet`,
      });
    }
  }
}
