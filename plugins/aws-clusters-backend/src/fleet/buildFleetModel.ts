import type {
  AccountEnvironment,
  ClusterStatus,
  SourceStatus,
} from '@clusterdeck/plugin-aws-clusters-common';
import { CLUSTERDECK_ANNOTATIONS, GIANT_SWARM_LABELS } from '@clusterdeck/plugin-aws-clusters-common';
import type {
  ClusterdeckConfig,
  ConfiguredAccount,
  FleetSnapshot,
  KubeObject,
  ManagementClusterSnapshot,
} from '@clusterdeck/plugin-aws-clusters-node';
import { indexRegion, RegionIndex, VpcResources } from './regionIndex';

/** A node pool of a cluster with the objects that define it. */
export interface PoolRecord {
  name: string;
  kind: 'asg' | 'karpenter' | 'managed';
  machinePool: KubeObject;
  infrastructure?: KubeObject;
}

/** A workload cluster with everything the management cluster and AWS say about it. */
export interface ClusterRecord {
  ref: string;
  name: string;
  namespace: string;
  managementCluster: string;
  organization?: string;
  owner: string;
  ownerSource: 'annotation' | 'organization' | 'account' | 'none';
  flavor: 'ec2' | 'eks';
  cluster: KubeObject;
  infrastructure?: KubeObject;
  controlPlane?: KubeObject;
  roleIdentity?: KubeObject;
  roleIdentityName?: string;
  accountId?: string;
  account?: ConfiguredAccount;
  environment?: AccountEnvironment;
  region?: string;
  status: ClusterStatus;
  statusReason?: string;
  pools: PoolRecord[];
  region_?: RegionIndex;
  vpc?: VpcResources;
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
}

const ROLE_ARN = /^arn:aws[a-z-]*:iam::(\d{12}):role\//;

function refName(ref: any): { kind?: string; name?: string } {
  return ref && typeof ref === 'object' ? { kind: ref.kind, name: ref.name } : {};
}

function byNamespaceAndName(objects: KubeObject[]): Map<string, KubeObject> {
  return new Map(objects.map(o => [`${o.metadata.namespace}/${o.metadata.name}`, o]));
}

function conditionFalse(object: KubeObject | undefined, types: string[]): string | undefined {
  for (const condition of object?.status?.conditions ?? []) {
    if (types.includes(condition.type) && condition.status === 'False') {
      return condition.message || condition.reason || `${condition.type} is False`;
    }
  }
  return undefined;
}

function clusterStatus(cluster: KubeObject, infrastructure: KubeObject | undefined, pools: PoolRecord[]): { status: ClusterStatus; reason?: string } {
  if (cluster.metadata.deletionTimestamp || cluster.status?.phase === 'Deleting') {
    return { status: 'deleting' };
  }
  const phase: string | undefined = cluster.status?.phase;
  if (phase === 'Failed') {
    return { status: 'degraded', reason: cluster.status?.failureMessage ?? conditionFalse(cluster, ['Ready', 'Available']) ?? 'the cluster failed' };
  }
  if (phase !== 'Provisioned') {
    return { status: 'creating', reason: phase ? `phase ${phase}` : 'not yet reported' };
  }
  const notReady =
    conditionFalse(cluster, ['Available', 'Ready', 'InfrastructureReady', 'ControlPlaneAvailable', 'ControlPlaneReady']) ??
    (infrastructure?.status?.ready === false ? `${infrastructure.kind} is not ready` : undefined);
  if (notReady) {
    return { status: 'degraded', reason: notReady };
  }
  const unreadyPool = pools.find(p => {
    const desired = p.machinePool.spec?.replicas ?? p.machinePool.status?.replicas ?? 0;
    const ready = p.machinePool.status?.readyReplicas ?? 0;
    return p.kind !== 'karpenter' && ready < Math.min(desired, 1);
  });
  if (unreadyPool) {
    return { status: 'degraded', reason: `node pool ${unreadyPool.name} has no ready nodes` };
  }
  return { status: 'ready' };
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
  for (const list of [o.awsMachinePools, o.awsManagedMachinePools, o.karpenterMachinePools]) {
    for (const obj of list ?? []) poolInfra.set(`${obj.kind}/${obj.metadata.namespace}/${obj.metadata.name}`, obj);
  }
  const poolsByCluster = new Map<string, KubeObject[]>();
  for (const pool of o.machinePools ?? []) {
    const clusterName = pool.spec?.clusterName ?? pool.metadata.labels?.[GIANT_SWARM_LABELS.capiClusterName];
    const key = `${pool.metadata.namespace}/${clusterName}`;
    poolsByCluster.set(key, [...(poolsByCluster.get(key) ?? []), pool]);
  }
  return {
    snapshot,
    awsClusters: byNamespaceAndName(o.awsClusters ?? []),
    controlPlanes: byNamespaceAndName(o.awsManagedControlPlanes ?? []),
    poolInfra,
    poolsByCluster,
    identities: new Map((o.awsClusterRoleIdentities ?? []).map(i => [i.metadata.name, i])),
  };
}

const POOL_KINDS: Record<string, PoolRecord['kind']> = {
  AWSMachinePool: 'asg',
  KarpenterMachinePool: 'karpenter',
  AWSManagedMachinePool: 'managed',
};

function poolsOf(mc: McIndex, namespace: string, clusterName: string): PoolRecord[] {
  return (mc.poolsByCluster.get(`${namespace}/${clusterName}`) ?? []).map(machinePool => {
    const ref = refName(machinePool.spec?.template?.spec?.infrastructureRef);
    const infrastructure = ref.kind ? mc.poolInfra.get(`${ref.kind}/${namespace}/${ref.name}`) : undefined;
    const prefix = `${clusterName}-`;
    const name = machinePool.metadata.name.startsWith(prefix) ? machinePool.metadata.name.slice(prefix.length) : machinePool.metadata.name;
    return { name, kind: POOL_KINDS[ref.kind ?? ''] ?? 'asg', machinePool, infrastructure };
  });
}

function ownerOf(
  cluster: KubeObject,
  organization: string | undefined,
  account: ConfiguredAccount | undefined,
  config: ClusterdeckConfig,
): Pick<ClusterRecord, 'owner' | 'ownerSource'> {
  const annotated = cluster.metadata.annotations?.[CLUSTERDECK_ANNOTATIONS.owner];
  if (annotated) return { owner: annotated, ownerSource: 'annotation' };
  const mapped = organization ? config.organizations[organization] : undefined;
  if (mapped) return { owner: mapped, ownerSource: 'organization' };
  if (account?.owners[0]) return { owner: account.owners[0], ownerSource: 'account' };
  return { owner: '', ownerSource: 'none' };
}

function findVpc(region: RegionIndex | undefined, infrastructure: KubeObject | undefined, clusterName: string): VpcResources | undefined {
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
export function buildFleetModel(snapshot: FleetSnapshot, config: ClusterdeckConfig, sources: SourceStatus[], now = new Date()): FleetModel {
  const accounts = new Map(config.accounts.map(a => [a.id, a]));
  const regions = new Map(snapshot.aws.map(s => [`${s.accountId}/${s.region}`, indexRegion(s)]));
  const clusters: ClusterRecord[] = [];

  for (const mcSnapshot of snapshot.managementClusters) {
    const mc = indexManagementCluster(mcSnapshot);
    for (const cluster of mcSnapshot.objects.clusters ?? []) {
      const { name, namespace = 'default' } = cluster.metadata;
      const controlPlaneRef = refName(cluster.spec?.controlPlaneRef);
      const infraRef = refName(cluster.spec?.infrastructureRef);
      const flavor = controlPlaneRef.kind === 'AWSManagedControlPlane' ? 'eks' : 'ec2';
      const controlPlane = flavor === 'eks' ? mc.controlPlanes.get(`${namespace}/${controlPlaneRef.name}`) : undefined;
      const awsCluster = infraRef.kind === 'AWSCluster' ? mc.awsClusters.get(`${namespace}/${infraRef.name}`) : undefined;
      // An EKS cluster's network, region and identity live on its managed control plane.
      const infrastructure = flavor === 'eks' ? controlPlane : awsCluster;
      if (!infrastructure && !infraRef.kind?.startsWith('AWS')) {
        continue; // not an AWS cluster
      }
      const roleIdentityName: string | undefined = infrastructure?.spec?.identityRef?.name;
      const roleIdentity = roleIdentityName ? mc.identities.get(roleIdentityName) : undefined;
      const accountId = ROLE_ARN.exec(roleIdentity?.spec?.roleARN ?? '')?.[1];
      const account = accountId ? accounts.get(accountId) : undefined;
      const region: string | undefined = infrastructure?.spec?.region;
      const regionIndex = accountId && region ? regions.get(`${accountId}/${region}`) : undefined;
      const organization =
        cluster.metadata.labels?.[GIANT_SWARM_LABELS.organization] ?? (namespace.startsWith('org-') ? namespace.slice(4) : undefined);
      const pools = poolsOf(mc, namespace, name);
      const { status, reason } = clusterStatus(cluster, infrastructure, pools);
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
        environment: account?.environment,
        region,
        status,
        statusReason: reason,
        pools,
        region_: regionIndex,
        vpc: findVpc(regionIndex, infrastructure, name),
        sources: [`kubernetes:${mcSnapshot.name}`, ...(accountId && region ? [`aws:${accountId}:${region}`] : [])],
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
  };
}
