import type { BackstageCredentials } from '@backstage/backend-plugin-api';
import { NotFoundError } from '@backstage/errors';
import type {
  ClusterDetail,
  ClusterSummary,
  Problem,
} from '@clusterdeck/plugin-aws-clusters-common';
import type {
  AwsClusterPermission,
  FleetApi,
} from '@clusterdeck/plugin-aws-clusters-node';
import type { RenderFormat } from '@clusterdeck/plugin-aws-clusters-render';
import fs from 'node:fs/promises';
import path from 'node:path';
import yaml from 'yaml';
import type { GitopsConfig } from '../config/moduleConfig';
import { AccessPolicy } from './access';
import { clusterRefInput } from './cidrPlan';
import { CLUSTER_FILES, clusterDirectory } from './gitopsLayout';
import { workspacePathOf } from './inputPaths';

/** A file's text, or undefined when there is no such file. */
export async function readIfExists(file: string): Promise<string | undefined> {
  return fs.readFile(file, 'utf8').catch(error => {
    if (error.code === 'ENOENT') return undefined;
    throw error;
  });
}

/**
 * The cluster a day-2 action acts on, once the initiator may act on it: refused before the fleet
 * is asked when the initiator may act for no one, a 404 for a cluster the fleet does not show
 * them, a refusal naming the field `cluster` unless they may act for its owner in its account.
 */
export async function authorizedCluster(options: {
  access: AccessPolicy;
  fleet: FleetApi;
  credentials: BackstageCredentials;
  cluster: string;
  permission: AwsClusterPermission;
  what: string;
}): Promise<ClusterDetail> {
  const { access, fleet, credentials, cluster, permission, what } = options;
  clusterRefInput(cluster, 'cluster');
  await access.assertMayActForSomeone(credentials, permission, what);
  const detail = await fleet.getCluster(cluster, credentials);
  if (!detail) throw new NotFoundError(`The fleet has no cluster ${cluster}`);
  await access.assertMayActFor(credentials, {
    permission,
    owner: detail.cluster.owner,
    accountId: detail.cluster.accountId,
    what,
    field: 'cluster',
  });
  return detail;
}

/** The refusal of a change to a cluster that its management cluster is deleting. */
export function deletingProblems(cluster: ClusterSummary): Problem[] {
  return cluster.status === 'deleting'
    ? [{ path: 'cluster', message: `${cluster.name} is being deleted` }]
    : [];
}

/** A cluster's files as a GitOps checkout in the workspace holds them. */
export interface ClusterFiles {
  ref: { managementCluster: string; namespace: string; name: string };
  /** The directory relative to the workspace. */
  relative: string;
  /** The directory's absolute path. */
  directory: string;
  requestText?: string;
  manifestsText?: string;
  /** The manifests' documents, parsed. */
  manifestDocs: any[];
  /** `cluster-aws` where the manifests hold an App (the chart), else `capi`. */
  format: RenderFormat;
}

/**
 * Reads a cluster's request and manifests from its directory of the checkout in the workspace
 * (`sourcePath`, default the workspace; `directory`, default `clusterdeck.gitops.clusterPath`).
 * Throws a NotFoundError when the directory holds neither.
 */
export async function readClusterFiles(options: {
  workspacePath: string;
  cluster: string;
  sourcePath?: string;
  directory?: string;
  gitops: Pick<GitopsConfig, 'clusterPath'>;
}): Promise<ClusterFiles> {
  const ref = clusterRefInput(options.cluster, 'cluster');
  const relative = path.posix.join(
    options.sourcePath || '.',
    options.directory || clusterDirectory(options.gitops, ref),
  );
  const directory = workspacePathOf(
    options.workspacePath,
    relative,
    options.directory ? 'directory' : 'sourcePath',
  );
  const requestText = await readIfExists(
    path.join(directory, CLUSTER_FILES.request),
  );
  const manifestsText = await readIfExists(
    path.join(directory, CLUSTER_FILES.manifests),
  );
  if (requestText === undefined && manifestsText === undefined) {
    throw new NotFoundError(
      `No ${CLUSTER_FILES.request} or ${CLUSTER_FILES.manifests} in ${relative}; fetch the cluster's directory first`,
    );
  }
  const manifestDocs = manifestsText
    ? yaml.parseAllDocuments(manifestsText).map(d => d.toJS())
    : [];
  const format: RenderFormat = manifestDocs.some(d => d?.kind === 'App')
    ? 'cluster-aws'
    : 'capi';
  return {
    ref,
    relative,
    directory,
    requestText,
    manifestsText,
    manifestDocs,
    format,
  };
}

/** The chart values ConfigMap of a `cluster-aws` cluster's manifests, where there is one. */
export function valuesConfigMap(manifestDocs: any[]): any | undefined {
  return manifestDocs.find(
    d => d?.kind === 'ConfigMap' && typeof d?.data?.values === 'string',
  );
}

/** Writes the manifests' documents back to the cluster's manifest file. */
export async function writeManifestDocs(
  directory: string,
  manifestDocs: any[],
): Promise<void> {
  const text = manifestDocs
    .map(d => `---\n${yaml.stringify(d, { lineWidth: 0 })}`)
    .join('');
  await fs.writeFile(
    path.join(directory, CLUSTER_FILES.manifests),
    text,
    'utf8',
  );
}

/**
 * The cluster a day-2 action acts on, once the initiator may act on it
 * ({@link authorizedCluster}), and its files in the workspace ({@link readClusterFiles}), from
 * the action's `cluster`, `sourcePath` and `directory` inputs.
 */
export async function openClusterFiles(
  ctx: {
    input: { cluster: string; sourcePath?: string; directory?: string };
    workspacePath: string;
    getInitiatorCredentials(): Promise<BackstageCredentials>;
  },
  options: {
    access: AccessPolicy;
    fleet: FleetApi;
    gitops: Pick<GitopsConfig, 'clusterPath'>;
  },
  permission: AwsClusterPermission,
  what: string,
): Promise<{
  credentials: BackstageCredentials;
  detail: ClusterDetail;
  files: ClusterFiles;
}> {
  const { cluster, sourcePath, directory } = ctx.input;
  const credentials = await ctx.getInitiatorCredentials();
  const { access, fleet, gitops } = options;
  const detail = await authorizedCluster({
    access,
    fleet,
    credentials,
    cluster,
    permission,
    what,
  });
  const files = await readClusterFiles({
    workspacePath: ctx.workspacePath,
    cluster,
    sourcePath,
    directory,
    gitops,
  });
  return { credentials, detail, files };
}

/**
 * The chart values of a `cluster-aws` cluster's manifests, to change in place; `write` puts them
 * back into their ConfigMap and the manifests into their file, and returns the file written.
 * Undefined where the manifests hold no values.
 */
export function chartValues(
  files: Pick<ClusterFiles, 'directory' | 'manifestDocs'>,
): { values: any; write(): Promise<string[]> } | undefined {
  const configMap = valuesConfigMap(files.manifestDocs);
  if (!configMap) return undefined;
  const values = yaml.parse(configMap.data.values) ?? {};
  return {
    values,
    async write() {
      configMap.data.values = yaml.stringify(values, { lineWidth: 0 });
      await writeManifestDocs(files.directory, files.manifestDocs);
      return [CLUSTER_FILES.manifests];
    },
  };
}
