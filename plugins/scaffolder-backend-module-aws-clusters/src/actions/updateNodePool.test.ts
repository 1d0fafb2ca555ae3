import { NotAllowedError, NotFoundError } from '@backstage/errors';
import fs from 'node:fs';
import path from 'node:path';
import yaml from 'yaml';
import { FakeFleetApi, startFakeFleetApi } from '../__testUtils__/fakeFleetApi';
import {
  fleetState,
  paymentsRequest,
  testServices,
  USERS,
} from '../__testUtils__/fixtures';
import { mockContext } from '../__testUtils__/mockContext';
import { ProblemsError } from '../lib/problems';
import { writeClusterFiles } from './renderCluster';
import { createUpdateNodePoolAction } from './updateNodePool';

const REF = 'mc-eu-prod/org-payments/pay-prod';
const DIR =
  'management-clusters/mc-eu-prod/organizations/payments/workload-clusters/pay-prod';

describe('clusterdeck:nodePool:update', () => {
  let fake: FakeFleetApi;
  beforeEach(async () => {
    fake = await startFakeFleetApi(fleetState());
    fake.state.details[REF] = {
      cluster: fake.state.clusters[0],
      nodePools: [
        {
          name: 'pay-prod-system',
          kind: 'asg',
          instanceTypes: ['m6i.xlarge'],
          spot: false,
          availabilityZones: [],
          spread: {},
          min: 3,
          desired: 5,
          current: 5,
          ready: 5,
          max: 6,
          activities: [],
          warnings: [],
        },
      ],
      sources: [],
    } as any;
  });
  afterEach(() => fake.close());

  const action = () => {
    const { fleet, access, config, moduleConfig } = testServices(fake);
    return createUpdateNodePoolAction({
      config,
      guardrails: moduleConfig.guardrails,
      gitops: moduleConfig.gitops,
      fleet,
      access,
    });
  };

  /** A workspace holding the cluster's directory as the Request-a-cluster template wrote it. */
  async function workspaceWithCluster(
    user: string,
    input: any,
    format: 'capi' | 'cluster-aws' = 'cluster-aws',
    withRequest = true,
  ) {
    const ctx = mockContext({ input: { cluster: REF, ...input }, user });
    const request = paymentsRequest({
      name: 'pay-prod',
      spec: {
        network: {
          vpc: { mode: 'create', cidr: '10.0.0.0/16' },
          availabilityZones: 3,
        },
      },
    });
    const directory = path.join(ctx.workspacePath, DIR);
    await writeClusterFiles({
      directory,
      request,
      format,
      baseDomain: 'eu-prod.example.com',
      catalogInfo: true,
    });
    if (!withRequest) fs.rmSync(path.join(directory, 'clusterrequest.yaml'));
    return {
      ctx,
      directory,
      read: (file: string) =>
        fs.readFileSync(path.join(directory, file), 'utf8'),
    };
  }

  it('changes a pool in the request and renders the manifests again', async () => {
    const { ctx, read } = await workspaceWithCluster(USERS.payments, {
      operation: 'change',
      pool: { name: 'system', maxSize: 10 },
    });
    await action().handler(ctx);
    expect(
      yaml.parse(read('clusterrequest.yaml')).spec.nodePools[0],
    ).toMatchObject({ name: 'system', minSize: 3, maxSize: 10 });
    const values = yaml.parse(
      yaml.parseAllDocuments(read('cluster.yaml'))[0].toJS().data.values,
    );
    expect(values.global.nodePools.system.maxSize).toBe(10);
    expect(ctx.output).toHaveBeenCalledWith('changes', [
      'system: maxSize 6 → 10',
    ]);
    expect(ctx.output).toHaveBeenCalledWith('changedFiles', [
      `${DIR}/clusterrequest.yaml`,
      `${DIR}/cluster.yaml`,
    ]);
    expect(ctx.output).toHaveBeenCalledWith('clusterName', 'pay-prod');
    expect(ctx.output).toHaveBeenCalledWith(
      'change',
      'change-node-pool-system',
    );
    expect(ctx.output).toHaveBeenCalledWith('owner', 'group:default/payments');
  });

  it('adds a pool, rendered in the format the cluster uses', async () => {
    const { ctx, read } = await workspaceWithCluster(
      USERS.payments,
      {
        operation: 'add',
        pool: {
          name: 'batch0',
          instanceType: 'c6i.2xlarge',
          minSize: 0,
          maxSize: 8,
          spot: { enabled: true },
        },
      },
      'capi',
    );
    await action().handler(ctx);
    const kinds = yaml
      .parseAllDocuments(read('cluster.yaml'))
      .map(d => `${d.toJS().kind}/${d.toJS().metadata.name}`);
    expect(kinds).toEqual(
      expect.arrayContaining([
        'MachinePool/pay-prod-batch0',
        'AWSMachinePool/pay-prod-batch0',
      ]),
    );
  });

  it('stops a change that breaks a guardrail, names the field, and leaves the files as they were', async () => {
    const { ctx, read } = await workspaceWithCluster(USERS.payments, {
      operation: 'change',
      pool: { name: 'system', maxSize: 30, instanceType: 't3.large' },
    });
    const before = read('cluster.yaml');
    const error = await action()
      .handler(ctx)
      .catch(e => e);
    expect(error).toBeInstanceOf(ProblemsError);
    expect(error.problems.map((p: any) => p.path)).toEqual(
      expect.arrayContaining([
        'spec.nodePools[0].maxSize',
        'spec.nodePools[0].instanceType',
      ]),
    );
    expect(read('cluster.yaml')).toBe(before);
    expect(ctx.output).not.toHaveBeenCalled();
  });

  it('warns when a new maximum lies below the nodes running now', async () => {
    const { ctx } = await workspaceWithCluster(USERS.payments, {
      operation: 'change',
      pool: { name: 'system', minSize: 1, maxSize: 4 },
    });
    await action().handler(ctx);
    expect(ctx.output).toHaveBeenCalledWith('warnings', [
      {
        path: 'pool.maxSize',
        message: '5 nodes run in system now; a maxSize of 4 scales it in',
      },
    ]);
  });

  it('refuses to change a cluster that is being deleted', async () => {
    fake.state.clusters[0] = { ...fake.state.clusters[0], status: 'deleting' };
    fake.state.details[REF].cluster = fake.state.clusters[0];
    const { ctx } = await workspaceWithCluster(USERS.payments, {
      operation: 'change',
      pool: { name: 'system', maxSize: 8 },
    });
    await expect(action().handler(ctx)).rejects.toThrow(/being deleted/);
  });

  it('edits the chart values of a cluster without a request', async () => {
    const { ctx, read } = await workspaceWithCluster(
      USERS.payments,
      {
        operation: 'add',
        pool: {
          name: 'extra0',
          instanceType: 'm6i.large',
          minSize: 1,
          maxSize: 3,
        },
      },
      'cluster-aws',
      false,
    );
    await action().handler(ctx);
    const values = yaml.parse(
      yaml.parseAllDocuments(read('cluster.yaml'))[0].toJS().data.values,
    );
    expect(values.global.nodePools.extra0).toMatchObject({
      instanceType: 'm6i.large',
      minSize: 1,
      maxSize: 3,
    });
    expect(ctx.output).toHaveBeenCalledWith('changedFiles', [
      `${DIR}/cluster.yaml`,
    ]);
  });

  it('checks chart values against the guardrails too', async () => {
    const { ctx } = await workspaceWithCluster(
      USERS.payments,
      { operation: 'change', pool: { name: 'system', maxSize: 25 } },
      'cluster-aws',
      false,
    );
    const error = await action()
      .handler(ctx)
      .catch(e => e);
    expect(error.problems).toEqual([
      {
        path: 'pool.maxSize',
        message: '25 nodes exceed the production limit of 20 per node pool',
      },
    ]);
  });

  it('names a pool the cluster does not have', async () => {
    const { ctx } = await workspaceWithCluster(USERS.payments, {
      operation: 'change',
      pool: { name: 'nosuch', maxSize: 4 },
    });
    const error = await action()
      .handler(ctx)
      .catch(e => e);
    expect(error.problems).toEqual([
      expect.objectContaining({ path: 'pool.name' }),
    ]);
  });

  it.each([
    ['a member of the owning group', USERS.payments],
    ['an admin', USERS.admin],
  ])('lets %s change a pool', async (_who, user) => {
    const { ctx } = await workspaceWithCluster(user, {
      operation: 'change',
      pool: { name: 'system', maxSize: 8 },
    });
    await expect(action().handler(ctx)).resolves.toBeUndefined();
  });

  it("refuses someone of another team, leaving the cluster's files as they were", async () => {
    const { ctx, read } = await workspaceWithCluster(USERS.web, {
      operation: 'change',
      pool: { name: 'system', maxSize: 8 },
    });
    const before = read('clusterrequest.yaml');
    await expect(action().handler(ctx)).rejects.toThrow(NotAllowedError);
    expect(read('clusterrequest.yaml')).toBe(before);
  });

  it('refuses a cluster the fleet does not know', async () => {
    const ctx = mockContext({
      input: {
        cluster: 'mc-eu-prod/org-payments/nosuch',
        operation: 'change' as const,
        pool: { name: 'system', maxSize: 8 },
      },
      user: USERS.payments,
    });
    await expect(action().handler(ctx)).rejects.toThrow(NotFoundError);
  });
});
