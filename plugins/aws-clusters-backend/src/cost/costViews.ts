import type {
  ClusterCostSummary,
  ClusterCostView,
  ClusterSummary,
  MonthlyCost,
  TeamCost,
} from '@clusterdeck/plugin-aws-clusters-common';
import type { CostReadState } from './CostStore';
import type { CostRecord } from './readCostAndUsage';

/** The figures of one read, indexed by account and tag value. */
export class CostIndex {
  private readonly byAccountAndValue = new Map<string, MonthlyCost[]>();
  private readonly byValue = new Map<string, MonthlyCost[]>();

  constructor(readonly state: CostReadState, records: CostRecord[]) {
    const add = (
      map: Map<string, MonthlyCost[]>,
      key: string,
      r: CostRecord,
    ) => {
      const list = map.get(key) ?? [];
      const same = list.find(m => m.month === r.month);
      if (same) same.amount += r.amount;
      else
        list.push({
          month: r.month,
          amount: r.amount,
          unit: r.unit,
          estimated: r.estimated,
        });
      map.set(key, list);
    };
    for (const r of records) {
      add(this.byAccountAndValue, `${r.accountId}/${r.tagValue}`, r);
      add(this.byValue, r.tagValue, r);
    }
    for (const list of [
      ...this.byAccountAndValue.values(),
      ...this.byValue.values(),
    ])
      list.sort((a, b) => a.month.localeCompare(b.month));
  }

  /** A cluster's months: by its account and name, or by name alone while its account is unknown. */
  monthsOf(cluster: Pick<ClusterSummary, 'name' | 'accountId'>): MonthlyCost[] {
    return (
      (cluster.accountId
        ? this.byAccountAndValue.get(`${cluster.accountId}/${cluster.name}`)
        : this.byValue.get(cluster.name)) ?? []
    );
  }
}

function previousMonth(month: string): string {
  const [year, m] = month.split('-').map(Number);
  const date = new Date(Date.UTC(year, m - 2, 1));
  return date.toISOString().slice(0, 7);
}

function daysInMonth(month: string): number {
  const [year, m] = month.split('-').map(Number);
  return new Date(Date.UTC(year, m, 0)).getUTCDate();
}

function round(amount: number): number {
  return Math.round(amount * 100) / 100;
}

function rounded(cost: MonthlyCost): MonthlyCost {
  return { ...cost, amount: round(cost.amount) };
}

/** Why a cluster has no figures, in words for the card. */
function missingMessage(
  index: CostIndex,
  cluster: Pick<ClusterSummary, 'name' | 'accountId'>,
): string | undefined {
  const { state } = index;
  if (state.status === 'not-read')
    return state.failure
      ? `Cost Explorer could not be read: ${state.failure}`
      : 'Cost Explorer has not been read yet.';
  if (state.status !== 'ok') return state.message;
  return `No cost carries ${state.tagKey}=${cluster.name}${
    cluster.accountId ? ` in account ${cluster.accountId}` : ''
  } in the months read.`;
}

/** A cluster's cost as the Cost card shows it. */
export function clusterCostView(
  index: CostIndex,
  cluster: Pick<ClusterSummary, 'name' | 'accountId'>,
): ClusterCostView {
  const { state } = index;
  const months = index.monthsOf(cluster).map(rounded);
  const base = {
    tagKey: state.tagKey,
    tagValue: cluster.name,
    metric: state.metric,
    ...(state.readAt ? { readAt: state.readAt } : {}),
  };
  if (months.length === 0 || !state.through) {
    const message = missingMessage(index, cluster);
    return {
      ...base,
      status: state.status === 'ok' ? 'no-data' : state.status,
      months: [],
      ...(message ? { message } : {}),
    };
  }
  const current = state.through.slice(0, 7);
  const thisMonth = months.find(m => m.month === current);
  const lastMonth = months.find(m => m.month === previousMonth(current));
  const elapsed = Number(state.through.slice(8, 10));
  let trend: ClusterCostView['trend'];
  if (thisMonth) {
    const projected = round(
      (thisMonth.amount / elapsed) * daysInMonth(current),
    );
    trend = {
      projected,
      ...(lastMonth && lastMonth.amount > 0
        ? {
            changeFromLastMonth:
              Math.round((projected / lastMonth.amount - 1) * 1000) / 1000,
          }
        : {}),
    };
  }
  return {
    ...base,
    status: 'ok',
    months,
    ...(thisMonth ? { thisMonth } : {}),
    ...(lastMonth ? { lastMonth } : {}),
    ...(trend ? { trend } : {}),
    ...(state.failure
      ? {
          message: `The last read failed (${state.failure}); these figures are from ${state.readAt}.`,
        }
      : {}),
  };
}

/** The fleet row's part of {@link clusterCostView}. */
export function clusterCostSummary(view: ClusterCostView): ClusterCostSummary {
  return {
    status: view.status,
    ...(view.thisMonth ? { thisMonth: view.thisMonth } : {}),
    ...(view.lastMonth ? { lastMonth: view.lastMonth } : {}),
  };
}

/** Each team's cost per month: the sum over its clusters with figures, per unit. */
export function teamCosts(
  clusters: Array<{ owner: string; view: ClusterCostView }>,
): TeamCost[] {
  const teams = new Map<
    string,
    { months: Map<string, MonthlyCost>; withCost: number; count: number }
  >();
  for (const { owner, view } of clusters) {
    const team = teams.get(owner) ?? {
      months: new Map(),
      withCost: 0,
      count: 0,
    };
    team.count += 1;
    if (view.months.length > 0) team.withCost += 1;
    for (const m of view.months) {
      const key = `${m.month}/${m.unit}`;
      const sum = team.months.get(key);
      if (sum) {
        sum.amount += m.amount;
        sum.estimated ||= m.estimated;
      } else team.months.set(key, { ...m });
    }
    teams.set(owner, team);
  }
  return [...teams.entries()]
    .map(([owner, t]) => ({
      owner,
      months: [...t.months.values()]
        .map(rounded)
        .sort((a, b) => a.month.localeCompare(b.month)),
      clustersWithCost: t.withCost,
      clusters: t.count,
    }))
    .sort((a, b) => a.owner.localeCompare(b.owner));
}
