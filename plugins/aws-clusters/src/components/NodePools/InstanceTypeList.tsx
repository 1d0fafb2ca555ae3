import { Box, Typography } from '@material-ui/core';
import type {
  InstanceTypeSize,
  NodePoolScaling,
} from '@clusterdeck/plugin-aws-clusters-common';

/** Memory in GiB as AWS states it: whole where whole (16 GiB), else to one decimal (0.5 GiB). */
function gib(mib: number): string {
  const value = mib / 1024;
  return `${Number.isInteger(value) ? value : value.toFixed(1)} GiB`;
}

/** `m5.xlarge · 4 vCPU · 16 GiB · x86_64`, or the name alone where EC2 did not describe it. */
export function instanceTypeLabel(
  type: string,
  size: InstanceTypeSize | undefined,
): string {
  if (!size) return type;
  return [
    type,
    size.vcpus !== undefined ? `${size.vcpus} vCPU` : undefined,
    size.memoryMiB !== undefined ? gib(size.memoryMiB) : undefined,
    size.architectures.length ? size.architectures.join('/') : undefined,
  ]
    .filter(Boolean)
    .join(' · ');
}

/**
 * A pool's instance types with their vCPUs, memory and architecture; for a Spot pool, the types
 * its mixed instances policy (or node group) lets Spot draw from.
 */
export function InstanceTypeList(props: { pool: NodePoolScaling }) {
  const { pool } = props;
  const spot = pool.spotInstanceTypes ?? [];
  const types = spot.length ? spot : pool.instanceTypes;
  if (types.length === 0)
    return <Typography variant="body2">instance types not known</Typography>;
  const sizes = new Map(
    (pool.instanceTypeSizes ?? []).map(s => [s.instanceType, s]),
  );
  return (
    <Box
      display="flex"
      flexWrap="wrap"
      alignItems="baseline"
      style={{ gap: 4 }}
    >
      {spot.length ? (
        <Typography variant="body2" component="span">
          Spot from
        </Typography>
      ) : null}
      <Box
        component="ul"
        m={0}
        pl={0}
        display="flex"
        flexWrap="wrap"
        style={{ listStyle: 'none', gap: 4 }}
        aria-label={`Instance types of ${pool.name}`}
      >
        {types.map((type, i) => (
          <Typography key={type} variant="body2" component="li">
            {instanceTypeLabel(type, sizes.get(type))}
            {i < types.length - 1 ? ',' : ''}
          </Typography>
        ))}
      </Box>
    </Box>
  );
}
