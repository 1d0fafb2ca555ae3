import {
  coreServices,
  createServiceFactory,
} from '@backstage/backend-plugin-api';
import {
  mockCredentials,
  mockServices,
  startTestBackend,
} from '@backstage/backend-test-utils';
import scaffolderPlugin from '@backstage/plugin-scaffolder-backend';
import yaml from 'yaml';
import { FakeFleetApi, startFakeFleetApi } from './__testUtils__/fakeFleetApi';
import {
  BASE_CONFIG,
  fleetState,
  GROUPS,
  paymentsRequest,
  USERS,
} from './__testUtils__/fixtures';
import { createGitRepo, gitIn } from './__testUtils__/gitRepo';
import { policyPermissions } from './__testUtils__/permissions';
import { scaffolderModuleAwsClusters } from './module';

/*
 * A cluster request through the scaffolder's own task runner, as the portal runs it: the
 * template's steps validate the request against the fleet backend (a fake on localhost),
 * reserve the VPC's addresses, render the manifests and commit them to a local GitOps repository.
 */

jest.setTimeout(120_000);

const CLUSTER_DIR =
  'management-clusters/mc-eu-prod/organizations/payments/workload-clusters/pay-new';
const BRANCH = 'clusterdeck/payments/pay-new/request';

/** The Request-a-cluster template's steps, for one request: validate, allocate, render, commit, register. */
function requestTemplate(name: string, request: Record<string, unknown>) {
  return {
    apiVersion: 'scaffolder.backstage.io/v1beta3',
    kind: 'Template',
    metadata: {
      name,
      namespace: 'default',
      title: 'Request a cluster (end to end)',
    },
    spec: {
      type: 'cluster',
      parameters: [],
      steps: [
        {
          id: 'validate',
          action: 'clusterdeck:cluster:validate',
          input: { request, cidrPool: 'tgw-routed', format: 'capi' },
        },
        {
          id: 'allocate',
          action: 'clusterdeck:cidr:allocate',
          input: {
            clusterRef: '${{ steps.validate.output.clusterRef }}',
            owner: '${{ steps.validate.output.owner }}',
            accountId: '${{ steps.validate.output.accountId }}',
            pool: 'tgw-routed',
          },
        },
        {
          id: 'render',
          action: 'clusterdeck:cluster:render',
          input: {
            request: '${{ steps.validate.output.request }}',
            format: 'capi',
            targetPath: '${{ steps.validate.output.gitopsPath }}',
            vpcCidr: '${{ steps.allocate.output.vpcCidr }}',
            releaseOnFailure: '${{ steps.allocate.output.allocationIds }}',
          },
        },
        {
          id: 'publish',
          action: 'clusterdeck:gitops:commit',
          input: {
            owner: '${{ steps.validate.output.owner }}',
            cluster: '${{ steps.validate.output.name }}',
            change: 'request',
            commitMessage:
              'Add cluster ${{ steps.validate.output.name }}\n\nVPC ${{ steps.allocate.output.vpcCidr }}.',
          },
        },
        {
          id: 'register',
          action: 'clusterdeck:cluster:register',
          input: {
            request: '${{ steps.validate.output.request }}',
            vpcCidr: '${{ steps.allocate.output.vpcCidr }}',
            branch: '${{ steps.publish.output.branch }}',
          },
        },
      ],
    },
  };
}

describe('a cluster request through the scaffolder task runner', () => {
  let fake: FakeFleetApi;
  let repo: ReturnType<typeof createGitRepo>;
  let baseUrl: string;
  let stop: () => Promise<void>;

  beforeAll(async () => {
    fake = await startFakeFleetApi({
      ...fleetState(),
      templates: {
        'default/e2e-request-cluster': requestTemplate(
          'e2e-request-cluster',
          paymentsRequest(),
        ),
        // A role identity mc-eu-prod does not have: CAPA would never create the cluster.
        'default/e2e-wrong-identity': requestTemplate(
          'e2e-wrong-identity',
          paymentsRequest({
            name: 'pay-wrong',
            spec: {
              account: {
                id: '123456789012',
                roleIdentity: 'no-such-identity',
              },
            },
          }),
        ),
      },
    });
    repo = createGitRepo({
      'management-clusters/mc-eu-prod/organizations/payments/.keep': '',
    });
    let self = 'http://127.0.0.1';
    const urlOf = async (pluginId: string) => {
      if (pluginId === 'aws-clusters') return fake.url;
      if (pluginId === 'catalog') return fake.catalogUrl;
      return `${self}/api/${pluginId}`;
    };
    const discovery = createServiceFactory({
      service: coreServices.discovery,
      deps: {},
      factory: () => ({ getBaseUrl: urlOf, getExternalBaseUrl: urlOf }),
    });
    const userInfo = createServiceFactory({
      service: coreServices.userInfo,
      deps: {},
      factory: () => ({
        async getUserInfo(credentials: any) {
          const userEntityRef = credentials.principal.userEntityRef;
          return {
            userEntityRef,
            ownershipEntityRefs: GROUPS[userEntityRef] ?? [userEntityRef],
          };
        },
      }),
    });
    // The permission framework as a backend with Clusterdeck's policy installed answers it.
    const permissions = createServiceFactory({
      service: coreServices.permissions,
      deps: {},
      factory: () =>
        policyPermissions({
          adminGroups: BASE_CONFIG.adminGroups,
          groups: GROUPS,
        }),
    });
    const backend = await startTestBackend({
      features: [
        mockServices.scheduler.factory(),
        discovery,
        userInfo,
        permissions,
        scaffolderPlugin,
        scaffolderModuleAwsClusters,
        mockServices.rootConfig.factory({
          data: {
            backend: { baseUrl: 'http://localhost:7007' },
            clusterdeck: {
              adminGroups: BASE_CONFIG.adminGroups,
              accounts: BASE_CONFIG.accounts,
              managementClusters: BASE_CONFIG.managementClusters,
              guardrails: {
                environments: {
                  production: { regions: ['eu-west-1'], maxNodesPerPool: 20 },
                },
              },
              gitops: { localRepository: repo.dir },
            },
          },
        }),
      ],
    });
    self = `http://127.0.0.1:${
      (backend.server.address() as { port: number }).port
    }`;
    baseUrl = `${self}/api/scaffolder`;
    stop = () => backend.stop();
  });

  afterAll(async () => {
    await stop?.();
    await fake?.close();
    repo?.remove();
  });

  async function runTask(user: string, template = 'e2e-request-cluster') {
    const headers = {
      'Content-Type': 'application/json',
      Authorization: mockCredentials.user.header(user),
    };
    const created = await fetch(`${baseUrl}/v2/tasks`, {
      method: 'POST',
      headers,
      body: JSON.stringify({
        templateRef: `template:default/${template}`,
        values: {},
        secrets: {},
      }),
    });
    expect(created.status).toBe(201);
    const { id } = await created.json();
    for (let attempt = 0; attempt < 200; attempt++) {
      const task = await (
        await fetch(`${baseUrl}/v2/tasks/${id}`, { headers })
      ).json();
      if (task.status === 'completed' || task.status === 'failed') {
        const events = await (
          await fetch(`${baseUrl}/v2/tasks/${id}/events`, { headers })
        ).json();
        const log = events.map((e: any) => e.body?.message ?? '').join('\n');
        return { task, log };
      }
      await new Promise(resolve => setTimeout(resolve, 100));
    }
    throw new Error(`task ${id} did not finish`);
  }

  it('validates, allocates, renders and commits the cluster to the GitOps repository', async () => {
    const main = gitIn(repo.dir, 'rev-parse', 'main');
    const { task, log } = await runTask(USERS.payments);
    expect({
      status: task.status,
      log: task.status === 'failed' ? log : '',
    }).toEqual({ status: 'completed', log: '' });

    // The reservation the allocate step made is the one in the committed manifests.
    expect(fake.state.allocations).toHaveLength(1);
    const [allocation] = fake.state.allocations;
    expect(allocation).toMatchObject({
      pool: 'tgw-routed',
      cluster: 'mc-eu-prod/org-payments/pay-new',
      owner: 'group:default/payments',
      createdBy: USERS.payments,
    });

    const files = gitIn(
      repo.dir,
      'ls-tree',
      '-r',
      '--name-only',
      BRANCH,
      CLUSTER_DIR,
    ).split('\n');
    expect(files).toEqual(
      expect.arrayContaining([`${CLUSTER_DIR}/clusterrequest.yaml`]),
    );
    expect(files.length).toBeGreaterThan(1);
    const request = yaml.parse(
      gitIn(repo.dir, 'show', `${BRANCH}:${CLUSTER_DIR}/clusterrequest.yaml`),
    );
    expect(request.metadata).toMatchObject({
      name: 'pay-new',
      organization: 'payments',
      owner: 'group:default/payments',
    });
    expect(request.spec.network.vpc.cidr).toBe(allocation.cidr);
    const manifests = files
      .filter(
        file =>
          file !== `${CLUSTER_DIR}/clusterrequest.yaml` &&
          file.endsWith('.yaml'),
      )
      .flatMap(file =>
        yaml
          .parseAllDocuments(gitIn(repo.dir, 'show', `${BRANCH}:${file}`))
          .map(doc => doc.toJS()),
      );
    expect(manifests.find(m => m?.kind === 'Cluster')?.metadata).toMatchObject({
      name: 'pay-new',
      namespace: 'org-payments',
    });

    expect(gitIn(repo.dir, 'log', '-1', '--format=%s', BRANCH)).toBe(
      'Add cluster pay-new',
    );
    expect(gitIn(repo.dir, 'rev-parse', `${BRANCH}^`)).toBe(main);
    expect(gitIn(repo.dir, 'rev-parse', 'main')).toBe(main);

    // And the fleet lists it as requested.
    expect(fake.state.requested.map(r => r.ref)).toEqual([
      'mc-eu-prod/org-payments/pay-new',
    ]);
  });

  it('fails at validation for a role identity the management cluster does not have, reserving, committing and recording nothing', async () => {
    const branches = gitIn(
      repo.dir,
      'branch',
      '--list',
      '--format=%(refname:short)',
    );
    const heads = gitIn(repo.dir, 'rev-parse', '--all');
    const allocations = structuredClone(fake.state.allocations);
    const calls = fake.requests.length;
    const { task, log } = await runTask(USERS.payments, 'e2e-wrong-identity');
    expect(task.status).toBe('failed');
    expect(log).toMatch(
      /request\.spec\.account\.roleIdentity: mc-eu-prod has no AWSClusterRoleIdentity named no-such-identity/,
    );
    expect(fake.state.allocations).toEqual(allocations);
    expect(
      gitIn(repo.dir, 'branch', '--list', '--format=%(refname:short)'),
    ).toBe(branches);
    expect(gitIn(repo.dir, 'rev-parse', '--all')).toBe(heads);
    // The references were read, and nothing was written to the fleet backend.
    const made = fake.requests.slice(calls);
    expect(made.map(r => r.path)).toContain(
      '/references?owner=group%3Adefault%2Fpayments',
    );
    expect(made.filter(r => r.method !== 'GET')).toEqual([]);
    expect(made.filter(r => r.path === '/cluster-requests')).toEqual([]);
    expect(fake.state.requested.map(r => r.ref)).not.toContain(
      'mc-eu-prod/org-payments/pay-wrong',
    );
  });

  it('fails at validation for a user outside the owning team, reserving nothing and committing nothing', async () => {
    const before = gitIn(
      repo.dir,
      'branch',
      '--list',
      '--format=%(refname:short)',
    );
    const allocations = fake.state.allocations.length;
    const { task, log } = await runTask(USERS.web);
    expect(task.status).toBe('failed');
    expect(log).toMatch(/may not|not allowed|group:default\/payments/i);
    expect(fake.state.allocations).toHaveLength(allocations);
    expect(
      gitIn(repo.dir, 'branch', '--list', '--format=%(refname:short)'),
    ).toBe(before);
  });
});
