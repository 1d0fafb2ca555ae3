import type {
  Activity,
  AutoScalingGroup,
  Instance as AsgInstance,
} from '@aws-sdk/client-auto-scaling';
import type { Nodegroup } from '@aws-sdk/client-eks';
import type { ActivityScenario } from './fleetDefinition';
import { RegionBuilder, reserveAddresses, SubnetFacts } from './regionBuilder';
import type { ClusterNetwork } from './simulateNetwork';
import {
  karpenterInstanceTypes,
  InstancePhase,
  LaunchedInstance,
  launchInstance,
  launchMoment,
  placeInstance,
} from './simulateInstances';
import {
  ClusterPlan,
  PoolPlan,
  sdkTime,
  SimulationContext,
} from './simulationContext';
import { TAGS } from './tags';

/** What the simulation made for one pool, for the management-cluster objects to report. */
export interface PoolOutcome {
  pool: PoolPlan;
  instances: LaunchedInstance[];
  launchTemplateId?: string;
  /** The Auto Scaling group behind the pool (EKS names its own). */
  groupName?: string;
}

/** Where a pool is simulated: the fleet, its region, the cluster, its network and the pool. */
interface PoolSite {
  ctx: SimulationContext;
  region: RegionBuilder;
  plan: ClusterPlan;
  net: ClusterNetwork;
  pool: PoolPlan;
}

const NODE_PROFILE = 'nodes.cluster-api-provider-aws.sigs.k8s.io';
const EKS_NODE_ROLE = 'eks-nodegroup.cluster-api-provider-aws.sigs.k8s.io';
// Addresses a node takes from a subnet beyond its own: ENI-mode pods (Cilium hands out whole
// prefixes), or the VPC CNI's warm pool on EKS.
const ENI_MODE_POD_ADDRESSES = 32;
const EKS_VPC_CNI_ADDRESSES = 14;

/** The spec of the pool's rendered infrastructure object of `kind`. */
function rendered(site: PoolSite, kind: string): Record<string, any> {
  const name = site.pool.objectName;
  return (site.plan.manifests.find(
    m => m.kind === kind && m.metadata.name === name,
  )?.spec ?? {}) as Record<string, any>;
}

function phaseOf(plan: ClusterPlan, pool: PoolPlan, n: number): InstancePhase {
  if (plan.state === 'deleting') return 'terminating';
  return n < pool.ready ? 'running' : 'pending';
}

function nodeTags(
  plan: ClusterPlan,
  pool: PoolPlan,
  extra: Record<string, string>,
): Record<string, string> {
  return {
    ...plan.additionalTags,
    Name: pool.objectName,
    [TAGS.capaCluster(plan.name)]: 'owned',
    [TAGS.kubernetesCluster(plan.name)]: 'owned',
    [TAGS.capaRole]: 'node',
    ...extra,
  };
}

/** Launches a pool's instances across its zones and counts the pod addresses they take. */
function launchPool(
  site: PoolSite,
  typeOf: (n: number) => string,
  tagsOf: (n: number) => Record<string, string>,
  spotOf: (n: number) => boolean,
): LaunchedInstance[] {
  const { ctx, region, plan, net, pool } = site;
  const { cni } = plan.resolved.request.spec.network;
  const instances: LaunchedInstance[] = [];
  for (let n = 0; n < pool.existing; n++) {
    const key = `${plan.key}/pool/${pool.spec.name}/${n}`;
    const phase = phaseOf(plan, pool, n);
    const subnet = placeInstance(net.subnets, pool.spec.availabilityZones, n);
    instances.push(
      launchInstance(ctx, region, {
        key,
        instanceType: typeOf(n),
        subnet,
        vpcId: net.vpc.id,
        imageId: ctx.ids.aws(
          'ami',
          `${region.region}/${plan.kubernetesVersion}/${typeOf(n)}`,
        ),
        launchedAt: launchMoment(ctx, key, plan.createdAt, phase),
        phase,
        spot: spotOf(n),
        tags: tagsOf(n),
        instanceProfile: NODE_PROFILE,
        securityGroup: {
          id: ctx.ids.aws('sg', `${plan.key}/sg/node`),
          name: `${plan.name}-node`,
        },
      }),
    );
    countPodAddresses(plan, net.subnets, subnet, cni.mode);
  }
  return instances;
}

function countPodAddresses(
  plan: ClusterPlan,
  subnets: SubnetFacts[],
  nodeSubnet: SubnetFacts,
  cniMode: string,
) {
  if (cniMode === 'eni') {
    const podSubnet = subnets.find(
      s => s.role === 'pod' && s.zone === nodeSubnet.zone,
    );
    if (podSubnet) reserveAddresses(podSubnet, ENI_MODE_POD_ADDRESSES);
  } else if (plan.flavor === 'eks') {
    reserveAddresses(nodeSubnet, EKS_VPC_CNI_ADDRESSES);
  }
}

function asgInstance(
  instance: LaunchedInstance,
  launchTemplateId: string,
  templateName: string,
): AsgInstance {
  const lifecycle = {
    running: 'InService',
    pending: 'Pending',
    terminating: 'Terminating',
  } as const;
  return {
    InstanceId: instance.id,
    InstanceType: instance.instanceType,
    AvailabilityZone: instance.zone,
    LifecycleState: lifecycle[instance.phase],
    HealthStatus: 'Healthy',
    LaunchTemplate: {
      LaunchTemplateId: launchTemplateId,
      LaunchTemplateName: templateName,
      Version: '1',
    },
    ProtectedFromScaleIn: false,
  };
}

function groupArn(
  ctx: SimulationContext,
  region: RegionBuilder,
  name: string,
): string {
  const uuid = ctx.ids.uuid(`${region.accountId}/${region.region}/asg/${name}`);
  return `arn:aws:autoscaling:${region.region}:${region.accountId}:autoScalingGroup:${uuid}:autoScalingGroupName/${name}`;
}

/** The activity history of a group: one launch per instance, plus what the scenario adds. */
function addActivities(
  ctx: SimulationContext,
  region: RegionBuilder,
  plan: ClusterPlan,
  groupName: string,
  instances: LaunchedInstance[],
  extra: ActivityScenario[],
) {
  const arn = groupArn(ctx, region, groupName);
  const launches = [...instances].sort((a, b) => a.launchedAt - b.launchedAt);
  const activities: Activity[] = launches.map((instance, n) =>
    launchActivity(ctx, arn, groupName, instance, n),
  );
  // DescribeScalingActivities pages through weeks of history; a snapshot keeps the recent ten.
  const recent = activities.slice(-10);
  const added = extra.map((a, i) =>
    scenarioActivity(ctx, arn, groupName, plan, a, i),
  );
  region.snapshot.scalingActivities.push(...recent, ...added);
}

function launchActivity(
  ctx: SimulationContext,
  arn: string,
  groupName: string,
  instance: LaunchedInstance,
  n: number,
): Activity {
  const start = instance.launchedAt - 20_000;
  const at = ctx.at(start);
  const terminating = instance.phase === 'terminating';
  const done = instance.phase === 'running';
  return {
    ActivityId: ctx.ids.uuid(
      `${arn}/activity/${instance.id}/${instance.phase}`,
    ),
    AutoScalingGroupName: groupName,
    AutoScalingGroupARN: arn,
    Description: terminating
      ? `Terminating EC2 instance: ${instance.id}`
      : `Launching a new EC2 instance: ${instance.id}`,
    Cause: terminating
      ? `At ${ctx.stamp(
          ctx.now - 5 * 60_000,
        )} a user request update of AutoScalingGroup constraints to min: 0, max: 0, desired: 0 changing the desired capacity to 0.`
      : `At ${ctx.stamp(
          start,
        )} an instance was started in response to a difference between desired and actual capacity, increasing the capacity from ${n} to ${
          n + 1
        }.`,
    StartTime: sdkTime(terminating ? ctx.ago(5 * 60_000) : at),
    ...(done ? { EndTime: sdkTime(ctx.at(instance.launchedAt + 15_000)) } : {}),
    StatusCode: done ? 'Successful' : 'InProgress',
    Progress: done ? 100 : 50,
    Details: JSON.stringify({
      'Subnet ID': instance.subnetId,
      'Availability Zone': instance.zone,
    }),
  };
}

const DEFAULT_FAILURE =
  'Could not launch Spot Instances. InsufficientInstanceCapacity - There is no Spot capacity available that matches your request. Launching EC2 instance failed.';

function scenarioActivity(
  ctx: SimulationContext,
  arn: string,
  groupName: string,
  plan: ClusterPlan,
  a: ActivityScenario,
  i: number,
): Activity {
  const start = ctx.now - a.minutesAgo * 60_000;
  const failed = a.status === 'Failed';
  const message = failed ? a.statusMessage ?? DEFAULT_FAILURE : a.statusMessage;
  const pool = plan.pools.find(p => p.spec.name === a.pool);
  const from = pool?.existing ?? 0;
  const to = Math.max(pool?.desired ?? from + 1, from + 1);
  return {
    ActivityId: ctx.ids.uuid(`${arn}/scenario/${i}`),
    AutoScalingGroupName: groupName,
    AutoScalingGroupARN: arn,
    Description:
      a.description ??
      (failed
        ? `Launching a new EC2 instance.  Status Reason: ${message}`
        : 'Launching a new EC2 instance'),
    Cause:
      a.cause ??
      `At ${ctx.stamp(
        start - 5_000,
      )} an instance was started in response to a difference between desired and actual capacity, increasing the capacity from ${from} to ${to}.`,
    StartTime: sdkTime(ctx.at(start)),
    ...(a.status === 'InProgress'
      ? {}
      : { EndTime: sdkTime(ctx.at(start + 45_000)) }),
    StatusCode: a.status,
    ...(message ? { StatusMessage: message } : {}),
    Progress: a.status === 'InProgress' ? 30 : 100,
    Details: JSON.stringify({
      'Availability Zone':
        plan.resolved.availabilityZones[
          i % plan.resolved.availabilityZones.length
        ],
    }),
  };
}

function asgTags(
  name: string,
  tags: Record<string, string>,
): NonNullable<AutoScalingGroup['Tags']> {
  return Object.entries(tags).map(([Key, Value]) => ({
    ResourceId: name,
    ResourceType: 'auto-scaling-group',
    Key,
    Value,
    PropagateAtLaunch: true,
  }));
}

/** The spot split of a pool: the first `base` instances and the on-demand share above them run on demand. */
function spotOfAsg(pool: PoolPlan): (n: number) => boolean {
  const { spot } = pool.spec;
  if (!spot.enabled) return () => false;
  const base = spot.onDemandBaseCapacity ?? 0;
  const share = (spot.onDemandPercentageAboveBaseCapacity ?? 0) / 100;
  const onDemand = base + Math.ceil(share * Math.max(pool.existing - base, 0));
  return n => n >= onDemand;
}

/** How a pool's Auto Scaling group differs between CAPA's (asg pools) and EKS's (managed pools). */
interface GroupFacts {
  name: string;
  /** Its launch template, or its mixed instances policy. */
  launch: Pick<AutoScalingGroup, 'LaunchTemplate' | 'MixedInstancesPolicy'>;
  sizes: { min: number; max: number; desired: number };
  healthCheckGracePeriod: number;
  launchTemplateId: string;
  instances: LaunchedInstance[];
  /** Minutes after the cluster's creation. */
  createdAfterMinutes: number;
  subnetIds: string[];
  tags: Record<string, string>;
  terminationPolicies: string[];
  /** CAPA's groups name Auto Scaling's service-linked role. */
  serviceLinkedRole?: boolean;
  status?: string;
}

/** Adds a pool's Auto Scaling group, as DescribeAutoScalingGroups lists it, with its activities. */
function addAutoScalingGroup(site: PoolSite, group: GroupFacts) {
  const { ctx, region, plan, pool } = site;
  region.snapshot.autoScalingGroups.push({
    AutoScalingGroupName: group.name,
    AutoScalingGroupARN: groupArn(ctx, region, group.name),
    ...group.launch,
    MinSize: group.sizes.min,
    MaxSize: group.sizes.max,
    DesiredCapacity: group.sizes.desired,
    DefaultCooldown: 300,
    AvailabilityZones: pool.spec.availabilityZones,
    HealthCheckType: 'EC2',
    HealthCheckGracePeriod: group.healthCheckGracePeriod,
    Instances: group.instances.map(i =>
      asgInstance(i, group.launchTemplateId, group.name),
    ),
    CreatedTime: sdkTime(
      ctx.at(plan.createdAt + group.createdAfterMinutes * 60_000),
    ),
    VPCZoneIdentifier: group.subnetIds.join(','),
    Tags: asgTags(group.name, group.tags),
    TerminationPolicies: group.terminationPolicies,
    NewInstancesProtectedFromScaleIn: false,
    ...(group.serviceLinkedRole
      ? {
          ServiceLinkedRoleARN: `arn:aws:iam::${region.accountId}:role/aws-service-role/autoscaling.amazonaws.com/AWSServiceRoleForAutoScaling`,
        }
      : {}),
    CapacityRebalance: pool.spec.spot.enabled,
    ...(group.status ? { Status: group.status } : {}),
  });
  addActivities(
    ctx,
    region,
    plan,
    group.name,
    group.instances,
    (plan.scenario.activities ?? []).filter(a => a.pool === pool.spec.name),
  );
}

/** An asg pool: the Auto Scaling group CAPA made from the AWSMachinePool, its instances and history. */
function simulateAsgPool(site: PoolSite): PoolOutcome {
  const { ctx, plan, net, pool } = site;
  const spec = rendered(site, 'AWSMachinePool');
  const name = pool.objectName;
  const types = pool.spec.instanceTypeOverrides.length
    ? pool.spec.instanceTypeOverrides
    : [pool.spec.instanceType ?? 'm6i.xlarge'];
  const spotOf = spotOfAsg(pool);
  const tags = nodeTags(plan, pool, spec.additionalTags ?? {});
  const instances = launchPool(
    site,
    n => types[n % types.length],
    () => ({ ...tags, [TAGS.autoscalingGroup]: name }),
    spotOf,
  );
  const launchTemplateId = ctx.ids.aws(
    'lt',
    `${plan.key}/lt/${pool.spec.name}`,
  );
  const template = {
    LaunchTemplateId: launchTemplateId,
    LaunchTemplateName: name,
    Version: '$Latest',
  };
  const mixed = spec.mixedInstancesPolicy;
  const deleting = plan.state === 'deleting';
  addAutoScalingGroup(site, {
    name,
    launch: mixed
      ? {
          MixedInstancesPolicy: {
            LaunchTemplate: {
              LaunchTemplateSpecification: template,
              Overrides: types.map(InstanceType => ({ InstanceType })),
            },
            InstancesDistribution: {
              OnDemandAllocationStrategy:
                mixed.instancesDistribution.onDemandAllocationStrategy,
              OnDemandBaseCapacity:
                mixed.instancesDistribution.onDemandBaseCapacity,
              OnDemandPercentageAboveBaseCapacity:
                mixed.instancesDistribution.onDemandPercentageAboveBaseCapacity,
              SpotAllocationStrategy:
                mixed.instancesDistribution.spotAllocationStrategy,
            },
          },
        }
      : { LaunchTemplate: template },
    sizes: deleting
      ? { min: 0, max: 0, desired: 0 }
      : {
          min: pool.spec.minSize ?? 0,
          max: pool.spec.maxSize ?? 1,
          desired: pool.desired,
        },
    healthCheckGracePeriod: 0,
    launchTemplateId,
    instances,
    createdAfterMinutes: 15,
    subnetIds: net.subnets
      .filter(
        s =>
          s.role === 'private' && pool.spec.availabilityZones.includes(s.zone),
      )
      .map(s => s.id),
    tags,
    terminationPolicies: ['Default'],
    serviceLinkedRole: true,
    ...(deleting ? { status: 'Delete in progress' } : {}),
  });
  return { pool, instances, launchTemplateId, groupName: name };
}

/** A Karpenter pool: no group, just instances tagged with the node pool that launched them. */
function simulateKarpenterPool(site: PoolSite): PoolOutcome {
  const { ctx, plan, pool } = site;
  const spec = rendered(site, 'KarpenterMachinePool');
  const requirements = spec.nodePool?.template?.spec?.requirements ?? [];
  const types = karpenterInstanceTypes(requirements);
  const spot = (
    requirements.find((r: any) => r.key === 'karpenter.sh/capacity-type')
      ?.values ?? []
  ).includes('spot');
  const classTags = spec.ec2NodeClass?.tags ?? {};
  const instances = launchPool(
    site,
    n =>
      types[
        ctx.ids.int(`${plan.key}/${pool.spec.name}/type/${n}`, types.length)
      ],
    n => ({
      ...nodeTags(plan, pool, classTags),
      [TAGS.karpenterNodePool]: pool.objectName,
      'karpenter.sh/nodeclaim': `${pool.objectName}-${ctx.ids.hex(
        `${plan.key}/${pool.spec.name}/claim/${n}`,
        5,
      )}`,
      'karpenter.k8s.aws/ec2nodeclass': pool.objectName,
    }),
    () => spot,
  );
  return { pool, instances };
}

const EKS_TAINT_EFFECT: Record<
  string,
  'NO_SCHEDULE' | 'PREFER_NO_SCHEDULE' | 'NO_EXECUTE'
> = {
  'no-schedule': 'NO_SCHEDULE',
  'prefer-no-schedule': 'PREFER_NO_SCHEDULE',
  'no-execute': 'NO_EXECUTE',
};

function recentFailure(
  plan: ClusterPlan,
  pool: PoolPlan,
): ActivityScenario | undefined {
  return (plan.scenario.activities ?? []).find(
    a =>
      a.pool === pool.spec.name && a.status === 'Failed' && a.minutesAgo <= 120,
  );
}

function nodegroupStatus(
  plan: ClusterPlan,
  degraded: boolean,
): NonNullable<Nodegroup['status']> {
  if (plan.state === 'deleting') return 'DELETING';
  return degraded ? 'DEGRADED' : 'ACTIVE';
}

/** A managed pool: the EKS node group CAPA made, the Auto Scaling group EKS made for it, and its nodes. */
function simulateManagedPool(site: PoolSite): PoolOutcome {
  const { ctx, region, plan, net, pool } = site;
  const spec = rendered(site, 'AWSManagedMachinePool');
  const nodegroupName: string = spec.eksNodegroupName ?? pool.objectName;
  const eksName = plan.name;
  const groupName = `eks-${nodegroupName}-${ctx.ids.uuid(
    `${plan.key}/ng/${pool.spec.name}`,
  )}`;
  const instanceType = pool.spec.instanceType ?? 'm6i.xlarge';
  const tags = {
    ...nodeTags(plan, pool, spec.additionalTags ?? {}),
    'eks:cluster-name': eksName,
    'eks:nodegroup-name': nodegroupName,
  };
  const instances = launchPool(
    site,
    () => instanceType,
    () => ({ ...tags, [TAGS.autoscalingGroup]: groupName }),
    () => pool.spec.spot.enabled,
  );
  const failure = recentFailure(plan, pool);
  const subnets = net.subnets.filter(
    s => s.role === 'private' && pool.spec.availabilityZones.includes(s.zone),
  );
  const launchTemplateId = ctx.ids.aws(
    'lt',
    `${plan.key}/lt/${pool.spec.name}`,
  );
  const [major, minor, patch] = plan.kubernetesVersion
    .replace(/^v/, '')
    .split('.');
  const nodegroup: Nodegroup = {
    nodegroupName,
    nodegroupArn: `arn:aws:eks:${region.region}:${
      region.accountId
    }:nodegroup/${eksName}/${nodegroupName}/${ctx.ids.uuid(
      `${plan.key}/ng-arn/${pool.spec.name}`,
    )}`,
    clusterName: eksName,
    version: `${major}.${minor}`,
    // EKS picks the patch of an AMI release for a major.minor request.
    releaseVersion: `${major}.${minor}.${patch ?? '5'}-20251016`,
    createdAt: sdkTime(ctx.at(plan.createdAt + 20 * 60_000)),
    modifiedAt: sdkTime(
      ctx.at(Math.max(plan.createdAt + 20 * 60_000, ctx.now - 3 * 86_400_000)),
    ),
    status: nodegroupStatus(plan, !!failure),
    capacityType: pool.spec.spot.enabled ? 'SPOT' : 'ON_DEMAND',
    scalingConfig: {
      minSize: pool.spec.minSize,
      maxSize: pool.spec.maxSize,
      desiredSize: pool.desired,
    },
    instanceTypes: [instanceType],
    subnets: subnets.map(s => s.id),
    amiType: 'AL2023_x86_64_STANDARD',
    nodeRole: `arn:aws:iam::${region.accountId}:role/${EKS_NODE_ROLE}`,
    labels: spec.labels ?? {},
    taints: (spec.taints ?? []).map(
      (t: { key: string; value: string; effect: string }) => ({
        key: t.key,
        value: t.value,
        effect: EKS_TAINT_EFFECT[t.effect],
      }),
    ),
    resources: { autoScalingGroups: [{ name: groupName }] },
    diskSize: spec.diskSize,
    health: {
      issues: failure
        ? [
            {
              code: 'AsgInstanceLaunchFailures',
              message: failure.statusMessage ?? DEFAULT_FAILURE,
              resourceIds: [groupName],
            },
          ]
        : [],
    },
    updateConfig: { maxUnavailable: 1 },
    tags,
  };
  region.snapshot.eksNodegroups.push(nodegroup);
  addAutoScalingGroup(site, {
    name: groupName,
    launch: {
      LaunchTemplate: {
        LaunchTemplateId: launchTemplateId,
        LaunchTemplateName: `eks-${ctx.ids.uuid(
          `${plan.key}/ltn/${pool.spec.name}`,
        )}`,
        Version: '1',
      },
    },
    sizes: {
      min: pool.spec.minSize ?? 0,
      max: pool.spec.maxSize ?? 1,
      desired: plan.state === 'deleting' ? 0 : pool.desired,
    },
    healthCheckGracePeriod: 15,
    launchTemplateId,
    instances,
    createdAfterMinutes: 21,
    subnetIds: subnets.map(s => s.id),
    tags: {
      'eks:cluster-name': eksName,
      'eks:nodegroup-name': nodegroupName,
      [TAGS.kubernetesCluster(plan.name)]: 'owned',
      'k8s.io/cluster-autoscaler/enabled': 'true',
      [`k8s.io/cluster-autoscaler/${eksName}`]: 'owned',
    },
    terminationPolicies: [
      'AllocationStrategy',
      'OldestLaunchTemplate',
      'OldestInstance',
    ],
  });
  return { pool, instances, launchTemplateId, groupName };
}

/**
 * The nodes of every pool of a cluster. Nothing exists before CAPA has its infrastructure
 * (a cluster still provisioning or failed has no groups yet).
 */
export function simulateNodePools(
  ctx: SimulationContext,
  region: RegionBuilder,
  plan: ClusterPlan,
  net: ClusterNetwork,
): PoolOutcome[] {
  if (plan.state === 'provisioning' || plan.state === 'failed') {
    return plan.pools.map(pool => ({ pool, instances: [] }));
  }
  return plan.pools.map(pool => {
    if (!pool.groupCreated) return { pool, instances: [] };
    const site = { ctx, region, plan, net, pool };
    switch (pool.spec.type) {
      case 'karpenter':
        return simulateKarpenterPool(site);
      case 'managed':
        return simulateManagedPool(site);
      default:
        return simulateAsgPool(site);
    }
  });
}
