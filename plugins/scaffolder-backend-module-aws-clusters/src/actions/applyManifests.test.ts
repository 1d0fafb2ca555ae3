import { InputError, NotAllowedError } from '@backstage/errors';
import fs from 'node:fs';
import path from 'node:path';
import yaml from 'yaml';
import { CheckpointStore } from '../__testUtils__/checkpointStore';
import { FakeFleetApi, startFakeFleetApi } from '../__testUtils__/fakeFleetApi';
import {
  FakeKubernetesApi,
  startFakeKubernetesApi as startApiServer,
} from '../__testUtils__/fakeKubernetes';
import {
  BASE_CONFIG,
  fleetState,
  renderablePaymentsRequest,
  testServices,
  USERS,
} from '../__testUtils__/fixtures';
import { mockContext } from '../__testUtils__/mockContext';
import { RENDERED_KINDS } from '../lib/applyKinds';
import { createApplyManifestsAction } from './applyManifests';
import { writeClusterFiles } from './renderCluster';

const cluster = (over: Record<string, any> = {}) => ({
  apiVersion: 'cluster.x-k8s.io/v1beta1',
  kind: 'Cluster',
  metadata: {
    name: 'pay-new',
    namespace: 'org-payments',
    annotations: { 'clusterdeck.io/owner': 'group:default/payments' },
    ...over,
  },
  spec: { paused: false },
});
/** The Cluster's infrastructure, as CAPA's AWSCluster (v1beta2). */
const awsCluster = {
  apiVersion: 'infrastructure.cluster.x-k8s.io/v1beta2',
  kind: 'AWSCluster',
  metadata: { name: 'pay-new', namespace: 'org-payments' },
  spec: { region: 'eu-west-1' },
};
const configMap = {
  apiVersion: 'v1',
  kind: 'ConfigMap',
  metadata: { name: 'pay-new-userconfig', namespace: 'org-payments' },
  data: { values: 'global: {}\n' },
};

describe('clusterdeck:manifests:apply', () => {
  let fake: FakeFleetApi;
  let api: FakeKubernetesApi;
  beforeEach(async () => {
    fake = await startFakeFleetApi(fleetState());
    api = await startApiServer({
      conditions: [
        { type: 'InfrastructureReady', status: 'True', reason: 'Provisioned' },
      ],
      reject: 'bad',
    });
  });
  afterEach(async () => {
    await api.close();
    await fake.close();
  });

  let events: ReturnType<typeof testServices>['events'];
  const action = (
    options: {
      allowedKinds?: string[];
      writeToken?: string | null;
      pollIntervalMs?: number;
    } = {},
  ) => {
    const services = testServices(fake);
    events = services.events;
    // The client only speaks plain HTTP with TLS verification off.
    const kubernetes = {
      url: api.url,
      serviceAccountToken: 'read-token',
      ...(options.writeToken === null
        ? {}
        : { applyServiceAccountToken: options.writeToken ?? 'apply-token' }),
      authProvider: 'serviceAccount' as const,
      skipTLSVerify: true,
    };
    const managementClusters = BASE_CONFIG.managementClusters.map(mc =>
      mc.name === 'mc-eu-prod' ? { ...mc, kubernetes } : mc,
    );
    return createApplyManifestsAction({
      config: { managementClusters, organizations: {} },
      allowedKinds: options.allowedKinds ?? RENDERED_KINDS,
      access: services.access,
      audit: services.audit,
      pollIntervalMs: options.pollIntervalMs ?? 1,
    });
  };
  const context = (
    docs: unknown[],
    over: Partial<Parameters<typeof mockContext>[0]> = {},
    input: Record<string, unknown> = {},
  ) => {
    const ctx = mockContext({
      input: {
        managementCluster: 'mc-eu-prod',
        path: 'out',
        waitForInfrastructureReady: true,
        timeoutSeconds: 5,
        ...input,
      },
      user: USERS.payments,
      ...over,
    });
    fs.mkdirSync(path.join(ctx.workspacePath, 'out'), { recursive: true });
    fs.writeFileSync(
      path.join(ctx.workspacePath, 'out', 'cluster.yaml'),
      docs.map(d => yaml.stringify(d)).join('---\n'),
    );
    return ctx;
  };

  it('server-side applies every object with field manager clusterdeck and reports the Cluster conditions', async () => {
    const ctx = context([cluster(), awsCluster]);
    await action().handler(ctx);
    const patches = api.requests.filter(r => r.method === 'PATCH');
    expect(patches.map(p => p.path)).toEqual([
      '/apis/cluster.x-k8s.io/v1beta1/namespaces/org-payments/clusters/pay-new',
      '/apis/infrastructure.cluster.x-k8s.io/v1beta2/namespaces/org-payments/awsclusters/pay-new',
    ]);
    for (const p of patches) {
      expect(p.contentType).toBe('application/apply-patch+yaml');
      expect(p.query.get('fieldManager')).toBe('clusterdeck');
      expect(p.query.get('force')).toBe('false');
    }
    expect(ctx.output).toHaveBeenCalledWith('objects', [
      {
        kind: 'Cluster',
        namespace: 'org-payments',
        name: 'pay-new',
        result: 'created',
      },
      {
        kind: 'AWSCluster',
        namespace: 'org-payments',
        name: 'pay-new',
        result: 'created',
      },
    ]);
    expect(ctx.output).toHaveBeenCalledWith('clusterConditions', [
      { type: 'InfrastructureReady', status: 'True', reason: 'Provisioned' },
    ]);
    expect(ctx.output).toHaveBeenCalledWith('infrastructureReady', true);

    const again = context([cluster(), awsCluster]);
    await action().handler(again);
    expect(again.output).toHaveBeenCalledWith('objects', [
      expect.objectContaining({ kind: 'Cluster', result: 'unchanged' }),
      expect.objectContaining({ kind: 'AWSCluster', result: 'unchanged' }),
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
    expect(
      api.requests
        .filter(r => r.method === 'PATCH')
        .map(r => r.query.get('dryRun')),
    ).toEqual(['All']);
    expect(api.objects.size).toBe(0);
    expect(ctx.output).toHaveBeenCalledWith('objects', [
      expect.objectContaining({ kind: 'Cluster', result: 'created' }),
    ]);
  });

  it("fails with the server's message, naming the rejected object", async () => {
    await expect(
      action().handler(context([cluster({ name: 'bad' })])),
    ).rejects.toThrow(
      /Cluster org-payments\/bad was rejected: .*spec\.paused: Invalid value.*\(HTTP 422\)/,
    );
  });

  it('refuses a user outside the owning group and calls nothing', async () => {
    await expect(
      action().handler(context([cluster()], { user: USERS.web })),
    ).rejects.toThrow(
      /may not apply manifests to mc-eu-prod for group:default\/payments/,
    );
    expect(api.requests).toHaveLength(0);
  });

  it("refuses a cluster outside the owner's organization namespace and calls nothing", async () => {
    await expect(
      action().handler(
        context([
          cluster({ namespace: 'org-web' }),
          {
            ...awsCluster,
            metadata: { name: 'pay-new', namespace: 'org-web' },
          },
        ]),
      ),
    ).rejects.toThrow(
      /Cluster org-web\/pay-new: namespace org-web is not an organization namespace of group:default\/payments/,
    );
    expect(api.requests).toHaveLength(0);
  });

  it('fails when the infrastructure is not ready in time, and does not wait when not asked to', async () => {
    await api.close();
    api = await startApiServer({
      conditions: [
        {
          type: 'InfrastructureReady',
          status: 'False',
          reason: 'WaitingForVPC',
        },
      ],
    });
    await expect(
      action().handler(context([cluster()], {}, { timeoutSeconds: 1 })),
    ).rejects.toThrow(
      /Cluster org-payments\/pay-new: infrastructure not ready after 1 seconds/,
    );
    const ctx = context([cluster()], {}, { waitForInfrastructureReady: false });
    await action().handler(ctx);
    expect(ctx.output).toHaveBeenCalledWith('infrastructureReady', false);
    expect(ctx.output).toHaveBeenCalledWith('clusterConditions', [
      { type: 'InfrastructureReady', status: 'False', reason: 'WaitingForVPC' },
    ]);
  });

  it('names a management cluster without a kubernetes block', async () => {
    await expect(
      action().handler(
        context([cluster()], {}, { managementCluster: 'mc-eu-dev' }),
      ),
    ).rejects.toThrow(/managementCluster: mc-eu-dev has no kubernetes block/);
  });

  it('applies with the write credential, never the read-only one, and audits the apply', async () => {
    await action().handler(context([cluster(), awsCluster]));
    expect(api.requests.length).toBeGreaterThan(0);
    expect(new Set(api.requests.map(r => r.authorization))).toEqual(
      new Set(['Bearer apply-token']),
    );
    expect(events).toEqual([
      expect.objectContaining({
        eventId: 'manifests-apply',
        severityLevel: 'high',
        outcome: 'succeeded',
        finalMeta: expect.objectContaining({
          actionId: 'clusterdeck:manifests:apply',
          initiator: USERS.payments,
          owner: 'group:default/payments',
          dryRun: false,
          refs: expect.objectContaining({
            managementCluster: 'mc-eu-prod',
            cluster: 'mc-eu-prod/org-payments/pay-new',
            kinds: [
              'Cluster.cluster.x-k8s.io',
              'AWSCluster.infrastructure.cluster.x-k8s.io',
            ],
          }),
        }),
      }),
    ]);
  });

  it('refuses to apply without a write credential, naming the setting, and calls nothing', async () => {
    const error = await action({ writeToken: null })
      .handler(context([cluster()]))
      .catch(e => e);
    expect(error).toBeInstanceOf(InputError);
    expect(error.message).toMatch(
      /clusterdeck\.managementClusters\[\]\.kubernetes\.applyServiceAccountToken/,
    );
    expect(api.requests).toHaveLength(0);
  });

  const foreign: Array<[string, Record<string, unknown>]> = [
    [
      'a Secret',
      {
        apiVersion: 'v1',
        kind: 'Secret',
        metadata: { name: 'creds', namespace: 'org-payments' },
        stringData: { token: 'x' },
      },
    ],
    [
      'a RoleBinding',
      {
        apiVersion: 'rbac.authorization.k8s.io/v1',
        kind: 'RoleBinding',
        metadata: { name: 'admin', namespace: 'org-payments' },
        roleRef: { kind: 'ClusterRole', name: 'cluster-admin' },
      },
    ],
    [
      'a Pod',
      {
        apiVersion: 'v1',
        kind: 'Pod',
        metadata: { name: 'shell', namespace: 'org-payments' },
        spec: { containers: [{ name: 'x', image: 'busybox' }] },
      },
    ],
    [
      'a ClusterRole',
      {
        apiVersion: 'rbac.authorization.k8s.io/v1',
        kind: 'ClusterRole',
        metadata: { name: 'everything' },
        rules: [{ apiGroups: ['*'], resources: ['*'], verbs: ['*'] }],
      },
    ],
    [
      'a Deployment',
      {
        apiVersion: 'apps/v1',
        kind: 'Deployment',
        metadata: { name: 'miner', namespace: 'org-payments' },
        spec: {},
      },
    ],
    [
      'a Cluster of a look-alike group',
      { ...cluster(), apiVersion: 'cluster.x-k8s.io.evil.example/v1beta1' },
    ],
  ];
  it.each(foreign)(
    'refuses %s among the rendered objects before applying anything, naming the kind and the file',
    async (_what, object) => {
      const ctx = context([cluster(), awsCluster, object]);
      const error = await action()
        .handler(ctx)
        .catch(e => e);
      expect(error).toBeInstanceOf(InputError);
      expect(error.message).toMatch(
        new RegExp(
          `^path: out/cluster\\.yaml holds .* of kind ${String(object.kind)}`,
        ),
      );
      expect(api.requests).toHaveLength(0);
      expect(events).toEqual([
        expect.objectContaining({
          eventId: 'manifests-apply',
          outcome: 'failed',
        }),
      ]);
    },
  );

  it('applies only the kinds configuration narrows the list to', async () => {
    const narrowed = RENDERED_KINDS.filter(kind => kind !== 'ConfigMap');
    await expect(
      action({ allowedKinds: narrowed }).handler(
        context([cluster(), configMap]),
      ),
    ).rejects.toThrow(/of kind ConfigMap, which Clusterdeck does not apply/);
    expect(api.requests).toHaveLength(0);
    await action({ allowedKinds: narrowed }).handler(context([cluster()]));
    expect(api.writes()).toHaveLength(1);
  });

  it('refuses force to anyone but an administrator, before any call', async () => {
    await expect(
      action().handler(context([cluster()], {}, { force: true })),
    ).rejects.toThrow(
      /may not apply manifests to mc-eu-prod with force \(aws-clusters\.fleet\.administer\)/,
    );
    expect(api.requests).toHaveLength(0);
    expect(events).toEqual([
      expect.objectContaining({
        outcome: 'failed',
        meta: expect.objectContaining({
          refs: expect.objectContaining({ force: true }),
        }),
      }),
    ]);

    await action().handler(
      context([cluster()], { user: USERS.admin }, { force: true }),
    );
    expect(api.writes().map(w => w.query.get('force'))).toEqual(['true']);
  });

  it('stops waiting for the infrastructure as soon as the task is cancelled, saying so and what was applied', async () => {
    await api.close();
    api = await startApiServer({
      conditions: [
        {
          type: 'InfrastructureReady',
          status: 'False',
          reason: 'WaitingForVPC',
        },
      ],
    });
    const controller = new AbortController();
    const ctx = context(
      [cluster(), awsCluster],
      { signal: controller.signal },
      { timeoutSeconds: 600 },
    );
    const started = Date.now();
    const outcome = action({ pollIntervalMs: 60_000 })
      .handler(ctx)
      .catch(e => e);
    // Cancel once the objects are applied and the first readiness poll has been answered.
    const clusterReads = () =>
      api.requests.filter(
        r => r.method === 'GET' && r.path.endsWith('/clusters/pay-new'),
      ).length;
    while (clusterReads() < 2)
      await new Promise(resolve => setTimeout(resolve, 5));
    controller.abort();
    const error = await outcome;
    expect(Date.now() - started).toBeLessThan(5_000);
    expect(error.message).toMatch(
      /^The task was cancelled while waiting for the infrastructure of Cluster org-payments\/pay-new/,
    );
    expect(error.message).toMatch(
      /every object was applied \(Cluster org-payments\/pay-new, AWSCluster org-payments\/pay-new\)/,
    );
    expect(error.message).toMatch(/InfrastructureReady False WaitingForVPC/);
  });
  /** A context whose `out` folder holds what clusterdeck:cluster:render writes for pay-new. */
  const renderedContext = async (
    format: 'capi' | 'cluster-aws',
    change: (objects: any[]) => void = () => {},
    over: Partial<Parameters<typeof mockContext>[0]> = {},
  ) => {
    const ctx = context([], over, { waitForInfrastructureReady: false });
    const { result } = await writeClusterFiles({
      directory: path.join(ctx.workspacePath, 'out'),
      request: renderablePaymentsRequest(),
      format,
      baseDomain: 'eu-prod.example.com',
      catalogInfo: true,
    });
    if (!result.ok) throw new Error('pay-new does not render');
    const manifests = path.join(ctx.workspacePath, 'out', 'cluster.yaml');
    const objects = yaml
      .parseAllDocuments(fs.readFileSync(manifests, 'utf8'))
      .map(d => d.toJS());
    change(objects);
    fs.writeFileSync(
      manifests,
      objects.map(o => yaml.stringify(o)).join('---\n'),
    );
    return { ctx, count: result.manifests.length };
  };

  it.each(['capi', 'cluster-aws'] as const)(
    'applies everything clusterdeck:cluster:render writes (%s), naming the cluster and its owner from it',
    async format => {
      const { ctx, count } = await renderedContext(format);
      await action().handler(ctx);
      expect(api.writes()).toHaveLength(count);
      expect(events).toEqual([
        expect.objectContaining({
          outcome: 'succeeded',
          finalMeta: expect.objectContaining({
            owner: 'group:default/payments',
            refs: expect.objectContaining({
              cluster: 'mc-eu-prod/org-payments/pay-new',
            }),
          }),
        }),
      ]);
    },
  );

  const app = (objects: any[]) => objects.find(o => o.kind === 'App');
  const hostileApps: Array<[string, (objects: any[]) => void, RegExp]> = [
    [
      'another chart',
      o => (app(o).spec.name = 'kyverno'),
      /^App org-payments\/pay-new spec\.name: is "kyverno": the renderer installs only the charts cluster-aws and cluster-eks$/m,
    ],
    [
      'another catalog',
      o => (app(o).spec.catalog = 'control-plane-catalog'),
      /^App org-payments\/pay-new spec\.catalog: is "control-plane-catalog": the renderer installs clusters only from the catalog "cluster"$/m,
    ],
    [
      'the target namespace kube-system',
      o => (app(o).spec.namespace = 'kube-system'),
      /^App org-payments\/pay-new spec\.namespace: is "kube-system": the renderer installs a cluster's chart into the App's own namespace, org-payments$/m,
    ],
    [
      "another cluster's kubeconfig secret",
      o =>
        (app(o).spec.kubeConfig = {
          inCluster: false,
          secret: { name: 'pay-prod-kubeconfig', namespace: 'org-payments' },
        }),
      /^App org-payments\/pay-new spec\.kubeConfig: is .*"pay-prod-kubeconfig".*never with another kubeconfig$/m,
    ],
    [
      'values that hand an app a Secret (global.apps)',
      o => {
        const values = o.find(x => x.kind === 'ConfigMap');
        const parsed = yaml.parse(values.data.values);
        parsed.global.apps = {
          cilium: {
            extraConfigs: [{ kind: 'secret', name: 'pay-prod-kubeconfig' }],
          },
        };
        values.data.values = yaml.stringify(parsed);
      },
      /^ConfigMap org-payments\/pay-new-userconfig data\.values\.global\.apps: is set; the renderer writes only global\.metadata/m,
    ],
  ];
  it.each(hostileApps)(
    'refuses an App with %s before anything is applied, naming the object, the field and why',
    async (_what, change, message) => {
      const { ctx } = await renderedContext('cluster-aws', change);
      const error = await action()
        .handler(ctx)
        .catch(e => e);
      expect(error).toBeInstanceOf(InputError);
      expect(error.message).toMatch(
        /^path: out holds what Clusterdeck does not render for a cluster; nothing was applied:/,
      );
      expect(error.message).toMatch(message);
      expect(api.requests).toEqual([]);
      expect(events).toEqual([
        expect.objectContaining({
          eventId: 'manifests-apply',
          outcome: 'failed',
        }),
      ]);
    },
  );

  it('refuses an owner other than the one the cluster is annotated with, calling nothing', async () => {
    const { ctx } = await renderedContext('cluster-aws', () => {}, {
      user: USERS.admin,
    });
    ctx.input.owner = 'group:default/web';
    await expect(action().handler(ctx)).rejects.toThrow(
      /^owner: group:default\/web is not the owner App org-payments\/pay-new is annotated with \(clusterdeck\.io\/owner: group:default\/payments\)$/,
    );
    expect(api.requests).toEqual([]);
  });
  it("refuses a group of another namespace named like the owner the owner's organization namespace, calling nothing", async () => {
    // group:teamx/payments renders its own request for pay-new in organization payments.
    const asTeamx = (objects: any[]) => {
      app(objects).metadata.annotations['clusterdeck.io/owner'] =
        'group:teamx/payments';
    };
    const { ctx } = await renderedContext('cluster-aws', asTeamx, {
      user: USERS.teamxPayments,
    });
    const error = await action()
      .handler(ctx)
      .catch(e => e);
    expect(error).toBeInstanceOf(NotAllowedError);
    expect(error.message).toBe(
      'App org-payments/pay-new: namespace org-payments is not an organization namespace of group:teamx/payments (it has none)',
    );
    expect(api.requests).toEqual([]);

    // The same objects, for the group of the default namespace the organization is named after.
    const { ctx: own } = await renderedContext('cluster-aws');
    await action().handler(own);
    expect(api.writes()).toHaveLength(2);
  });
});
