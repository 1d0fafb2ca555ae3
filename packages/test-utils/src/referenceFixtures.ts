import fs from 'node:fs';
import path from 'node:path';
import YAML from 'yaml';

/** envsubst forms clusterctl accepts: `${VAR}`, `${VAR:-default}`, `${VAR:=default}` (and without the colon). */
const PLACEHOLDER = /\$\{([A-Za-z_][A-Za-z0-9_]*)(?::?[-=]([^}]*))?\}/g;

/**
 * A plausible value for a clusterctl template variable, chosen by its name so
 * that the filled-in manifest is one a user could really have produced.
 */
export function placeholderValue(name: string): string {
  if (/(_COUNT|REPLICAS)$/.test(name)) {
    return '3';
  }
  if (name === 'KUBERNETES_VERSION') {
    return 'v1.33.0';
  }
  if (name.endsWith('_ROLE_ARN')) {
    return 'arn:aws:iam::123456789012:role/capa-test';
  }
  if (name === 'AWS_REGION') {
    return 'eu-west-1';
  }
  if (name === 'AWS_AVAILABILITY_ZONE') {
    return 'eu-west-1a';
  }
  if (name.endsWith('_MACHINE_TYPE')) {
    return 'm5.xlarge';
  }
  if (name === 'CLUSTER_NAME') {
    return 'test-cluster';
  }
  // *_RESOURCES stand for a whole map of manifests (e.g. `data: ${CNI_RESOURCES}`).
  if (name.endsWith('_RESOURCES')) {
    return '{}';
  }
  // Names end up in metadata.name, so they must be valid DNS labels.
  return name.toLowerCase().replace(/_/g, '-');
}

/** Fills in every placeholder, preferring the template's own default. */
export function fillPlaceholders(text: string): string {
  return text.replace(PLACEHOLDER, (_match, name: string, fallback?: string) =>
    fallback !== undefined ? fallback : placeholderValue(name),
  );
}

/** Every YAML document of a file, as plain data, empty documents left out. */
export function readYamlDocuments(file: string, fill = false): unknown[] {
  const raw = fs.readFileSync(file, 'utf8');
  return YAML.parseAllDocuments(fill ? fillPlaceholders(raw) : raw)
    .map(doc => doc.toJS() as unknown)
    .filter(doc => doc !== null && doc !== undefined);
}

/** The `*.yaml` files of a directory, sorted, with their base names. */
export function yamlFiles(dir: string): { name: string; file: string }[] {
  return fs
    .readdirSync(dir)
    .filter(f => f.endsWith('.yaml'))
    .sort()
    .map(name => ({ name, file: path.join(dir, name) }));
}
