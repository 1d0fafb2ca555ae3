import { Typography } from '@material-ui/core';
import type {
  InstanceTypeSize,
  NodePoolScaling,
} from '@clusterdeck/plugin-aws-clusters-common';
import { useLayout } from '../common/layout';

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
  const layout = useLayout();
  const spot = pool.spotInstanceTypes ?? [];
  const types = spot.length ? spot : pool.instanceTypes;
  if (types.length === 0)
    return <Typography variant="body2">instance types not known</Typography>;
  const sizes = new Map(
    (pool.instanceTypeSizes ?? []).map(s => [s.instanceType, s]),
  );
  return (
    <div className={layout.words}>
      {spot.length ? (
        <Typography variant="body2" component="span">
          Spot from
        </Typography>
      ) : null}
      <ul
        className={`${layout.plainList} ${layout.words}`}
        aria-label={`Instance types of ${pool.name}`}
      >
        {types.map((type, i) => (
          <Typography key={type} variant="body2" component="li">
            {instanceTypeLabel(type, sizes.get(type))}
            {i < types.length - 1 ? ',' : ''}
          </Typography>
        ))}
      </ul>
    </div>
  );
}
