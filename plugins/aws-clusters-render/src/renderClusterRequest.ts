import {
  Problem,
  validateClusterRequest,
} from '@clusterdeck/plugin-aws-clusters-common';
import { stringify } from 'yaml';
import { renderCapi } from './capi';
import { renderClusterAwsApp } from './clusterAws';
import { clusterAwsLimitations } from './clusterAwsLimitations';
import {
  KubernetesObject,
  RenderContext,
  RenderFormat,
  RenderOptions,
  RenderResult,
} from './types';

/** @public The formats a request renders to. */
export const RENDER_FORMATS: ReadonlyArray<RenderFormat> = [
  'capi',
  'cluster-aws',
];

function formatProblems(ctx: RenderContext): Problem[] {
  const { spec } = ctx.resolved.request;
  const problems: Problem[] = [];
  if (ctx.options.format === 'capi' && !spec.kubernetesVersion) {
    problems.push({
      path: 'spec.kubernetesVersion',
      message: 'is required for the capi format',
    });
  }
  if (ctx.options.format === 'cluster-aws') {
    if (!spec.release) {
      problems.push({
        path: 'spec.release',
        message:
          'is required for the cluster-aws format (the platform release pins the chart)',
      });
    }
    if (!ctx.baseDomain) {
      problems.push({
        path: 'spec.baseDomain',
        message: `is required: the management cluster ${spec.managementCluster} has no base domain configured`,
      });
    }
  }
  return problems;
}

/**
 * Validates a request and renders it to manifests in the chosen format. Never throws for bad
 * input: problems come back with the dotted path of their field.
 * @public
 */
export function renderClusterRequest(
  input: unknown,
  options: RenderOptions,
): RenderResult {
  if (!RENDER_FORMATS.includes(options.format)) {
    return {
      ok: false,
      problems: [
        {
          path: 'format',
          message: `must be one of ${RENDER_FORMATS.join(', ')}`,
        },
      ],
    };
  }
  const validation = validateClusterRequest(input);
  if (!validation.ok) {
    return validation;
  }
  const resolved = validation.value;
  const ctx: RenderContext = {
    resolved,
    options,
    baseDomain: resolved.request.spec.baseDomain ?? options.baseDomain,
  };
  const problems = formatProblems(ctx);
  if (problems.length > 0) {
    return { ok: false, problems };
  }
  if (options.format === 'capi') {
    return { ok: true, manifests: renderCapi(ctx), resolved, warnings: [] };
  }
  // What the charts refuse fails the request; what they change or drop is said, not hidden.
  const limitations = clusterAwsLimitations(ctx);
  const rejected = limitations.filter(l => l.effect === 'rejected');
  if (rejected.length > 0) {
    return {
      ok: false,
      problems: rejected.map(({ path, message }) => ({ path, message })),
    };
  }
  const warnings = limitations.map(({ path, effect, message }) => ({
    path,
    message: `${effect}: ${message}`,
  }));
  return { ok: true, manifests: renderClusterAwsApp(ctx), resolved, warnings };
}

/** @public Manifests as one multi-document YAML stream. */
export function manifestsToYaml(
  manifests: ReadonlyArray<KubernetesObject>,
): string {
  return manifests
    .map(m => stringify(m, { lineWidth: 0 }))
    .map(doc => `---\n${doc}`)
    .join('');
}
