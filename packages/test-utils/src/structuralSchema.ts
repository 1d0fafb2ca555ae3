import { isRecord } from './issues';

/** One `x-kubernetes-validations` entry as written in a CRD. */
interface CelValidation {
  rule: string;
  message?: string;
  messageExpression?: string;
  reason?: string;
  fieldPath?: string;
}

/** The subset of a CRD's OpenAPI v3 schema that the validator acts on. */
export interface SchemaNode {
  type?: string | string[];
  properties?: Record<string, SchemaNode>;
  additionalProperties?: boolean | SchemaNode;
  items?: SchemaNode | SchemaNode[];
  allOf?: SchemaNode[];
  anyOf?: SchemaNode[];
  oneOf?: SchemaNode[];
  not?: SchemaNode;
  enum?: unknown[];
  required?: string[];
  nullable?: boolean;
  'x-kubernetes-preserve-unknown-fields'?: boolean;
  'x-kubernetes-int-or-string'?: boolean;
  'x-kubernetes-embedded-resource'?: boolean;
  'x-kubernetes-validations'?: CelValidation[];
  [keyword: string]: unknown;
}

// path is dotted, with `[*]` for every list item and `.*` for every map value.

/** @public A CEL rule (`x-kubernetes-validations`) that ajv cannot evaluate, with the path of the field it guards. */
export interface CelRule {
  path: string;
  rule: string;
  message?: string;
}

const SUBSCHEMA_LISTS = ['allOf', 'anyOf', 'oneOf'] as const;

/**
 * Rewrites a CRD schema so that plain JSON-schema validation rejects what the
 * API server with strict field validation rejects. Returns a new tree; the
 * input is left as loaded because null-dropping and CEL listing read it.
 */
export function toStrictSchema(root: SchemaNode): SchemaNode {
  const strict = strictify(root);
  // The root metadata is ObjectMeta, checked by hand: the CRD only says `type: object`.
  if (strict.properties && 'metadata' in strict.properties) {
    strict.properties = { ...strict.properties, metadata: {} };
  }
  return strict;
}

function strictify(node: SchemaNode): SchemaNode {
  const out: SchemaNode = { ...node };
  // ajv strict mode is off, but these are known to mean nothing to ajv; dropping
  // them keeps the compiled schema small.
  delete out['x-kubernetes-validations'];
  delete out.description;

  if (node.properties) {
    out.properties = mapValues(node.properties, strictify);
  }
  if (isRecord(node.additionalProperties)) {
    out.additionalProperties = strictify(node.additionalProperties);
  }
  if (Array.isArray(node.items)) {
    out.items = node.items.map(strictify);
  } else if (node.items) {
    out.items = strictify(node.items);
  }
  for (const key of SUBSCHEMA_LISTS) {
    const list = node[key];
    if (list) {
      out[key] = list.map(strictify);
    }
  }
  if (node.not) {
    out.not = strictify(node.not);
  }

  applyEmbeddedResource(out);
  applyIntOrString(out);
  applyNullable(out);
  closeObject(out);
  return out;
}

/** Embedded objects carry their own apiVersion/kind/metadata, which the server requires and allows implicitly. */
function applyEmbeddedResource(node: SchemaNode): void {
  if (node['x-kubernetes-embedded-resource'] !== true) {
    return;
  }
  node.properties = {
    apiVersion: { type: 'string' },
    kind: { type: 'string' },
    metadata: { type: 'object' },
    ...node.properties,
  };
  node.required = [
    ...new Set([...(node.required ?? []), 'apiVersion', 'kind']),
  ];
}

/** controller-gen writes int-or-string as an anyOf; a type list gives one clear error instead of three. */
function applyIntOrString(node: SchemaNode): void {
  if (node['x-kubernetes-int-or-string'] !== true) {
    return;
  }
  const branches = node.anyOf;
  const isPlainPair =
    branches?.length === 2 &&
    branches.every(
      b =>
        Object.keys(b).length === 1 &&
        (b.type === 'integer' || b.type === 'string'),
    );
  if (isPlainPair) {
    delete node.anyOf;
  }
  if (node.type === undefined && node.anyOf === undefined) {
    node.type = ['integer', 'string'];
  }
}

/** OpenAPI `nullable` as JSON schema: null joins the type (and the enum, which would reject it otherwise). */
function applyNullable(node: SchemaNode): void {
  if (node.nullable !== true) {
    delete node.nullable;
    return;
  }
  delete node.nullable;
  if (typeof node.type === 'string') {
    node.type = [node.type, 'null'];
  } else if (Array.isArray(node.type) && !node.type.includes('null')) {
    node.type = [...node.type, 'null'];
  }
  if (node.enum && !node.enum.includes(null)) {
    node.enum = [...node.enum, null];
  }
}

/**
 * The server prunes fields a structural schema does not declare, and strict
 * field validation turns the pruning into an error. An object is open only
 * through additionalProperties or x-kubernetes-preserve-unknown-fields.
 */
function closeObject(node: SchemaNode): void {
  if (
    node.additionalProperties !== undefined ||
    node['x-kubernetes-preserve-unknown-fields'] === true
  ) {
    return;
  }
  if (node.properties || node.type === 'object') {
    node.additionalProperties = false;
  }
}

/** The schema that governs `key` inside an object described by `node`. */
export function fieldSchema(
  node: SchemaNode | undefined,
  key: string,
): SchemaNode | undefined {
  if (!node) {
    return undefined;
  }
  const declared = node.properties?.[key];
  if (declared) {
    return declared;
  }
  return isRecord(node.additionalProperties)
    ? (node.additionalProperties as SchemaNode)
    : undefined;
}

function itemSchema(node: SchemaNode | undefined): SchemaNode | undefined {
  return node && !Array.isArray(node.items) ? node.items : undefined;
}

/**
 * Returns a copy of `value` without the nulls the server would drop: those in
 * declared fields that are not `nullable`. Nulls in undeclared fields stay, so
 * that they are still reported as unknown.
 */
export function dropNonNullableNulls(
  value: unknown,
  schema: SchemaNode | undefined,
): unknown {
  if (Array.isArray(value)) {
    const items = itemSchema(schema);
    return value.map(item => dropNonNullableNulls(item, items));
  }
  if (!isRecord(value)) {
    return value;
  }
  const out: Record<string, unknown> = {};
  for (const [key, child] of Object.entries(value)) {
    const childSchema = fieldSchema(schema, key);
    if (child === null && childSchema && childSchema.nullable !== true) {
      continue;
    }
    out[key] = dropNonNullableNulls(child, childSchema);
  }
  return out;
}

/** Lists every CEL rule in a schema with the path of the field it sits on. */
export function collectCelRules(root: SchemaNode): CelRule[] {
  const rules: CelRule[] = [];
  const visit = (node: SchemaNode, path: string): void => {
    for (const v of node['x-kubernetes-validations'] ?? []) {
      const message = v.message ?? v.messageExpression;
      rules.push(
        message ? { path, rule: v.rule, message } : { path, rule: v.rule },
      );
    }
    for (const [key, child] of Object.entries(node.properties ?? {})) {
      visit(child, path ? `${path}.${key}` : key);
    }
    if (isRecord(node.additionalProperties)) {
      visit(node.additionalProperties as SchemaNode, `${path}.*`);
    }
    const items = itemSchema(node);
    if (items) {
      visit(items, `${path}[*]`);
    }
    for (const key of SUBSCHEMA_LISTS) {
      node[key]?.forEach(sub => visit(sub, path));
    }
  };
  visit(root, '');
  return rules;
}

function mapValues<T, U>(
  record: Record<string, T>,
  fn: (value: T) => U,
): Record<string, U> {
  return Object.fromEntries(
    Object.entries(record).map(([key, value]) => [key, fn(value)]),
  );
}
