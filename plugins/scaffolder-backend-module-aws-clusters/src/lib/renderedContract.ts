import {
  CLUSTERDECK_ANNOTATIONS,
  GIANT_SWARM_LABELS,
  Problem,
} from '@clusterdeck/plugin-aws-clusters-common';
import {
  CLUSTER_CHARTS,
  DEFAULT_CLUSTER_CATALOG,
} from '@clusterdeck/plugin-aws-clusters-render';
import yaml from 'yaml';
import { kindOf } from './applyKinds';

/** A Kubernetes object as read from a manifest file. */
export interface ManifestObject {
  apiVersion?: string;
  kind?: string;
  metadata?: {
    name?: string;
    namespace?: string;
    labels?: Record<string, string>;
    annotations?: Record<string, string>;
  };
  [field: string]: unknown;
}

const CLUSTER_KIND = 'Cluster.cluster.x-k8s.io';
const APP_KIND = 'App.application.giantswarm.io';

/**
 * What the renderer puts into a cluster's App (`renderClusterAwsApp` in
 * `@clusterdeck/plugin-aws-clusters-render`): the charts of Giant Swarm's cluster catalog, and
 * the label that hands the App to the management cluster's own app-operator. The tests render the
 * example requests and hold these to what comes out.
 */
const CLUSTER_CATALOG = DEFAULT_CLUSTER_CATALOG;
const CHARTS: ReadonlyArray<string> = Object.values(CLUSTER_CHARTS);
const APP_OPERATOR_VERSION_LABEL = 'app-operator.giantswarm.io/version';
const UNIQUE_APP_OPERATOR_VERSION = '0.0.0';
/** The fields of an App's spec the renderer writes; anything else (config, extraConfigs, catalogNamespace, ...) it never does. */
const APP_SPEC_FIELDS = new Set([
  'catalog',
  'name',
  'namespace',
  'version',
  'kubeConfig',
  'userConfig',
]);
/** The only identity a rendered cluster names: the account's role, which admits namespaces itself (allowedNamespaces). */
const ROLE_IDENTITY_KIND = 'AWSClusterRoleIdentity';

/** The name of the values ConfigMap of the cluster `name`, as the renderer names it. */
export function valuesConfigMapName(name: string): string {
  return `${name}-userconfig`;
}

/** The cluster an apply is about: its Cluster (`capi`) or App (`cluster-aws`) object. */
export interface RenderedCluster {
  object: ManifestObject;
  name: string;
  namespace: string;
  /** The `clusterdeck.io/owner` annotation, when the object has one. */
  owner?: string;
}

function describe(object: ManifestObject): string {
  const ns = object.metadata?.namespace;
  return `${object.kind} ${ns ? `${ns}/` : ''}${object.metadata?.name}`;
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/**
 * A value without the empty strings, objects and lists in it: `kubectl gs template` writes unused
 * references as `{name: "", namespace: ""}`, which name nothing.
 */
function pruned(value: unknown): unknown {
  if (Array.isArray(value)) {
    const items = value.map(pruned).filter(v => v !== undefined);
    return items.length ? items : undefined;
  }
  if (isObject(value)) {
    const entries = Object.entries(value)
      .map(([k, v]) => [k, pruned(v)] as const)
      .filter(([, v]) => v !== undefined);
    return entries.length ? Object.fromEntries(entries) : undefined;
  }
  return value === '' || value === null ? undefined : value;
}

function canonical(value: unknown): string {
  return JSON.stringify(value, (_key, v) =>
    isObject(v)
      ? Object.fromEntries(
          Object.entries(v).sort(([a], [b]) => a.localeCompare(b)),
        )
      : v,
  );
}

function shown(value: unknown): string {
  const text = JSON.stringify(value) ?? String(value);
  return text.length > 120 ? `${text.slice(0, 117)}...` : text;
}

function fieldPath(path: ReadonlyArray<string | number>): string {
  return path
    .map((key, i) => {
      if (typeof key === 'number') return `[${key}]`;
      if (/^[A-Za-z_$][A-Za-z0-9_$]*$/.test(key))
        return i === 0 ? key : `.${key}`;
      return `[${JSON.stringify(key)}]`;
    })
    .join('');
}

/**
 * The cluster the objects belong to: the one Cluster or App among them. Returns a problem
 * instead when there is none, or more than one.
 */
export function renderedClusterOf(
  objects: ReadonlyArray<ManifestObject>,
): RenderedCluster | Problem {
  const roots = objects.filter(o =>
    [CLUSTER_KIND, APP_KIND].includes(kindOf(o)),
  );
  if (roots.length !== 1) {
    return {
      path: '',
      message: roots.length
        ? `holds ${roots
            .map(describe)
            .join(
              ' and ',
            )}: the renderer writes one cluster (one Cluster, or one App) per folder; apply one cluster at a time`
        : 'holds no Cluster and no App: every rendered cluster has one, and the other objects are named after it',
    };
  }
  const [object] = roots;
  return {
    object,
    name: object.metadata!.name!,
    namespace: object.metadata?.namespace ?? '',
    owner: object.metadata?.annotations?.[CLUSTERDECK_ANNOTATIONS.owner],
  };
}

/**
 * What is wrong with objects that are to be applied, measured against what the renderer emits
 * for one cluster (`@clusterdeck/plugin-aws-clusters-render`):
 *
 * - every object is in the cluster's namespace and named after the cluster (`<name>` or
 *   `<name>-...`); its labels `giantswarm.io/cluster` and `cluster.x-k8s.io/cluster-name`, where
 *   it has them, name that cluster;
 * - whatever an object refers to (`...Ref`, `secret`, `configMap`, `dataSecretName`, any
 *   `namespace`) is an object of the same cluster in the same namespace; the only identity is an
 *   `AWSClusterRoleIdentity`;
 * - the App installs `cluster-aws` or `cluster-eks` from the catalog `cluster` into its own
 *   namespace, with the management cluster's own kubeconfig (`inCluster: true`), the values of
 *   `<name>-userconfig` beside it and nothing else, handed to the management cluster's
 *   app-operator;
 * - the only ConfigMap is that values ConfigMap, with a `values` document only, holding only the
 *   `global` sections the renderer writes, naming the cluster and its organization.
 *
 * So an owner who may apply their cluster can still install nothing but their cluster: no other
 * chart, no other catalog, no workload in another namespace or in the management cluster itself,
 * no other cluster's secrets.
 */
export function renderedContractProblems(
  objects: ReadonlyArray<ManifestObject>,
): { cluster?: RenderedCluster; problems: Problem[] } {
  const cluster = renderedClusterOf(objects);
  if (!('object' in cluster)) return { problems: [cluster] };
  const { name, namespace } = cluster;
  const problems: Problem[] = [];
  // One reason per field: the first, most specific one.
  const add = (
    object: ManifestObject,
    path: ReadonlyArray<string | number>,
    message: string,
  ) => {
    const where = `${describe(object)} ${fieldPath(path)}`;
    if (!problems.some(p => p.path === where))
      problems.push({ path: where, message });
  };
  const ofCluster = (value: string) =>
    value === name || value.startsWith(`${name}-`);
  if (!namespace)
    add(
      cluster.object,
      ['metadata', 'namespace'],
      "is missing: the renderer puts every cluster in its organization's namespace",
    );

  for (const object of objects) {
    const kind = kindOf(object);
    const meta = object.metadata ?? {};
    if (namespace && meta.namespace !== namespace)
      add(
        object,
        ['metadata', 'namespace'],
        `is ${shown(
          meta.namespace ?? null,
        )}, not ${namespace}: the renderer puts every object of ${name} in the namespace of its ${
          cluster.object.kind
        }`,
      );
    if (!ofCluster(meta.name ?? ''))
      add(
        object,
        ['metadata', 'name'],
        `is ${shown(
          meta.name,
        )}: the renderer names every object of cluster ${name} ${name} or ${name}-...`,
      );
    const labels: string[] = [GIANT_SWARM_LABELS.cluster];
    if (kind.endsWith('.cluster.x-k8s.io'))
      labels.push(GIANT_SWARM_LABELS.capiClusterName);
    for (const label of labels) {
      const value = meta.labels?.[label];
      if (value !== undefined && value !== name)
        add(
          object,
          ['metadata', 'labels', label],
          `is ${shown(
            value,
          )}, not ${name}: the renderer labels every object with the cluster it belongs to`,
        );
    }
    // The App's own reasons first: they say more than the general rule on references.
    if (kind === APP_KIND)
      checkApp(object, cluster, (path, message) => add(object, path, message));
    checkReferences(object, name, [], object, (path, message) =>
      add(object, path, message),
    );

    if (kind === 'ConfigMap') {
      if (kindOf(cluster.object) !== APP_KIND)
        add(
          object,
          ['metadata', 'name'],
          `is a ConfigMap beside a Cluster: the renderer writes a values ConfigMap only for a cluster installed by an App`,
        );
      else if (meta.name !== valuesConfigMapName(name))
        add(
          object,
          ['metadata', 'name'],
          `is ${shown(
            meta.name,
          )}: the only ConfigMap the renderer writes for ${name} is its values, ${valuesConfigMapName(
            name,
          )}`,
        );
      for (const key of Object.keys(object)) {
        if (!['apiVersion', 'kind', 'metadata', 'data'].includes(key))
          add(object, [key], 'is set; the values ConfigMap holds only data');
      }
      const data = object.data;
      if (!isObject(data) || Object.keys(data).join() !== 'values')
        add(
          object,
          ['data'],
          `has ${shown(
            isObject(data) ? Object.keys(data) : data,
          )}; the values ConfigMap holds one document, data.values`,
        );
      else
        checkValues(data.values, cluster, (path, message) =>
          add(object, ['data', 'values', ...path], message),
        );
    } else if (isObject(object.spec) && 'clusterName' in object.spec) {
      if (object.spec.clusterName !== name)
        add(
          object,
          ['spec', 'clusterName'],
          `is ${shown(object.spec.clusterName)}, not ${name}`,
        );
    }
  }
  return { cluster, problems };
}

/**
 * Every reference below an object's spec: the name of a `...Ref`, `secret`, `configMap` or
 * `dataSecretName` must be one of the cluster's objects, every `namespace` the object's own.
 */
function checkReferences(
  object: ManifestObject,
  prefix: string,
  path: ReadonlyArray<string | number>,
  value: unknown,
  problem: (path: ReadonlyArray<string | number>, message: string) => void,
): void {
  const ofCluster = (v: string) => v === prefix || v.startsWith(`${prefix}-`);
  if (Array.isArray(value)) {
    value.forEach((item, i) =>
      checkReferences(object, prefix, [...path, i], item, problem),
    );
    return;
  }
  if (!isObject(value)) return;
  for (const [key, child] of Object.entries(value)) {
    const at = [...path, key];
    if (path.length === 0 && (key === 'metadata' || key === 'data')) continue;
    if (key === 'namespace' && typeof child === 'string' && child !== '') {
      if (child !== object.metadata?.namespace)
        problem(
          at,
          `is ${shown(
            child,
          )}: what a rendered object refers to is in its own namespace, ${
            object.metadata?.namespace
          }`,
        );
      continue;
    }
    if (key === 'identityRef' && isObject(child)) {
      if (child.kind !== ROLE_IDENTITY_KIND)
        problem(
          [...at, 'kind'],
          `is ${shown(
            child.kind ?? null,
          )}: a rendered cluster uses its account's ${ROLE_IDENTITY_KIND}, never the management cluster's own identity`,
        );
      continue;
    }
    const reference =
      (key.endsWith('Ref') || key === 'secret' || key === 'configMap') &&
      isObject(child) &&
      typeof child.name === 'string' &&
      child.name !== '';
    if (reference && !ofCluster(child.name as string)) {
      problem(
        [...at, 'name'],
        `is ${shown(
          child.name,
        )}: a rendered object refers only to objects of its own cluster (${prefix} or ${prefix}-...)`,
      );
    }
    if (
      key === 'dataSecretName' &&
      typeof child === 'string' &&
      child !== '' &&
      !ofCluster(child)
    ) {
      problem(
        at,
        `is ${shown(
          child,
        )}: a rendered object refers only to objects of its own cluster (${prefix} or ${prefix}-...)`,
      );
    }
    checkReferences(object, prefix, at, child, problem);
  }
}

/**
 * The chart values the renderer writes (`clusterAwsValues`, `clusterEksValues`): `global` only,
 * with these sections. The charts take much more (`global.apps` with extra configs and secrets,
 * `cluster.providerIntegration` with files from secrets, `internal`), none of which Clusterdeck
 * writes.
 */
const VALUES_GLOBAL_SECTIONS = new Set([
  'metadata',
  'release',
  'managementCluster',
  'connectivity',
  'controlPlane',
  'nodePools',
  'providerSpecific',
]);

function checkValues(
  text: unknown,
  cluster: RenderedCluster,
  problem: (path: ReadonlyArray<string | number>, message: string) => void,
): void {
  let values: unknown;
  try {
    values = typeof text === 'string' ? yaml.parse(text) : undefined;
  } catch (error) {
    problem([], `is not YAML: ${(error as Error).message.split('\n')[0]}`);
    return;
  }
  if (!isObject(values)) {
    problem([], 'is not a document of chart values');
    return;
  }
  for (const key of Object.keys(values)) {
    if (key !== 'global')
      problem(
        [key],
        'is set; the renderer writes only global values (global.*)',
      );
  }
  const global = isObject(values.global) ? values.global : {};
  for (const key of Object.keys(global)) {
    if (!VALUES_GLOBAL_SECTIONS.has(key))
      problem(
        ['global', key],
        `is set; the renderer writes only ${[...VALUES_GLOBAL_SECTIONS]
          .map(k => `global.${k}`)
          .join(', ')}`,
      );
  }
  const metadata = isObject(global.metadata) ? global.metadata : {};
  if (metadata.name !== cluster.name)
    problem(
      ['global', 'metadata', 'name'],
      `is ${shown(metadata.name ?? null)}, not ${
        cluster.name
      }: the values name the cluster their App installs`,
    );
  const organization = cluster.namespace.replace(/^org-/, '');
  if (metadata.organization !== organization)
    problem(
      ['global', 'metadata', 'organization'],
      `is ${shown(
        metadata.organization ?? null,
      )}, not ${organization}: the values name the organization of the App's namespace`,
    );
}

function checkApp(
  app: ManifestObject,
  cluster: RenderedCluster,
  problem: (path: ReadonlyArray<string | number>, message: string) => void,
): void {
  const { name, namespace } = cluster;
  const version = app.metadata?.labels?.[APP_OPERATOR_VERSION_LABEL];
  if (version !== UNIQUE_APP_OPERATOR_VERSION)
    problem(
      ['metadata', 'labels', APP_OPERATOR_VERSION_LABEL],
      `is ${shown(
        version ?? null,
      )}, not "${UNIQUE_APP_OPERATOR_VERSION}": the renderer hands the App to the management cluster's own app-operator`,
    );
  const spec = isObject(app.spec) ? app.spec : {};
  const given = (pruned(spec) ?? {}) as Record<string, unknown>;
  for (const key of Object.keys(given)) {
    if (!APP_SPEC_FIELDS.has(key))
      problem(
        ['spec', key],
        `is set to ${shown(
          given[key],
        )}; the renderer never sets it (it sets only ${[
          ...APP_SPEC_FIELDS,
        ].join(', ')})`,
      );
  }
  if (spec.catalog !== CLUSTER_CATALOG)
    problem(
      ['spec', 'catalog'],
      `is ${shown(
        spec.catalog ?? null,
      )}: the renderer installs clusters only from the catalog "${CLUSTER_CATALOG}"`,
    );
  if (!CHARTS.includes(spec.name as string))
    problem(
      ['spec', 'name'],
      `is ${shown(
        spec.name ?? null,
      )}: the renderer installs only the charts ${CHARTS.join(' and ')}`,
    );
  if (spec.namespace !== namespace)
    problem(
      ['spec', 'namespace'],
      `is ${shown(
        spec.namespace ?? null,
      )}: the renderer installs a cluster's chart into the App's own namespace, ${namespace}`,
    );
  if (spec.version !== undefined && typeof spec.version !== 'string')
    problem(['spec', 'version'], `is ${shown(spec.version)}, not a string`);
  const kubeConfig = { inCluster: true };
  if (canonical(pruned(spec.kubeConfig)) !== canonical(kubeConfig))
    problem(
      ['spec', 'kubeConfig'],
      `is ${shown(
        spec.kubeConfig ?? null,
      )}: the renderer installs a cluster's chart into the management cluster itself (${shown(
        kubeConfig,
      )}), never with another kubeconfig`,
    );
  const userConfig = {
    configMap: { name: valuesConfigMapName(name), namespace },
  };
  if (canonical(pruned(spec.userConfig)) !== canonical(userConfig))
    problem(
      ['spec', 'userConfig'],
      `is ${shown(
        spec.userConfig ?? null,
      )}: the renderer configures the chart with the values of ${shown(
        userConfig,
      )} only`,
    );
}
