import type {
  Problem,
  ResolvedClusterRequest,
} from '@clusterdeck/plugin-aws-clusters-common';

/** @public A Kubernetes object as rendered: plain data, ready for YAML or server-side apply. */
export interface KubernetesObject {
  apiVersion: string;
  kind: string;
  metadata: {
    name: string;
    namespace?: string;
    labels?: Record<string, string>;
    annotations?: Record<string, string>;
  };
  [field: string]: unknown;
}

/** @public The manifest formats a request renders to. */
export type RenderFormat = 'capi' | 'cluster-aws';

/** @public Settings the renderer takes from outside the request. */
export interface RenderOptions {
  format: RenderFormat;
  /** The management cluster's base domain, used when the request names none. */
  baseDomain?: string;
  /** The catalog (App) the cluster-aws and cluster-eks charts are installed from. */
  appCatalog?: string;
}

/** @public What a renderer for one format gets: the resolved request and the options. */
export interface RenderContext {
  resolved: ResolvedClusterRequest;
  options: RenderOptions;
  /** The base domain in force: the request's, else the options'. */
  baseDomain?: string;
}

/** @public The outcome of rendering a request. */
export type RenderResult =
  | {
      ok: true;
      manifests: KubernetesObject[];
      resolved: ResolvedClusterRequest;
      /** Request fields the format could not express exactly: what happens to them instead. */
      warnings: Problem[];
    }
  | { ok: false; problems: Problem[] };
