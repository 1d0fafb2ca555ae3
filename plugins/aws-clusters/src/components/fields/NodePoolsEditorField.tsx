import type { FieldExtensionComponentProps } from '@backstage/plugin-scaffolder-react';
import { Box, Button, Checkbox, FormControlLabel, FormHelperText, IconButton, MenuItem, TextField, Typography } from '@material-ui/core';
import DeleteIcon from '@material-ui/icons/Delete';

/** One node pool as the request's `spec.nodePools[]` takes it (the fields this editor sets). */
export interface NodePoolValue {
  name: string;
  type: 'asg' | 'karpenter' | 'managed';
  instanceType: string;
  minSize?: number;
  maxSize?: number;
  spot?: { enabled: boolean };
}

/** The `ui:options` of {@link ClusterdeckNodePoolsEditor}: guardrail hints. */
export interface NodePoolsEditorOptions {
  /** The platform team's largest `maxSize` for one pool. */
  maxNodesPerPool?: number;
  /** The pool kinds to offer (default all three). */
  types?: Array<NodePoolValue['type']>;
}

const KIND_LABELS: Record<NodePoolValue['type'], string> = {
  asg: 'Auto Scaling group + cluster-autoscaler',
  karpenter: 'Karpenter',
  managed: 'EKS managed node group',
};
const NAME = /^[a-z0-9]([-a-z0-9]{0,8}[a-z0-9])?$/;

/** Every problem of a list of pools, as `[index].field: reason`; empty when it is fine. */
export function nodePoolProblems(pools: NodePoolValue[], options: NodePoolsEditorOptions = {}): string[] {
  const problems: string[] = [];
  if (pools.length === 0) problems.push('add at least one node pool');
  const seen = new Set<string>();
  pools.forEach((pool, i) => {
    if (!NAME.test(pool.name ?? '')) problems.push(`[${i}].name: 1 to 10 lowercase letters, digits and '-'`);
    else if (seen.has(pool.name)) problems.push(`[${i}].name: ${pool.name} is used twice`);
    seen.add(pool.name);
    if (!/^[a-z][a-z0-9-]*\.[a-z0-9]+$/.test(pool.instanceType ?? '')) problems.push(`[${i}].instanceType: an EC2 instance type such as m6i.xlarge`);
    if (pool.type !== 'karpenter') {
      if (pool.minSize === undefined || pool.maxSize === undefined) problems.push(`[${i}]: minimum and maximum nodes are required`);
      else if (pool.minSize > pool.maxSize) problems.push(`[${i}].minSize: ${pool.minSize} is above the maximum ${pool.maxSize}`);
    }
    if (options.maxNodesPerPool !== undefined && (pool.maxSize ?? 0) > options.maxNodesPerPool) {
      problems.push(`[${i}].maxSize: at most ${options.maxNodesPerPool} nodes per pool`);
    }
  });
  return problems;
}

const number = (text: string) => (text === '' ? undefined : Number(text));

/**
 * `ui:field: ClusterdeckNodePoolsEditor`: the cluster's node pools, added and removed as rows, with
 * the fields each kind takes (Karpenter sizes itself: no minimum) and the guardrail's per-pool
 * maximum as a hint; problems show as you type.
 */
export function ClusterdeckNodePoolsEditor(props: FieldExtensionComponentProps<NodePoolValue[], NodePoolsEditorOptions>) {
  const { formData, onChange, schema, uiSchema } = props;
  const options = uiSchema?.['ui:options'] ?? {};
  const pools = formData ?? [];
  const types = options.types ?? (['asg', 'karpenter', 'managed'] as const);
  const update = (index: number, change: Partial<NodePoolValue>) => onChange(pools.map((p, i) => (i === index ? { ...p, ...change } : p)));
  const problems = nodePoolProblems(pools, options);
  return (
    <Box mt={2} mb={1}>
      <Typography variant="subtitle1">{schema.title ?? 'Node pools'}</Typography>
      {options.maxNodesPerPool !== undefined && <FormHelperText>At most {options.maxNodesPerPool} nodes per pool in this environment.</FormHelperText>}
      {pools.map((pool, index) => (
        <Box key={index} display="flex" alignItems="flex-start" style={{ gap: 8 }} mt={1} role="group" aria-label={`Node pool ${index + 1}`}>
          <TextField label="Name" value={pool.name ?? ''} onChange={e => update(index, { name: e.target.value })} />
          <TextField select label="Kind" value={pool.type ?? 'asg'} onChange={e => update(index, { type: e.target.value as NodePoolValue['type'] })} style={{ minWidth: 220 }}>
            {types.map(t => (
              <MenuItem key={t} value={t}>
                {KIND_LABELS[t]}
              </MenuItem>
            ))}
          </TextField>
          <TextField label="Instance type" value={pool.instanceType ?? ''} onChange={e => update(index, { instanceType: e.target.value })} />
          {pool.type !== 'karpenter' && (
            <TextField label="Minimum" type="number" value={pool.minSize ?? ''} onChange={e => update(index, { minSize: number(e.target.value) })} />
          )}
          <TextField label={pool.type === 'karpenter' ? 'Node limit' : 'Maximum'} type="number" value={pool.maxSize ?? ''} onChange={e => update(index, { maxSize: number(e.target.value) })} />
          <FormControlLabel
            control={<Checkbox checked={!!pool.spot?.enabled} onChange={e => update(index, { spot: { enabled: e.target.checked } })} />}
            label="Spot"
          />
          <IconButton aria-label={`Remove node pool ${pool.name || index + 1}`} onClick={() => onChange(pools.filter((_, i) => i !== index))}>
            <DeleteIcon />
          </IconButton>
        </Box>
      ))}
      <Button
        color="primary"
        onClick={() => onChange([...pools, { name: `pool${pools.length}`, type: types[0], instanceType: 'm6i.xlarge', minSize: 1, maxSize: 3 }])}
      >
        Add a node pool
      </Button>
      {problems.map(p => (
        <FormHelperText key={p} error>
          {p}
        </FormHelperText>
      ))}
    </Box>
  );
}

/** The form's own check before the step runs. */
export function validateNodePools(value: NodePoolValue[] | undefined, validation: { addError(message: string): void }) {
  for (const problem of nodePoolProblems(value ?? [])) validation.addError(problem);
}
