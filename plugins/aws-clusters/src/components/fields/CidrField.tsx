import { useApi } from '@backstage/core-plugin-api';
import type { FieldExtensionComponentProps } from '@backstage/plugin-scaffolder-react';
import {
  cidrsOverlap,
  isIpv4Cidr,
} from '@clusterdeck/plugin-aws-clusters-common';
import { Box, Button, FormHelperText, TextField } from '@material-ui/core';
import useAsync from 'react-use/esm/useAsync';
import { awsClustersApiRef } from '../../api';
import type { CidrAllocationView } from '@clusterdeck/plugin-aws-clusters-common';

/** The `ui:options` of {@link ClusterdeckCidrField}. */
export interface CidrFieldOptions {
  /** The CIDR pool to suggest from. */
  pool?: string;
  /** Another field of the form that holds the pool's name (e.g. `cidrPool`). */
  poolField?: string;
}

/** Why a CIDR cannot be used, or undefined: its syntax, then overlap with reserved blocks. */
export function cidrProblem(
  cidr: string,
  reserved: CidrAllocationView[],
): string | undefined {
  if (!isIpv4Cidr(cidr))
    return `${cidr} is not an IPv4 CIDR block such as 10.20.0.0/16`;
  const clash = reserved.find(a => cidrsOverlap(a.cidr, cidr));
  if (clash)
    return `${cidr} overlaps ${clash.cidr}, reserved${
      clash.cluster ? ` for ${clash.cluster}` : ''
    } in pool ${clash.pool}`;
  return undefined;
}

/**
 * `ui:field: ClusterdeckCidrField`: suggests the next free block of a CIDR pool from the backend
 * and checks a typed block as you type (syntax, overlap with blocks reserved in the pool). The
 * backend checks again, against every VPC of the fleet, when the request is validated.
 */
export function ClusterdeckCidrField(
  props: FieldExtensionComponentProps<string, CidrFieldOptions>,
) {
  const {
    formData,
    onChange,
    schema,
    uiSchema,
    rawErrors,
    required,
    idSchema,
    formContext,
  } = props;
  const api = useApi(awsClustersApiRef);
  const options = uiSchema?.['ui:options'] ?? {};
  const poolName: string | undefined =
    options.pool ??
    (options.poolField
      ? (formContext as any)?.formData?.[options.poolField]
      : undefined);
  const { value, loading, error } = useAsync(async () => {
    if (!poolName) return undefined;
    const [pools, allocations] = await Promise.all([
      api.listCidrPools(),
      api.listCidrAllocations({ pool: poolName }),
    ]);
    return {
      pool: pools.items.find(p => p.name === poolName),
      allocations: allocations.items,
    };
  }, [api, poolName]);
  const problem = formData
    ? cidrProblem(formData, value?.allocations ?? [])
    : undefined;
  const suggestion = value?.pool?.nextFree;
  let help: string | undefined = schema.description;
  if (!poolName) help = 'Choose an address pool first.';
  else if (loading) help = `Asking for the next free block of ${poolName}…`;
  else if (error) help = `The pool could not be read: ${error.message}`;
  else if (!value?.pool) help = `There is no CIDR pool named ${poolName}.`;
  else if (!suggestion)
    help = `${poolName} (${value.pool.cidr}) has no free /${value.pool.prefixLength} left.`;
  else
    help = `Next free block of ${poolName} (${value.pool.cidr}): ${suggestion}`;
  return (
    <Box mt={2} mb={1}>
      <TextField
        id={idSchema?.$id ?? 'clusterdeck-cidr'}
        label={schema.title ?? 'CIDR block'}
        fullWidth
        required={required}
        value={formData ?? ''}
        placeholder={suggestion}
        error={!!problem || (rawErrors?.length ?? 0) > 0}
        onChange={e => onChange(e.target.value.trim() || undefined)}
        helperText={problem}
      />
      <FormHelperText>{help}</FormHelperText>
      {suggestion && formData !== suggestion && (
        <Button
          size="small"
          color="primary"
          onClick={() => onChange(suggestion)}
        >
          Use {suggestion}
        </Button>
      )}
    </Box>
  );
}

/** The form's own check before the step runs: a typed value must be an IPv4 CIDR block. */
export function validateCidrField(
  value: string | undefined,
  validation: { addError(message: string): void },
) {
  if (value && !isIpv4Cidr(value))
    validation.addError(
      `${value} is not an IPv4 CIDR block such as 10.20.0.0/16`,
    );
}
