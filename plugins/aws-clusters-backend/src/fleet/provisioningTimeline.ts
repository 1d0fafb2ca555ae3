import type {
  ProvisioningStep,
  ProvisioningTimeline,
} from '@clusterdeck/plugin-aws-clusters-common';
import type { KubeObject } from '@clusterdeck/plugin-aws-clusters-node';
import type { StoredClusterRequest } from '../database/ClusterdeckDatabase';
import type { ClusterRecord } from './buildFleetModel';

/** A condition as Cluster API (v1beta1 or v1beta2) and CAPA serve it. */
interface Condition {
  type: string;
  status: 'True' | 'False' | 'Unknown' | string;
  reason?: string;
  message?: string;
  severity?: string;
  lastTransitionTime?: string;
}

/**
 * The conditions of an object under every field Cluster API versions use: `status.conditions`,
 * the v1beta2 conditions a v1beta1 object carries (`status.v1beta2.conditions`) and the v1beta1
 * ones a v1beta2 object keeps (`status.deprecated.v1beta1.conditions`). The first found wins.
 */
function conditionsOf(object: KubeObject | undefined): Map<string, Condition> {
  const found = new Map<string, Condition>();
  const status = object?.status ?? {};
  for (const list of [
    status.conditions,
    status.v1beta2?.conditions,
    status.deprecated?.v1beta1?.conditions,
  ]) {
    if (!Array.isArray(list)) continue;
    for (const c of list) {
      if (c && typeof c.type === 'string' && !found.has(c.type))
        found.set(c.type, c);
    }
  }
  return found;
}

function clean(text: string | undefined): string | undefined {
  const cleaned = text
    ?.trim()
    .replace(/^\*\s*/, '')
    .replace(/\s+/g, ' ');
  return cleaned || undefined;
}

/** A step read from one condition; `undefined` when the condition is absent. */
function conditionStep(
  id: string,
  title: string,
  condition: Condition | undefined,
  source: string,
): ProvisioningStep | undefined {
  if (!condition) return undefined;
  if (condition.status === 'True') {
    return {
      id,
      title,
      state: 'done',
      at: condition.lastTransitionTime,
      source,
    };
  }
  return {
    id,
    title,
    state: condition.severity === 'Error' ? 'failed' : 'pending',
    reason: condition.reason,
    message: clean(condition.message),
    source,
  };
}

/** The infrastructure conditions CAPA sets on an AWSCluster, in the order it reconciles them. */
const EC2_INFRASTRUCTURE: Array<[string, string]> = [
  ['VpcReady', 'VPC'],
  ['SecondaryCidrsReady', 'Secondary VPC CIDRs'],
  ['SubnetsReady', 'Subnets'],
  ['InternetGatewayReady', 'Internet gateway'],
  ['NatGatewaysReady', 'NAT gateways'],
  ['RouteTablesReady', 'Route tables'],
  ['ClusterSecurityGroupsReady', 'Security groups'],
  ['BastionHostReady', 'Bastion host'],
  ['LoadBalancerReady', 'API load balancer'],
];

/** The same network and then the EKS control plane, as CAPA reconciles an AWSManagedControlPlane. */
const EKS_INFRASTRUCTURE: Array<[string, string]> = [
  ...EC2_INFRASTRUCTURE.filter(([type]) => type !== 'LoadBalancerReady'),
  ['IAMControlPlaneRolesReady', 'IAM roles of the control plane'],
  ['EKSControlPlaneReady', 'EKS control plane'],
  ['EKSIdentityProviderConfigured', 'Identity provider'],
  ['EKSAddonsConfigured', 'EKS add-ons'],
  ['IAMAuthenticatorConfigured', 'IAM authenticator configuration'],
];

/**
 * CAPA deletes in the reverse order: load balancer, bastion, security groups, then the network
 * from secondary CIDRs and route tables down to the VPC. EKS deletes its control plane first.
 */
const EC2_DELETION = [
  'LoadBalancerReady',
  'BastionHostReady',
  'ClusterSecurityGroupsReady',
  'SecondaryCidrsReady',
  'RouteTablesReady',
  'NatGatewaysReady',
  'InternetGatewayReady',
  'SubnetsReady',
  'VpcReady',
];
const EKS_DELETION = ['EKSControlPlaneReady', ...EC2_DELETION.slice(1)];

/** Reasons Cluster API and CAPA give a condition while and after they delete what it stands for. */
const DELETED = new Set(['Deleted']);
const DELETING = new Set(['Deleting', 'Deletion']);

function titleOf(flavor: 'ec2' | 'eks', type: string): string {
  const table = flavor === 'eks' ? EKS_INFRASTRUCTURE : EC2_INFRASTRUCTURE;
  return table.find(([t]) => t === type)?.[1] ?? type;
}

function desiredReplicas(pool: ClusterRecord['pools'][number]): number {
  const spec = pool.machinePool.spec?.replicas;
  return typeof spec === 'number' ? spec : pool.state.desired;
}

function readyReplicas(pool: ClusterRecord['pools'][number]): number {
  const status = pool.machinePool.status ?? {};
  const ready =
    status.readyReplicas ?? status.deprecated?.v1beta1?.readyReplicas;
  return typeof ready === 'number' ? ready : pool.state.ready;
}

/** Why a pool is not ready yet, from its infrastructure object's conditions. */
function poolBlocker(
  pool: ClusterRecord['pools'][number],
): Condition | undefined {
  const infra = conditionsOf(pool.infrastructure);
  for (const type of [
    'EKSNodegroupReady',
    'LaunchTemplateReady',
    'ASGReady',
    'IAMNodegroupRolesReady',
  ]) {
    const c = infra.get(type);
    if (c && c.status !== 'True') return c;
  }
  const own = conditionsOf(pool.machinePool);
  for (const type of ['InfrastructureReady', 'BootstrapReady', 'Ready']) {
    const c = own.get(type);
    if (c && c.status !== 'True') return c;
  }
  return undefined;
}

function poolStep(pool: ClusterRecord['pools'][number]): ProvisioningStep {
  const desired = desiredReplicas(pool);
  const ready = readyReplicas(pool);
  const id = `pool:${pool.name}`;
  const title = `Node pool ${pool.name}`;
  const detail = `${ready} of ${desired} nodes ready`;
  const source = `MachinePool ${pool.machinePool.metadata.name}`;
  const readyCondition = conditionsOf(pool.machinePool).get('Ready');
  const blocker = poolBlocker(pool);
  const done =
    ready >= desired &&
    (desired > 0 || !blocker) &&
    (!readyCondition || readyCondition.status === 'True' || desired === 0);
  if (done) {
    return {
      id,
      title,
      state: 'done',
      at:
        (readyCondition?.status === 'True'
          ? readyCondition.lastTransitionTime
          : undefined) ??
        conditionsOf(pool.infrastructure).get('ASGReady')?.lastTransitionTime ??
        conditionsOf(pool.infrastructure).get('EKSNodegroupReady')
          ?.lastTransitionTime,
      detail,
      source,
    };
  }
  return {
    id,
    title,
    state: blocker?.severity === 'Error' ? 'failed' : 'pending',
    detail,
    reason: blocker?.reason,
    message: clean(blocker?.message),
    source:
      blocker && pool.infrastructure && blocker !== readyCondition
        ? `${pool.infrastructure.kind} ${pool.infrastructure.metadata.name}`
        : source,
  };
}

/** Whether the control plane has come up, and when, in any of the ways Cluster API versions say it. */
function controlPlaneInitialized(
  cluster: KubeObject,
  conditions: Map<string, Condition>,
): ProvisioningStep {
  const step = conditionStep(
    'ControlPlaneInitialized',
    'Control plane initialized',
    conditions.get('ControlPlaneInitialized'),
    'Cluster ControlPlaneInitialized',
  );
  if (step) return step;
  const status = cluster.status ?? {};
  const initialized =
    status.initialization?.controlPlaneInitialized ??
    status.controlPlaneReady ??
    // A cluster past provisioning that reports nothing else has its control plane.
    (status.phase === 'Provisioned' ? true : undefined);
  return {
    id: 'ControlPlaneInitialized',
    title: 'Control plane initialized',
    state: initialized === true ? 'done' : 'pending',
    source: 'Cluster status',
  };
}

function controlPlaneReady(
  conditions: Map<string, Condition>,
): ProvisioningStep | undefined {
  // v1beta2 says ControlPlaneAvailable; v1beta1 ControlPlaneReady.
  return (
    conditionStep(
      'ControlPlaneAvailable',
      'Control plane ready',
      conditions.get('ControlPlaneAvailable'),
      'Cluster ControlPlaneAvailable',
    ) ??
    conditionStep(
      'ControlPlaneAvailable',
      'Control plane ready',
      conditions.get('ControlPlaneReady'),
      'Cluster ControlPlaneReady',
    )
  );
}

/** Whether Cluster API or the infrastructure object says the infrastructure is provisioned. */
function infrastructureProvisioned(
  cluster: KubeObject,
  infrastructure: KubeObject | undefined,
): boolean {
  const status = cluster.status ?? {};
  const infra = infrastructure?.status ?? {};
  return (
    conditionsOf(cluster).get('InfrastructureReady')?.status === 'True' ||
    status.initialization?.infrastructureProvisioned === true ||
    status.infrastructureReady === true ||
    status.phase === 'Provisioned' ||
    infra.ready === true ||
    infra.initialization?.provisioned === true ||
    conditionsOf(infrastructure).get('Ready')?.status === 'True'
  );
}

function creationSteps(record: ClusterRecord): ProvisioningStep[] {
  const { cluster, flavor, infrastructure } = record;
  const steps: ProvisioningStep[] = [];
  const clusterConditions = conditionsOf(cluster);
  const infraConditions = conditionsOf(infrastructure);
  const kind =
    infrastructure?.kind ??
    (flavor === 'eks' ? 'AWSManagedControlPlane' : 'AWSCluster');
  const table = flavor === 'eks' ? EKS_INFRASTRUCTURE : EC2_INFRASTRUCTURE;
  // A condition CAPA did not set while a later one is set does not apply (an adopted VPC has no
  // gateways of CAPA's, a cluster without a bastion no BastionHostReady); one not set yet is pending.
  const lastSet = table.reduce(
    (last, [type], i) => (infraConditions.has(type) ? i : last),
    -1,
  );
  // Once the infrastructure reports ready, a condition it never set is not a step it waits for.
  const provisioned = infrastructureProvisioned(cluster, infrastructure);
  table.forEach(([type, title], i) => {
    const step = conditionStep(
      type,
      title,
      infraConditions.get(type),
      `${kind} ${type}`,
    );
    if (step) steps.push(step);
    else if (
      !provisioned &&
      i > lastSet &&
      ![
        'SecondaryCidrsReady',
        'BastionHostReady',
        'EKSIdentityProviderConfigured',
      ].includes(type)
    ) {
      steps.push({
        id: type,
        title,
        state: 'pending',
        source: `${kind} ${type}`,
      });
    }
  });
  const infraReady = conditionStep(
    'InfrastructureReady',
    'Infrastructure ready',
    clusterConditions.get('InfrastructureReady'),
    'Cluster InfrastructureReady',
  );
  steps.push(
    infraReady ?? {
      id: 'InfrastructureReady',
      title: 'Infrastructure ready',
      state: provisioned ? 'done' : 'pending',
      source: 'Cluster status',
    },
  );
  steps.push(controlPlaneInitialized(cluster, clusterConditions));
  const ready = controlPlaneReady(clusterConditions);
  if (ready) steps.push(ready);
  for (const pool of record.pools) steps.push(poolStep(pool));
  return steps;
}

function deletionSteps(record: ClusterRecord): ProvisioningStep[] {
  const { cluster, flavor, infrastructure } = record;
  const steps: ProvisioningStep[] = [
    {
      id: 'deletion-requested',
      title: 'Deletion requested',
      state: 'done',
      at: cluster.metadata.deletionTimestamp,
      source: 'Cluster deletionTimestamp',
    },
  ];
  // Cluster API deletes the workers first; a pool still listed is still being deleted.
  for (const pool of record.pools) {
    steps.push({
      id: `pool:${pool.name}`,
      title: `Node pool ${pool.name} removed`,
      state: 'pending',
      detail: `${readyReplicas(pool)} nodes left`,
      source: `MachinePool ${pool.machinePool.metadata.name}`,
    });
  }
  const conditions = conditionsOf(infrastructure);
  const kind = infrastructure?.kind ?? 'AWSCluster';
  for (const type of flavor === 'eks' ? EKS_DELETION : EC2_DELETION) {
    const c = conditions.get(type);
    if (!c) continue;
    const title = `${titleOf(flavor, type)} deleted`;
    const source = `${kind} ${type}`;
    if (c.status === 'False' && c.reason && DELETED.has(c.reason)) {
      steps.push({
        id: type,
        title,
        state: 'done',
        at: c.lastTransitionTime,
        source,
      });
    } else if (c.status === 'False' && /Fail/.test(c.reason ?? '')) {
      steps.push({
        id: type,
        title,
        state: 'failed',
        reason: c.reason,
        message: clean(c.message),
        source,
      });
    } else {
      steps.push({
        id: type,
        title,
        state: 'pending',
        ...(c.status === 'False' && c.reason && DELETING.has(c.reason)
          ? { reason: c.reason }
          : {}),
        source,
      });
    }
  }
  steps.push({
    id: 'cluster-object-removed',
    title: `Cluster object removed from ${record.managementCluster}`,
    state: 'pending',
    source: 'Cluster',
  });
  return steps;
}

/** The step's own message, else the cluster's failure message when it failed. */
function blockingMessage(
  step: ProvisioningStep,
  failureMessage: string | undefined,
): { message?: string } {
  const message = step.message ?? failureMessage;
  return message ? { message } : {};
}

/** The latest of the times given. */
function latest(times: Array<string | undefined>): string | undefined {
  let best: string | undefined;
  let bestMs = -Infinity;
  for (const t of times) {
    const ms = t ? Date.parse(t) : NaN;
    if (!Number.isNaN(ms) && ms > bestMs) {
      best = t;
      bestMs = ms;
    }
  }
  return best;
}

/**
 * A cluster's provisioning timeline from its request record and its Cluster API and CAPA
 * objects as served: each step with the time it became true, the step that blocks now with the
 * condition's reason and message and how long it has been blocked; once deletion is requested,
 * the same in reverse. Steps are read in the order the controllers work; the first step not done
 * is the one that blocks, even if a later one reports True (a condition set again after a change).
 */
export function provisioningTimeline(input: {
  ref: string;
  record?: ClusterRecord;
  request?: StoredClusterRequest;
  now: Date;
}): ProvisioningTimeline {
  const { record, request, now } = input;
  const steps: ProvisioningStep[] = [];
  if (request) {
    steps.push({
      id: 'requested',
      title: `Requested by ${request.createdBy}`,
      state: 'done',
      at: request.createdAt,
      ...(request.branch ? { detail: `branch ${request.branch}` } : {}),
      source: 'cluster request',
    });
  }
  const deleting = Boolean(
    record &&
      (record.cluster.metadata.deletionTimestamp ||
        record.cluster.status?.phase === 'Deleting'),
  );
  if (!record) {
    const managementCluster = input.ref.split('/')[0];
    steps.push({
      id: 'cluster-object',
      title: `Cluster object on ${managementCluster}`,
      state: 'pending',
      message: request?.branch
        ? `waiting for branch ${request.branch} to be merged and synced to ${managementCluster}`
        : `waiting for ${managementCluster} to report the Cluster object`,
      source: 'Cluster',
    });
  } else if (deleting) {
    steps.push(...deletionSteps(record));
  } else {
    steps.push({
      id: 'cluster-object',
      title: `Cluster object on ${record.managementCluster}`,
      state: 'done',
      at: record.cluster.metadata.creationTimestamp,
      source: 'Cluster',
    });
    steps.push(...creationSteps(record));
  }

  const firstOpen = steps.findIndex(s => s.state !== 'done');
  if (firstOpen >= 0 && steps[firstOpen].state === 'pending')
    steps[firstOpen].state = 'active';
  const open = firstOpen >= 0 ? steps[firstOpen] : undefined;
  const lastProgressAt = latest(
    steps.filter(s => s.state === 'done').map(s => s.at),
  );
  const failed = steps.some(s => s.state === 'failed');
  const failureMessage: string | undefined =
    record?.cluster.status?.failureMessage ??
    record?.cluster.status?.deprecated?.v1beta1?.failureMessage;
  let phase: ProvisioningTimeline['phase'];
  if (deleting) phase = 'deleting';
  else if (!record) phase = 'requested';
  else if (
    failed ||
    record.cluster.status?.phase === 'Failed' ||
    failureMessage
  )
    phase = 'failed';
  else phase = open ? 'provisioning' : 'ready';

  let blocking: ProvisioningTimeline['blocking'];
  if (open) {
    // Blocked since the step before it was done, or since its condition last changed.
    const previousDone = latest(
      steps
        .slice(0, firstOpen)
        .filter(s => s.state === 'done')
        .map(s => s.at),
    );
    const since =
      previousDone ??
      record?.cluster.metadata.creationTimestamp ??
      request?.createdAt ??
      now.toISOString();
    blocking = {
      stepId: open.id,
      title: open.title,
      ...(open.reason ? { reason: open.reason } : {}),
      ...blockingMessage(open, phase === 'failed' ? failureMessage : undefined),
      since,
      forMs: Math.max(0, now.getTime() - Date.parse(since)),
    };
  }
  return {
    ref: input.ref,
    direction: deleting ? 'delete' : 'create',
    phase,
    ...(request
      ? {
          request: {
            by: request.createdBy,
            at: request.createdAt,
            ...(request.branch ? { branch: request.branch } : {}),
            ...(request.changeUrl ? { changeUrl: request.changeUrl } : {}),
          },
        }
      : {}),
    steps,
    ...(blocking ? { blocking } : {}),
    ...(lastProgressAt ? { lastProgressAt } : {}),
    generatedAt: now.toISOString(),
  };
}
