import http from 'node:http';
import { AddressInfo } from 'node:net';
import yaml from 'yaml';

/** Every kind the renderer writes, by API version, with its resource name. */
const RESOURCES: Record<string, Array<{ name: string; kind: string }>> = {
  'cluster.x-k8s.io/v1beta1': [{ name: 'clusters', kind: 'Cluster' }],
  'cluster.x-k8s.io/v1beta2': [
    { name: 'clusters', kind: 'Cluster' },
    { name: 'machinepools', kind: 'MachinePool' },
  ],
  'infrastructure.cluster.x-k8s.io/v1beta2': [
    { name: 'awsclusters', kind: 'AWSCluster' },
    { name: 'awsmachinetemplates', kind: 'AWSMachineTemplate' },
    { name: 'awsmachinepools', kind: 'AWSMachinePool' },
    { name: 'awsmanagedclusters', kind: 'AWSManagedCluster' },
    { name: 'awsmanagedmachinepools', kind: 'AWSManagedMachinePool' },
  ],
  'infrastructure.cluster.x-k8s.io/v1alpha1': [
    { name: 'karpentermachinepools', kind: 'KarpenterMachinePool' },
  ],
  'controlplane.cluster.x-k8s.io/v1beta2': [
    { name: 'kubeadmcontrolplanes', kind: 'KubeadmControlPlane' },
    { name: 'awsmanagedcontrolplanes', kind: 'AWSManagedControlPlane' },
  ],
  'bootstrap.cluster.x-k8s.io/v1beta2': [
    { name: 'kubeadmconfigs', kind: 'KubeadmConfig' },
  ],
  'application.giantswarm.io/v1alpha1': [{ name: 'apps', kind: 'App' }],
  v1: [{ name: 'configmaps', kind: 'ConfigMap' }],
};

/** One request the fake API server received. */
export interface RecordedKubernetesRequest {
  method: string;
  path: string;
  query: URLSearchParams;
  contentType?: string;
  authorization?: string;
}

/**
 * A management cluster's API server on 127.0.0.1: discovery, GET and server-side-apply PATCH of
 * the namespaced kinds the renderer writes. It records every request (with its Authorization header),
 * so tests can tell what was applied, and with which credential, or that nothing was asked.
 */
export async function startFakeKubernetesApi(options: {
  conditions: any[];
  reject?: string;
}) {
  const objects = new Map<string, any>();
  const requests: RecordedKubernetesRequest[] = [];
  let version = 1;
  const server = http.createServer((req, res) => {
    let raw = '';
    req.on('data', c => (raw += c));
    req.on('end', () => {
      const url = new URL(req.url ?? '/', 'http://api');
      requests.push({
        method: req.method!,
        path: url.pathname,
        query: url.searchParams,
        contentType: req.headers['content-type'],
        authorization: req.headers.authorization,
      });
      const send = (status: number, body: unknown) => {
        res.writeHead(status, { 'Content-Type': 'application/json' });
        res.end(JSON.stringify(body));
      };
      const discovery = url.pathname.match(
        /^\/(?:api\/(v1)|apis\/([^/]+\/[^/]+))$/,
      );
      if (discovery) {
        const gv = discovery[1] ?? discovery[2];
        send(200, {
          kind: 'APIResourceList',
          groupVersion: gv,
          resources: (RESOURCES[gv] ?? []).map(r => ({
            ...r,
            namespaced: true,
            singularName: '',
            verbs: ['get', 'patch'],
          })),
        });
        return;
      }
      const key = url.pathname;
      if (req.method === 'GET') {
        const found = objects.get(key);
        if (found) send(200, found);
        else
          send(404, {
            kind: 'Status',
            status: 'Failure',
            message: 'not found',
            reason: 'NotFound',
            code: 404,
          });
        return;
      }
      if (req.method === 'PATCH') {
        const body = yaml.parse(raw);
        if (body.metadata.name === options.reject) {
          send(422, {
            kind: 'Status',
            status: 'Failure',
            code: 422,
            reason: 'Invalid',
            message: `${body.kind}.cluster.x-k8s.io "${body.metadata.name}" is invalid: spec.paused: Invalid value: "yes"`,
          });
          return;
        }
        const previous = objects.get(key);
        const changed =
          !previous ||
          JSON.stringify(previous.spec ?? previous.data) !==
            JSON.stringify(body.spec ?? body.data);
        const next = {
          ...body,
          metadata: {
            ...body.metadata,
            resourceVersion: changed
              ? String(++version)
              : previous.metadata.resourceVersion,
          },
          ...(body.kind === 'Cluster'
            ? { status: { conditions: options.conditions } }
            : {}),
        };
        if (url.searchParams.get('dryRun') !== 'All') objects.set(key, next);
        send(previous ? 200 : 201, next);
        return;
      }
      send(405, { kind: 'Status', message: 'method not allowed', code: 405 });
    });
  });
  await new Promise<void>(resolve => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    requests,
    objects,
    writes: () =>
      requests.filter(
        r => r.method === 'PATCH' && r.query.get('dryRun') !== 'All',
      ),
    close: () => new Promise<void>(resolve => server.close(() => resolve())),
  };
}

/** A running fake API server. */
export type FakeKubernetesApi = Awaited<
  ReturnType<typeof startFakeKubernetesApi>
>;
