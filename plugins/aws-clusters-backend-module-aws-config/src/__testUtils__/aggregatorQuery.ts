/*
 * What a fake aggregator needs to answer `SelectAggregateResourceConfig` the way AWS Config does
 * for the queries the source sends: a `WHERE` of conditions joined by `AND`, each
 * `<property> = '<value>'`, `<property> IN ('<value>', …)` or `configurationItemCaptureTime > '<ISO time>'`
 * (Config compares capture times as times), over the properties `resourceType`, `awsRegion`,
 * `accountId`, `resourceId` and `configurationItemCaptureTime`. An expression longer than Config's
 * 4,096 characters, or one with anything else, is refused with Config's error. Used by the
 * source's tests and the benchmark's aggregator.
 */

/** A configuration item as an aggregator holds it: its result text and the properties queries compare. */
export interface HeldItem {
  json: string;
  accountId: string;
  awsRegion: string;
  resourceType: string;
  resourceId: string;
  /** `configurationItemCaptureTime`, in milliseconds. */
  capturedAt: number;
}

/** The properties a held item is compared by, read from its result text once. */
export function heldItem(json: string): HeldItem {
  const item = JSON.parse(json);
  return {
    json,
    accountId: item.accountId,
    awsRegion: item.awsRegion,
    resourceType: item.resourceType,
    resourceId: item.resourceId,
    capturedAt: Date.parse(item.configurationItemCaptureTime ?? '') || 0,
  };
}

/** AWS Config's answer to an expression it cannot run. */
export class InvalidExpressionError extends Error {
  readonly $metadata = { httpStatusCode: 400 };
  constructor(message: string) {
    super(message);
    this.name = 'InvalidExpressionException';
  }
}

type Property = Exclude<keyof HeldItem, 'json' | 'capturedAt'>;
const PROPERTIES = new Set<string>([
  'resourceType',
  'awsRegion',
  'accountId',
  'resourceId',
]);

/** The query's conditions: equalities and lists by property, and the capture time to be after. */
export interface QueryConditions {
  equals: Partial<Record<Property, Set<string>>>;
  capturedAfter?: number;
}

function quoted(text: string): string[] {
  const values: string[] = [];
  const re = /\s*'((?:[^']|'')*)'\s*(,|$)/y;
  let at = 0;
  while (at < text.length) {
    re.lastIndex = at;
    const m = re.exec(text);
    if (!m) throw new InvalidExpressionError(`Cannot read the list (${text})`);
    values.push(m[1].replace(/''/g, "'"));
    at = re.lastIndex;
  }
  return values;
}

/** Reads a query's `WHERE`, or refuses it as Config would. */
export function conditionsOf(expression: string): QueryConditions {
  if (expression.length > 4096)
    throw new InvalidExpressionError(
      `The expression is ${expression.length} characters long; at most 4096 are allowed`,
    );
  const where = /^SELECT .+? WHERE (.+)$/s.exec(expression)?.[1];
  if (!where)
    throw new InvalidExpressionError(
      `The expression has no WHERE: ${expression.slice(0, 200)}`,
    );
  const conditions: QueryConditions = { equals: {} };
  for (const part of where.split(' AND ')) {
    const m =
      /^(\w+) (=|IN|>) (?:'((?:[^']|'')*)'|\((.*)\))$/s.exec(part.trim()) ??
      undefined;
    const [, property, operator, single, list] = m ?? [];
    if (m && property === 'configurationItemCaptureTime' && operator === '>') {
      const at = Date.parse(single ?? '');
      if (Number.isNaN(at))
        throw new InvalidExpressionError(`Not a time: ${single}`);
      conditions.capturedAfter = at;
    } else if (
      m &&
      PROPERTIES.has(property) &&
      ((operator === '=' && single !== undefined) ||
        (operator === 'IN' && list !== undefined))
    ) {
      const values =
        operator === '=' ? [single!.replace(/''/g, "'")] : quoted(list!);
      conditions.equals[property as Property] = new Set(values);
    } else {
      throw new InvalidExpressionError(
        `This aggregator does not answer the condition ${part.slice(0, 200)}`,
      );
    }
  }
  return conditions;
}

/** Whether a held item meets the conditions. */
export function selects(conditions: QueryConditions, item: HeldItem) {
  for (const [property, values] of Object.entries(conditions.equals))
    if (!values!.has(item[property as Property])) return false;
  return (
    conditions.capturedAfter === undefined ||
    item.capturedAt > conditions.capturedAfter
  );
}
