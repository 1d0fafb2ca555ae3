import {
  CompoundEntityRef,
  makeValidator,
  parseEntityRef,
  stringifyEntityRef,
} from '@backstage/catalog-model';
import { z } from 'zod';

const validator = makeValidator();

/** @public The longest entity reference Clusterdeck stores (the size of a database string column). */
export const MAX_ENTITY_REF_LENGTH = 255;

/**
 * What is wrong with an entity reference, as the catalog parses it (`kind:namespace/name`, the
 * namespace defaulting to `default`), or undefined when it is one of the given kinds.
 * @public
 */
export function entityRefProblem(
  value: string,
  kinds: ReadonlyArray<string>,
): string | undefined {
  const example = `${kinds[0]}:default/payments`;
  if (value.length > MAX_ENTITY_REF_LENGTH)
    return `must be at most ${MAX_ENTITY_REF_LENGTH} characters`;
  let ref: CompoundEntityRef;
  try {
    ref = parseEntityRef(value);
  } catch {
    return `must be an entity reference such as ${example}`;
  }
  if (!value.includes(':')) return `must name its kind, such as ${example}`;
  if (!kinds.includes(ref.kind.toLocaleLowerCase('en-US')))
    return `must be an entity reference of kind ${kinds.join(
      ' or ',
    )}, such as ${example}`;
  if (!validator.isValidNamespace(ref.namespace))
    return `"${ref.namespace}" is not a valid catalog namespace`;
  if (!validator.isValidEntityName(ref.name))
    return `"${ref.name}" is not a valid entity name`;
  return undefined;
}

/**
 * A zod schema of an entity reference of the given kinds, normalized the way the catalog writes
 * ownership references (`group:payments` becomes `group:default/payments`), so that comparisons
 * with a user's ownership refs hold.
 * @public
 */
export function entityRefSchema(
  kinds: ReadonlyArray<string> = ['group', 'user'],
) {
  return z
    .string()
    .superRefine((value, ctx) => {
      const problem = entityRefProblem(value, kinds);
      if (problem) ctx.addIssue({ code: 'custom', message: problem });
    })
    .transform(value => stringifyEntityRef(parseEntityRef(value)));
}
