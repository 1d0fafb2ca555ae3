import fs from 'node:fs';
import path from 'node:path';
import YAML from 'yaml';
import { isRecord } from './issues';
import type { ResourceScope } from './metadata';
import type { SchemaNode } from './structuralSchema';

/** One version of a kind as its CRD declares it. */
export interface KindVersion {
  name: string;
  served: boolean;
  storage: boolean;
  deprecated: boolean;
  schema?: SchemaNode;
}

/** What the validator needs from a CRD (or from a hand-written built-in kind). */
export interface KindDefinition {
  group: string;
  kind: string;
  scope: ResourceScope;
  versions: KindVersion[];
}

/** Where a kind's CRD lives, found without parsing the whole (often very large) file. */
interface IndexEntry {
  group: string;
  kind: string;
  file: string;
}

/**
 * The CRDs of a reference directory, indexed by group and kind. Files are read
 * once to build the index from their short header (everything before
 * `versions:`); the full document, and with it the schemas, is parsed only
 * when a kind is first asked for. Parsing all of them takes seconds.
 */
export class CrdCatalog {
  private index?: Map<string, IndexEntry>;
  private readonly parsed = new Map<string, KindDefinition[]>();

  private constructor(private readonly files: readonly string[]) {}

  /** Lists `<dir>/crd/*.yaml` then `<dir>/crd/<sub>/*.yaml` (or the same directly under `dir`). */
  static fromDirectory(referenceDir: string): CrdCatalog {
    const crdDir = fs.existsSync(path.join(referenceDir, 'crd'))
      ? path.join(referenceDir, 'crd')
      : referenceDir;
    return new CrdCatalog(listCrdFiles(crdDir));
  }

  /** The definition of group/kind, or undefined when no CRD declares it. */
  lookup(group: string, kind: string): KindDefinition | undefined {
    const entry = this.getIndex().get(kindKey(group, kind));
    if (!entry) {
      return undefined;
    }
    return this.parseFile(entry.file).find(
      d => d.group === group && d.kind === kind,
    );
  }

  /** Every group/kind in the reference set. */
  entries(): { group: string; kind: string }[] {
    return [...this.getIndex().values()].map(({ group, kind }) => ({
      group,
      kind,
    }));
  }

  private getIndex(): Map<string, IndexEntry> {
    if (!this.index) {
      const index = new Map<string, IndexEntry>();
      for (const file of this.files) {
        for (const header of this.readHeaders(file)) {
          // Top-level files come first and win: crd/karpenter-core holds the
          // provider-neutral NodePool, the top-level one is the AWS flavour.
          const key = kindKey(header.group, header.kind);
          if (!index.has(key)) {
            index.set(key, { ...header, file });
          }
        }
      }
      this.index = index;
    }
    return this.index;
  }

  private readHeaders(file: string): { group: string; kind: string }[] {
    const text = fs.readFileSync(file, 'utf8');
    const header = parseHeader(text);
    if (header) {
      return [header];
    }
    return this.parseFile(file).map(({ group, kind }) => ({ group, kind }));
  }

  private parseFile(file: string): KindDefinition[] {
    let definitions = this.parsed.get(file);
    if (!definitions) {
      definitions = parseCrdDocuments(fs.readFileSync(file, 'utf8'));
      this.parsed.set(file, definitions);
    }
    return definitions;
  }
}

function kindKey(group: string, kind: string): string {
  return `${group}/${kind}`;
}

function listCrdFiles(dir: string): string[] {
  const yamlFiles = (d: string) =>
    fs
      .readdirSync(d, { withFileTypes: true })
      .filter(e => e.isFile() && /\.ya?ml$/.test(e.name))
      .map(e => path.join(d, e.name))
      .sort();
  const subdirs = fs
    .readdirSync(dir, { withFileTypes: true })
    .filter(e => e.isDirectory())
    .map(e => path.join(dir, e.name))
    .sort();
  return [...yamlFiles(dir), ...subdirs.flatMap(yamlFiles)];
}

/**
 * Reads group, kind and scope from the part of a single-CRD file before
 * `versions:` (controller-gen sorts keys, so they all come first). Returns
 * undefined when the file does not look like that, and the caller parses it whole.
 */
function parseHeader(
  text: string,
): { group: string; kind: string } | undefined {
  if (
    (text.match(/^kind:\s*CustomResourceDefinition\s*$/gm) ?? []).length !== 1
  ) {
    return undefined;
  }
  const versions = /^\s+versions:\s*$/m.exec(text);
  if (!versions) {
    return undefined;
  }
  try {
    const doc: unknown = YAML.parse(text.slice(0, versions.index), {
      logLevel: 'silent',
    });
    const spec = isRecord(doc) ? doc.spec : undefined;
    const names = isRecord(spec) ? spec.names : undefined;
    if (
      isRecord(spec) &&
      isRecord(names) &&
      typeof spec.group === 'string' &&
      typeof names.kind === 'string'
    ) {
      return { group: spec.group, kind: names.kind };
    }
  } catch {
    // Fall through to a full parse.
  }
  return undefined;
}

function parseCrdDocuments(text: string): KindDefinition[] {
  return YAML.parseAllDocuments(text)
    .map(doc => doc.toJS() as unknown)
    .filter(isCrd)
    .map(toDefinition);
}

interface CrdDocument {
  kind: 'CustomResourceDefinition';
  spec: {
    group: string;
    names: { kind: string };
    scope: ResourceScope;
    versions: {
      name: string;
      served?: boolean;
      storage?: boolean;
      deprecated?: boolean;
      schema?: { openAPIV3Schema?: SchemaNode };
    }[];
  };
}

function isCrd(doc: unknown): doc is CrdDocument {
  if (!isRecord(doc) || doc.kind !== 'CustomResourceDefinition') {
    return false;
  }
  const spec = doc.spec;
  return (
    isRecord(spec) &&
    typeof spec.group === 'string' &&
    isRecord(spec.names) &&
    typeof spec.names.kind === 'string' &&
    Array.isArray(spec.versions)
  );
}

function toDefinition(crd: CrdDocument): KindDefinition {
  return {
    group: crd.spec.group,
    kind: crd.spec.names.kind,
    scope: crd.spec.scope === 'Cluster' ? 'Cluster' : 'Namespaced',
    versions: crd.spec.versions.map(v => ({
      name: v.name,
      served: v.served === true,
      storage: v.storage === true,
      deprecated: v.deprecated === true,
      schema: v.schema?.openAPIV3Schema,
    })),
  };
}
