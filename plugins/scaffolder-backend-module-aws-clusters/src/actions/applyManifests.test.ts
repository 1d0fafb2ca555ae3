import fs from 'node:fs';
import http from 'node:http';
import { AddressInfo } from 'node:net';
import path from 'node:path';
import yaml from 'yaml';
import { CheckpointStore } from '../__testUtils__/checkpointStore';
import { FakeFleetApi, startFakeFleetApi } from '../__testUtils__/fakeFleetApi';
import { BASE_CONFIG, fleetState, testServices, USERS } from '../__testUtils__/fixtures';
import { mockContext } from '../__testUtils__/mockContext';
import { createApplyManifestsAction } from './applyManifests';

const RESOURCES: Record<string, Array<{ name: string; kind: string }>> = {
  'cluster.x-k8s.io/v1beta1': [{ name: 'clusters', kind: 'Cluster' }],
  v1: [{ name: 'configmaps', kind: 'ConfigMap' }],
};

interface Recorded {
  method: string;
  path: string;
  query: URLSearchParams;
  contentType?: string;
}

/** A management cluster's API server: discovery, GET and server-side-apply PATCH of namespaced objects. */
async function startApiServer(options: { conditions: any[]; reject?: string }) {
  const objects = new Map<string, any>();
  const requests: Recorded[] = [];
  let version = 1;
  const server = http.createServer((req, res) => {
    let raw = '';
    req.on('data', c => (raw += c));
    req.on('end', () => {
      const url = new URL(req.url ?? '/', 'http://api');
      requests.push({ method: req.method!, path: url.pathname, query: url.searchParams, contentType: req.headers['content-type'] });
      const send = (status: number, body: unknown) => {
        res.writeHead(status, { 'Content-Type': 'application/json' });
        res.end(JSON.stringify(body));
      };
      const discovery = url.pathname.match(/^\/(?:api\/(v1)|apis\/([^/]+\/[^/]+))$/);
      if (discovery) {
        const gv = discovery[1] ?? discovery[2];
        send(200, { kind: 'APIResourceList', groupVersion: gv, resources: (RESOURCES[gv] ?? []).map(r => ({ ...r, namespaced: true, singularName: '', verbs: ['get', 'patch'] })) });
        return;
      }
      const key = url.pathname;
      if (req.method === 'GET') {
        const found = objects.get(key);
        if (found) send(200, found);
        else send(404, { kind: 'Status', status: 'Failure', message: 'not found', reason: 'NotFound', code: 404 });
        return;
      }
      if (req.method === 'PATCH') {
        const body = yaml.parse(raw);
        if (body.metadata.name === options.reject) {
          send(422, { kind: 'Status', status: 'Failure', code: 422, reason: 'Invalid', message: `${body.kind}.cluster.x-k8s.io "${body.metadata.name}" is invalid: spec.paused: Invalid value: "yes"` });
          return;
        }
        const previous = objects.get(key);
        const changed = !previous || JSON.stringify(previous.spec ?? previous.data) !== JSON.stringify(body.spec ?? body.data);
        const next = {
          ...body,
          metadata: { ...body.metadata, resourceVersion: changed ? String(++version) : previous.metadata.resourceVersion },
          ...(body.kind === 'Cluster' ? { status: { conditions: options.conditions } } : {}),
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
    writes: () => requests.filter(r => r.method === 'PATCH' && r.query.get('dryRun') !== 'All'),
    close: () => new Promise<void>(resolve => server.close(() => resolve())),
  };
}

const cluster = (over: Record<string, any> = {}) => ({
  apiVersion: 'cluster.x-k8s.io/v1beta1',
  kind: 'Cluster',
  metadata: { name: 'pay-new', namespace: 'org-payments', annotations: { 'clusterdeck.io/owner': 'group:default/payments' }, ...over },
  spec: { paused: false },
});
const configMap = { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'pay-new-values', namespace: 'org-payments' }, data: { a: '1' } };

describe('clusterdeck:manifests:apply', () => {
  let fake: FakeFleetApi;
  let api: Awaited<ReturnType<typeof startApiServer>>;
  beforeEach(async () => {
    fake = await startFakeFleetApi(fleetState());
    api = await startApiServer({ conditions: [{ type: 'InfrastructureReady', status: 'True', reason: 'Provisioned' }], reject: 'bad' });
  });
  afterEach(async () => {
    await api.close();
    await fake.close();
  });

  const action = () => {
    const { access } = testServices(fake);
    // The client only speaks plain HTTP with TLS verification off.
    const managementClusters = BASE_CONFIG.managementClusters.map(mc =>
      mc.name === 'mc-eu-prod' ? { ...mc, kubernetes: { url: api.url, serviceAccountToken: 'test-token', authProvider: 'serviceAccount' as const, skipTLSVerify: true } } : mc,
    );
    return createApplyManifestsAction({ config: { managementClusters, organizations: {} }, access, pollIntervalMs: 1 });
  };
  const context = (docs: unknown[], over: Partial<Parameters<typeof mockContext>[0]> = {}, input: Record<string, unknown> = {}) => {
    const ctx = mockContext({ input: { managementCluster: 'mc-eu-prod', path: 'out', waitForInfrastructureReady: true, timeoutSeconds: 5, ...input }, user: USERS.payments, ...over });
    fs.mkdirSync(path.join(ctx.workspacePath, 'out'), { recursive: true });
    fs.writeFileSync(path.join(ctx.workspacePath, 'out', 'cluster.yaml'), docs.map(d => yaml.stringify(d)).join('---\n'));
    return ctx;
  };

  it('server-side applies every object with field manager clusterdeck and reports the Cluster conditions', async () => {
    const ctx = context([cluster(), configMap]);
    await action().handler(ctx);
    const patches = api.requests.filter(r => r.method === 'PATCH');
    expect(patches.map(p => p.path)).toEqual([
      '/apis/cluster.x-k8s.io/v1beta1/namespaces/org-payments/clusters/pay-new',
      '/api/v1/namespaces/org-payments/configmaps/pay-new-values',
    ]);
    for (const p of patches) {
      expect(p.contentType).toBe('application/apply-patch+yaml');
      expect(p.query.get('fieldManager')).toBe('clusterdeck');
      expect(p.query.get('force')).toBe('false');
    }
    expect(ctx.output).toHaveBeenCalledWith('objects', [
      { kind: 'Cluster', namespace: 'org-payments', name: 'pay-new', result: 'created' },
      { kind: 'ConfigMap', namespace: 'org-payments', name: 'pay-new-values', result: 'created' },
    ]);
    expect(ctx.output).toHaveBeenCalledWith('clusterConditions', [{ type: 'InfrastructureReady', status: 'True', reason: 'Provisioned' }]);
    expect(ctx.output).toHaveBeenCalledWith('infrastructureReady', true);

    const again = context([cluster(), configMap]);
    await action().handler(again);
    expect(again.output).toHaveBeenCalledWith('objects', [
      expect.objectContaining({ kind: 'Cluster', result: 'unchanged' }),
      expect.objectContaining({ kind: 'ConfigMap', result: 'unchanged' }),
    ]);
  });

  it('makes no write calls when the task is retried with its checkpoints', async () => {
    const checkpoints = new CheckpointStore();
    await action().handler(context([cluster()], { checkpoints }));
    const writes = api.writes().length;
    expect(writes).toBe(1);
    await action().handler(context([cluster()], { checkpoints }));
    expect(api.writes()).toHaveLength(writes);
  });

  it('uses a server-side dry run in a dry run and stores nothing', async () => {
    const ctx = context([cluster()], { isDryRun: true });
    await action().handler(ctx);
    expect(api.requests.filter(r => r.method === 'PATCH').map(r => r.query.get('dryRun'))).toEqual(['All']);
    expect(api.objects.size).toBe(0);
    expect(ctx.output).toHaveBeenCalledWith('objects', [expect.objectContaining({ kind: 'Cluster', result: 'created' })]);
  });

  it("fails with the server's message, naming the rejected object", async () => {
    await expect(action().handler(context([cluster({ name: 'bad' })]))).rejects.toThrow(
      /Cluster org-payments\/bad was rejected: .*spec\.paused: Invalid value.*\(HTTP 422\)/,
    );
  });

  it('refuses a user outside the owning group and calls nothing', async () => {
    await expect(action().handler(context([cluster()], { user: USERS.web }))).rejects.toThrow(/may not apply manifests to mc-eu-prod for group:default\/payments/);
    expect(api.requests).toHaveLength(0);
  });

  it("refuses an object outside the owner's organization namespace and calls nothing", async () => {
    await expect(action().handler(context([cluster(), { ...configMap, metadata: { name: 'x', namespace: 'org-web' } }]))).rejects.toThrow(
      /ConfigMap org-web\/x: namespace org-web is not an organization namespace of group:default\/payments/,
    );
    expect(api.requests).toHaveLength(0);
  });

  it('fails when the infrastructure is not ready in time, and does not wait when not asked to', async () => {
    await api.close();
    api = await startApiServer({ conditions: [{ type: 'InfrastructureReady', status: 'False', reason: 'WaitingForVPC' }] });
    await expect(action().handler(context([cluster()], {}, { timeoutSeconds: 1 }))).rejects.toThrow(/Cluster org-payments\/pay-new: infrastructure not ready after 1 seconds/);
    const ctx = context([cluster()], {}, { waitForInfrastructureReady: false });
    await action().handler(ctx);
    expect(ctx.output).toHaveBeenCalledWith('infrastructureReady', false);
    expect(ctx.output).toHaveBeenCalledWith('clusterConditions', [{ type: 'InfrastructureReady', status: 'False', reason: 'WaitingForVPC' }]);
  });

  it('names a management cluster without a kubernetes block', async () => {
    await expect(action().handler(context([cluster()], {}, { managementCluster: 'mc-eu-dev' }))).rejects.toThrow(/managementCluster: mc-eu-dev has no kubernetes block/);
  });
});
