import { InputError, NotAllowedError } from '@backstage/errors';
import { createTemplateAction } from '@backstage/plugin-scaffolder-node';
import { workspacePathOf } from '../lib/inputPaths';
import type { ClusterdeckConfig } from '@clusterdeck/plugin-aws-clusters-node';
import { ApiException, KubeConfig, KubernetesObject, KubernetesObjectApi, PatchStrategy } from '@kubernetes/client-node';
import fs from 'node:fs/promises';
import path from 'node:path';
import yaml from 'yaml';
import { AccessPolicy } from '../lib/access';
import { organizationNamespacesOf } from '../lib/organizationNamespaces';
import { examples } from './applyManifests.examples';

/** @public What `clusterdeck:manifests:apply` needs. */
export interface ApplyManifestsActionOptions {
  config: Pick<ClusterdeckConfig, 'managementClusters' | 'organizations'>;
  access: AccessPolicy;
  /** Time between readiness polls, in milliseconds. */
  pollIntervalMs?: number;
}

const FIELD_MANAGER = 'clusterdeck';
const OWNER_ANNOTATION = 'clusterdeck.io/owner';

type Result = 'created' | 'configured' | 'unchanged';

async function readManifests(dir: string): Promise<Array<{ file: string; object: KubernetesObject }>> {
  const stat = await fs.stat(dir).catch(() => undefined);
  if (!stat) throw new InputError(`path: ${dir} does not exist in the workspace`);
  const files = stat.isDirectory()
    ? (await fs.readdir(dir, { recursive: true })).map(String).filter(f => /\.ya?ml$/.test(f)).sort().map(f => path.join(dir, f))
    : [dir];
  const out: Array<{ file: string; object: KubernetesObject }> = [];
  for (const file of files) {
    for (const doc of yaml.parseAllDocuments(await fs.readFile(file, 'utf8'))) {
      if (doc.errors.length) throw new InputError(`path: ${path.basename(file)} is not valid YAML: ${doc.errors[0].message}`);
      const object = doc.toJS();
      if (!object) continue;
      // Files that are not Kubernetes objects (a ClusterRequest kept beside them) are not applied.
      if (!object.apiVersion || !object.kind || !object.metadata?.name || object.apiVersion.startsWith('clusterdeck.io/')) continue;
      out.push({ file, object });
    }
  }
  return out;
}

function describe(object: KubernetesObject): string {
  const ns = object.metadata?.namespace;
  return `${object.kind} ${ns ? `${ns}/` : ''}${object.metadata?.name}`;
}

function serverMessage(error: unknown): string {
  if (error instanceof ApiException) {
    try {
      const body = typeof error.body === 'string' ? JSON.parse(error.body) : error.body;
      if (body?.message) return `${body.message} (HTTP ${error.code})`;
    } catch {
      // The body was not a Status; fall back to the exception's own message.
    }
    return `HTTP ${error.code}`;
  }
  return error instanceof Error ? error.message : String(error);
}

/**
 * `clusterdeck:manifests:apply`: server-side applies rendered manifests to a management cluster
 * with the field manager `clusterdeck`, for a caller who may act for the owning group in that
 * group's organization namespace.
 * @public
 */
export function createApplyManifestsAction(options: ApplyManifestsActionOptions) {
  const { config, access } = options;
  const pollIntervalMs = options.pollIntervalMs ?? 5_000;
  return createTemplateAction({
    id: 'clusterdeck:manifests:apply',
    description:
      'Server-side applies the YAML manifests under a workspace path to a configured management cluster (field manager clusterdeck), ' +
      "in the owning organization's namespace, and optionally waits for the Cluster's infrastructure to be ready.",
    examples,
    supportsDryRun: true,
    schema: {
      input: {
        managementCluster: z => z.string().describe('The management cluster (clusterdeck.managementClusters[].name) to apply to'),
        path: z => z.string().describe('Workspace file or directory of YAML manifests (multi-document files allowed)'),
        owner: z => z.string().optional().describe(`The owning group; defaults to the Cluster's ${OWNER_ANNOTATION} annotation`),
        force: z => z.boolean().optional().describe('Take over fields other managers own (default false)'),
        waitForInfrastructureReady: z => z.boolean().optional().describe("Wait until the Cluster's infrastructure is ready (default false)"),
        timeoutSeconds: z => z.number().int().min(1).max(3600).optional().describe('How long to wait for readiness (default 600)'),
      },
      output: {
        objects: z =>
          z
            .array(z.object({ kind: z.string(), namespace: z.string().optional(), name: z.string(), result: z.enum(['created', 'configured', 'unchanged']) }))
            .describe('Each object applied and what the apply did'),
        clusterConditions: z =>
          z
            .array(z.object({ type: z.string(), status: z.string(), reason: z.string().optional(), message: z.string().optional() }))
            .describe("The Cluster's conditions after the apply"),
        infrastructureReady: z => z.boolean().describe("Whether the Cluster's infrastructure is ready"),
      },
    },
    async handler(ctx) {
      const { input } = ctx;
      const mc = config.managementClusters.find(m => m.name === input.managementCluster);
      if (!mc) throw new InputError(`managementCluster: no management cluster named ${input.managementCluster} is configured`);
      if (!mc.kubernetes) throw new InputError(`managementCluster: ${mc.name} has no kubernetes block in clusterdeck.managementClusters`);
      if (mc.kubernetes.authProvider === 'aws') {
        throw new InputError(`managementCluster: ${mc.name} uses authProvider aws, which clusterdeck:manifests:apply does not support`);
      }
      const objects = await readManifests(workspacePathOf(ctx.workspacePath, input.path, 'path'));
      if (objects.length === 0) throw new InputError(`path: ${input.path} holds no Kubernetes objects`);
      const cluster = objects.find(o => o.object.kind === 'Cluster' && (o.object.apiVersion ?? '').startsWith('cluster.x-k8s.io/'))?.object;
      const owner = input.owner ?? cluster?.metadata?.annotations?.[OWNER_ANNOTATION];
      if (!owner) throw new InputError(`owner: give the owning group, or annotate the Cluster with ${OWNER_ANNOTATION}`);
      const allowedNamespaces = new Set(organizationNamespacesOf(owner, config.organizations));
      await access.assertMayActFor(await ctx.getInitiatorCredentials(), { owner, what: `apply manifests to ${mc.name}` });
      for (const { object } of objects) {
        const ns = object.metadata?.namespace;
        if (!ns || !allowedNamespaces.has(ns)) {
          throw new NotAllowedError(`${describe(object)}: namespace ${ns ?? '(none)'} is not an organization namespace of ${owner} (${[...allowedNamespaces].join(', ')})`);
        }
      }

      const kc = new KubeConfig();
      kc.loadFromClusterAndUser(
        { name: mc.name, server: mc.kubernetes.url, caData: mc.kubernetes.caData, caFile: mc.kubernetes.caFile, skipTLSVerify: mc.kubernetes.skipTLSVerify },
        { name: FIELD_MANAGER, token: mc.kubernetes.serviceAccountToken },
      );
      const api = KubernetesObjectApi.makeApiClient(kc);
      const dryRun = ctx.isDryRun ? 'All' : undefined;

      const applied: Array<{ kind: string; namespace?: string; name: string; result: Result }> = [];
      for (const { object } of objects) {
        const apply = async () => {
          const before = await api.read(object as any).catch(error => {
            if (error instanceof ApiException && error.code === 404) return undefined;
            throw new Error(`${describe(object)}: could not be read: ${serverMessage(error)}`);
          });
          const after = await api
            .patch(object, undefined, dryRun, FIELD_MANAGER, input.force ?? false, PatchStrategy.ServerSideApply)
            .catch(error => {
              throw new Error(`${describe(object)} was rejected: ${serverMessage(error)}`);
            });
          let result: Result = 'configured';
          if (!before) result = 'created';
          else if (before.metadata?.resourceVersion === after.metadata?.resourceVersion) result = 'unchanged';
          return { kind: object.kind!, ...(object.metadata?.namespace ? { namespace: object.metadata.namespace } : {}), name: object.metadata!.name!, result };
        };
        const entry = ctx.isDryRun ? await apply() : await ctx.checkpoint({ key: `apply-${mc.name}-${describe(object)}`, fn: apply });
        applied.push(entry);
        ctx.logger.info(`${ctx.isDryRun ? 'Would apply' : 'Applied'} ${describe(object)}: ${entry.result}`);
      }

      let conditions: Array<{ type: string; status: string; reason?: string; message?: string }> = [];
      let ready = false;
      if (cluster && !ctx.isDryRun) {
        const deadline = Date.now() + (input.timeoutSeconds ?? 600) * 1000;
        for (;;) {
          const live: any = await api.read(cluster as any);
          conditions = (live.status?.conditions ?? []).map((c: any) => ({
            type: c.type,
            status: c.status,
            ...(c.reason ? { reason: c.reason } : {}),
            ...(c.message ? { message: c.message } : {}),
          }));
          ready = live.status?.infrastructureReady === true || conditions.some(c => c.type === 'InfrastructureReady' && c.status === 'True');
          if (ready || !input.waitForInfrastructureReady) break;
          if (Date.now() >= deadline) {
            throw new Error(`${describe(cluster)}: infrastructure not ready after ${input.timeoutSeconds ?? 600} seconds`);
          }
          await new Promise(resolve => setTimeout(resolve, pollIntervalMs));
        }
      }
      ctx.output('objects', applied);
      ctx.output('clusterConditions', conditions);
      ctx.output('infrastructureReady', ready);
    },
  });
}
