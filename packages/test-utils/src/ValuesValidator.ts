import fs from 'node:fs';
import path from 'node:path';
import Ajv2020 from 'ajv/dist/2020';
import type { ValidateFunction } from 'ajv';
import { addKubernetesFormats } from './formats';
import {
  ajvErrorsToIssues,
  dedupeIssues,
  isRecord,
  joinPath,
  type ManifestIssue,
} from './issues';

/** @public The Helm charts whose values schema the reference set carries. */
export type HelmChartName = 'cluster-aws' | 'cluster-eks';

/** @public Options for {@link ValuesValidator.validate}. */
export interface ValuesValidationOptions {
  /**
   * Also report keys the schema does not declare where it leaves the object
   * open (cluster-aws has `global: {additionalProperties: true}` and several
   * objects without `additionalProperties`). Helm accepts such keys; the chart
   * most likely ignores them, so they are usually typos.
   */
  rejectUndeclaredKeys?: boolean;
}

type JsonSchema = Record<string, unknown>;

interface LoadedSchema {
  root: JsonSchema;
  validate: ValidateFunction;
}

// By default this accepts exactly what `helm install` accepts. Each schema is
// compiled on first use and cached.

/** @public Validates Helm values against a chart's JSON Schema 2020-12 `values.schema.json` from the reference set. */
export class ValuesValidator {
  private ajv?: Ajv2020;
  private readonly loaded = new Map<HelmChartName, LoadedSchema>();

  private constructor(private readonly referenceDir: string) {}

  /** Creates a validator reading `<referenceDir>/<chart>.schema.json` on first use. */
  static fromDirectory(referenceDir: string): ValuesValidator {
    return new ValuesValidator(referenceDir);
  }

  /** Returns the schema violations of a whole values document; empty when it is valid. */
  validate(
    chart: HelmChartName,
    values: unknown,
    options: ValuesValidationOptions = {},
  ): ManifestIssue[] {
    const { root, validate } = this.load(chart);
    const issues = validate(values)
      ? []
      : ajvErrorsToIssues(validate.errors, values);
    if (options.rejectUndeclaredKeys) {
      issues.push(...undeclaredKeys(values, root, root, ''));
    }
    return dedupeIssues(issues);
  }

  private load(chart: HelmChartName): LoadedSchema {
    let loaded = this.loaded.get(chart);
    if (!loaded) {
      const file = path.join(this.referenceDir, `${chart}.schema.json`);
      const root = JSON.parse(fs.readFileSync(file, 'utf8')) as JsonSchema;
      loaded = { root, validate: this.getAjv().compile(root) };
      this.loaded.set(chart, loaded);
    }
    return loaded;
  }

  private getAjv(): Ajv2020 {
    if (!this.ajv) {
      // strict off: the chart schemas use annotation keywords ajv would flag.
      const ajv = new Ajv2020({ strict: false, allErrors: true });
      addKubernetesFormats(ajv);
      this.ajv = ajv;
    }
    return this.ajv;
  }
}

/**
 * Keys present in `value` that no `properties`/`patternProperties` of the
 * schema names, in objects the schema leaves open. Closed objects are skipped:
 * ajv already reports their unknown keys.
 */
function undeclaredKeys(
  value: unknown,
  schema: unknown,
  root: JsonSchema,
  at: string,
): ManifestIssue[] {
  const branches = expand(schema, root);
  if (Array.isArray(value)) {
    const items = branches.flatMap(b => (isRecord(b.items) ? [b.items] : []));
    return items.length === 0
      ? []
      : value.flatMap((item, i) =>
          undeclaredKeys(item, { anyOf: items }, root, joinPath(at, i)),
        );
  }
  if (!isRecord(value)) {
    return [];
  }
  const closed = branches.some(b => b.additionalProperties === false);
  const describesKeys = branches.some(
    b => isRecord(b.properties) || isRecord(b.patternProperties),
  );
  return Object.entries(value).flatMap(([key, child]) => {
    const childPath = joinPath(at, key);
    const childSchemas = branches.flatMap(b => schemasForKey(b, key));
    if (childSchemas.length > 0) {
      return undeclaredKeys(child, { anyOf: childSchemas }, root, childPath);
    }
    if (closed || !describesKeys) {
      return [];
    }
    return [{ path: childPath, message: `undeclared key "${childPath}"` }];
  });
}

/** The schemas that govern one key of an object: declared, pattern-matched, or additional. */
function schemasForKey(schema: JsonSchema, key: string): unknown[] {
  const properties = isRecord(schema.properties) ? schema.properties : {};
  if (key in properties) {
    return [properties[key]];
  }
  const patterns = isRecord(schema.patternProperties)
    ? Object.entries(schema.patternProperties)
        .filter(([pattern]) => new RegExp(pattern, 'u').test(key))
        .map(([, s]) => s)
    : [];
  if (patterns.length > 0) {
    return patterns;
  }
  return isRecord(schema.additionalProperties)
    ? [schema.additionalProperties]
    : [];
}

/** A schema with its local `$ref`s followed and its combinator branches flattened. */
function expand(schema: unknown, root: JsonSchema, depth = 0): JsonSchema[] {
  if (!isRecord(schema) || depth > 32) {
    return [];
  }
  const out: JsonSchema[] = [schema];
  if (typeof schema.$ref === 'string') {
    out.push(...expand(resolveRef(schema.$ref, root), root, depth + 1));
  }
  for (const key of ['allOf', 'anyOf', 'oneOf', 'then', 'else']) {
    const sub = schema[key];
    const list: unknown[] = Array.isArray(sub) ? sub : [sub];
    out.push(...list.flatMap(s => expand(s, root, depth + 1)));
  }
  return out;
}

function resolveRef(ref: string, root: JsonSchema): unknown {
  if (!ref.startsWith('#/')) {
    return undefined;
  }
  return ref
    .slice(2)
    .split('/')
    .map(part => part.replace(/~1/g, '/').replace(/~0/g, '~'))
    .reduce<unknown>(
      (node, part) => (isRecord(node) ? node[part] : undefined),
      root,
    );
}
