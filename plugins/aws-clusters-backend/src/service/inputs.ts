import { InputError } from '@backstage/errors';
import {
  entityRefSchema,
  formatPath,
} from '@clusterdeck/plugin-aws-clusters-common';
import { z } from 'zod';

/** The longest value a string column holds on every database Backstage runs on. */
export const COLUMN = 255;

// Schemas are made once: zod compiles a schema on its first use, which is work not to repeat per request.
export const entityRef = entityRefSchema(['group', 'user']);
export const name = z.string().regex(/^[a-z0-9]([-a-z0-9.]{0,251}[a-z0-9])?$/, {
  error: 'must be a Kubernetes object name',
});
export const clusterRefSchema = z
  .string()
  .max(COLUMN, { error: `must be at most ${COLUMN} characters` })
  .regex(
    /^[a-z0-9]([-a-z0-9.]*[a-z0-9])?\/[a-z0-9]([-a-z0-9]*[a-z0-9])?\/[a-z0-9]([-a-z0-9.]*[a-z0-9])?$/,
    {
      error:
        'must be a cluster reference <managementCluster>/<namespace>/<name>',
    },
  );
export const accountId = z
  .string()
  .regex(/^\d{12}$/, { error: 'must be exactly 12 digits' });
export const ownerQuery = z.strictObject({ owner: entityRef.optional() });
export const clusterPath = z.object({
  managementCluster: name,
  namespace: name,
  name,
});
export const noQuery = z.strictObject({});

/** Parses a part of a request (`body`, `query`, `path`), or an InputError naming each bad field. */
export function parse<T extends z.ZodType>(
  schema: T,
  input: unknown,
  where: string,
): z.output<T> {
  const result = schema.safeParse(input);
  if (!result.success) {
    const details = result.error.issues.map(i => {
      const path = formatPath(i.path);
      return `${where}${path ? ` ${path}` : ''}: ${
        i.code === 'unrecognized_keys'
          ? `unknown ${i.keys.join(', ')}`
          : i.message
      }`;
    });
    throw new InputError(details.join('; '));
  }
  return result.data;
}
