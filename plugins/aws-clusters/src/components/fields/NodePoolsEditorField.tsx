import type { FieldExtensionComponentProps } from '@backstage/plugin-scaffolder-react';
import { clusterRequestSchema } from '@clusterdeck/plugin-aws-clusters-common';
import {
  Box,
  Button,
  Checkbox,
  FormControlLabel,
  FormHelperText,
  IconButton,
  MenuItem,
  TextField,
  Typography,
} from '@material-ui/core';
import DeleteIcon from '@material-ui/icons/Delete';

/** One node pool as the request's `spec.nodePools[]` takes it (the fields this editor sets). */
export interface NodePoolValue {
  name: string;
  type: 'asg' | 'karpenter' | 'managed';
  /** asg and managed pools only. */
  instanceType?: string;
  minSize?: number;
  maxSize?: number;
  spot?: { enabled: boolean };
  /** karpenter pools only: instance families as a requirement, and the pool's limits. */
  karpenter?: {
    requirements: Array<{ key: string; operator: 'In'; values: string[] }>;
    limits: { cpu?: string; memory?: string };
  };
}

/** The Karpenter requirement key the editor's "instance families" field sets. */
export const INSTANCE_FAMILY_KEY = 'karpenter.k8s.aws/instance-family';

/** The request schema's own node-pool schema, so the form checks what the backend checks. */
const nodePoolSchema = clusterRequestSchema.shape.spec.shape.nodePools.element;

/** The `ui:options` of {@link ClusterdeckNodePoolsEditor}: guardrail hints. */
export interface NodePoolsEditorOptions {
  /** The platform team's largest `maxSize` for one pool. */
  maxNodesPerPool?: number;
  /** The pool kinds to offer (default all three, or those of the flavor). */
  types?: Array<NodePoolValue['type']>;
  /** The form field holding the cluster's flavor: EC2 clusters take asg and Karpenter pools, EKS clusters managed ones. */
  flavorField?: string;
}

/** The pool kinds each flavor takes, as the request's validation has them. */
const KINDS_OF_FLAVOR: Record<string, Array<NodePoolValue['type']>> = {
  ec2: ['asg', 'karpenter'],
  eks: ['managed'],
};

const KIND_LABELS: Record<NodePoolValue['type'], string> = {
  asg: 'Auto Scaling group + cluster-autoscaler',
  karpenter: 'Karpenter',
  managed: 'EKS managed node group',
};

/** Every problem of a list of pools, as `[index].field: reason`; empty when it is fine. */
export function nodePoolProblems(
  pools: NodePoolValue[],
  options: NodePoolsEditorOptions & { flavor?: string } = {},
): string[] {
  const problems: string[] = [];
  const allowed = options.flavor ? KINDS_OF_FLAVOR[options.flavor] : undefined;
  if (pools.length === 0) problems.push('add at least one node pool');
  const seen = new Set<string>();
  pools.forEach((pool, i) => {
    const parsed = nodePoolSchema.safeParse(pool);
    if (!parsed.success) {
      for (const issue of parsed.error.issues)
        problems.push(
          `[${i}]${issue.path
            .map(p => (typeof p === 'number' ? `[${p}]` : `.${String(p)}`))
            .join('')}: ${issue.message}`,
        );
    }
    if (pool.name && seen.has(pool.name))
      problems.push(`[${i}].name: ${pool.name} is used twice`);
    if (allowed && !allowed.includes(pool.type))
      problems.push(
        `[${i}].type: ${options.flavor!.toUpperCase()} clusters take ${allowed
          .map(k => KIND_LABELS[k])
          .join(' or ')} pools`,
      );
    seen.add(pool.name);
    if (pool.type === 'karpenter') {
      for (const field of ['instanceType', 'minSize', 'maxSize'] as const) {
        if (pool[field] !== undefined)
          problems.push(
            `[${i}].${field}: Karpenter pools choose instances and size themselves; use instance families and limits`,
          );
      }
      if (
        !pool.karpenter?.requirements.some(
          r => r.key === INSTANCE_FAMILY_KEY && r.values.length > 0,
        )
      )
        problems.push(`[${i}].karpenter: name at least one instance family`);
      if (!pool.karpenter?.limits.cpu && !pool.karpenter?.limits.memory)
        problems.push(`[${i}].karpenter.limits: set a CPU or memory limit`);
    } else {
      if (pool.minSize === undefined || pool.maxSize === undefined)
        problems.push(`[${i}]: minimum and maximum nodes are required`);
      else if (pool.minSize > pool.maxSize)
        problems.push(
          `[${i}].minSize: ${pool.minSize} is above the maximum ${pool.maxSize}`,
        );
      if (
        options.maxNodesPerPool !== undefined &&
        (pool.maxSize ?? 0) > options.maxNodesPerPool
      ) {
        problems.push(
          `[${i}].maxSize: at most ${options.maxNodesPerPool} nodes per pool`,
        );
      }
    }
  });
  return problems;
}

/** A pool turned into another kind: Karpenter pools size themselves, the others take sizes. */
function withKind(
  pool: NodePoolValue,
  type: NodePoolValue['type'],
): NodePoolValue {
  const { instanceType, minSize, maxSize, karpenter, ...rest } = pool;
  if (type === 'karpenter') {
    return {
      ...rest,
      type,
      karpenter: karpenter ?? {
        requirements: [
          { key: INSTANCE_FAMILY_KEY, operator: 'In', values: ['m6i'] },
        ],
        limits: { cpu: '100' },
      },
    };
  }
  return {
    ...rest,
    type,
    instanceType: instanceType ?? 'm6i.xlarge',
    minSize: minSize ?? 1,
    maxSize: maxSize ?? 3,
  };
}

/** The narrowest a pool's text field gets before the row wraps. */
const FIELD_STYLE = { minWidth: 120, flex: '1 1 120px' };

const families = (text: string) =>
  text
    .split(',')
    .map(f => f.trim())
    .filter(Boolean);

const number = (text: string) => (text === '' ? undefined : Number(text));

/**
 * `ui:field: ClusterdeckNodePoolsEditor`: the cluster's node pools, added and removed as rows, with
 * the fields each kind takes (Karpenter pools take instance families and CPU/memory limits instead of
 * an instance type and sizes) and the guardrail's per-pool
 * maximum as a hint; problems show as you type.
 */
export function ClusterdeckNodePoolsEditor(
  props: FieldExtensionComponentProps<NodePoolValue[], NodePoolsEditorOptions>,
) {
  const { formData, onChange, schema, uiSchema, idSchema, formContext } = props;
  const id = idSchema?.$id ?? 'clusterdeck-node-pools';
  const options = uiSchema?.['ui:options'] ?? {};
  const pools = formData ?? [];
  const flavor: string | undefined = options.flavorField
    ? (formContext as any)?.formData?.[options.flavorField]
    : undefined;
  const types: ReadonlyArray<NodePoolValue['type']> = options.types ??
    (flavor ? KINDS_OF_FLAVOR[flavor] : undefined) ?? [
      'asg',
      'karpenter',
      'managed',
    ];
  const update = (index: number, change: Partial<NodePoolValue>) =>
    onChange(pools.map((p, i) => (i === index ? { ...p, ...change } : p)));
  const problems = nodePoolProblems(pools, { ...options, flavor });
  return (
    <Box mt={2} mb={1}>
      <Typography variant="subtitle1">
        {schema.title ?? 'Node pools'}
      </Typography>
      {options.maxNodesPerPool !== undefined && (
        <FormHelperText>
          At most {options.maxNodesPerPool} nodes per pool in this environment.
        </FormHelperText>
      )}
      {pools.map((pool, index) => (
        // Wraps so that every field keeps a readable width in narrow forms (e.g. the template editor's preview).
        <Box
          key={index}
          display="flex"
          flexWrap="wrap"
          alignItems="flex-start"
          style={{ gap: 8 }}
          mt={1}
          role="group"
          aria-label={`Node pool ${index + 1}`}
        >
          <TextField
            id={`${id}-${index}-name`}
            label="Name"
            value={pool.name ?? ''}
            onChange={e => update(index, { name: e.target.value })}
            style={FIELD_STYLE}
          />
          <TextField
            id={`${id}-${index}-kind`}
            select
            label="Kind"
            value={pool.type ?? 'asg'}
            onChange={e =>
              onChange(
                pools.map((p, i) =>
                  i === index
                    ? withKind(p, e.target.value as NodePoolValue['type'])
                    : p,
                ),
              )
            }
            style={{ minWidth: 220 }}
          >
            {(types.includes(pool.type ?? 'asg')
              ? types
              : [...types, pool.type]
            ).map(t => (
              <MenuItem key={t} value={t}>
                {KIND_LABELS[t]}
              </MenuItem>
            ))}
          </TextField>
          {pool.type === 'karpenter' ? (
            <>
              <TextField
                id={`${id}-${index}-families`}
                style={FIELD_STYLE}
                label="Instance families"
                helperText="comma-separated, e.g. m6i, c6i"
                value={(
                  pool.karpenter?.requirements.find(
                    r => r.key === INSTANCE_FAMILY_KEY,
                  )?.values ?? []
                ).join(', ')}
                onChange={e =>
                  update(index, {
                    karpenter: {
                      limits: pool.karpenter?.limits ?? {},
                      requirements: [
                        ...(pool.karpenter?.requirements ?? []).filter(
                          r => r.key !== INSTANCE_FAMILY_KEY,
                        ),
                        {
                          key: INSTANCE_FAMILY_KEY,
                          operator: 'In',
                          values: families(e.target.value),
                        },
                      ],
                    },
                  })
                }
              />
              {(['cpu', 'memory'] as const).map(resource => (
                <TextField
                  key={resource}
                  id={`${id}-${index}-${resource}`}
                  style={FIELD_STYLE}
                  label={resource === 'cpu' ? 'CPU limit' : 'Memory limit'}
                  value={pool.karpenter?.limits[resource] ?? ''}
                  onChange={e =>
                    update(index, {
                      karpenter: {
                        requirements: pool.karpenter?.requirements ?? [],
                        limits: {
                          ...pool.karpenter?.limits,
                          [resource]: e.target.value.trim() || undefined,
                        },
                      },
                    })
                  }
                />
              ))}
            </>
          ) : (
            <>
              <TextField
                id={`${id}-${index}-instance-type`}
                style={FIELD_STYLE}
                label="Instance type"
                value={pool.instanceType ?? ''}
                onChange={e => update(index, { instanceType: e.target.value })}
              />
              <TextField
                id={`${id}-${index}-min`}
                style={FIELD_STYLE}
                label="Minimum"
                type="number"
                value={pool.minSize ?? ''}
                onChange={e =>
                  update(index, { minSize: number(e.target.value) })
                }
              />
              <TextField
                id={`${id}-${index}-max`}
                style={FIELD_STYLE}
                label="Maximum"
                type="number"
                value={pool.maxSize ?? ''}
                onChange={e =>
                  update(index, { maxSize: number(e.target.value) })
                }
              />
            </>
          )}
          <FormControlLabel
            control={
              <Checkbox
                checked={!!pool.spot?.enabled}
                onChange={e =>
                  update(index, { spot: { enabled: e.target.checked } })
                }
              />
            }
            label="Spot"
          />
          <IconButton
            aria-label={`Remove node pool ${pool.name || index + 1}`}
            onClick={() => onChange(pools.filter((_, i) => i !== index))}
          >
            <DeleteIcon />
          </IconButton>
        </Box>
      ))}
      <Button
        color="primary"
        onClick={() =>
          onChange([
            ...pools,
            withKind({ name: `pool${pools.length}`, type: 'asg' }, types[0]),
          ])
        }
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

/** The form's own check before the step runs (the schema's rules; guardrail hints need `ui:options`). */
export function validateNodePools(
  value: NodePoolValue[] | undefined,
  validation: { addError(message: string): void },
) {
  for (const problem of nodePoolProblems(value ?? []))
    validation.addError(problem);
}
