import type {
  AccessEntry,
  BoundariesView,
  BoundaryCluster,
  IsolationFinding,
} from '@clusterdeck/plugin-aws-clusters-common';
import {
  ACCOUNT_ENVIRONMENTS,
  cidrsOverlap,
  ipv4Block,
  isIpv4Cidr,
} from '@clusterdeck/plugin-aws-clusters-common';
import {
  ENVIRONMENT_LABEL,
  type ClusterRecord,
  type FleetModel,
} from './buildFleetModel';
import { vpcOwnedBy } from './topologyView';

/** A finding while it is judged, with the accounts and environments it concerns. */
type Judged = IsolationFinding & {
  scope: Array<{ account?: string; environment?: string }>;
};

function access(
  model: FleetModel,
  cluster: ClusterRecord | undefined,
  accountId: string,
  adminGroups: string[],
): AccessEntry[] {
  const account = model.accounts.get(accountId);
  const entries: AccessEntry[] = [];
  const roleArn = cluster?.roleIdentity?.spec?.roleARN;
  entries.push({
    who: `Cluster API (CAPA) on ${
      cluster?.managementCluster ?? 'the management cluster'
    }`,
    how: roleArn ? `assumes ${roleArn}` : 'no role identity found',
  });
  switch (account?.accessModel) {
    case 'audited-no-access':
      entries.push({
        who: 'people',
        how: 'no human write access; every action is audited',
      });
      break;
    case 'developer-debug':
      entries.push({
        who: account.owners.join(', ') || 'the owning teams',
        how: 'may assume a debug role',
      });
      break;
    case 'platform-only':
      entries.push({
        who: adminGroups.join(', ') || 'the platform team',
        how: 'platform team only',
      });
      break;
    default:
      entries.push({
        who: 'unknown',
        how: "the account is not in Clusterdeck's configuration",
      });
  }
  return entries;
}

function boundaryCluster(cluster: ClusterRecord): BoundaryCluster {
  const { api } = cluster;
  return {
    ref: cluster.ref,
    name: cluster.name,
    owner: cluster.owner,
    environment: cluster.environment,
    apiMode: api.apiMode,
    apiExposure: api.exposure,
    allowedCidrs: api.allowedCidrs,
    ...(api.requestedCidrs ? { requestedCidrs: api.requestedCidrs } : {}),
  };
}

/** What every caller's findings are judged against, computed once per fleet model. */
interface FleetIndex {
  byAccount: Map<string, ClusterRecord[]>;
  byVpc: Map<string, ClusterRecord[]>;
  /** Pairs of clusters in different VPCs whose CIDRs overlap on one transit gateway. */
  transitGatewayClashes: Array<{
    tgwId: string;
    a: ClusterRecord;
    b: ClusterRecord;
    clash: string;
  }>;
}

const fleetIndexes = new WeakMap<FleetModel, FleetIndex>();

function group<K>(
  items: ClusterRecord[],
  key: (c: ClusterRecord) => K | undefined,
): Map<K, ClusterRecord[]> {
  const groups = new Map<K, ClusterRecord[]>();
  for (const item of items) {
    const k = key(item);
    if (k === undefined) continue;
    const members = groups.get(k);
    if (members) members.push(item);
    else groups.set(k, [item]);
  }
  return groups;
}

/**
 * Overlapping CIDRs among the VPCs attached to each transit gateway, by a sweep over the blocks
 * sorted by address: CIDR blocks either nest or are apart, so the blocks still open form a chain
 * that each new block either sits in (overlapping all of it) or ends. O(n log n) plus the clashes.
 */
function transitGatewayClashes(
  model: FleetModel,
): FleetIndex['transitGatewayClashes'] {
  const byTgw = new Map<
    string,
    Array<{ cluster: ClusterRecord; cidrs: string[] }>
  >();
  for (const c of model.clusters) {
    for (const attachment of c.vpc?.transitGatewayAttachments ?? []) {
      const cidrs = [
        c.vpc?.vpc.CidrBlock,
        ...(c.vpc?.vpc.CidrBlockAssociationSet ?? []).map(a => a.CidrBlock),
      ].filter((x): x is string => !!x && isIpv4Cidr(x));
      const id = attachment.TransitGatewayId ?? '';
      const members = byTgw.get(id) ?? [];
      members.push({ cluster: c, cidrs: [...new Set(cidrs)] });
      byTgw.set(id, members);
    }
  }
  const clashes: FleetIndex['transitGatewayClashes'] = [];
  for (const [tgwId, members] of byTgw) {
    const blocks = members.flatMap((member, index) =>
      member.cidrs.map(cidr => ({ index, block: ipv4Block(cidr) })),
    );
    blocks.sort(
      (x, y) => x.block.start - y.block.start || y.block.size - x.block.size,
    );
    const open: typeof blocks = [];
    const pairs = new Set<string>();
    for (const current of blocks) {
      while (
        open.length > 0 &&
        open[open.length - 1].block.start + open[open.length - 1].block.size <=
          current.block.start
      )
        open.pop();
      for (const other of open) {
        const [i, j] =
          other.index < current.index
            ? [other.index, current.index]
            : [current.index, other.index];
        if (i === j || members[i].cluster.vpc === members[j].cluster.vpc)
          continue;
        pairs.add(`${i} ${j}`);
      }
      open.push(current);
    }
    const ordered = [...pairs]
      .map(p => p.split(' ').map(Number))
      .sort((x, y) => x[0] - y[0] || x[1] - y[1]);
    for (const [i, j] of ordered) {
      const [a, b] = [members[i], members[j]];
      const clash = a.cidrs.find(x => b.cidrs.some(y => cidrsOverlap(x, y)))!;
      clashes.push({ tgwId, a: a.cluster, b: b.cluster, clash });
    }
  }
  return clashes;
}

function fleetIndex(model: FleetModel): FleetIndex {
  let index = fleetIndexes.get(model);
  if (!index) {
    index = {
      byAccount: group(model.clusters, c => c.accountId),
      byVpc: group(model.clusters, c => c.vpc?.vpc.VpcId),
      transitGatewayClashes: transitGatewayClashes(model),
    };
    fleetIndexes.set(model, index);
  }
  return index;
}

/** `a`, `a and b`, `a, b and c`. */
const inWords = (items: string[]) =>
  items.length > 1
    ? `${items.slice(0, -1).join(', ')} and ${items[items.length - 1]}`
    : items.join('');

/** The title and explanation of `mixed-environments-in-account`, naming the environments present. */
function mixedEnvironments(
  environments: string[],
  accountName: string,
  accountEnvironment: string | undefined,
): { title: string; explanation: string } {
  const production =
    accountEnvironment === 'production' || environments.includes('production');
  return {
    title:
      environments.length > 1
        ? `Clusters of ${inWords(environments)} share account ${accountName}`
        : `${environments[0].charAt(0).toUpperCase()}${environments[0].slice(
            1,
          )} clusters run in ${accountEnvironment} account ${accountName}`,
    explanation: production
      ? 'An account is the strongest isolation boundary AWS offers: a non-production cluster in a production account shares its IAM, quotas and blast radius, and its access model.'
      : 'An account is the strongest isolation boundary AWS offers: clusters of different environments in one account share its IAM, quotas and blast radius, and its access model.',
  };
}

const listed = (cidrs: string[]) => cidrs.join(', ') || 'no address range';

/**
 * The title and explanation of `api-rules-differ-from-spec`: on EC2 against the rules CAPA
 * itself keeps on the API load balancer's group (the spec's and its own), on EKS against the
 * spec's public CIDRs.
 */
function rulesDiffer(
  name: string,
  api: ClusterRecord['api'],
): { title: string; explanation: string } {
  const enforced = `AWS lets in ${listed(api.allowedCidrs)} (${
    api.note ?? 'its access rules'
  }).`;
  if (!api.drift || !api.capaCidrs) {
    return {
      title: `The API of ${name} is reachable from other addresses than its spec allows`,
      explanation: `The spec allows ${listed(
        api.requestedCidrs ?? [],
      )}; ${enforced} Someone changed the access outside Cluster API, or CAPA has not applied the spec yet.`,
    };
  }
  const { extra, missing } = api.drift;
  return {
    title:
      extra.length > 0
        ? `The API of ${name} is reachable from other addresses than its spec and CAPA allow`
        : `The API of ${name} lets in fewer addresses than its spec and CAPA allow`,
    explanation: [
      `Cluster API would let in ${listed(
        api.requestedCidrs ?? [],
      )}: the spec's rules, and ${listed(
        api.capaCidrs.cidrs,
      )} that CAPA adds itself because ${api.capaCidrs.why}.`,
      enforced,
      ...(extra.length > 0
        ? [
            `${extra.join(
              ', ',
            )} came from outside Cluster API: CAPA removes the rules it did not make from its group when it reconciles the cluster, so a lasting one means it does not get to.`,
          ]
        : []),
      ...(missing.length > 0
        ? [`${missing.join(', ')}: CAPA has not applied these yet.`]
        : []),
    ].join(' '),
  };
}

/**
 * Findings over the clusters a caller sees, judged against the whole fleet: an account or VPC
 * shared with another team counts even when the caller cannot see that team's clusters, which
 * are then never named.
 */
function judgeFindings(model: FleetModel, visible: ClusterRecord[]): Judged[] {
  const result: Judged[] = [];
  // Each cluster a finding names counts with its own environment; each account with the account's.
  const scopeOf = (clusters: ClusterRecord[], accountIds: string[] = []) => [
    ...clusters.map(c => ({
      account: c.accountId,
      environment: c.environment,
    })),
    ...accountIds.map(id => ({
      account: id,
      environment: model.accounts.get(id)?.environment,
    })),
  ];
  const visibleRefs = new Set(visible.map(c => c.ref));
  const {
    byAccount,
    byVpc,
    transitGatewayClashes: clashes,
  } = fleetIndex(model);
  for (const [accountId, clusters] of byAccount) {
    const mine = clusters.filter(c => visibleRefs.has(c.ref));
    if (mine.length === 0) continue;
    const subjects = [accountId, ...mine.map(c => c.ref)];
    const scope = scopeOf(mine, [accountId]);
    const environments = new Set(
      clusters.map(c => c.environment).filter(Boolean),
    );
    const account = model.accounts.get(accountId);
    if (
      environments.size > 1 ||
      (account?.environment === 'production' &&
        [...environments].some(e => e !== 'production'))
    ) {
      result.push({
        scope,
        severity: 'warning',
        code: 'mixed-environments-in-account',
        ...mixedEnvironments(
          [...environments].sort() as string[],
          account?.name ?? accountId,
          account?.environment,
        ),
        subjects,
      });
    }
    const owners = new Set(clusters.map(c => c.owner));
    if (owners.size > 1) {
      result.push({
        scope,
        severity: 'info',
        code: 'teams-share-account',
        title: `${owners.size} teams have clusters in account ${
          account?.name ?? accountId
        }`,
        explanation:
          "Teams that share an account share its quotas and its IAM boundary; a role one team is granted can reach the other team's resources.",
        subjects,
      });
    }
  }
  for (const [vpcId, clusters] of byVpc) {
    const mine = clusters.filter(c => visibleRefs.has(c.ref));
    if (mine.length > 0 && new Set(clusters.map(c => c.owner)).size > 1) {
      result.push({
        scope: scopeOf(mine),
        severity: 'warning',
        code: 'teams-share-vpc',
        title: `Clusters of several teams share VPC ${vpcId}`,
        explanation:
          "In one VPC, security groups are the only network boundary between the teams' nodes and pods.",
        subjects: [vpcId, ...mine.map(c => c.ref)],
      });
    }
  }
  for (const [vpcId, clusters] of byVpc) {
    const mine = clusters.filter(c => visibleRefs.has(c.ref));
    const adopted = mine.filter(c => c.vpc && !vpcOwnedBy(c, c.vpc));
    if (adopted.length > 0) {
      result.push({
        scope: scopeOf(adopted),
        severity: 'info',
        code: 'adopted-vpc',
        title: `VPC ${vpcId} is not managed by Cluster API`,
        explanation:
          'The VPC was adopted: CAPA uses it and the subnets the cluster names, but someone else owns its routes, gateways and other subnets, and deleting the cluster leaves it in place.',
        subjects: [vpcId, ...adopted.map(c => c.ref)],
      });
    }
  }
  for (const c of visible) {
    const { api } = c;
    if (c.unknownEnvironmentLabel !== undefined) {
      result.push({
        scope: scopeOf([c]),
        severity: 'warning',
        code: 'unknown-environment-label',
        title: `Cluster ${c.name} is labelled with an environment that does not exist: ${c.unknownEnvironmentLabel}`,
        explanation: `Its ${ENVIRONMENT_LABEL} label names none of the environments (${ACCOUNT_ENVIRONMENTS.join(
          ', ',
        )}), so the cluster is shown in its account's environment${
          c.environment ? ` (${c.environment})` : ''
        }. Correct the label, or remove it to use the account's.`,
        subjects: [c.ref],
      });
    }
    if (c.environment === 'production' && api.exposure === 'open-to-world') {
      result.push({
        scope: scopeOf([c]),
        severity: 'critical',
        code: 'public-production-api',
        title: `Production cluster ${c.name} has a Kubernetes API open to the internet`,
        explanation: `AWS lets anyone reach the API server: ${api.allowedCidrs.join(
          ', ',
        )} may reach it (${
          api.note ?? 'its access rules'
        }), so anyone can try credentials against it. Make the API private (through the transit gateway) or restrict it to known CIDRs.`,
        subjects: [c.ref],
      });
    }
    if (api.requestedCidrs) {
      result.push({
        scope: scopeOf([c]),
        severity: 'warning',
        code: 'api-rules-differ-from-spec',
        ...rulesDiffer(c.name, api),
        subjects: [c.ref],
      });
    }
    if (!c.roleIdentity) {
      result.push({
        scope: scopeOf([c]),
        severity: 'warning',
        code: 'missing-role-identity',
        title: `Cluster ${c.name} names no AWSClusterRoleIdentity the management cluster has`,
        explanation: `The role identity ${
          c.roleIdentityName ?? '(none)'
        } is missing, so CAPA cannot act in the account and the cluster's account is unknown.`,
        subjects: [c.ref],
      });
    }
  }
  for (const { tgwId, a, b, clash } of clashes) {
    const seen = [a, b].filter(c => visibleRefs.has(c.ref));
    if (seen.length > 0) {
      result.push({
        scope: scopeOf(seen),
        severity: 'critical',
        code: 'overlapping-cidrs-on-transit-gateway',
        title: `Overlapping VPC CIDRs on transit gateway ${tgwId}`,
        explanation: `${clash} overlaps another VPC attached to the same transit gateway, so traffic between them cannot be routed.`,
        subjects: seen.map(c => c.ref),
      });
    }
  }
  return result;
}

/**
 * Findings over the clusters a caller sees, with those the platform team accepted for all the
 * accounts or environments a finding concerns marked accepted (and shown as information).
 */
function findings(
  model: FleetModel,
  visible: ClusterRecord[],
): IsolationFinding[] {
  return judgeFindings(model, visible).map(({ scope, ...finding }) => {
    const rules = model.acceptedFindings.filter(
      rule => rule.code === finding.code,
    );
    const covered = ({ account, environment }: Judged['scope'][number]) =>
      rules.some(
        rule =>
          (!rule.accounts && !rule.environments) ||
          (account !== undefined && !!rule.accounts?.includes(account)) ||
          (environment !== undefined &&
            !!(rule.environments as string[] | undefined)?.includes(
              environment,
            )),
      );
    // Accepted only when every account and cluster it concerns is covered by an accepting rule.
    const accepted =
      rules.length > 0 && scope.length > 0 && scope.every(covered);
    if (!accepted) return finding;
    const reason = rules.find(r => r.reason)?.reason;
    return {
      ...finding,
      severity: 'info' as const,
      accepted: { severity: finding.severity, ...(reason ? { reason } : {}) },
    };
  });
}

/** The boxes the given clusters sit in (environment, account, VPC) and the findings about them. */
export function boundariesView(
  model: FleetModel,
  visible: ClusterRecord[],
  adminGroups: string[],
): BoundariesView {
  const environments = new Map<string, Map<string, ClusterRecord[]>>();
  for (const c of visible) {
    const env = c.environment ?? 'unknown';
    const accounts =
      environments.get(env) ?? new Map<string, ClusterRecord[]>();
    const key = c.accountId ?? 'unknown';
    const members = accounts.get(key);
    if (members) members.push(c);
    else accounts.set(key, [c]);
    environments.set(env, accounts);
  }
  const { byAccount: everyone, byVpc } = fleetIndex(model);
  return {
    environments: [...environments].map(([name, accounts]) => ({
      name: name as BoundariesView['environments'][number]['name'],
      accounts: [...accounts].map(([accountId, clusters]) => {
        const configured = model.accounts.get(accountId);
        const all = everyone.get(accountId) ?? clusters;
        const vpcs = group(clusters, c => c.vpc?.vpc.VpcId ?? `none:${c.ref}`);
        return {
          account: configured ?? {
            id: accountId,
            name: accountId,
            owners: [],
            regions: [],
          },
          shared: new Set(all.map(c => c.owner)).size > 1,
          teams: [...new Set(clusters.map(c => c.owner))],
          roleIdentities: [
            ...new Set(
              clusters
                .map(c => c.roleIdentityName)
                .filter((n): n is string => !!n),
            ),
          ],
          access: access(model, clusters[0], accountId, adminGroups),
          vpcs: [...vpcs].map(([vpcId, members]) => ({
            id: vpcId.startsWith('none:') ? undefined : vpcId,
            cidrs: members[0].vpc
              ? [members[0].vpc.vpc.CidrBlock ?? ''].filter(Boolean)
              : [],
            shared: (byVpc.get(vpcId)?.length ?? 0) > 1,
            clusters: members.map(boundaryCluster),
          })),
        };
      }),
    })),
    findings: findings(model, visible),
  };
}
