import type {
  AccountEnvironment,
  ClusterStatus,
  ClusterSummary,
  SourceStatus,
} from '@clusterdeck/plugin-aws-clusters-common';
import {
  ACCOUNT_ENVIRONMENTS,
  CLUSTERDECK_ANNOTATIONS,
  GIANT_SWARM_LABELS,
} from '@clusterdeck/plugin-aws-clusters-common';
import type {
  ClusterdeckConfig,
  ConfiguredAccount,
  FleetSnapshot,
  KubeObject,
  ManagementClusterSnapshot,
} from '@clusterdeck/plugin-aws-clusters-node';
import {
  DEFAULT_POOL_SHORTFALL_GRACE,
  durationMs,
} from '@clusterdeck/plugin-aws-clusters-node';
import { ApiAccess, apiAccess } from './apiAccess';
import { PoolState, poolState } from './poolState';
import {
  clusterInstances,
  indexRegion,
  RegionIndex,
  VpcResources,
} from './regionIndex';
import { isoTime } from './tags';

/** A node pool of a cluster with the objects that define it and what AWS runs for it. */
export interface PoolRecord {
  name: string;
  kind: 'asg' | 'karpenter' | 'managed';
  machinePool: KubeObject;
  infrastructure?: KubeObject;
  state: PoolState;
}

/** The label on a Cluster that names its environment, over its account's. */
export const ENVIRONMENT_LABEL = 'clusterdeck.io/environment';

/** A workload cluster with everything the management cluster and AWS say about it. */
export interface ClusterRecord
  extends Pick<
    ClusterSummary,
    | 'ref'
    | 'name'
    | 'namespace'
    | 'managementCluster'
    | 'organization'
    | 'owner'
    | 'ownerSource'
  > {
  flavor: 'ec2' | 'eks';
  cluster: KubeObject;
  infrastructure?: KubeObject;
  controlPlane?: KubeObject;
  roleIdentity?: KubeObject;
  roleIdentityName?: string;
  accountId?: string;
  account?: ConfiguredAccount;
  environment?: AccountEnvironment;
  environmentSource?: 'label' | 'account';
  /** The cluster's `clusterdeck.io/environment` label where it names no known environment. */
  unknownEnvironmentLabel?: string;
  region?: string;
  /** The EKS cluster's name (EKS only). */
  eksClusterName?: string;
  status: ClusterStatus;
  statusReason?: string;
  pools: PoolRecord[];
  region_?: RegionIndex;
  vpc?: VpcResources;
  /** How the API is reachable, as AWS enforces it. */
  api: ApiAccess;
  /** The source statuses this cluster's data depends on. */
  sources: string[];
}

/** The joined fleet: every cluster, indexed, and the accounts. */
export interface FleetModel {
  clusters: ClusterRecord[];
  byRef: Map<string, ClusterRecord>;
  regions: Map<string, RegionIndex>;
  accounts: Map<string, ConfiguredAccount>;
  sources: SourceStatus[];
  generatedAt: string;
  /** Finding codes the platform team accepts (`clusterdeck.findings.accepted`). */
  acceptedFindings: NonNullable<ClusterdeckConfig['findings']>['accepted'];
}

const ROLE_ARN = /^arn:aws[a-z-]*:iam::(\d{12}):role\//;

function refName(ref: any): { kind?: string; name?: string } {
  return ref && typeof ref === 'object'
    ? { kind: ref.kind, name: ref.name }
    : {};
}

function byNamespaceAndName(objects: KubeObject[]): Map<string, KubeObject> {
  return new Map(
    objects.map(o => [`${o.metadata.namespace}/${o.metadata.name}`, o]),
  );
}

/** Conditions that say a provisioned cluster cannot serve; `Available` is not one (see {@link clusterStatus}). */
const READINESS_CONDITIONS = [
  'InfrastructureReady',
  'ControlPlaneAvailable',
  'ControlPlaneReady',
  'RemoteConnectionProbe',
];

function falseCondition(
  object: KubeObject | undefined,
  types: string[],
): { type: string; text: string } | undefined {
  for (const condition of object?.status?.conditions ?? []) {
    if (types.includes(condition.type) && condition.status === 'False') {
      const text = String(condition.message || condition.reason || '')
        .trim()
        .replace(/^\*\s*/, '')
        .replace(/\s+/g, ' ');
      return { type: condition.type, text };
    }
  }
  return undefined;
}

/** Whether the control plane has come up once, in any of the ways Cluster API versions say it. */
function controlPlaneInitialized(cluster: KubeObject): boolean {
  const status = cluster.status ?? {};
  if (status.initialization?.controlPlaneInitialized !== undefined)
    return status.initialization.controlPlaneInitialized === true;
  const condition = (status.conditions ?? []).find(
    (c: any) => c.type === 'ControlPlaneInitialized',
  );
  if (condition) return condition.status === 'True';
  if (status.controlPlaneReady !== undefined)
    return status.controlPlaneReady === true;
  return true;
}

function failureMessage(cluster: KubeObject): string | undefined {
  const status = cluster.status ?? {};
  return status.failureMessage ?? status.deprecated?.v1beta1?.failureMessage;
}

function minutes(ms: number): string {
  const m = Math.round(ms / 60_000);
  return m >= 120 ? `${Math.round(m / 60)} hours` : `${m} minutes`;
}

/** Why a pool makes its cluster degraded, if it does. */
function poolProblem(
  pool: PoolRecord,
  now: number,
  graceMs: number,
): string | undefined {
  const s = pool.state;
  if (s.failedActivity) {
    const at = isoTime(s.failedActivity.StartTime);
    const why =
      s.failedActivity.StatusMessage ??
      s.failedActivity.Cause ??
      s.failedActivity.Description ??
      'no reason given';
    return `node pool ${pool.name}: scaling activity failed${
      at ? ` at ${at}` : ''
    }: ${why}`;
  }
  if (s.group?.state === 'degraded' || s.healthIssues.length) {
    return `node pool ${pool.name}: node group ${
      s.group?.status ?? 'degraded'
    }${s.healthIssues.length ? `: ${s.healthIssues[0]}` : ''}`;
  }
  if (
    pool.kind !== 'karpenter' &&
    s.group?.state !== 'missing' &&
    s.current < s.desired
  ) {
    const since = s.shortfallSince;
    if (since === undefined || now - since > graceMs) {
      const how = since === undefined ? '' : ` for ${minutes(now - since)}`;
      return `node pool ${pool.name} has ${s.current} of ${s.desired} instances in service${how}`;
    }
  }
  return undefined;
}

/**
 * A cluster's status with its reason. Deleting once deletion is requested; creating until the
 * control plane is initialized; degraded when a readiness condition is False, a pool's newest
 * scaling activity failed, its node group is unhealthy, or it has run short of its desired size
 * for longer than the grace period; else ready. `Available` does not decide: clusters whose
 * workers are MachinePools never report it True.
 */
export function clusterStatus(
  cluster: KubeObject,
  infrastructure: KubeObject | undefined,
  pools: PoolRecord[],
  options: { now: number; graceMs: number },
): { status: ClusterStatus; reason?: string } {
  const deletion = cluster.metadata.deletionTimestamp;
  if (deletion || cluster.status?.phase === 'Deleting') {
    const left = pools
      .filter(p => p.state.group && p.state.group.state !== 'missing')
      .map(p => p.name);
    return {
      status: 'deleting',
      reason: `deletion requested${deletion ? ` at ${deletion}` : ''}${
        left.length ? `; node pools still in AWS: ${left.join(', ')}` : ''
      }`,
    };
  }
  const phase: string | undefined = cluster.status?.phase;
  if (phase === 'Failed') {
    const failed = falseCondition(cluster, [
      'InfrastructureReady',
      'Available',
      'Ready',
    ]);
    return {
      status: 'degraded',
      reason:
        failureMessage(cluster) ??
        (failed ? `${failed.type}: ${failed.text}` : 'the cluster failed'),
    };
  }
  if (
    !phase ||
    phase === 'Pending' ||
    phase === 'Provisioning' ||
    phase === 'Unknown'
  ) {
    const waiting = falseCondition(cluster, [
      'InfrastructureReady',
      'ControlPlaneInitialized',
    ]);
    return {
      status: 'creating',
      reason: `phase ${phase ?? 'not yet reported'}${
        waiting?.text ? `: ${waiting.text}` : ''
      }`,
    };
  }
  if (!controlPlaneInitialized(cluster)) {
    return {
      status: 'creating',
      reason: 'the control plane is not yet initialized',
    };
  }
  const notReady = falseCondition(cluster, READINESS_CONDITIONS);
  if (notReady)
    return {
      status: 'degraded',
      reason: `${notReady.type} is False${
        notReady.text ? `: ${notReady.text}` : ''
      }`,
    };
  const infraNotReady = falseCondition(infrastructure, ['Ready']);
  if (infraNotReady || infrastructure?.status?.ready === false) {
    return {
      status: 'degraded',
      reason: `${infrastructure!.kind} is not ready${
        infraNotReady?.text ? `: ${infraNotReady.text}` : ''
      }`,
    };
  }
  for (const pool of pools) {
    const problem = poolProblem(pool, options.now, options.graceMs);
    if (problem) return { status: 'degraded', reason: problem };
  }
  return { status: 'ready' };
}

/** The environment of a cluster: its label where it names a known environment, else its account's. */
export function clusterEnvironment(
  cluster: KubeObject,
  account: ConfiguredAccount | undefined,
): Pick<
  ClusterRecord,
  'environment' | 'environmentSource' | 'unknownEnvironmentLabel'
> {
  const label = cluster.metadata.labels?.[ENVIRONMENT_LABEL];
  if (label && (ACCOUNT_ENVIRONMENTS as readonly string[]).includes(label)) {
    return {
      environment: label as AccountEnvironment,
      environmentSource: 'label',
    };
  }
  return {
    ...(account
      ? { environment: account.environment, environmentSource: 'account' }
      : {}),
    ...(label ? { unknownEnvironmentLabel: label } : {}),
  };
}

interface McIndex {
  snapshot: ManagementClusterSnapshot;
  awsClusters: Map<string, KubeObject>;
  controlPlanes: Map<string, KubeObject>;
  poolInfra: Map<string, KubeObject>;
  poolsByCluster: Map<string, KubeObject[]>;
  identities: Map<string, KubeObject>;
}

function indexManagementCluster(snapshot: ManagementClusterSnapshot): McIndex {
  const o = snapshot.objects;
  const poolInfra = new Map<string, KubeObject>();
  for (const list of [
    o.awsMachinePools,
    o.awsManagedMachinePools,
    o.karpenterMachinePools,
  ]) {
    for (const obj of list ?? [])
      poolInfra.set(
        `${obj.kind}/${obj.metadata.namespace}/${obj.metadata.name}`,
        obj,
      );
  }
  const poolsByCluster = new Map<string, KubeObject[]>();
  for (const pool of o.machinePools ?? []) {
    const clusterName =
      pool.spec?.clusterName ??
      pool.metadata.labels?.[GIANT_SWARM_LABELS.capiClusterName];
    const key = `${pool.metadata.namespace}/${clusterName}`;
    poolsByCluster.set(key, [...(poolsByCluster.get(key) ?? []), pool]);
  }
  return {
    snapshot,
    awsClusters: byNamespaceAndName(o.awsClusters ?? []),
    controlPlanes: byNamespaceAndName(o.awsManagedControlPlanes ?? []),
    poolInfra,
    poolsByCluster,
    identities: new Map(
      (o.awsClusterRoleIdentities ?? []).map(i => [i.metadata.name, i]),
    ),
  };
}

const POOL_KINDS: Record<string, PoolRecord['kind']> = {
  AWSMachinePool: 'asg',
  KarpenterMachinePool: 'karpenter',
  AWSManagedMachinePool: 'managed',
};

function poolsOf(
  mc: McIndex,
  namespace: string,
  clusterName: string,
  ctx: { eksClusterName?: string; region?: RegionIndex },
): PoolRecord[] {
  const instances = clusterInstances(ctx.region, [
    clusterName,
    ctx.eksClusterName,
  ]);
  return (mc.poolsByCluster.get(`${namespace}/${clusterName}`) ?? []).map(
    machinePool => {
      const ref = refName(machinePool.spec?.template?.spec?.infrastructureRef);
      const infrastructure = ref.kind
        ? mc.poolInfra.get(`${ref.kind}/${namespace}/${ref.name}`)
        : undefined;
      const prefix = `${clusterName}-`;
      const name = machinePool.metadata.name.startsWith(prefix)
        ? machinePool.metadata.name.slice(prefix.length)
        : machinePool.metadata.name;
      const kind = POOL_KINDS[ref.kind ?? ''] ?? 'asg';
      const state = poolState(
        { name, kind, machinePool, infrastructure },
        {
          clusterName,
          eksClusterName: ctx.eksClusterName,
          region: ctx.region,
          instances,
        },
      );
      return { name, kind, machinePool, infrastructure, state };
    },
  );
}

function ownerOf(
  cluster: KubeObject,
  organization: string | undefined,
  account: ConfiguredAccount | undefined,
  config: ClusterdeckConfig,
): Pick<ClusterRecord, 'owner' | 'ownerSource'> {
  const annotated =
    cluster.metadata.annotations?.[CLUSTERDECK_ANNOTATIONS.owner];
  if (annotated) return { owner: annotated, ownerSource: 'annotation' };
  const mapped = organization ? config.organizations[organization] : undefined;
  if (mapped) return { owner: mapped, ownerSource: 'organization' };
  if (account?.owners[0])
    return { owner: account.owners[0], ownerSource: 'account' };
  return { owner: '', ownerSource: 'none' };
}

function findVpc(
  region: RegionIndex | undefined,
  infrastructure: KubeObject | undefined,
  clusterName: string,
): VpcResources | undefined {
  if (!region) return undefined;
  const id: string | undefined = infrastructure?.spec?.network?.vpc?.id;
  if (id) return region.vpcs.get(id);
  const tagged = region.vpcsByCluster.get(clusterName);
  return tagged?.length ? region.vpcs.get(tagged[0]) : undefined;
}

/**
 * Joins the raw state of the fleet into clusters: cluster → infrastructure object → role
 * identity → account, cluster → VPC by id (else by CAPA's tags), pools → their infrastructure
 * objects. Everything is indexed first, so the join is linear in the size of the fleet.
 */
export function buildFleetModel(
  snapshot: FleetSnapshot,
  config: ClusterdeckConfig,
  sources: SourceStatus[],
  now = new Date(),
): FleetModel {
  const accounts = new Map(config.accounts.map(a => [a.id, a]));
  const graceMs = durationMs(
    config.status?.poolShortfallGrace ?? DEFAULT_POOL_SHORTFALL_GRACE,
  );
  const regions = new Map(
    snapshot.aws.map(s => [`${s.accountId}/${s.region}`, indexRegion(s)]),
  );
  const clusters: ClusterRecord[] = [];

  for (const mcSnapshot of snapshot.managementClusters) {
    const mc = indexManagementCluster(mcSnapshot);
    for (const cluster of mcSnapshot.objects.clusters ?? []) {
      const { name, namespace = 'default' } = cluster.metadata;
      const controlPlaneRef = refName(cluster.spec?.controlPlaneRef);
      const infraRef = refName(cluster.spec?.infrastructureRef);
      const flavor =
        controlPlaneRef.kind === 'AWSManagedControlPlane' ? 'eks' : 'ec2';
      const controlPlane =
        flavor === 'eks'
          ? mc.controlPlanes.get(`${namespace}/${controlPlaneRef.name}`)
          : undefined;
      const awsCluster =
        infraRef.kind === 'AWSCluster'
          ? mc.awsClusters.get(`${namespace}/${infraRef.name}`)
          : undefined;
      // An EKS cluster's network, region and identity live on its managed control plane.
      const infrastructure = flavor === 'eks' ? controlPlane : awsCluster;
      if (!infrastructure && !infraRef.kind?.startsWith('AWS')) {
        continue; // not an AWS cluster
      }
      const roleIdentityName: string | undefined =
        infrastructure?.spec?.identityRef?.name;
      const roleIdentity = roleIdentityName
        ? mc.identities.get(roleIdentityName)
        : undefined;
      const accountId = ROLE_ARN.exec(roleIdentity?.spec?.roleARN ?? '')?.[1];
      const account = accountId ? accounts.get(accountId) : undefined;
      const region: string | undefined = infrastructure?.spec?.region;
      const regionIndex =
        accountId && region ? regions.get(`${accountId}/${region}`) : undefined;
      const organization =
        cluster.metadata.labels?.[GIANT_SWARM_LABELS.organization] ??
        (namespace.startsWith('org-') ? namespace.slice(4) : undefined);
      const eksClusterName: string | undefined =
        flavor === 'eks'
          ? controlPlane?.spec?.eksClusterName ?? name
          : undefined;
      const pools = poolsOf(mc, namespace, name, {
        eksClusterName,
        region: regionIndex,
      });
      // Grace periods are judged at the moment AWS was read, so a replayed snapshot judges alike.
      const judgedAt =
        Date.parse(regionIndex?.snapshot.fetchedAt ?? '') || now.getTime();
      const { status, reason } = clusterStatus(cluster, infrastructure, pools, {
        now: judgedAt,
        graceMs,
      });
      const vpc = findVpc(regionIndex, infrastructure, name);
      const names = [
        ...new Set([name, ...(eksClusterName ? [eksClusterName] : [])]),
      ];
      clusters.push({
        ref: `${mcSnapshot.name}/${namespace}/${name}`,
        name,
        namespace,
        managementCluster: mcSnapshot.name,
        organization,
        ...ownerOf(cluster, organization, account, config),
        flavor,
        cluster,
        infrastructure,
        controlPlane,
        roleIdentity,
        roleIdentityName,
        accountId,
        account,
        ...clusterEnvironment(cluster, account),
        region,
        ...(eksClusterName ? { eksClusterName } : {}),
        status,
        statusReason: reason,
        pools,
        region_: regionIndex,
        vpc,
        api: apiAccess({
          flavor,
          cluster,
          infrastructure,
          names,
          vpc,
          region: regionIndex,
        }),
        sources: [
          `kubernetes:${mcSnapshot.name}`,
          ...(accountId && region ? [`aws:${accountId}:${region}`] : []),
        ],
      });
    }
  }
  clusters.sort((a, b) => a.ref.localeCompare(b.ref));
  return {
    clusters,
    byRef: new Map(clusters.map(c => [c.ref, c])),
    regions,
    accounts,
    sources,
    generatedAt: now.toISOString(),
    acceptedFindings: config.findings?.accepted ?? [],
  };
}
