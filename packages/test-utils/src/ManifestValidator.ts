import Ajv, { type ValidateFunction } from 'ajv';
import { BUILTIN_KINDS } from './builtinKinds';
import {
  CrdCatalog,
  type KindDefinition,
  type KindVersion,
} from './crdCatalog';
import { addKubernetesFormats } from './formats';
import {
  ajvErrorsToIssues,
  dedupeIssues,
  isRecord,
  type ManifestIssue,
} from './issues';
import { checkMetadata, type ResourceScope } from './metadata';
import {
  collectCelRules,
  dropNonNullableNulls,
  toStrictSchema,
  type CelRule,
} from './structuralSchema';

/** @public The issues of one manifest in a list, as returned by {@link ManifestValidator.validateAll}. */
export interface ManifestValidationResult {
  /** Position of the manifest in the list given. */
  index: number;
  kind: string;
  name: string;
  issues: ManifestIssue[];
}

/** The kind and version a manifest addresses, once both are known to exist and be served. */
interface Target {
  definition: KindDefinition;
  version: KindVersion;
}

// Unknown fields are errors, nulls in non-nullable fields are dropped first,
// Kubernetes formats are understood, and the version must be served. CEL rules
// (x-kubernetes-validations) are not evaluated; celRules() lists them so that
// callers can assert their intent by hand. Schemas are compiled on first use
// per apiVersion and kind, and cached.

/** @public Validates Kubernetes manifests against upstream CRDs as the API server does with strict field validation. */
export class ManifestValidator {
  private ajv?: Ajv;
  private readonly compiled = new Map<string, ValidateFunction>();
  private readonly builtins = new Map(
    BUILTIN_KINDS.map(d => [kindKey(d.group, d.kind), d]),
  );

  private constructor(private readonly catalog: CrdCatalog) {}

  /** Creates a validator over `<referenceDir>/crd` (CRD files are read lazily). */
  static fromDirectory(referenceDir: string): ManifestValidator {
    return new ManifestValidator(CrdCatalog.fromDirectory(referenceDir));
  }

  /** Returns what the API server would reject in one manifest; empty when it is valid. */
  validate(manifest: unknown): ManifestIssue[] {
    if (!isRecord(manifest)) {
      return [{ path: '', message: 'a manifest must be an object' }];
    }
    const target = this.resolveTarget(manifest.apiVersion, manifest.kind);
    if (!('definition' in target)) {
      return target.issues;
    }
    const { definition, version } = target;
    const cleaned = dropNonNullableNulls(manifest, version.schema) as Record<
      string,
      unknown
    >;
    return dedupeIssues([
      ...checkMetadata(withoutNullFields(cleaned.metadata), definition.scope),
      ...this.checkSchema(definition, version, cleaned),
    ]);
  }

  /** Validates a list of manifests and returns only those with issues. */
  validateAll(manifests: readonly unknown[]): ManifestValidationResult[] {
    return manifests.flatMap((manifest, index) => {
      const issues = this.validate(manifest);
      if (issues.length === 0) {
        return [];
      }
      const { kind, name } = describe(manifest);
      return [{ index, kind, name, issues }];
    });
  }

  /** The versions of group/kind that the reference CRD serves; empty for unknown kinds. */
  servedVersions(group: string, kind: string): string[] {
    const definition = this.lookup(group, kind);
    return (definition?.versions ?? []).filter(v => v.served).map(v => v.name);
  }

  /** Whether group/kind is namespaced or cluster-scoped; undefined for unknown kinds. */
  scope(group: string, kind: string): ResourceScope | undefined {
    return this.lookup(group, kind)?.scope;
  }

  /** The CEL rules of the schema for apiVersion/kind, which {@link ManifestValidator.validate} cannot evaluate. */
  celRules(apiVersion: string, kind: string): CelRule[] {
    const { group, version } = splitApiVersion(apiVersion) ?? {};
    if (group === undefined) {
      return [];
    }
    const schema = this.lookup(group, kind)?.versions.find(
      v => v.name === version,
    )?.schema;
    return schema ? collectCelRules(schema) : [];
  }

  private lookup(group: string, kind: string): KindDefinition | undefined {
    return (
      this.builtins.get(kindKey(group, kind)) ??
      this.catalog.lookup(group, kind)
    );
  }

  /** Finds the definition and version, or says why the server would not know the manifest. */
  private resolveTarget(
    apiVersion: unknown,
    kind: unknown,
  ): Target | { issues: ManifestIssue[] } {
    const issues: ManifestIssue[] = [];
    const parsed =
      typeof apiVersion === 'string' ? splitApiVersion(apiVersion) : undefined;
    if (!parsed) {
      issues.push({
        path: 'apiVersion',
        message: 'must be a string of the form "group/version" or "v1"',
      });
    }
    if (typeof kind !== 'string' || kind === '') {
      issues.push({ path: 'kind', message: 'required field is missing' });
    }
    if (!parsed || typeof kind !== 'string' || issues.length > 0) {
      return { issues };
    }
    const definition = this.lookup(parsed.group, kind);
    if (!definition) {
      return {
        issues: [
          { path: 'kind', message: unknownKindMessage(parsed.group, kind) },
        ],
      };
    }
    const version = definition.versions.find(v => v.name === parsed.version);
    if (!version || !version.served) {
      return {
        issues: [
          {
            path: 'apiVersion',
            message: unservedMessage(definition, parsed.version, version),
          },
        ],
      };
    }
    return { definition, version };
  }

  private checkSchema(
    definition: KindDefinition,
    version: KindVersion,
    manifest: Record<string, unknown>,
  ): ManifestIssue[] {
    const validateFn = this.compiledFor(definition, version);
    if (!validateFn || validateFn(manifest)) {
      return [];
    }
    return ajvErrorsToIssues(validateFn.errors, manifest);
  }

  /** Compiles on first use: the largest CRD schemas take a good part of a second each. */
  private compiledFor(
    definition: KindDefinition,
    version: KindVersion,
  ): ValidateFunction | undefined {
    if (!version.schema) {
      return undefined;
    }
    const key = `${definition.group}/${version.name}/${definition.kind}`;
    let fn = this.compiled.get(key);
    if (!fn) {
      fn = this.getAjv().compile(toStrictSchema(version.schema));
      this.compiled.set(key, fn);
    }
    return fn;
  }

  private getAjv(): Ajv {
    if (!this.ajv) {
      // strict off: CRDs are full of x-kubernetes-* keywords ajv does not know.
      const ajv = new Ajv({ strict: false, allErrors: true });
      addKubernetesFormats(ajv);
      this.ajv = ajv;
    }
    return this.ajv;
  }
}

function kindKey(group: string, kind: string): string {
  return `${group}/${kind}`;
}

/** `group/version`, or a bare version for the core group. */
function splitApiVersion(
  apiVersion: string,
): { group: string; version: string } | undefined {
  const parts = apiVersion.split('/');
  if (parts.some(p => p === '') || parts.length > 2) {
    return undefined;
  }
  return parts.length === 1
    ? { group: '', version: parts[0] }
    : { group: parts[0], version: parts[1] };
}

function unknownKindMessage(group: string, kind: string): string {
  return group === ''
    ? `kind "${kind}" of the core API group is not supported (only ${BUILTIN_KINDS.map(
        k => k.kind,
      ).join(', ')})`
    : `no CustomResourceDefinition for kind "${kind}" in group "${group}" in the reference set`;
}

function unservedMessage(
  definition: KindDefinition,
  version: string,
  found: KindVersion | undefined,
): string {
  const served = definition.versions.filter(v => v.served).map(v => v.name);
  const name = definition.group
    ? `${definition.group}/${definition.kind}`
    : definition.kind;
  const state = found ? 'is not served' : 'does not exist';
  return `version "${version}" of ${name} ${state}; served: ${
    served.join(', ') || 'none'
  }`;
}

/** ObjectMeta fields set to null mean "unset" to the server. */
function withoutNullFields(metadata: unknown): unknown {
  if (!isRecord(metadata)) {
    return metadata === null ? undefined : metadata;
  }
  return Object.fromEntries(
    Object.entries(metadata).filter(([, value]) => value !== null),
  );
}

function describe(manifest: unknown): { kind: string; name: string } {
  if (!isRecord(manifest)) {
    return { kind: '', name: '' };
  }
  const kind = typeof manifest.kind === 'string' ? manifest.kind : '';
  const name =
    isRecord(manifest.metadata) && typeof manifest.metadata.name === 'string'
      ? manifest.metadata.name
      : '';
  return { kind, name };
}
