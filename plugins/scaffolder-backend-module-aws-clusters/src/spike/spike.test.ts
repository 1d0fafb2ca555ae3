import { coreServices, createServiceFactory } from '@backstage/backend-plugin-api';
import { mockCredentials, mockServices, startTestBackend } from '@backstage/backend-test-utils';
import { startFakeFleetApi } from '../__testUtils__/fakeFleetApi';
import { fleetState, GROUPS, paymentsRequest } from '../__testUtils__/fixtures';
import { scaffolderModuleAwsClusters } from '../module';
import scaffolderPlugin from '@backstage/plugin-scaffolder-backend';

jest.setTimeout(60_000);

it('spike', async () => {
  const fake = await startFakeFleetApi(fleetState());
  const discovery = createServiceFactory({
    service: coreServices.discovery,
    deps: {},
    factory: () => ({
      getBaseUrl: async (id: string) => (id === 'aws-clusters' ? fake.url : id === 'catalog' ? fake.catalogUrl : `http://127.0.0.1:1/api/${id}`),
      getExternalBaseUrl: async (id: string) => `http://127.0.0.1:1/api/${id}`,
    }),
  });
  const userInfo = createServiceFactory({
    service: coreServices.userInfo,
    deps: {},
    factory: () => ({
      async getUserInfo(credentials: any) {
        const userEntityRef = credentials.principal.userEntityRef;
        return { userEntityRef, ownershipEntityRefs: GROUPS[userEntityRef] ?? [userEntityRef] };
      },
    }),
  });
  const { server } = await startTestBackend({
    features: [
      scaffolderPlugin,
      scaffolderModuleAwsClusters,
      discovery,
      userInfo,
      mockServices.rootConfig.factory({
        data: {
          backend: { baseUrl: 'http://localhost:7007' },
          clusterdeck: {
            adminGroups: ['group:default/platform'],
            accounts: [{ id: '123456789012', name: 'payments-prod', environment: 'production', owners: ['group:default/payments'], accessModel: 'audited-no-access', regions: ['eu-west-1'] }],
            managementClusters: [{ name: 'mc-eu-prod', region: 'eu-west-1', accountId: '111122223333', baseDomain: 'eu-prod.example.com' }],
            guardrails: { environments: { production: { regions: ['eu-west-1'] } } },
          },
        },
      }),
    ],
  });
  const port = (server.address() as any).port;
  const template = {
    apiVersion: 'scaffolder.backstage.io/v1beta3',
    kind: 'Template',
    metadata: { name: 'x' },
    spec: {
      type: 'cluster',
      parameters: [{ properties: { name: { type: 'string' }, accountId: { type: 'string' } } }],
      steps: [
        { id: 'validate', action: 'clusterdeck:cluster:validate', input: { request: { ...paymentsRequest(), metadata: { name: '${{ parameters.name }}', organization: 'payments', owner: 'group:default/payments' }, spec: { ...paymentsRequest().spec, account: { id: '${{ parameters.accountId }}', roleIdentity: 'x' } } }, cidrPool: 'tgw-routed' } },
        { id: 'allocate', action: 'clusterdeck:cidr:allocate', input: { clusterRef: '${{ steps.validate.output.clusterRef }}', owner: '${{ steps.validate.output.owner }}', accountId: '${{ steps.validate.output.accountId }}', pool: 'tgw-routed' } },
        { id: 'render', action: 'clusterdeck:cluster:render', input: { request: '${{ steps.validate.output.request }}', format: 'cluster-aws', vpcCidr: '${{ steps.allocate.output.vpcCidr }}', targetPath: '${{ steps.validate.output.gitopsPath }}' } },
      ],
      output: { links: [{ title: 'x', url: '${{ steps.validate.output.clusterRef }}' }] },
    },
  };
  const res = await fetch(`http://127.0.0.1:${port}/api/scaffolder/v2/dry-run`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json', Authorization: mockCredentials.user.header('user:default/amara.okafor') },
    body: JSON.stringify({ template, values: { name: 'pay-new', accountId: '123456789012' }, directoryContents: [] }),
  });
  const body = await res.json();
  console.log(res.status, JSON.stringify(body, null, 1).slice(0, 6000));
  await fake.close();
});
