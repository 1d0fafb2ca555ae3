import { renderInTestApp, TestApiProvider } from '@backstage/test-utils';
import type { RoleIdentityOption } from '@clusterdeck/plugin-aws-clusters-common';
import { fireEvent, screen, waitFor, within } from '@testing-library/react';
import type { ReactElement } from 'react';
import { AwsClustersApi, awsClustersApiRef } from '../../api';
import {
  ClusterdeckManagementClusterPicker,
  ClusterdeckRegionPicker,
  ClusterdeckReleasePicker,
  ClusterdeckRoleIdentityPicker,
  ClusterdeckTransitGatewayPicker,
  ClusterdeckZonesPicker,
} from '.';

const list = <T,>(items: T[]) =>
  Promise.resolve({ items, generatedAt: '2026-11-01T00:00:00Z', errors: [] });

const IDENTITIES: RoleIdentityOption[] = [
  {
    name: 'payments-prod',
    managementCluster: 'mc-eu-prod',
    roleARN: 'arn:aws:iam::123456789012:role/payments-prod',
    accountId: '123456789012',
  },
  {
    name: 'dev-shared',
    managementCluster: 'mc-eu-prod',
    roleARN: 'arn:aws:iam::444455556666:role/dev-shared',
    accountId: '444455556666',
  },
];

/** A backend that answers role identities as the real one scopes them: by management cluster and account. */
const identitiesApi = {
  listRoleIdentities: jest.fn(
    async (o: {
      managementCluster: string;
      accountId?: string;
      owner?: string;
    }) =>
      list(
        IDENTITIES.filter(
          i =>
            i.managementCluster === o.managementCluster &&
            (!o.accountId || i.accountId === o.accountId),
        ),
      ),
  ),
};

function render(field: ReactElement, api: Partial<AwsClustersApi>) {
  return renderInTestApp(
    <TestApiProvider apis={[[awsClustersApiRef, api as AwsClustersApi]]}>
      {field}
    </TestApiProvider>,
  );
}

const props = (
  form: Record<string, unknown>,
  extra: Record<string, unknown> = {},
) =>
  ({
    schema: {},
    uiSchema: {},
    idSchema: { $id: 'root_field' },
    rawErrors: [],
    required: true,
    formContext: { formData: form },
    onChange: jest.fn(),
    ...extra,
  } as any);

async function openSelect() {
  fireEvent.mouseDown(await screen.findByRole('button'));
  return within(await screen.findByRole('listbox'));
}

describe('ClusterdeckRoleIdentityPicker', () => {
  beforeEach(() => identitiesApi.listRoleIdentities.mockClear());

  it("offers only the chosen account's identities on the chosen management cluster, with their role ARN", async () => {
    const p = props({
      managementCluster: 'mc-eu-prod',
      accountId: '444455556666',
      owner: 'group:default/payments',
    });
    await render(<ClusterdeckRoleIdentityPicker {...p} />, identitiesApi);
    const options = await openSelect();
    expect(identitiesApi.listRoleIdentities).toHaveBeenCalledWith({
      managementCluster: 'mc-eu-prod',
      accountId: '444455556666',
      owner: 'group:default/payments',
    });
    expect(
      options.getByText(
        'dev-shared — arn:aws:iam::444455556666:role/dev-shared',
      ),
    ).toBeInTheDocument();
    expect(options.queryByText(/payments-prod/)).not.toBeInTheDocument();
    fireEvent.click(options.getByText(/dev-shared/));
    expect(p.onChange).toHaveBeenCalledWith('dev-shared');
  });

  it("reads the fields its ui:options name instead of the templates' names", async () => {
    const p = props(
      {
        managementCluster: 'mc-other',
        accountId: '123456789012',
        mc: 'mc-eu-prod',
        account: '444455556666',
        team: 'group:default/web',
      },
      {
        uiSchema: {
          'ui:options': {
            managementClusterField: 'mc',
            accountField: 'account',
            ownerField: 'team',
          },
        },
      },
    );
    await render(<ClusterdeckRoleIdentityPicker {...p} />, identitiesApi);
    await openSelect();
    expect(identitiesApi.listRoleIdentities).toHaveBeenCalledWith({
      managementCluster: 'mc-eu-prod',
      accountId: '444455556666',
      owner: 'group:default/web',
    });
  });

  it('clears an identity chosen for another account', async () => {
    const p = props(
      { managementCluster: 'mc-eu-prod', accountId: '444455556666' },
      { formData: 'payments-prod' },
    );
    await render(<ClusterdeckRoleIdentityPicker {...p} />, identitiesApi);
    await waitFor(() => expect(p.onChange).toHaveBeenCalledWith(undefined));
  });

  it('waits for the management cluster and the account before asking', async () => {
    await render(
      <ClusterdeckRoleIdentityPicker
        {...props({ managementCluster: 'mc-eu-prod' })}
      />,
      identitiesApi,
    );
    expect(
      screen.getByText(
        'Choose the management cluster and the AWS account first.',
      ),
    ).toBeInTheDocument();
    expect(identitiesApi.listRoleIdentities).not.toHaveBeenCalled();
  });

  it('says when no identity admits the team, and why nothing could be loaded', async () => {
    await render(
      <ClusterdeckRoleIdentityPicker
        {...props({
          managementCluster: 'mc-eu-dev',
          accountId: '123456789012',
        })}
      />,
      identitiesApi,
    );
    expect(
      await screen.findByText(
        /mc-eu-dev has no role identity for this account that admits your team's namespace/,
      ),
    ).toBeInTheDocument();
  });
});

describe('ClusterdeckManagementClusterPicker', () => {
  it('offers the management clusters with region and environment', async () => {
    const p = props({});
    await render(<ClusterdeckManagementClusterPicker {...p} />, {
      listManagementClusters: () =>
        list([
          {
            name: 'mc-eu-prod',
            region: 'eu-west-1',
            accountId: '111122223333',
            environment: 'shared-services',
          },
        ]),
    });
    const options = await openSelect();
    fireEvent.click(
      options.getByText('mc-eu-prod · eu-west-1 · shared-services'),
    );
    expect(p.onChange).toHaveBeenCalledWith('mc-eu-prod');
  });

  it('says why the management clusters could not be loaded', async () => {
    await render(<ClusterdeckManagementClusterPicker {...props({})} />, {
      listManagementClusters: () =>
        Promise.reject(new Error('backend unreachable')),
    });
    expect(
      await screen.findByText(
        'Management cluster could not be loaded: backend unreachable',
      ),
    ).toBeInTheDocument();
  });
});

describe('ClusterdeckRegionPicker and ClusterdeckZonesPicker', () => {
  const api = {
    listRegions: jest.fn(async (o?: { accountId?: string }) =>
      list(
        o?.accountId === '444455556666'
          ? [
              {
                name: 'eu-central-1',
                zones: ['eu-central-1a', 'eu-central-1b', 'eu-central-1c'],
              },
            ]
          : [{ name: 'eu-central-1' }, { name: 'eu-west-1' }],
      ),
    ),
  };

  it("offers the account's regions with their zone counts", async () => {
    const p = props({ accountId: '444455556666' });
    await render(<ClusterdeckRegionPicker {...p} />, api);
    const options = await openSelect();
    fireEvent.click(options.getByText('eu-central-1 (3 availability zones)'));
    expect(p.onChange).toHaveBeenCalledWith('eu-central-1');
  });

  it('offers every region for a new account, as a list for an array field', async () => {
    const p = props(
      {},
      {
        schema: { type: 'array' },
        formData: [],
        uiSchema: { 'ui:options': { allRegions: true } },
      },
    );
    await render(<ClusterdeckRegionPicker {...p} />, api);
    const options = await openSelect();
    fireEvent.click(options.getByText('eu-west-1'));
    expect(p.onChange).toHaveBeenCalledWith(['eu-west-1']);
    expect(api.listRegions).toHaveBeenLastCalledWith({});
  });

  it("chooses the region's first zones to begin with", async () => {
    const p = props(
      { accountId: '444455556666', region: 'eu-central-1' },
      {
        schema: { type: 'array' },
        uiSchema: { 'ui:options': { initialCount: 2 } },
      },
    );
    await render(<ClusterdeckZonesPicker {...p} />, api);
    await waitFor(() =>
      expect(p.onChange).toHaveBeenCalledWith([
        'eu-central-1a',
        'eu-central-1b',
      ]),
    );
  });

  it('takes typed zones as a list, separated by commas, where nothing lists them', async () => {
    const p = props(
      { accountId: '123456789012', region: 'eu-west-1' },
      { schema: { type: 'array' } },
    );
    // The account's regions say nothing of eu-west-1's zones.
    await render(<ClusterdeckZonesPicker {...p} />, api);
    fireEvent.change(await screen.findByRole('textbox'), {
      target: { value: 'eu-west-1a, eu-west-1b,' },
    });
    expect(p.onChange).toHaveBeenLastCalledWith(['eu-west-1a', 'eu-west-1b']);
    expect(screen.getByRole('textbox')).toHaveValue('eu-west-1a, eu-west-1b,');
    fireEvent.change(screen.getByRole('textbox'), { target: { value: ' ' } });
    expect(p.onChange).toHaveBeenLastCalledWith(undefined);
  });

  it("offers a cluster's own zones with clusterField, all chosen to begin with", async () => {
    const getCluster = jest.fn(async () => ({
      topology: { availabilityZones: ['eu-west-1a', 'eu-west-1b'] },
    }));
    const p = props(
      { cluster: 'mc-eu-prod/org-payments/pay-prod' },
      {
        schema: { type: 'array' },
        uiSchema: { 'ui:options': { clusterField: 'cluster' } },
      },
    );
    await render(<ClusterdeckZonesPicker {...p} />, { getCluster } as any);
    await waitFor(() =>
      expect(p.onChange).toHaveBeenCalledWith(['eu-west-1a', 'eu-west-1b']),
    );
    expect(getCluster).toHaveBeenCalledWith({
      managementCluster: 'mc-eu-prod',
      namespace: 'org-payments',
      name: 'pay-prod',
    });
  });

  it('waits for the cluster with clusterField', async () => {
    const getCluster = jest.fn();
    await render(
      <ClusterdeckZonesPicker
        {...props(
          {},
          {
            schema: { type: 'array' },
            uiSchema: { 'ui:options': { clusterField: 'cluster' } },
          },
        )}
      />,
      { getCluster } as any,
    );
    expect(
      await screen.findByText('Choose the cluster first.'),
    ).toBeInTheDocument();
    expect(getCluster).not.toHaveBeenCalled();
  });

  it('takes the empty item a form starts an array field with for no choice', async () => {
    const p = props(
      { accountId: '444455556666', region: 'eu-central-1' },
      { schema: { type: 'array', minItems: 1 }, formData: [undefined] },
    );
    await render(<ClusterdeckZonesPicker {...p} />, api);
    await waitFor(() =>
      expect(p.onChange).toHaveBeenCalledWith([
        'eu-central-1a',
        'eu-central-1b',
        'eu-central-1c',
      ]),
    );
  });
});

describe('ClusterdeckReleasePicker', () => {
  it('offers the releases of the management cluster', async () => {
    const listReleases = jest.fn(async () => ({
      ...(await list([
        { version: '31.1.0', flavor: 'ec2' as const },
        { version: '30.2.0', flavor: 'ec2' as const },
      ])),
      known: true,
    }));
    const p = props(
      { managementCluster: 'mc-eu-prod', flavor: 'eks' },
      { uiSchema: { 'ui:options': { flavor: 'ec2' } } },
    );
    await render(<ClusterdeckReleasePicker {...p} />, { listReleases });
    const options = await openSelect();
    expect(listReleases).toHaveBeenCalledWith({
      managementCluster: 'mc-eu-prod',
      flavor: 'ec2',
    });
    fireEvent.click(options.getByText('30.2.0'));
    expect(p.onChange).toHaveBeenCalledWith('30.2.0');
  });

  it("follows the form's flavor: an EKS request picks among the EKS releases", async () => {
    const listReleases = jest.fn(async () => ({
      ...(await list([{ version: '34.0.0', flavor: 'eks' as const }])),
      known: true,
    }));
    const p = props({ managementCluster: 'mc-eu-prod', flavor: 'eks' });
    await render(<ClusterdeckReleasePicker {...p} />, { listReleases });
    const options = await openSelect();
    expect(listReleases).toHaveBeenCalledWith({
      managementCluster: 'mc-eu-prod',
      flavor: 'eks',
    });
    fireEvent.click(options.getByText('34.0.0'));
    expect(p.onChange).toHaveBeenCalledWith('34.0.0');
  });

  it('lists the Kubernetes versions EKS offers with kind: kubernetes', async () => {
    const listReleases = jest.fn(async () => ({
      ...(await list([{ version: '1.33', flavor: 'eks' as const }])),
      known: true,
    }));
    const p = props(
      { managementCluster: 'mc-eu-prod', flavor: 'ec2' },
      { uiSchema: { 'ui:options': { kind: 'kubernetes' } } },
    );
    await render(<ClusterdeckReleasePicker {...p} />, { listReleases });
    const options = await openSelect();
    expect(listReleases).toHaveBeenCalledWith({
      managementCluster: 'mc-eu-prod',
      flavor: 'eks',
      kind: 'kubernetes',
    });
    fireEvent.click(options.getByText('1.33'));
    expect(p.onChange).toHaveBeenCalledWith('1.33');
  });

  it('takes a typed release where nothing lists them', async () => {
    const p = props({ managementCluster: 'mc-eu-prod', flavor: 'eks' });
    await render(<ClusterdeckReleasePicker {...p} />, {
      listReleases: async () => ({ ...(await list([])), known: false }),
    });
    fireEvent.change(await screen.findByRole('textbox'), {
      target: { value: '34.0.0' },
    });
    expect(p.onChange).toHaveBeenCalledWith('34.0.0');
  });
});

describe('ClusterdeckTransitGatewayPicker', () => {
  it('offers the gateways the account reaches in the region, and none when optional', async () => {
    const listTransitGateways = jest.fn(async () =>
      list([
        {
          id: 'tgw-0fedcba9876543210',
          name: 'shared-eu-central-1',
          region: 'eu-central-1',
          ownerAccountId: '111122223333',
        },
      ]),
    );
    const p = props(
      { accountId: '444455556666', region: 'eu-central-1' },
      { required: false, formData: 'tgw-0fedcba9876543210' },
    );
    await render(<ClusterdeckTransitGatewayPicker {...p} />, {
      listTransitGateways,
    });
    const options = await openSelect();
    expect(listTransitGateways).toHaveBeenCalledWith({
      accountId: '444455556666',
      region: 'eu-central-1',
    });
    expect(
      options.getAllByText(
        /shared-eu-central-1 \(tgw-0fedcba9876543210\) · eu-central-1 · owned by 111122223333/,
      ).length,
    ).toBeGreaterThan(0);
    fireEvent.click(options.getByText('None'));
    expect(p.onChange).toHaveBeenCalledWith(undefined);
  });
});
