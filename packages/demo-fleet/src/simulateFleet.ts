import type { ResolvedClusterRequest } from '@clusterdeck/plugin-aws-clusters-common';
import { renderClusterRequest } from '@clusterdeck/plugin-aws-clusters-render';
import {
  emptyManagementClusterObjects,
  FleetSnapshot,
  KubeObject,
  MANAGEMENT_CLUSTER_KIND_KEYS,
  MANAGEMENT_CLUSTER_KINDS,
  ManagementClusterKind,
  ManagementClusterSnapshot,
} from '@clusterdeck/plugin-aws-clusters-node';
import {
  ClusterScenario,
  DEFAULT_SNAPSHOT_TIME,
  FleetDefinition,
  FleetManagementCluster,
} from './fleetDefinition';
import { RegionBuilder } from './regionBuilder';
import {
  simulateControlPlane,
  simulateServiceLoadBalancers,
} from './simulateControlPlane';
import { simulateInstanceTypes } from './simulateInstanceTypes';
import { simulateNetwork } from './simulateNetwork';
import { simulateNodePools } from './simulateNodePools';
import {
  organizationObject,
  roleIdentityObject,
  simulateClusterObjects,
} from './simulateObjects';
import { releaseObjects, simulateAwsReferences } from './simulateReferences';
import { ClusterPlan, PoolPlan, SimulationContext } from './simulationContext';

const DAY = 86_400_000;
// Management clusters and their identities predate every workload cluster.
const MANAGEMENT_CLUSTER_AGE_DAYS = 700;
// A launch failure this recent still shows (EKS keeps the node group degraded meanwhile).
const RECENT_FAILURE_MINUTES = 120;

const KEY_OF_KIND = new Map<string, ManagementClusterKind>(
  MANAGEMENT_CLUSTER_KIND_KEYS.map(key => [
    MANAGEMENT_CLUSTER_KINDS[key].kind,
    key,
  ]),
);

function clusterError(scenario: ClusterScenario, message: string): Error {
  const name =
    (scenario.request as { metadata?: { name?: string } })?.metadata?.name ??
    '(unnamed)';
  return new Error(`cluster ${name}: ${message}`);
}

function planPool(
  scenario: ClusterScenario,
  pool: ResolvedClusterRequest['nodePools'][number],
  clusterName: string,
): PoolPlan {
  const override = scenario.nodes?.[pool.name] ?? {};
  const karpenter = pool.type === 'karpenter';
  const min = pool.minSize ?? 0;
  const desired = override.desired ?? (karpenter ? 2 : min);
  if (!karpenter && (desired < min || desired > (pool.maxSize ?? desired))) {
    throw clusterError(
      scenario,
      `pool ${pool.name} cannot want ${desired} nodes outside its ${min}..${pool.maxSize}`,
    );
  }
  const launchesFailing = (scenario.activities ?? []).some(
    a =>
      a.pool === pool.name &&
      a.status === 'Failed' &&
      a.minutesAgo <= RECENT_FAILURE_MINUTES,
  );
  const groupCreated = override.groupCreated !== false;
  const up =
    (scenario.state === 'provisioned' || scenario.state === 'deleting') &&
    groupCreated;
  const ready =
    scenario.state === 'provisioned' && groupCreated
      ? Math.min(override.ready ?? desired, desired)
      : 0;
  // Nodes that are not ready are still launching, unless launches fail: then they never came.
  let existing = 0;
  if (up)
    existing =
      launchesFailing && scenario.state !== 'deleting' ? ready : desired;
  return {
    spec: pool,
    objectName: `${clusterName}-${pool.name}`,
    desired,
    ready,
    existing,
    launchesFailing,
    groupCreated,
  };
}

function checkScenarioPools(
  scenario: ClusterScenario,
  resolved: ResolvedClusterRequest,
) {
  const names = new Set(resolved.nodePools.map(p => p.name));
  const mentioned = [
    ...Object.keys(scenario.nodes ?? {}),
    ...(scenario.activities ?? []).map(a => a.pool),
  ];
  const unknown = mentioned.find(name => !names.has(name));
  if (unknown) {
    throw clusterError(
      scenario,
      `the scenario names pool ${unknown}, which the request does not have`,
    );
  }
}

function defaultAgeDays(
  ctx: SimulationContext,
  scenario: ClusterScenario,
  name: string,
): number {
  if (scenario.state === 'provisioning') return 0.01;
  return 30 + ctx.ids.int(`${name}/age`, 400);
}

/** Validates and renders one scenario's request, and derives what the rest of the simulation needs. */
function planCluster(
  ctx: SimulationContext,
  scenario: ClusterScenario,
  mcs: Map<string, FleetManagementCluster>,
): ClusterPlan {
  const managementCluster =
    (scenario.request as { spec?: { managementCluster?: string } })?.spec
      ?.managementCluster ?? '';
  const mc = mcs.get(managementCluster);
  if (!mc) {
    throw clusterError(
      scenario,
      `management cluster "${managementCluster}" is not in the fleet definition`,
    );
  }
  const result = renderClusterRequest(scenario.request, {
    format: 'capi',
    baseDomain: mc.baseDomain,
  });
  if (!result.ok) {
    throw clusterError(
      scenario,
      `invalid request: ${result.problems
        .map(p => `${p.path}: ${p.message}`)
        .join('; ')}`,
    );
  }
  const { resolved } = result;
  checkScenarioPools(scenario, resolved);
  const { metadata, spec } = resolved.request;
  const infra = result.manifests.find(
    m =>
      m.kind ===
      (spec.flavor === 'eks' ? 'AWSManagedControlPlane' : 'AWSCluster'),
  );
  const ageDays =
    scenario.ageDays ?? defaultAgeDays(ctx, scenario, metadata.name);
  // Clusters older than a day were created at some hour of it, not at midnight.
  const hourOfDay =
    ageDays >= 1 ? ctx.ids.int(`${metadata.name}/hour`, DAY) : 0;
  return {
    scenario,
    resolved,
    manifests: result.manifests,
    name: metadata.name,
    accountId: spec.account.id,
    region: spec.region,
    flavor: spec.flavor,
    state: scenario.state,
    createdAt: Math.floor((ctx.now - ageDays * DAY - hourOfDay) / 1000) * 1000,
    key: `${spec.account.id}/${spec.region}/${metadata.name}`,
    additionalTags:
      (infra?.spec as { additionalTags?: Record<string, string> })
        ?.additionalTags ?? {},
    kubernetesVersion: `v${(spec.kubernetesVersion ?? '').replace(/^v/, '')}`,
    pools: resolved.nodePools.map(pool =>
      planPool(scenario, pool, metadata.name),
    ),
  };
}

function managementClusterSnapshots(
  ctx: SimulationContext,
  definition: FleetDefinition,
): Map<string, ManagementClusterSnapshot> {
  const createdAt = ctx.now - MANAGEMENT_CLUSTER_AGE_DAYS * DAY;
  const known = new Set(definition.managementClusters.map(mc => mc.name));
  for (const release of definition.releases ?? []) {
    const unknown = release.managementClusters?.find(name => !known.has(name));
    if (unknown)
      throw new Error(
        `release ${release.version}: management cluster "${unknown}" is not in the fleet definition`,
      );
  }
  return new Map(
    definition.managementClusters.map(mc => {
      const objects = emptyManagementClusterObjects();
      objects.awsClusterRoleIdentities = definition.roleIdentities
        .filter(
          identity =>
            !identity.managementClusters ||
            identity.managementClusters.includes(mc.name),
        )
        .map(identity => roleIdentityObject(ctx, mc.name, identity, createdAt));
      objects.organizations = definition.organizations.map(org =>
        organizationObject(ctx, mc.name, org, createdAt),
      );
      objects.releases = releaseObjects(
        ctx,
        mc.name,
        definition.releases ?? [],
        createdAt,
      );
      return [
        mc.name,
        { name: mc.name, fetchedAt: ctx.at(ctx.now), objects, errors: [] },
      ];
    }),
  );
}

function regionBuilders(
  ctx: SimulationContext,
  definition: FleetDefinition,
): Map<string, RegionBuilder> {
  return new Map(
    definition.accounts.flatMap(account =>
      account.regions.map(
        region =>
          [
            `${account.id}/${region}`,
            new RegionBuilder(ctx, account.id, region),
          ] as const,
      ),
    ),
  );
}

function keep(
  objects: Record<ManagementClusterKind, KubeObject[]>,
  list: KubeObject[],
) {
  for (const object of list) {
    const key = KEY_OF_KIND.get(object.kind);
    if (key) objects[key].push(object);
  }
}

/** Simulates one cluster into its region and its management cluster. */
function simulateCluster(
  ctx: SimulationContext,
  plan: ClusterPlan,
  region: RegionBuilder,
  mc: ManagementClusterSnapshot,
) {
  const network = simulateNetwork(ctx, region, plan);
  const controlPlane = simulateControlPlane(ctx, region, plan, network);
  const pools = simulateNodePools(ctx, region, plan, network);
  simulateServiceLoadBalancers(
    ctx,
    region,
    plan,
    network,
    pools.flatMap(p => p.instances),
  );
  keep(
    mc.objects,
    simulateClusterObjects(ctx, { plan, network, controlPlane, pools }),
  );
}

/**
 * Turns cluster scenarios into the raw state CAPA and AWS would show once they are provisioned
 * (or still provisioning, deleting, failed): management-cluster objects with status, and per
 * account and region the VPCs, subnets, gateways, route tables, load balancers, Auto Scaling
 * groups, instances and EKS clusters, tagged as CAPA, Kubernetes and Karpenter tag them, and
 * what requests may name (zones, transit gateways, EKS versions, Giant Swarm releases). Pure and
 * deterministic: the same definition always gives the same snapshot. Throws on a definition that
 * contradicts itself (an invalid request, an unknown account, region or management cluster).
 * @public
 */
export function simulateFleet(definition: FleetDefinition): FleetSnapshot {
  const ctx = new SimulationContext(
    definition.seed ?? 'clusterdeck',
    definition.now ?? DEFAULT_SNAPSHOT_TIME,
  );
  const regions = regionBuilders(ctx, definition);
  const mcSnapshots = managementClusterSnapshots(ctx, definition);
  const mcs = new Map(definition.managementClusters.map(mc => [mc.name, mc]));
  const names = new Set<string>();
  for (const scenario of definition.clusters) {
    const plan = planCluster(ctx, scenario, mcs);
    const mcName = plan.resolved.request.spec.managementCluster;
    if (names.has(`${mcName}/${plan.resolved.namespace}/${plan.name}`)) {
      throw clusterError(scenario, `is defined twice on ${mcName}`);
    }
    names.add(`${mcName}/${plan.resolved.namespace}/${plan.name}`);
    const region = regions.get(`${plan.accountId}/${plan.region}`);
    if (!region) {
      throw clusterError(
        scenario,
        `account ${plan.accountId} has no region ${plan.region} in the fleet definition`,
      );
    }
    simulateCluster(ctx, plan, region, mcSnapshots.get(mcName)!);
  }
  const aws = [...regions.values()].map(region => region.finalize());
  simulateAwsReferences(ctx, definition, aws);
  simulateInstanceTypes(aws);
  return { aws, managementClusters: [...mcSnapshots.values()] };
}
