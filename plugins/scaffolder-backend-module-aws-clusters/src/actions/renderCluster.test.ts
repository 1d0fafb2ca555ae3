import { NotAllowedError } from '@backstage/errors';
import {
  findReferenceDir,
  ManifestValidator,
  referenceSkipReason,
} from '@clusterdeck/test-utils';
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
import { createRenderClusterAction } from './renderCluster';

const DIR =
  'management-clusters/mc-eu-prod/organizations/payments/workload-clusters/pay-new';
const referenceDir = findReferenceDir();

describe('clusterdeck:cluster:render', () => {
  let fake: FakeFleetApi;
  beforeEach(async () => {
    fake = await startFakeFleetApi(fleetState());
  });
  afterEach(() => fake.close());

  const action = () => {
    const { fleet, access, audit, config, moduleConfig } = testServices(fake);
    return createRenderClusterAction({
      config,
      gitops: moduleConfig.gitops,
      fleet,
      access,
      audit,
    });
  };
  const read = (ctx: { workspacePath: string }, file: string) =>
    fs.readFileSync(path.join(ctx.workspacePath, file), 'utf8');

  it("writes the manifests, the request with the reserved CIDR and the catalog entity into the cluster's directory", async () => {
    const ctx = mockContext({
      input: {
        request: paymentsRequest(),
        format: 'cluster-aws' as const,
        vpcCidr: '10.2.0.0/16',
      },
      user: USERS.payments,
    });
    await action().handler(ctx);
    expect(ctx.output).toHaveBeenCalledWith('targetPath', DIR);
    expect(ctx.output).toHaveBeenCalledWith('files', [
      `${DIR}/clusterrequest.yaml`,
      `${DIR}/cluster.yaml`,
      `${DIR}/catalog-info.yaml`,
    ]);
    const request = yaml.parse(read(ctx, `${DIR}/clusterrequest.yaml`));
    expect(request.spec.network.vpc.cidr).toBe('10.2.0.0/16');
    const docs = yaml
      .parseAllDocuments(read(ctx, `${DIR}/cluster.yaml`))
      .map(d => d.toJS());
    expect(docs.map(d => d.kind)).toEqual(['ConfigMap', 'App']);
    expect(docs[0].data.values).toContain('vpcCidr: 10.2.0.0/16');
    const entity = yaml.parse(read(ctx, `${DIR}/catalog-info.yaml`));
    expect(entity).toMatchObject({
      kind: 'Resource',
      metadata: { name: 'mc-eu-prod-pay-new' },
      spec: { type: 'kubernetes-cluster', owner: 'group:default/payments' },
    });
  });

  (referenceDir ? describe : describe.skip)(
    `against the upstream CRDs${
      referenceDir ? '' : ` (skipped: ${referenceSkipReason})`
    }`,
    () => {
      it('renders capi objects they accept', async () => {
        const request = paymentsRequest({
          spec: {
            network: {
              vpc: { mode: 'create' },
              availabilityZones: 3,
              cni: { mode: 'eni' },
            },
          },
        });
        const ctx = mockContext({
          input: {
            request,
            format: 'capi' as const,
            vpcCidr: '10.2.0.0/16',
            podCidr: '100.64.0.0/16',
            targetPath: 'out',
          },
          user: USERS.payments,
        });
        await action().handler(ctx);
        const docs = yaml
          .parseAllDocuments(read(ctx, 'out/cluster.yaml'))
          .map(d => d.toJS());
        expect(
          ManifestValidator.fromDirectory(referenceDir!).validateAll(docs),
        ).toEqual([]);
        const written = yaml.parse(read(ctx, 'out/clusterrequest.yaml'));
        expect(written.spec.network.vpc.extraCidrs).toEqual(['100.64.0.0/16']);
        expect(written.spec.network.cni.podSubnetCidrs).toEqual([
          '100.64.0.0/18',
          '100.64.64.0/18',
          '100.64.128.0/18',
        ]);
      });
    },
  );

  it('fails with the problems, writes nothing, and releases the reservations made for the request', async () => {
    fake.state.allocations.push({
      id: 'a1',
      pool: 'tgw-routed',
      cidr: '10.2.0.0/16',
      cluster: 'mc-eu-prod/org-payments/pay-new',
      owner: 'group:default/payments',
      createdBy: USERS.payments,
      createdAt: '',
    });
    const request = paymentsRequest();
    delete request.spec.release;
    const ctx = mockContext({
      input: {
        request,
        format: 'cluster-aws' as const,
        vpcCidr: '10.2.0.0/16',
        releaseOnFailure: ['a1'],
      },
      user: USERS.payments,
    });
    const error = await action()
      .handler(ctx)
      .catch(e => e);
    expect(error).toBeInstanceOf(ProblemsError);
    expect(error.problems).toEqual([
      expect.objectContaining({ path: 'request.spec.release' }),
    ]);
    expect(fs.existsSync(path.join(ctx.workspacePath, DIR))).toBe(false);
    expect(fake.state.allocations).toEqual([]);
  });

  it('keeps the reservations when a dry run fails', async () => {
    fake.state.allocations.push({
      id: 'a1',
      pool: 'tgw-routed',
      cidr: '10.2.0.0/16',
      owner: 'group:default/payments',
      createdBy: USERS.payments,
      createdAt: '',
    });
    const request = paymentsRequest();
    delete request.spec.release;
    const ctx = mockContext({
      input: {
        request,
        format: 'cluster-aws' as const,
        releaseOnFailure: ['a1'],
      },
      user: USERS.payments,
      isDryRun: true,
    });
    await expect(action().handler(ctx)).rejects.toThrow(ProblemsError);
    expect(fake.state.allocations).toHaveLength(1);
  });

  const renderAs = (user: string) =>
    mockContext({
      input: {
        request: paymentsRequest(),
        format: 'cluster-aws' as const,
        vpcCidr: '10.2.0.0/16',
      },
      user,
    });

  it.each([
    ['a member of the owning group', USERS.payments],
    ['an admin', USERS.admin],
  ])('lets %s render', async (_who, user) => {
    await expect(action().handler(renderAs(user))).resolves.toBeUndefined();
  });

  it('refuses someone of another team, writing nothing', async () => {
    const ctx = renderAs(USERS.web);
    await expect(action().handler(ctx)).rejects.toThrow(NotAllowedError);
    expect(fs.existsSync(path.join(ctx.workspacePath, DIR))).toBe(false);
  });

  it('refuses a target path outside the workspace', async () => {
    const ctx = mockContext({
      input: {
        request: paymentsRequest(),
        format: 'capi' as const,
        vpcCidr: '10.2.0.0/16',
        targetPath: '../elsewhere',
      },
      user: USERS.payments,
    });
    await expect(action().handler(ctx)).rejects.toThrow(
      /^targetPath: "..\/elsewhere" leaves the workspace/,
    );
  });
});
