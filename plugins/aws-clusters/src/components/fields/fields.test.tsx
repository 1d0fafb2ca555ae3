import { renderInTestApp, TestApiProvider } from '@backstage/test-utils';
import type {
  AccountView,
  ClusterSummary,
} from '@clusterdeck/plugin-aws-clusters-common';
import { fireEvent, screen, within } from '@testing-library/react';
import type { ReactElement } from 'react';
import { AwsClustersApi, awsClustersApiRef } from '../../api';
import {
  ClusterdeckAccountPicker,
  ClusterdeckCidrField,
  ClusterdeckClusterPicker,
  ClusterdeckNodePoolsEditor,
  INSTANCE_FAMILY_KEY,
  nodePoolProblems,
  validateCidrField,
} from '.';

const list = <T,>(items: T[]) =>
  Promise.resolve({ items, generatedAt: '2026-11-01T00:00:00Z', errors: [] });

const ACCOUNTS: AccountView[] = [
  {
    id: '123456789012',
    name: 'production',
    environment: 'production',
    accessModel: 'audited-no-access',
    owners: ['group:default/payments'],
    regions: ['eu-west-1'],
    clusterCount: 6,
    usage: [
      {
        region: 'eu-west-1',
        vpcs: 7,
        elasticIps: 12,
        runningVcpus: 400,
        quotas: { vpcs: 20, elasticIps: 40 },
      },
    ],
  },
  {
    id: '444455556666',
    name: 'development',
    environment: 'development',
    accessModel: 'developer-debug',
    owners: ['group:default/payments'],
    regions: ['eu-central-1'],
    clusterCount: 5,
    usage: [
      {
        region: 'eu-central-1',
        vpcs: 5,
        elasticIps: 5,
        runningVcpus: 100,
        quotas: { vpcs: 5, elasticIps: 5 },
      },
    ],
  },
];

const cluster = (name: string, status: ClusterSummary['status']) =>
  ({
    ref: `mc-eu-prod/org-payments/${name}`,
    name,
    namespace: 'org-payments',
    managementCluster: 'mc-eu-prod',
    owner: 'group:default/payments',
    ownerSource: 'annotation',
    flavor: 'ec2',
    status,
    apiMode: 'private',
    environment: 'production',
    region: 'eu-west-1',
  } as ClusterSummary);

function render(field: ReactElement, api: Partial<AwsClustersApi>) {
  return renderInTestApp(
    <TestApiProvider apis={[[awsClustersApiRef, api as AwsClustersApi]]}>
      {field}
    </TestApiProvider>,
  );
}

const baseProps = (extra: Record<string, unknown>) =>
  ({
    schema: {},
    uiSchema: {},
    idSchema: { $id: 'root_field' },
    rawErrors: [],
    required: true,
    ...extra,
  } as any);

async function openSelect() {
  fireEvent.mouseDown(await screen.findByRole('button'));
  return within(await screen.findByRole('listbox'));
}

describe('ClusterdeckAccountPicker', () => {
  it('offers the accounts with environment and headroom, and emits the account id', async () => {
    const onChange = jest.fn();
    await render(<ClusterdeckAccountPicker {...baseProps({ onChange })} />, {
      listAccounts: () => list(ACCOUNTS),
    });
    const options = await openSelect();
    expect(
      options.getByText(
        /production \(123456789012\) · production · 13 VPCs, 28 Elastic IPs free/,
      ),
    ).toBeInTheDocument();
    expect(
      options.getByText(
        /development \(444455556666\) · development · 0 VPCs, 0 Elastic IPs free/,
      ),
    ).toBeInTheDocument();
    fireEvent.click(options.getByText(/production \(123456789012\)/));
    expect(onChange).toHaveBeenCalledWith('123456789012');
  });

  it('filters by environment', async () => {
    await render(
      <ClusterdeckAccountPicker
        {...baseProps({
          onChange: jest.fn(),
          uiSchema: { 'ui:options': { environment: 'development' } },
        })}
      />,
      { listAccounts: () => list(ACCOUNTS) },
    );
    const options = await openSelect();
    expect(options.queryByText(/123456789012/)).not.toBeInTheDocument();
    expect(options.getByText(/444455556666/)).toBeInTheDocument();
  });

  it('says it is loading while the accounts are on their way', async () => {
    await render(
      <ClusterdeckAccountPicker {...baseProps({ onChange: jest.fn() })} />,
      { listAccounts: () => new Promise(() => {}) },
    );
    expect(
      screen.getByText('Loading the accounts your teams may use…'),
    ).toBeInTheDocument();
    expect(screen.getByRole('button')).toHaveAttribute('aria-disabled', 'true');
  });

  it('says why there is nothing to choose when the backend fails', async () => {
    await render(
      <ClusterdeckAccountPicker {...baseProps({ onChange: jest.fn() })} />,
      { listAccounts: () => Promise.reject(new Error('backend unreachable')) },
    );
    expect(
      await screen.findByText(/could not be loaded: backend unreachable/),
    ).toBeInTheDocument();
  });
});

describe('ClusterdeckClusterPicker', () => {
  it('offers the clusters that exist, not the requested ones, and emits the cluster reference', async () => {
    const onChange = jest.fn();
    await render(<ClusterdeckClusterPicker {...baseProps({ onChange })} />, {
      listClusters: () =>
        list([cluster('pay-prod', 'ready'), cluster('pay-new', 'requested')]),
    });
    const options = await openSelect();
    expect(options.queryByText(/pay-new/)).not.toBeInTheDocument();
    fireEvent.click(options.getByText(/pay-prod/));
    expect(onChange).toHaveBeenCalledWith('mc-eu-prod/org-payments/pay-prod');
  });

  it('says it is loading, then why the clusters could not be loaded', async () => {
    let fail: (e: Error) => void = () => {};
    await render(
      <ClusterdeckClusterPicker {...baseProps({ onChange: jest.fn() })} />,
      {
        listClusters: () =>
          new Promise((_, reject) => {
            fail = reject;
          }),
      },
    );
    expect(screen.getByText('Loading your clusters…')).toBeInTheDocument();
    fail(new Error('403 Forbidden'));
    expect(
      await screen.findByText(
        'The clusters could not be loaded: 403 Forbidden',
      ),
    ).toBeInTheDocument();
  });
});

describe('ClusterdeckCidrField', () => {
  const api = {
    listCidrPools: () =>
      list([
        {
          name: 'workloads',
          cidr: '10.0.0.0/9',
          prefixLength: 16,
          allocated: 1,
          nextFree: '10.3.0.0/16',
        } as any,
      ]),
    listCidrAllocations: () =>
      list([
        {
          id: 'a1',
          pool: 'workloads',
          cidr: '10.2.0.0/16',
          cluster: 'mc-eu-prod/org-payments/pay-new',
          owner: 'group:default/payments',
          createdBy: 'user:default/amara.okafor',
          createdAt: '',
        },
      ]),
  };

  it('suggests the next free block of the pool named by another field, and takes it on a click', async () => {
    const onChange = jest.fn();
    await render(
      <ClusterdeckCidrField
        {...baseProps({
          onChange,
          uiSchema: { 'ui:options': { poolField: 'cidrPool' } },
          formContext: { formData: { cidrPool: 'workloads' } },
        })}
      />,
      api,
    );
    expect(
      await screen.findByText(
        /Next free block of workloads \(10\.0\.0\.0\/9\): 10\.3\.0\.0\/16/,
      ),
    ).toBeInTheDocument();
    fireEvent.click(screen.getByRole('button', { name: 'Use 10.3.0.0/16' }));
    expect(onChange).toHaveBeenCalledWith('10.3.0.0/16');
  });

  it('names the reserved block a typed one overlaps', async () => {
    await render(
      <ClusterdeckCidrField
        {...baseProps({
          onChange: jest.fn(),
          formData: '10.2.128.0/17',
          uiSchema: { 'ui:options': { pool: 'workloads' } },
        })}
      />,
      api,
    );
    expect(
      await screen.findByText(
        '10.2.128.0/17 overlaps 10.2.0.0/16, reserved for mc-eu-prod/org-payments/pay-new in pool workloads',
      ),
    ).toBeInTheDocument();
  });

  it('emits what is typed and says it is asking the backend meanwhile', async () => {
    const onChange = jest.fn();
    await render(
      <ClusterdeckCidrField
        {...baseProps({
          onChange,
          uiSchema: { 'ui:options': { pool: 'workloads' } },
        })}
      />,
      { ...api, listCidrPools: () => new Promise(() => {}) },
    );
    expect(
      screen.getByText('Asking for the next free block of workloads…'),
    ).toBeInTheDocument();
    fireEvent.change(screen.getByRole('textbox'), {
      target: { value: ' 10.4.0.0/16 ' },
    });
    expect(onChange).toHaveBeenCalledWith('10.4.0.0/16');
  });

  it('shows bad syntax under the field as you type', async () => {
    await render(
      <ClusterdeckCidrField
        {...baseProps({
          onChange: jest.fn(),
          formData: '10.2.0/16',
          uiSchema: { 'ui:options': { pool: 'workloads' } },
        })}
      />,
      api,
    );
    expect(
      await screen.findByText(
        '10.2.0/16 is not an IPv4 CIDR block such as 10.20.0.0/16',
      ),
    ).toBeInTheDocument();
  });

  it('refuses what is not a CIDR block', () => {
    const errors: string[] = [];
    validateCidrField('10.2.0.0/33', { addError: m => errors.push(m) });
    validateCidrField('10.2.0.0/16', { addError: m => errors.push(m) });
    expect(errors).toEqual([
      '10.2.0.0/33 is not an IPv4 CIDR block such as 10.20.0.0/16',
    ]);
  });
});

describe('ClusterdeckNodePoolsEditor', () => {
  it('adds and removes pools', async () => {
    const onChange = jest.fn();
    const pools = [
      {
        name: 'def00',
        type: 'asg',
        instanceType: 'm6i.xlarge',
        minSize: 2,
        maxSize: 6,
      },
    ];
    await render(
      <ClusterdeckNodePoolsEditor
        {...baseProps({ onChange, formData: pools })}
      />,
      {},
    );
    fireEvent.click(screen.getByRole('button', { name: 'Add a node pool' }));
    expect(onChange).toHaveBeenLastCalledWith([
      ...pools,
      expect.objectContaining({ name: 'pool1', type: 'asg' }),
    ]);
    fireEvent.click(
      screen.getByRole('button', { name: 'Remove node pool def00' }),
    );
    expect(onChange).toHaveBeenLastCalledWith([]);
  });

  it('shows the guardrail and every problem as you type', async () => {
    const pools = [
      {
        name: 'def00',
        type: 'asg',
        instanceType: 'm6i.xlarge',
        minSize: 8,
        maxSize: 6,
      },
      {
        name: 'def00',
        type: 'asg',
        instanceType: 'large',
        minSize: 0,
        maxSize: 60,
      },
    ];
    await render(
      <ClusterdeckNodePoolsEditor
        {...baseProps({
          onChange: jest.fn(),
          formData: pools,
          uiSchema: { 'ui:options': { maxNodesPerPool: 50 } },
        })}
      />,
      {},
    );
    expect(
      screen.getByText('At most 50 nodes per pool in this environment.'),
    ).toBeInTheDocument();
    expect(
      screen.getByText('[0].minSize: 8 is above the maximum 6'),
    ).toBeInTheDocument();
    expect(
      screen.getByText('[1].name: def00 is used twice'),
    ).toBeInTheDocument();
    expect(
      screen.getByText(
        /^\[1\]\.instanceType: .*an EC2 instance type such as m6i\.xlarge/,
      ),
    ).toBeInTheDocument();
    expect(
      screen.getByText('[1].maxSize: at most 50 nodes per pool'),
    ).toBeInTheDocument();
  });

  it("offers the kinds of the cluster's flavor and flags a pool of another kind", async () => {
    const pools = [
      {
        name: 'def00',
        type: 'asg' as const,
        instanceType: 'm6i.xlarge',
        minSize: 2,
        maxSize: 6,
      },
    ];
    const props = baseProps({
      onChange: jest.fn(),
      formData: pools,
      uiSchema: { 'ui:options': { flavorField: 'flavor' } },
      formContext: { formData: { flavor: 'eks' } },
    });
    await render(<ClusterdeckNodePoolsEditor {...props} />, {});
    expect(
      screen.getByText(
        '[0].type: EKS clusters take EKS managed node group pools',
      ),
    ).toBeInTheDocument();
    fireEvent.mouseDown(
      screen.getByRole('button', { name: /^Kind Auto Scaling group/ }),
    );
    const options = within(await screen.findByRole('listbox'))
      .getAllByRole('option')
      .map(o => o.textContent);
    expect(options).toEqual([
      'EKS managed node group',
      'Auto Scaling group + cluster-autoscaler',
    ]);
    expect(nodePoolProblems(pools, { flavor: 'ec2' })).toEqual([]);
  });

  it('gives Karpenter pools instance families and limits instead of a type and sizes', async () => {
    const onChange = jest.fn();
    const pools = [
      {
        name: 'def00',
        type: 'asg',
        instanceType: 'm6i.xlarge',
        minSize: 2,
        maxSize: 6,
      },
    ];
    const { rerender } = await render(
      <ClusterdeckNodePoolsEditor
        {...baseProps({ onChange, formData: pools })}
      />,
      {},
    );
    fireEvent.mouseDown(
      screen.getByRole('button', { name: /^Kind Auto Scaling group/ }),
    );
    fireEvent.click(
      within(await screen.findByRole('listbox')).getByText('Karpenter'),
    );
    const karpenter = onChange.mock.lastCall[0][0];
    expect(karpenter).toEqual({
      name: 'def00',
      type: 'karpenter',
      karpenter: {
        requirements: [
          { key: INSTANCE_FAMILY_KEY, operator: 'In', values: ['m6i'] },
        ],
        limits: { cpu: '100' },
      },
    });
    rerender(
      <TestApiProvider apis={[[awsClustersApiRef, {} as AwsClustersApi]]}>
        <ClusterdeckNodePoolsEditor
          {...baseProps({ onChange, formData: [karpenter] })}
        />
      </TestApiProvider>,
    );
    expect(screen.queryByLabelText('Minimum')).not.toBeInTheDocument();
    fireEvent.change(screen.getByLabelText('Instance families'), {
      target: { value: 'c6i, m7i' },
    });
    expect(onChange.mock.lastCall[0][0].karpenter.requirements).toEqual([
      { key: INSTANCE_FAMILY_KEY, operator: 'In', values: ['c6i', 'm7i'] },
    ]);
  });

  it('checks pools as the request schema does', () => {
    const karpenter = {
      name: 'karp0',
      type: 'karpenter' as const,
      karpenter: {
        requirements: [
          {
            key: INSTANCE_FAMILY_KEY,
            operator: 'In' as const,
            values: ['m6i'],
          },
        ],
        limits: { cpu: '100' },
      },
    };
    expect(nodePoolProblems([karpenter])).toEqual([]);
    expect(
      nodePoolProblems([
        {
          ...karpenter,
          maxSize: 20,
          karpenter: { ...karpenter.karpenter, limits: { cpu: 'lots' } },
        },
      ]),
    ).toEqual([
      '[0].karpenter.limits.cpu: "lots" is not a Kubernetes quantity such as 1000',
      '[0].maxSize: Karpenter pools choose instances and size themselves; use instance families and limits',
    ]);
    expect(
      nodePoolProblems([
        {
          name: 'a',
          type: 'asg',
          instanceType: 'm6i.xlarge',
          minSize: 1,
          maxSize: 3,
        },
      ])[0],
    ).toMatch(/^\[0\]\.name: .*5 to 20 lowercase letters/);
    expect(nodePoolProblems([])).toEqual(['add at least one node pool']);
  });
});
