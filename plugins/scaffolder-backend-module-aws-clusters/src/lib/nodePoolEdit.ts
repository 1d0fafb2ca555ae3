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

/**
 * Applies a change to the node pools of a ClusterRequest as written (in place). Problems carry
 * the path of the input field they concern (`pool.name`, `pool.maxSize`).
 */
export function editRequestNodePools(
  request: any,
  change: NodePoolChange,
): EditOutcome {
  const problems: Problem[] = [];
  const changes: string[] = [];
  const pools: any[] = request?.spec?.nodePools;
  if (!Array.isArray(pools)) {
    return {
      problems: [
        {
          path: 'spec.nodePools',
          message: 'the cluster request has no node pools',
        },
      ],
      changes,
    };
  }
  const index = pools.findIndex(p => p?.name === change.name);
  if (change.operation === 'change') {
    if (index < 0) {
      problems.push({
        path: 'pool.name',
        message: `the cluster has no node pool ${change.name}; it has ${pools
          .map(p => p.name)
          .join(', ')}`,
      });
      return { problems, changes };
    }
    const pool = pools[index];
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
  if (index >= 0) {
    problems.push({
      path: 'pool.name',
      message: `the cluster has a node pool ${change.name} already`,
    });
    return { problems, changes };
  }
  const added: Record<string, unknown> = {
    name: change.name,
    type: 'asg',
    ...change.spec,
  };
  for (const field of SIZE_FIELDS)
    if (change[field] !== undefined) added[field] = change[field];
  pools.push(added);
  changes.push(`${change.name}: added (${describePool(added)})`);
  return { problems, changes };
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
  const problems: Problem[] = [];
  const changes: string[] = [];
  const global = (values.global ??= {});
  const pools: Record<string, any> = (global.nodePools ??= {});
  const pool = pools[change.name];
  if (change.operation === 'change') {
    if (!pool) {
      problems.push({
        path: 'pool.name',
        message: `the cluster has no node pool ${
          change.name
        }; it has ${Object.keys(pools).join(', ')}`,
      });
      return { problems, changes };
    }
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
  if (pool) {
    problems.push({
      path: 'pool.name',
      message: `the cluster has a node pool ${change.name} already`,
    });
    return { problems, changes };
  }
  const type = (change.spec?.type as string | undefined) ?? 'asg';
  if (type !== 'asg') {
    problems.push({
      path: 'pool.type',
      message:
        'without a cluster request, only asg pools can be added to chart values',
    });
    return { problems, changes };
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
  changes.push(
    `${change.name}: added (asg, ${change.instanceType}, ${change.minSize}–${change.maxSize} nodes)`,
  );
  return { problems, changes };
}
