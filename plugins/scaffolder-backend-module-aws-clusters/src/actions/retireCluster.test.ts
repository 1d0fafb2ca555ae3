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
import { createRetireClusterAction } from './retireCluster';

const REF = 'mc-eu-prod/org-payments/pay-prod';
const DIR =
  'management-clusters/mc-eu-prod/organizations/payments/workload-clusters/pay-prod';

describe('clusterdeck:cluster:retire', () => {
  let fake: FakeFleetApi;
  beforeEach(async () => {
    fake = await startFakeFleetApi(fleetState());
    fake.state.clusters[0].environment = 'production';
  });
  afterEach(() => fake.close());

  const action = () => {
    const { fleet, access, moduleConfig } = testServices(fake);
    return createRetireClusterAction({
      gitops: moduleConfig.gitops,
      fleet,
      access,
    });
  };

  async function workspace(input: Record<string, unknown>) {
    const ctx = mockContext({
      input: { cluster: REF, ...input },
      user: USERS.payments,
    });
    const directory = path.join(ctx.workspacePath, DIR);
    await writeClusterFiles({
      directory,
      request: paymentsRequest({
        name: 'pay-prod',
        spec: {
          network: {
            vpc: { mode: 'create', cidr: '10.0.0.0/16' },
            availabilityZones: 3,
          },
        },
      }),
      format: 'cluster-aws',
      baseDomain: 'eu-prod.example.com',
      catalogInfo: false,
    });
    return { ctx, directory };
  }

  it('removes the directory and names its repository paths, with the removal as a diff', async () => {
    const { ctx, directory } = await workspace({ confirmName: 'pay-prod' });
    await action().handler(ctx);
    expect(fs.existsSync(directory)).toBe(false);
    expect(ctx.output).toHaveBeenCalledWith('removedPaths', [
      `${DIR}/cluster.yaml`,
      `${DIR}/clusterrequest.yaml`,
    ]);
    const diff = ctx.output.mock.calls.find(([n]) => n === 'diff')[1];
    expect(diff).toContain(`deleted file mode`);
    expect(diff).toContain(`--- a/${DIR}/cluster.yaml`);
    expect(ctx.output).toHaveBeenCalledWith('change', 'retire');
  });

  it.each([
    [{}, /confirmName: type the cluster's name \(pay-prod\)/],
    [
      { confirmName: 'pay-pro' },
      /confirmName: "pay-pro" is not the cluster's name/,
    ],
  ])(
    'refuses a production cluster without its name typed again (%j), writing nothing',
    async (input, message) => {
      const { ctx, directory } = await workspace(input);
      const error = await action()
        .handler(ctx)
        .catch(e => e);
      expect(error).toBeInstanceOf(ProblemsError);
      expect(error.message).toMatch(message);
      expect(fs.existsSync(path.join(directory, 'cluster.yaml'))).toBe(true);
    },
  );

  it('lets a development cluster go without the name', async () => {
    fake.state.clusters[0].environment = 'development';
    const { ctx } = await workspace({});
    await action().handler(ctx);
    expect(ctx.output).toHaveBeenCalledWith('title', 'Retire cluster pay-prod');
  });

  it('refuses a cluster protected on the management cluster or in its files', async () => {
    fake.state.clusters[0].deletionProtection = true;
    const live = await workspace({ confirmName: 'pay-prod' });
    await expect(action().handler(live.ctx)).rejects.toThrow(
      /cluster: pay-prod is protected from deletion/,
    );

    fake.state.clusters[0].deletionProtection = undefined;
    const { ctx, directory } = await workspace({ confirmName: 'pay-prod' });
    const file = path.join(directory, 'cluster.yaml');
    const docs = yaml
      .parseAllDocuments(fs.readFileSync(file, 'utf8'))
      .map(d => d.toJS());
    const configMap = docs.find(d => d.kind === 'ConfigMap');
    const values = yaml.parse(configMap.data.values);
    values.global.metadata = {
      ...values.global.metadata,
      annotations: { 'clusterdeck.io/deletion-protection': 'true' },
    };
    configMap.data.values = yaml.stringify(values);
    fs.writeFileSync(file, docs.map(d => `---\n${yaml.stringify(d)}`).join(''));
    await expect(action().handler(ctx)).rejects.toThrow(
      /protected from deletion/,
    );
    expect(fs.existsSync(file)).toBe(true);
  });
});
