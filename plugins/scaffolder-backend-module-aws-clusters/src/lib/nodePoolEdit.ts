import { Problem } from '@clusterdeck/plugin-aws-clusters-common';

/** @public A day-2 change of one node pool. */
export interface NodePoolChange {
  operation: 'change' | 'add';
  name: string;
  minSize?: number;
  maxSize?: number;
  instanceType?: string;
  /** Only for `add`: the rest of the pool (type, spot, labels, taints, zones, karpenter …) as in a ClusterRequest. */
  spec?: Record<string, unknown>;
}

/** What an edit did, in words a reviewer reads. */
export interface EditOutcome {
  problems: Problem[];
  /** `pool: field old → new` lines. */
  changes: string[];
}

const SIZE_FIELDS = ['minSize', 'maxSize', 'instanceType'] as const;

/** An edit refused for one reason. */
function refused(path: string, message: string): EditOutcome {
  return { problems: [{ path, message }], changes: [] };
}

function noSuchPool(change: NodePoolChange, names: string[]): EditOutcome {
  return refused(
    'pool.name',
    `the cluster has no node pool ${change.name}; it has ${names.join(', ')}`,
  );
}

function poolExists(change: NodePoolChange): EditOutcome {
  return refused(
    'pool.name',
    `the cluster has a node pool ${change.name} already`,
  );
}

/**
 * Sets the size fields a change names on an existing pool, a ClusterRequest's or the chart
 * values' alike (both name them `minSize`, `maxSize`, `instanceType`).
 */
function changePoolSizes(
  pool: Record<string, any>,
  change: NodePoolChange,
): EditOutcome {
  const problems: Problem[] = [];
  const changes: string[] = [];
  for (const field of SIZE_FIELDS) {
    const value = change[field];
    if (value === undefined || value === pool[field]) continue;
    if (pool.type === 'karpenter') {
      problems.push({
        path: `pool.${field}`,
        message:
          'Karpenter pools size themselves; change their requirements and limits instead',
      });
      continue;
    }
    changes.push(
      `${change.name}: ${field} ${pool[field] ?? '(unset)'} → ${value}`,
    );
    pool[field] = value;
  }
  if (problems.length === 0 && changes.length === 0) {
    problems.push({
      path: 'pool',
      message: `nothing to change: ${change.name} has these values already`,
    });
  }
  return { problems, changes };
}

/**
 * Applies a change to the node pools of a ClusterRequest as written (in place). Problems carry
 * the path of the input field they concern (`pool.name`, `pool.maxSize`).
 */
export function editRequestNodePools(
  request: any,
  change: NodePoolChange,
): EditOutcome {
  const pools: any[] = request?.spec?.nodePools;
  if (!Array.isArray(pools)) {
    return refused('spec.nodePools', 'the cluster request has no node pools');
  }
  const index = pools.findIndex(p => p?.name === change.name);
  if (change.operation === 'change') {
    if (index < 0)
      return noSuchPool(
        change,
        pools.map(p => p.name),
      );
    return changePoolSizes(pools[index], change);
  }
  if (index >= 0) return poolExists(change);
  const added: Record<string, unknown> = {
    name: change.name,
    type: 'asg',
    ...change.spec,
  };
  for (const field of SIZE_FIELDS)
    if (change[field] !== undefined) added[field] = change[field];
  pools.push(added);
  return {
    problems: [],
    changes: [`${change.name}: added (${describePool(added)})`],
  };
}

function describePool(pool: Record<string, unknown>): string {
  const size =
    pool.minSize !== undefined || pool.maxSize !== undefined
      ? `, ${pool.minSize ?? '?'}–${pool.maxSize ?? '?'} nodes`
      : '';
  return `${pool.type}${
    pool.instanceType ? `, ${pool.instanceType}` : ''
  }${size}`;
}

/**
 * Applies a change to the node pools of cluster-aws chart values (`global.nodePools`, keyed by
 * name), for clusters whose directory holds no ClusterRequest.
 */
export function editValuesNodePools(
  values: any,
  change: NodePoolChange,
): EditOutcome {
  const global = (values.global ??= {});
  const pools: Record<string, any> = (global.nodePools ??= {});
  const pool = pools[change.name];
  if (change.operation === 'change') {
    if (!pool) return noSuchPool(change, Object.keys(pools));
    return changePoolSizes(pool, change);
  }
  if (pool) return poolExists(change);
  const type = (change.spec?.type as string | undefined) ?? 'asg';
  if (type !== 'asg') {
    return refused(
      'pool.type',
      'without a cluster request, only asg pools can be added to chart values',
    );
  }
  const existing = Object.values(pools)[0] as any;
  pools[change.name] = {
    instanceType: change.instanceType,
    minSize: change.minSize,
    maxSize: change.maxSize,
    ...(existing?.availabilityZones
      ? { availabilityZones: existing.availabilityZones }
      : {}),
  };
  return {
    problems: [],
    changes: [
      `${change.name}: added (asg, ${change.instanceType}, ${change.minSize}–${change.maxSize} nodes)`,
    ],
  };
}
