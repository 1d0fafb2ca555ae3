import type { KindDefinition } from './crdCatalog';
import type { SchemaNode } from './structuralSchema';

/** ConfigMap and Secret keys: `IsConfigMapKey` in k8s.io/apimachinery. */
const CONFIG_KEY: SchemaNode = {
  type: 'string',
  maxLength: 253,
  pattern: '^[-._a-zA-Z0-9]+$',
};

const STRING: SchemaNode = { type: 'string' };
const BASE64: SchemaNode = { type: 'string', format: 'byte' };

function stringMap(values: SchemaNode): SchemaNode {
  return {
    type: 'object',
    propertyNames: CONFIG_KEY,
    additionalProperties: values,
  };
}

/** Root schema with the fields every object has; metadata is checked by hand. */
function rootSchema(fields: Record<string, SchemaNode>): SchemaNode {
  return {
    type: 'object',
    properties: {
      apiVersion: STRING,
      kind: STRING,
      metadata: { type: 'object' },
      ...fields,
    },
  };
}

function coreKind(
  kind: string,
  scope: KindDefinition['scope'],
  schema: SchemaNode,
): KindDefinition {
  return {
    group: '',
    kind,
    scope,
    versions: [
      { name: 'v1', served: true, storage: true, deprecated: false, schema },
    ],
  };
}

/**
 * Core kinds we render that have no CRD: a small hand-written schema each,
 * covering their documented fields only, so unknown fields are still caught.
 */
export const BUILTIN_KINDS: readonly KindDefinition[] = [
  coreKind(
    'ConfigMap',
    'Namespaced',
    rootSchema({
      data: stringMap(STRING),
      binaryData: stringMap(BASE64),
      immutable: { type: 'boolean' },
    }),
  ),
  coreKind(
    'Secret',
    'Namespaced',
    rootSchema({
      data: stringMap(BASE64),
      stringData: stringMap(STRING),
      type: STRING,
      immutable: { type: 'boolean' },
    }),
  ),
  coreKind(
    'Namespace',
    'Cluster',
    rootSchema({
      spec: {
        type: 'object',
        properties: { finalizers: { type: 'array', items: STRING } },
      },
      status: { type: 'object', 'x-kubernetes-preserve-unknown-fields': true },
    }),
  ),
];
