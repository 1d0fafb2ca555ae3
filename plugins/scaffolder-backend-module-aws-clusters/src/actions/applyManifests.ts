import { InputError, NotAllowedError } from '@backstage/errors';
import { createTemplateAction } from '@backstage/plugin-scaffolder-node';
import {
  awsClusterManifestsApplyPermission,
  awsClustersAdministerPermission,
} from '@clusterdeck/plugin-aws-clusters-common';
import type { ClusterdeckConfig } from '@clusterdeck/plugin-aws-clusters-node';
import {
  ApiException,
  KubeConfig,
  KubernetesObject,
  KubernetesObjectApi,
  PatchStrategy,
} from '@kubernetes/client-node';
import fs from 'node:fs/promises';
import path from 'node:path';
import yaml from 'yaml';
import { AccessPolicy } from '../lib/access';
import { kindOf } from '../lib/applyKinds';
import { throwIfCancelled, waitOrCancel } from '../lib/cancellation';
import { workspacePathOf } from '../lib/inputPaths';
import { organizationNamespacesOf } from '../lib/organizationNamespaces';
import { ProblemsError } from '../lib/problems';
import {
  ManifestObject,
  renderedContractProblems,
} from '../lib/renderedContract';
import { StepAudit } from '../lib/stepAudit';
import { examples } from './applyManifests.examples';

/** @public What `clusterdeck:manifests:apply` needs. */
export interface ApplyManifestsActionOptions {
  config: Pick<ClusterdeckConfig, 'managementClusters' | 'organizations'>;
  /** The kinds that may be applied, as `Kind.group` (`clusterdeck.apply.allowedKinds`). */
  allowedKinds: ReadonlyArray<string>;
  access: AccessPolicy;
  audit: StepAudit;
  /** Time between readiness polls, in milliseconds. */
  pollIntervalMs?: number;
}

const ACTION_ID = 'clusterdeck:manifests:apply';
const FIELD_MANAGER = 'clusterdeck';
const CLUSTER_KIND = 'Cluster.cluster.x-k8s.io';
const OWNER_ANNOTATION = 'clusterdeck.io/owner';

type Result = 'created' | 'configured' | 'unchanged';

async function readManifests(
  dir: string,
): Promise<Array<{ file: string; object: KubernetesObject }>> {
  const stat = await fs.stat(dir).catch(() => undefined);
  if (!stat)
    throw new InputError(`path: ${dir} does not exist in the workspace`);
  const files = stat.isDirectory()
    ? (await fs.readdir(dir, { recursive: true }))
        .map(String)
        .filter(f => /\.ya?ml$/.test(f))
        .sort()
        .map(f => path.join(dir, f))
    : [dir];
  const out: Array<{ file: string; object: KubernetesObject }> = [];
  for (const file of files) {
    for (const doc of yaml.parseAllDocuments(await fs.readFile(file, 'utf8'))) {
      if (doc.errors.length)
        throw new InputError(
          `path: ${path.basename(file)} is not valid YAML: ${
            doc.errors[0].message
          }`,
        );
      const object = doc.toJS();
      if (!object) continue;
      // Documents that are not Kubernetes objects (the ClusterRequest and the catalog entity kept beside them) are not applied.
      if (
        typeof object?.apiVersion !== 'string' ||
        typeof object.kind !== 'string' ||
        !object.metadata?.name
      )
        continue;
      if (
        object.apiVersion.startsWith('clusterdeck.io/') ||
        object.apiVersion.startsWith('backstage.io/')
      )
        continue;
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
      const body =
        typeof error.body === 'string' ? JSON.parse(error.body) : error.body;
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
 * with the field manager `clusterdeck` and the cluster's write credential
 * (`applyServiceAccountToken`), for an initiator who may apply the owning group's clusters, in
 * that group's organization namespaces, and only kinds Clusterdeck renders (or fewer, per
 * `clusterdeck.apply.allowedKinds`) with the contents the renderer gives them: the objects of one
 * cluster, named after it, referring to nothing else, and an App that installs only that cluster's
 * chart from the cluster catalog into its own namespace. Everything is checked before the first
 * object is applied.
 * @public
 */
export function createApplyManifestsAction(
  options: ApplyManifestsActionOptions,
) {
  const { config, access, audit } = options;
  const allowedKinds = new Set(options.allowedKinds);
  const pollIntervalMs = options.pollIntervalMs ?? 5_000;
  return createTemplateAction({
    id: ACTION_ID,
    description:
      'Server-side applies the YAML manifests under a workspace path to a configured management cluster (field manager clusterdeck), ' +
      "in the owning organization's namespace, and optionally waits for the Cluster's infrastructure to be ready. Only the kinds " +
      "Clusterdeck renders (clusterdeck.apply.allowedKinds) are applied, with the management cluster's applyServiceAccountToken, " +
      "and only as the renderer writes them: one cluster's objects, named after it, referring to nothing outside it, its App installing cluster-aws or cluster-eks from the catalog cluster into the App's namespace. " +
      'Anything else refuses the whole step before the first object is applied.',
    examples,
    supportsDryRun: true,
    schema: {
      input: {
        managementCluster: z =>
          z
            .string()
            .describe(
              'The management cluster (clusterdeck.managementClusters[].name) to apply to',
            ),
        path: z =>
          z
            .string()
            .describe(
              'Workspace file or directory of YAML manifests (multi-document files allowed)',
            ),
        owner: z =>
          z
            .string()
            .optional()
            .describe(
              `The owning group; defaults to the ${OWNER_ANNOTATION} annotation of the Cluster (capi) or App (cluster-aws)`,
            ),
        force: z =>
          z
            .boolean()
            .optional()
            .describe(
              'Take over fields other managers own (default false; administrators only)',
            ),
        waitForInfrastructureReady: z =>
          z
            .boolean()
            .optional()
            .describe(
              "Wait until the Cluster's infrastructure is ready (default false)",
            ),
        timeoutSeconds: z =>
          z
            .number()
            .int()
            .min(1)
            .max(3600)
            .optional()
            .describe('How long to wait for readiness (default 600)'),
      },
      output: {
        objects: z =>
          z
            .array(
              z.object({
                kind: z.string(),
                namespace: z.string().optional(),
                name: z.string(),
                result: z.enum(['created', 'configured', 'unchanged']),
              }),
            )
            .describe('Each object applied and what the apply did'),
        clusterConditions: z =>
          z
            .array(
              z.object({
                type: z.string(),
                status: z.string(),
                reason: z.string().optional(),
                message: z.string().optional(),
              }),
            )
            .describe("The Cluster's conditions after the apply"),
        infrastructureReady: z =>
          z.boolean().describe("Whether the Cluster's infrastructure is ready"),
      },
    },
    async handler(ctx) {
      const { input } = ctx;
      const refs = {
        managementCluster: input.managementCluster,
        force: input.force ?? false,
      };
      await audit.run(
        ctx,
        {
          actionId: ACTION_ID,
          eventId: 'manifests-apply',
          severityLevel: 'high',
          owner: input.owner,
          refs,
        },
        async step => {
          const credentials = await ctx.getInitiatorCredentials();
          await access.assertMayActForSomeone(
            credentials,
            awsClusterManifestsApplyPermission,
            'apply manifests',
          );
          const mc = config.managementClusters.find(
            m => m.name === input.managementCluster,
          );
          if (!mc)
            throw new InputError(
              `managementCluster: no management cluster named ${input.managementCluster} is configured`,
            );
          if (!mc.kubernetes)
            throw new InputError(
              `managementCluster: ${mc.name} has no kubernetes block in clusterdeck.managementClusters`,
            );
          if (mc.kubernetes.authProvider === 'aws') {
            throw new InputError(
              `managementCluster: ${mc.name} uses authProvider aws, which clusterdeck:manifests:apply does not support`,
            );
          }
          // The collector's token only reads; writes need a credential bound to the narrow apply role.
          const token = mc.kubernetes.applyServiceAccountToken;
          if (!token) {
            throw new InputError(
              `managementCluster: ${mc.name} has no write credential (clusterdeck.managementClusters[].kubernetes.applyServiceAccountToken); ` +
                'Clusterdeck never applies with the read-only serviceAccountToken',
            );
          }
          const objects = await readManifests(
            workspacePathOf(ctx.workspacePath, input.path, 'path'),
          );
          if (objects.length === 0)
            throw new InputError(
              `path: ${input.path} holds no Kubernetes objects`,
            );
          step.refs.kinds = [...new Set(objects.map(o => kindOf(o.object)))];
          for (const { file, object } of objects) {
            if (!allowedKinds.has(kindOf(object))) {
              throw new InputError(
                `path: ${path.relative(
                  ctx.workspacePath,
                  file,
                )} holds ${describe(object)} of kind ${kindOf(
                  object,
                )}, which Clusterdeck does not apply ` +
                  `(clusterdeck.apply.allowedKinds: ${
                    [...allowedKinds].join(', ') || 'none'
                  }); nothing was applied`,
              );
            }
          }
          // The contents too: only what the renderer writes for one cluster, whatever the kinds.
          const contract = renderedContractProblems(
            objects.map(o => o.object as ManifestObject),
          );
          if (contract.problems.length > 0 || !contract.cluster)
            throw new ProblemsError(
              `path: ${input.path} holds what Clusterdeck does not render for a cluster; nothing was applied`,
              contract.problems,
            );
          const rendered = contract.cluster;
          step.refs.cluster = `${mc.name}/${rendered.namespace}/${rendered.name}`;
          if (input.owner && rendered.owner && input.owner !== rendered.owner)
            throw new InputError(
              `owner: ${input.owner} is not the owner ${describe(
                rendered.object as KubernetesObject,
              )} is annotated with (${OWNER_ANNOTATION}: ${rendered.owner})`,
            );
          const owner = input.owner ?? rendered.owner;
          if (!owner)
            throw new InputError(
              `owner: give the owning group, or annotate ${describe(
                rendered.object as KubernetesObject,
              )} with ${OWNER_ANNOTATION}`,
            );
          step.owner = owner;
          const cluster =
            kindOf(rendered.object) === CLUSTER_KIND
              ? (rendered.object as KubernetesObject)
              : undefined;
          await access.assertMayActFor(credentials, {
            permission: awsClusterManifestsApplyPermission,
            owner,
            what: `apply manifests to ${mc.name}`,
          });
          if (input.force) {
            await access.assert(
              credentials,
              awsClustersAdministerPermission,
              `apply manifests to ${mc.name} with force`,
            );
          }
          // Every object is in the cluster's namespace (checked above): it must be the owner's.
          const allowedNamespaces = organizationNamespacesOf(
            owner,
            config.organizations,
          );
          if (!allowedNamespaces.includes(rendered.namespace)) {
            throw new NotAllowedError(
              `${describe(rendered.object as KubernetesObject)}: namespace ${
                rendered.namespace || '(none)'
              } is not an organization namespace of ${owner} (${
                allowedNamespaces.join(', ') || 'it has none'
              })`,
            );
          }

          const kc = new KubeConfig();
          kc.loadFromClusterAndUser(
            {
              name: mc.name,
              server: mc.kubernetes.url,
              caData: mc.kubernetes.caData,
              caFile: mc.kubernetes.caFile,
              skipTLSVerify: mc.kubernetes.skipTLSVerify,
            },
            { name: FIELD_MANAGER, token },
          );
          const api = KubernetesObjectApi.makeApiClient(kc);
          const dryRun = ctx.isDryRun ? 'All' : undefined;

          const applied: Array<{
            kind: string;
            namespace?: string;
            name: string;
            result: Result;
          }> = [];
          const appliedSoFar = () =>
            applied.length
              ? applied
                  .map(
                    a =>
                      `${a.kind} ${a.namespace ? `${a.namespace}/` : ''}${
                        a.name
                      }`,
                  )
                  .join(', ')
              : 'none';
          for (const { object } of objects) {
            throwIfCancelled(
              ctx.signal,
              () =>
                `before ${describe(
                  object,
                )} was applied; applied so far: ${appliedSoFar()}`,
            );
            const apply = async () => {
              const before = await api.read(object as any).catch(error => {
                if (error instanceof ApiException && error.code === 404)
                  return undefined;
                throw new Error(
                  `${describe(object)}: could not be read: ${serverMessage(
                    error,
                  )}`,
                );
              });
              const after = await api
                .patch(
                  object,
                  undefined,
                  dryRun,
                  FIELD_MANAGER,
                  input.force ?? false,
                  PatchStrategy.ServerSideApply,
                )
                .catch(error => {
                  throw new Error(
                    `${describe(object)} was rejected: ${serverMessage(error)}`,
                  );
                });
              let result: Result = 'configured';
              if (!before) result = 'created';
              else if (
                before.metadata?.resourceVersion ===
                after.metadata?.resourceVersion
              )
                result = 'unchanged';
              return {
                kind: object.kind!,
                ...(object.metadata?.namespace
                  ? { namespace: object.metadata.namespace }
                  : {}),
                name: object.metadata!.name!,
                result,
              };
            };
            const entry = ctx.isDryRun
              ? await apply()
              : await ctx.checkpoint({
                  key: `apply-${mc.name}-${describe(object)}`,
                  fn: apply,
                });
            applied.push(entry);
            ctx.logger.info(
              `${ctx.isDryRun ? 'Would apply' : 'Applied'} ${describe(
                object,
              )}: ${entry.result}`,
            );
          }

          let conditions: Array<{
            type: string;
            status: string;
            reason?: string;
            message?: string;
          }> = [];
          let ready = false;
          if (cluster && !ctx.isDryRun) {
            const deadline = Date.now() + (input.timeoutSeconds ?? 600) * 1000;
            const waiting = () => {
              const shown =
                conditions
                  .map(
                    c =>
                      `${c.type} ${c.status}${c.reason ? ` ${c.reason}` : ''}`,
                  )
                  .join(', ') || 'no conditions yet';
              return `while waiting for the infrastructure of ${describe(
                cluster,
              )}: every object was applied (${appliedSoFar()}); the infrastructure was not ready (${shown})`;
            };
            for (;;) {
              throwIfCancelled(ctx.signal, waiting);
              const live: any = await api.read(cluster as any);
              conditions = (live.status?.conditions ?? []).map((c: any) => ({
                type: c.type,
                status: c.status,
                ...(c.reason ? { reason: c.reason } : {}),
                ...(c.message ? { message: c.message } : {}),
              }));
              ready =
                live.status?.infrastructureReady === true ||
                conditions.some(
                  c => c.type === 'InfrastructureReady' && c.status === 'True',
                );
              if (ready || !input.waitForInfrastructureReady) break;
              if (Date.now() >= deadline) {
                throw new Error(
                  `${describe(cluster)}: infrastructure not ready after ${
                    input.timeoutSeconds ?? 600
                  } seconds`,
                );
              }
              await waitOrCancel(pollIntervalMs, ctx.signal, waiting);
            }
          }
          ctx.output('objects', applied);
          ctx.output('clusterConditions', conditions);
          ctx.output('infrastructureReady', ready);
        },
      );
    },
  });
}
