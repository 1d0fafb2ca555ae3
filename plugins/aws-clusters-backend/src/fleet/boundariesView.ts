import type {
  AccessEntry,
  BoundariesView,
  BoundaryCluster,
  IsolationFinding,
} from '@clusterdeck/plugin-aws-clusters-common';
import { cidrsOverlap, isIpv4Cidr } from '@clusterdeck/plugin-aws-clusters-common';
import type { ClusterRecord, FleetModel } from './buildFleetModel';
import { clusterSummary } from './summaryView';
import { topologyView } from './topologyView';

function access(model: FleetModel, cluster: ClusterRecord | undefined, accountId: string, adminGroups: string[]): AccessEntry[] {
  const account = model.accounts.get(accountId);
  const entries: AccessEntry[] = [];
  const roleArn = cluster?.roleIdentity?.spec?.roleARN;
  entries.push({
    who: `Cluster API (CAPA) on ${cluster?.managementCluster ?? 'the management cluster'}`,
    how: roleArn ? `assumes ${roleArn}` : 'no role identity found',
  });
  switch (account?.accessModel) {
    case 'audited-no-access':
      entries.push({ who: 'people', how: 'no human write access; every action is audited' });
      break;
    case 'developer-debug':
      entries.push({ who: account.owners.join(', ') || 'the owning teams', how: 'may assume a debug role' });
      break;
    case 'platform-only':
      entries.push({ who: adminGroups.join(', ') || 'the platform team', how: 'platform team only' });
      break;
    default:
      entries.push({ who: 'unknown', how: 'the account is not in Clusterdeck\'s configuration' });
  }
  return entries;
}

function boundaryCluster(cluster: ClusterRecord): BoundaryCluster {
  const summary = clusterSummary(cluster);
  const topology = topologyView(cluster);
  return {
    ref: cluster.ref,
    name: cluster.name,
    owner: cluster.owner,
    environment: cluster.environment,
    apiMode: summary.apiMode,
    allowedCidrs: topology.controlPlane.allowedCidrs,
  };
}

/**
 * Findings over the clusters a caller sees, judged against the whole fleet: an account or VPC
 * shared with another team counts even when the caller cannot see that team's clusters, which
 * are then never named.
 */
function findings(model: FleetModel, visible: ClusterRecord[]): IsolationFinding[] {
  const result: IsolationFinding[] = [];
  const visibleRefs = new Set(visible.map(c => c.ref));
  const byAccount = new Map<string, ClusterRecord[]>();
  for (const c of model.clusters) {
    if (c.accountId) byAccount.set(c.accountId, [...(byAccount.get(c.accountId) ?? []), c]);
  }
  for (const [accountId, clusters] of byAccount) {
    const mine = clusters.filter(c => visibleRefs.has(c.ref));
    if (mine.length === 0) continue;
    const subjects = [accountId, ...mine.map(c => c.ref)];
    const labels = new Set(clusters.map(c => c.cluster.metadata.labels?.['clusterdeck.io/environment']).filter(Boolean));
    const account = model.accounts.get(accountId);
    if (labels.size > 1 || (account?.environment === 'production' && [...labels].some(l => l !== 'production'))) {
      result.push({
        severity: 'warning',
        code: 'mixed-environments-in-account',
        title: `Production and non-production clusters share account ${account?.name ?? accountId}`,
        explanation: 'An account is the strongest isolation boundary AWS offers: a non-production cluster in a production account shares its IAM, quotas and blast radius, and its access model.',
        subjects,
      });
    }
    const owners = new Set(clusters.map(c => c.owner));
    if (owners.size > 1) {
      result.push({
        severity: 'info',
        code: 'teams-share-account',
        title: `${owners.size} teams have clusters in account ${account?.name ?? accountId}`,
        explanation: 'Teams that share an account share its quotas and its IAM boundary; a role one team is granted can reach the other team\'s resources.',
        subjects,
      });
    }
  }
  const byVpc = new Map<string, ClusterRecord[]>();
  for (const c of model.clusters) {
    const id = c.vpc?.vpc.VpcId;
    if (id) byVpc.set(id, [...(byVpc.get(id) ?? []), c]);
  }
  for (const [vpcId, clusters] of byVpc) {
    const mine = clusters.filter(c => visibleRefs.has(c.ref));
    if (mine.length > 0 && new Set(clusters.map(c => c.owner)).size > 1) {
      result.push({
        severity: 'warning',
        code: 'teams-share-vpc',
        title: `Clusters of several teams share VPC ${vpcId}`,
        explanation: 'In one VPC, security groups are the only network boundary between the teams\' nodes and pods.',
        subjects: [vpcId, ...mine.map(c => c.ref)],
      });
    }
  }
  for (const c of visible) {
    const boundary = boundaryCluster(c);
    if (c.environment === 'production' && boundary.apiMode === 'public' && (boundary.allowedCidrs.length === 0 || boundary.allowedCidrs.includes('0.0.0.0/0'))) {
      result.push({
        severity: 'critical',
        code: 'public-production-api',
        title: `Production cluster ${c.name} has a Kubernetes API open to the internet`,
        explanation: 'Anyone can reach the API server and try credentials against it. Make the API private (through the transit gateway) or restrict it to known CIDRs.',
        subjects: [c.ref],
      });
    }
    if (!c.roleIdentity) {
      result.push({
        severity: 'warning',
        code: 'missing-role-identity',
        title: `Cluster ${c.name} names no AWSClusterRoleIdentity the management cluster has`,
        explanation: `The role identity ${c.roleIdentityName ?? '(none)'} is missing, so CAPA cannot act in the account and the cluster's account is unknown.`,
        subjects: [c.ref],
      });
    }
  }
  const byTgw = new Map<string, Array<{ cluster: ClusterRecord; cidrs: string[] }>>();
  for (const c of model.clusters) {
    for (const attachment of c.vpc?.transitGatewayAttachments ?? []) {
      const cidrs = [c.vpc?.vpc.CidrBlock, ...(c.vpc?.vpc.CidrBlockAssociationSet ?? []).map(a => a.CidrBlock)].filter((x): x is string => !!x && isIpv4Cidr(x));
      const id = attachment.TransitGatewayId ?? '';
      byTgw.set(id, [...(byTgw.get(id) ?? []), { cluster: c, cidrs: [...new Set(cidrs)] }]);
    }
  }
  for (const [tgwId, members] of byTgw) {
    members.forEach((a, i) => {
      for (const b of members.slice(i + 1)) {
        if (a.cluster.vpc === b.cluster.vpc) continue;
        const clash = a.cidrs.find(x => b.cidrs.some(y => cidrsOverlap(x, y)));
        const seen = [a, b].filter(m => visibleRefs.has(m.cluster.ref));
        if (clash && seen.length > 0) {
          result.push({
            severity: 'critical',
            code: 'overlapping-cidrs-on-transit-gateway',
            title: `Overlapping VPC CIDRs on transit gateway ${tgwId}`,
            explanation: `${clash} overlaps another VPC attached to the same transit gateway, so traffic between them cannot be routed.`,
            subjects: seen.map(m => m.cluster.ref),
          });
        }
      }
    });
  }
  return result;
}

/** The boxes the given clusters sit in (environment, account, VPC) and the findings about them. */
export function boundariesView(model: FleetModel, visible: ClusterRecord[], adminGroups: string[]): BoundariesView {
  const environments = new Map<string, Map<string, ClusterRecord[]>>();
  for (const c of visible) {
    const env = c.environment ?? 'unknown';
    const accounts = environments.get(env) ?? new Map<string, ClusterRecord[]>();
    const key = c.accountId ?? 'unknown';
    accounts.set(key, [...(accounts.get(key) ?? []), c]);
    environments.set(env, accounts);
  }
  const everyone = new Map<string, ClusterRecord[]>();
  for (const c of model.clusters) {
    if (c.accountId) everyone.set(c.accountId, [...(everyone.get(c.accountId) ?? []), c]);
  }
  return {
    environments: [...environments].map(([name, accounts]) => ({
      name: name as BoundariesView['environments'][number]['name'],
      accounts: [...accounts].map(([accountId, clusters]) => {
        const configured = model.accounts.get(accountId);
        const all = everyone.get(accountId) ?? clusters;
        const vpcs = new Map<string, ClusterRecord[]>();
        for (const c of clusters) {
          const key = c.vpc?.vpc.VpcId ?? `none:${c.ref}`;
          vpcs.set(key, [...(vpcs.get(key) ?? []), c]);
        }
        return {
          account: configured ?? { id: accountId, name: accountId, owners: [], regions: [] },
          shared: new Set(all.map(c => c.owner)).size > 1,
          teams: [...new Set(clusters.map(c => c.owner))],
          roleIdentities: [...new Set(clusters.map(c => c.roleIdentityName).filter((n): n is string => !!n))],
          access: access(model, clusters[0], accountId, adminGroups),
          vpcs: [...vpcs].map(([vpcId, members]) => ({
            id: vpcId.startsWith('none:') ? undefined : vpcId,
            cidrs: members[0].vpc ? [members[0].vpc.vpc.CidrBlock ?? ''].filter(Boolean) : [],
            shared: model.clusters.filter(c => c.vpc?.vpc.VpcId === vpcId).length > 1,
            clusters: members.map(boundaryCluster),
          })),
        };
      }),
    })),
    findings: findings(model, visible),
  };
}
