import { isRecord, joinPath, ManifestIssue } from './issues';

/** @public Whether a kind lives in a namespace or at cluster level. */
export type ResourceScope = 'Namespaced' | 'Cluster';

const DNS1123_LABEL = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;
const DNS1123_SUBDOMAIN =
  /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;
const QUALIFIED_NAME_PART = /^([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]$/;
const LABEL_VALUE = /^(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?$/;

/** The server's limit on the summed size of all annotations. */
const MAX_ANNOTATIONS_BYTES = 256 * 1024;

/** ObjectMeta fields; anything else is an unknown field under strict validation. */
const OBJECT_META_FIELDS = new Set([
  'name',
  'generateName',
  'namespace',
  'labels',
  'annotations',
  'finalizers',
  'ownerReferences',
  'uid',
  'resourceVersion',
  'generation',
  'creationTimestamp',
  'deletionTimestamp',
  'deletionGracePeriodSeconds',
  'managedFields',
  'selfLink',
]);

/**
 * The light metadata check that stands in for the CRD's own `metadata`
 * schema, which is nearly always just `type: object`.
 */
export function checkMetadata(
  metadata: unknown,
  scope: ResourceScope,
): ManifestIssue[] {
  if (metadata === undefined) {
    return [{ path: 'metadata.name', message: 'required field is missing' }];
  }
  if (!isRecord(metadata)) {
    return [{ path: 'metadata', message: 'must be object' }];
  }
  return [
    ...checkUnknownMetaFields(metadata),
    ...checkName(metadata.name),
    ...checkNamespace(metadata.namespace, scope),
    ...checkLabels(metadata.labels),
    ...checkAnnotations(metadata.annotations),
  ];
}

function checkUnknownMetaFields(
  metadata: Record<string, unknown>,
): ManifestIssue[] {
  return Object.keys(metadata)
    .filter(key => !OBJECT_META_FIELDS.has(key))
    .map(key => {
      const path = joinPath('metadata', key);
      return { path, message: `unknown field "${path}"` };
    });
}

function checkName(name: unknown): ManifestIssue[] {
  const path = 'metadata.name';
  if (name === undefined || name === '') {
    return [{ path, message: 'required field is missing' }];
  }
  if (typeof name !== 'string') {
    return [{ path, message: 'must be string' }];
  }
  return dnsSubdomainProblems(name).map(message => ({ path, message }));
}

function checkNamespace(
  namespace: unknown,
  scope: ResourceScope,
): ManifestIssue[] {
  const path = 'metadata.namespace';
  const absent = namespace === undefined || namespace === '';
  if (scope === 'Cluster') {
    return absent
      ? []
      : [{ path, message: 'must not be set: the kind is cluster-scoped' }];
  }
  if (absent) {
    return [
      { path, message: 'required field is missing: the kind is namespaced' },
    ];
  }
  if (typeof namespace !== 'string') {
    return [{ path, message: 'must be string' }];
  }
  if (namespace.length > 63 || !DNS1123_LABEL.test(namespace)) {
    return [
      {
        path,
        message: `"${namespace}" is not a valid namespace name (RFC 1123 label, at most 63 characters)`,
      },
    ];
  }
  return [];
}

function checkLabels(labels: unknown): ManifestIssue[] {
  return checkStringMap('metadata.labels', labels, (key, value, path) =>
    [...qualifiedNameProblems(key), ...labelValueProblems(value)].map(
      message => ({ path, message }),
    ),
  );
}

function checkAnnotations(annotations: unknown): ManifestIssue[] {
  const issues = checkStringMap(
    'metadata.annotations',
    annotations,
    (key, _value, path) =>
      qualifiedNameProblems(key).map(message => ({ path, message })),
  );
  if (isRecord(annotations)) {
    const size = Object.entries(annotations).reduce(
      (sum, [k, v]) => sum + k.length + (typeof v === 'string' ? v.length : 0),
      0,
    );
    if (size > MAX_ANNOTATIONS_BYTES) {
      issues.push({
        path: 'metadata.annotations',
        message: `annotations total ${size} bytes, more than the ${MAX_ANNOTATIONS_BYTES} allowed`,
      });
    }
  }
  return issues;
}

/** Labels and annotations share this shape: a map of strings with qualified-name keys. */
function checkStringMap(
  path: string,
  map: unknown,
  checkEntry: (key: string, value: string, path: string) => ManifestIssue[],
): ManifestIssue[] {
  if (map === undefined) {
    return [];
  }
  if (!isRecord(map)) {
    return [{ path, message: 'must be a map of strings' }];
  }
  return Object.entries(map).flatMap(([key, value]) => {
    const entryPath = joinPath(path, key);
    if (typeof value !== 'string') {
      return [{ path: entryPath, message: 'must be string' }];
    }
    return checkEntry(key, value, entryPath);
  });
}

/** Kubernetes `IsQualifiedName`: an optional DNS subdomain prefix and a slash, then a name of at most 63 characters. */
export function qualifiedNameProblems(key: string): string[] {
  const slash = key.indexOf('/');
  const prefix = slash >= 0 ? key.slice(0, slash) : undefined;
  const name = slash >= 0 ? key.slice(slash + 1) : key;
  const problems: string[] = [];
  if (prefix !== undefined) {
    problems.push(
      ...dnsSubdomainProblems(prefix).map(p => `key "${key}": prefix ${p}`),
    );
  }
  if (
    name.length === 0 ||
    name.length > 63 ||
    !QUALIFIED_NAME_PART.test(name)
  ) {
    problems.push(
      `key "${key}" is not a qualified name: the name part must be 1-63 characters, alphanumerics, '-', '_' or '.', starting and ending with an alphanumeric`,
    );
  }
  return problems;
}

function labelValueProblems(value: string): string[] {
  if (value.length > 63 || !LABEL_VALUE.test(value)) {
    return [
      `value "${value}" is not a valid label value: at most 63 characters, alphanumerics, '-', '_' or '.', starting and ending with an alphanumeric`,
    ];
  }
  return [];
}

function dnsSubdomainProblems(value: string): string[] {
  if (value.length > 253 || !DNS1123_SUBDOMAIN.test(value)) {
    return [
      `"${value}" is not a valid RFC 1123 subdomain: at most 253 characters, lower-case alphanumerics, '-' or '.', starting and ending with an alphanumeric`,
    ];
  }
  return [];
}
