import {
  ISOLATION_FINDING_CODES,
  IsolationFinding,
  IsolationFindingCode,
} from '@clusterdeck/plugin-aws-clusters-common';
import type { FleetSnapshot } from '@clusterdeck/plugin-aws-clusters-node';
import { boundariesView } from '../boundariesView';
import type { FleetModel } from '../buildFleetModel';
import { clusterInstances } from '../regionIndex';
import { scalingView } from '../scalingView';
import { clusterSummary } from '../summaryView';
import { KARPENTER_NODEPOOL_TAG, tagMap, tagValue } from '../tags';
import { topologyView } from '../topologyView';

/** The severity of each finding code, as the backend README's findings table documents it. */
export const DOCUMENTED_SEVERITY: Record<
  IsolationFindingCode,
  IsolationFinding['severity']
> = {
  'public-production-api': 'critical',
  'overlapping-cidrs-on-transit-gateway': 'critical',
  'mixed-environments-in-account': 'warning',
  'teams-share-vpc': 'warning',
  'api-rules-differ-from-spec': 'warning',
  'missing-role-identity': 'warning',
  'teams-share-account': 'info',
  'adopted-vpc': 'info',
  'unknown-environment-label': 'warning',
};

/**
 * Values AWS documents for the fields the join decides by (EC2 Auto Scaling, EC2, ELB and EKS
 * API references). Recorded and simulated snapshots alike must keep to them, so that the
 * simulator cannot invent a value the join would then learn to read.
 */
export const AWS_VOCABULARY = {
  lifecycleState: new Set([
    'Pending',
    'Pending:Wait',
    'Pending:Proceed',
    'Quarantined',
    'InService',
    'Terminating',
    'Terminating:Wait',
    'Terminating:Proceed',
    'Terminated',
    'Detaching',
    'Detached',
    'EnteringStandby',
    'Standby',
    'Warmed:Pending',
    'Warmed:Pending:Wait',
    'Warmed:Pending:Proceed',
    'Warmed:Terminating',
    'Warmed:Terminating:Wait',
    'Warmed:Terminating:Proceed',
    'Warmed:Terminated',
    'Warmed:Stopped',
    'Warmed:Running',
    'Warmed:Hibernated',
  ]),
  healthStatus: new Set(['Healthy', 'Unhealthy']),
  groupStatus: new Set(['Delete in progress']),
  activityStatus: new Set([
    'PendingSpotBidPlacement',
    'WaitingForSpotInstanceRequestId',
    'WaitingForSpotInstanceId',
    'WaitingForInstanceId',
    'PreInService',
    'InProgress',
    'WaitingForELBConnectionDraining',
    'MidLifecycleAction',
    'WaitingForInstanceWarmup',
    'Successful',
    'Failed',
    'Cancelled',
    'WaitingForConnectionDraining',
  ]),
  instanceState: new Set([
    'pending',
    'running',
    'shutting-down',
    'terminated',
    'stopping',
    'stopped',
  ]),
  nodegroupStatus: new Set([
    'CREATING',
    'ACTIVE',
    'UPDATING',
    'DELETING',
    'CREATE_FAILED',
    'DELETE_FAILED',
    'DEGRADED',
  ]),
  loadBalancerType: new Set(['application', 'network', 'gateway']),
  scheme: new Set(['internet-facing', 'internal']),
  ipProtocol: new Set([
    'tcp',
    'udp',
    'icmp',
    'icmpv6',
    '-1',
    '6',
    '17',
    '1',
    '58',
  ]),
};

/** Values of the snapshot outside {@link AWS_VOCABULARY}, as `field: value` lines. */
export function unknownAwsValues(snapshot: FleetSnapshot): string[] {
  const unknown = new Set<string>();
  const check = (
    field: keyof typeof AWS_VOCABULARY,
    value: string | undefined,
  ) => {
    if (value !== undefined && !AWS_VOCABULARY[field].has(value))
      unknown.add(`${field}: ${value}`);
  };
  for (const region of snapshot.aws) {
    for (const group of region.autoScalingGroups) {
      check('groupStatus', group.Status);
      for (const i of group.Instances ?? []) {
        check('lifecycleState', i.LifecycleState);
        check('healthStatus', i.HealthStatus);
      }
    }
    for (const a of region.scalingActivities)
      check('activityStatus', a.StatusCode);
    for (const i of region.instances) check('instanceState', i.State?.Name);
    for (const n of region.eksNodegroups) check('nodegroupStatus', n.status);
    for (const lb of region.loadBalancers) {
      check('loadBalancerType', lb.Type);
      check('scheme', lb.Scheme);
    }
    for (const lb of region.classicLoadBalancers) check('scheme', lb.Scheme);
    for (const g of region.securityGroups)
      for (const p of g.IpPermissions ?? []) check('ipProtocol', p.IpProtocol);
  }
  return [...unknown].sort();
}

/**
 * What must hold of any fleet, recorded or simulated, once joined: the rules of the fleet view
 * as invariants. Returns the violations, one line each.
 */
export function ruleViolations(model: FleetModel): string[] {
  const problems: string[] = [];
  for (const cluster of model.clusters) {
    const summary = clusterSummary(cluster);
    const topology = topologyView(cluster);
    const where = cluster.ref;
    // Rule 1: the label wins.
    const label =
      cluster.cluster.metadata.labels?.['clusterdeck.io/environment'];
    if (label && summary.environment !== label)
      problems.push(
        `${where}: environment ${summary.environment}, labelled ${label}`,
      );
    const boxed = boundariesView(model, [cluster], []).environments.map(
      e => e.name,
    );
    if (label && (boxed.length !== 1 || boxed[0] !== label))
      problems.push(
        `${where}: in the boundaries of ${boxed.join(', ')}, labelled ${label}`,
      );
    // Rule 2: every status but ready says why.
    if (summary.status !== 'ready' && !summary.statusReason)
      problems.push(`${where}: ${summary.status} without a reason`);
    if (
      cluster.cluster.metadata.deletionTimestamp &&
      summary.status !== 'deleting'
    )
      problems.push(`${where}: deletion requested but ${summary.status}`);
    // Rule 3: the cluster's subnets are named by its spec or made for it.
    const named = new Set<string>(
      (cluster.infrastructure?.spec?.network?.subnets ?? []).flatMap(
        (s: any) => [s.resourceID, s.id],
      ),
    );
    for (const subnet of topology.subnets) {
      const owned =
        subnet.tags[
          `sigs.k8s.io/cluster-api-provider-aws/cluster/${cluster.name}`
        ] === 'owned';
      if (!named.has(subnet.id) && !owned && topology.vpc?.adopted)
        problems.push(
          `${where}: subnet ${subnet.id} neither named nor made for it`,
        );
    }
    // Rule 4: every balancer of the VPC tagged for the cluster, by any controller, is shown.
    for (const lb of [
      ...(cluster.vpc?.loadBalancers ?? []),
      ...(cluster.vpc?.classicLoadBalancers ?? []),
    ]) {
      const tags = tagMap(lb.Tags);
      const ours =
        tags['elbv2.k8s.aws/cluster'] === cluster.name ||
        tags[`kubernetes.io/cluster/${cluster.name}`] !== undefined ||
        tags[`sigs.k8s.io/cluster-api-provider-aws/cluster/${cluster.name}`] !==
          undefined;
      if (
        ours &&
        !topology.loadBalancers.some(v => v.name === lb.LoadBalancerName)
      )
        problems.push(
          `${where}: load balancer ${lb.LoadBalancerName} not shown`,
        );
    }
    for (const lb of topology.loadBalancers)
      if (!lb.controller)
        problems.push(
          `${where}: load balancer ${lb.name} without its controller`,
        );
    // Rule 5: nothing claimed without what AWS enforces.
    const cp = topology.controlPlane;
    if (
      cp.exposure === 'unknown' &&
      (cp.allowedCidrs.length || cp.requestedCidrs)
    )
      problems.push(`${where}: allow-list claimed while exposure is unknown`);
    if (
      cp.exposure === 'open-to-world' &&
      !cp.allowedCidrs.some(c => c === '0.0.0.0/0' || c === '::/0')
    )
      problems.push(`${where}: open to the world without a world range`);
    // Rule 5: the rule CAPA adds for the nodes (the NAT gateways' addresses) is among what AWS
    // enforces on a public API, or the view says what Cluster API would let in instead.
    const natIps: string[] =
      cluster.infrastructure?.kind === 'AWSCluster'
        ? cluster.infrastructure.status?.networkStatus?.natGatewaysIPs ?? []
        : [];
    if (
      (cp.exposure === 'open-to-world' || cp.exposure === 'allow-listed') &&
      !cp.requestedCidrs
    ) {
      for (const ip of natIps)
        if (!cp.allowedCidrs.includes(`${ip}/32`))
          problems.push(
            `${where}: CAPA's rule for NAT gateway ${ip} neither enforced nor reported missing`,
          );
    }
    // Rule 6: counts are what AWS has in service; nothing for a group that does not exist.
    for (const pool of scalingView(cluster)) {
      if (
        pool.group?.state === 'missing' &&
        (pool.current > 0 || pool.sizesFrom !== 'spec')
      )
        problems.push(`${where}/${pool.name}: counts for a missing group`);
      if (pool.kind === 'asg' && pool.group?.name) {
        const group = cluster.region_?.autoScalingGroups.get(pool.group.name);
        const inService = (group?.Instances ?? []).filter(
          i => i.LifecycleState === 'InService',
        ).length;
        if (pool.current !== inService)
          problems.push(
            `${where}/${pool.name}: current ${pool.current}, in service ${inService}`,
          );
        if (group && (pool.min !== group.MinSize || pool.max !== group.MaxSize))
          problems.push(`${where}/${pool.name}: sizes not the group's`);
      }
      if (pool.kind === 'managed' && pool.group?.state !== 'missing') {
        const nodegroup = cluster.region_?.nodegroups.get(
          `${cluster.eksClusterName ?? cluster.name}/${pool.group?.name}`,
        );
        const sizes = nodegroup?.scalingConfig;
        if (
          sizes &&
          (pool.min !== sizes.minSize ||
            pool.max !== sizes.maxSize ||
            pool.desired !== sizes.desiredSize)
        )
          problems.push(`${where}/${pool.name}: sizes not the node group's`);
      }
      if (pool.kind === 'karpenter') {
        const nodePool =
          cluster.pools.find(p => p.name === pool.name)?.infrastructure
            ?.metadata.name ?? pool.name;
        const running = clusterInstances(cluster.region_, [
          cluster.name,
          cluster.eksClusterName,
        ]).filter(
          i =>
            tagValue(i.Tags, KARPENTER_NODEPOOL_TAG) === nodePool &&
            i.State?.Name === 'running',
        ).length;
        if (pool.current !== running)
          problems.push(
            `${where}/${pool.name}: current ${pool.current}, running ${running}`,
          );
      }
      if (
        pool.activities[0]?.status === 'failed' &&
        !pool.warnings.some(w => w.startsWith('scaling failed'))
      ) {
        problems.push(
          `${where}/${pool.name}: failed scaling without a warning`,
        );
      }
    }
    // Rule 7: EKS names its versions major.minor, and the summary shows the version it runs;
    // the managed control plane asks for one as its CRD takes it (1.33, v1.33 or v1.33.4).
    if (cluster.flavor === 'eks') {
      const running = cluster.eksClusterName
        ? cluster.region_?.eksClusters.get(cluster.eksClusterName)?.version
        : undefined;
      if (running !== undefined && !/^\d+\.\d+$/.test(running))
        problems.push(`${where}: EKS runs ${running}, not a major.minor`);
      if (running !== undefined && summary.kubernetesVersion !== running)
        problems.push(
          `${where}: shows Kubernetes ${summary.kubernetesVersion}, EKS runs ${running}`,
        );
      const asked: string | undefined = cluster.controlPlane?.spec?.version;
      if (asked !== undefined && !/^v?\d+\.\d+(\.\d+)?$/.test(asked))
        problems.push(`${where}: the control plane asks for version ${asked}`);
    }
  }
  // Rule 8: every finding has a known code and the severity documented for it, or is accepted
  // and then information that keeps the documented severity.
  for (const finding of boundariesView(model, model.clusters, []).findings) {
    const documented = DOCUMENTED_SEVERITY[finding.code];
    if (!ISOLATION_FINDING_CODES.includes(finding.code) || !documented)
      problems.push(`finding ${finding.code}: not a documented code`);
    else if (
      finding.accepted
        ? finding.severity !== 'info' ||
          finding.accepted.severity !== documented
        : finding.severity !== documented
    )
      problems.push(
        `finding ${finding.code} "${finding.title}": severity ${finding.severity}, documented ${documented}`,
      );
  }
  return problems;
}
