import { fireEvent, screen, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { captureDownloads } from '../../__testUtils__/captureDownloads';
import { EntityClusterTopologyCard } from './TopologyCard';
import { renderCard } from '../../__testUtils__/renderCard';
import {
  clusterDetailResponse,
  emptyClusterDetailResponse,
  staleClusterDetailResponse,
} from '../../__fixtures__/clusterDetail';

const twentyPools = structuredClone(clusterDetailResponse);
twentyPools.topology.nodePools = Array.from({ length: 20 }, (_, i) => ({
  name: `pool-${String(i).padStart(2, '0')}`,
  kind: 'asg' as const,
  availabilityZones: ['eu-west-1a', 'eu-west-1b', 'eu-west-1c'],
  subnetIds: [`subnet-priv${i % 3}`],
  instances: i + 1,
}));
twentyPools.nodePools = [];

describe('EntityClusterTopologyCard', () => {
  it('shows progress while loading', async () => {
    await renderCard(
      <EntityClusterTopologyCard />,
      () => new Promise(() => {}),
    );
    expect(screen.getByTestId('progress')).toBeInTheDocument();
  });

  it('draws the account and region, the VPC, zones, subnets, gateways, load balancers, pools and the API, with a legend', async () => {
    await renderCard(
      <EntityClusterTopologyCard />,
      async () => clusterDetailResponse,
    );
    const diagram = await screen.findByRole('group', {
      name: /Network of cluster pay01/,
    });
    const button = (name: string | RegExp) =>
      within(diagram).getAllByRole('button', { name });
    expect(
      button('AWS account payments-prod (123456789012), region eu-west-1'),
    ).toHaveLength(1);
    expect(
      button('VPC vpc-0a1b2c3d4e5f60001 (managed) 10.20.0.0/16'),
    ).toHaveLength(1);
    expect(
      within(diagram).getByText('Availability zone eu-west-1c'),
    ).toBeInTheDocument();
    expect(
      button(
        'Public subnet 10.20.0.0/20 in eu-west-1a, 4,080 of 4,091 addresses free',
      ),
    ).toHaveLength(1);
    expect(button(/^ENI pod subnet 100\.64\.0\.0\/18/)).toHaveLength(1);
    expect(button('NAT gateway nat-00')).toHaveLength(1);
    expect(button('Internet gateway igw-0a1b2c3d4e5f60001')).toHaveLength(1);
    // A load balancer in each subnet it has an interface in.
    expect(
      button(
        'Load balancer k8s-kubesyst-ingressn-abc123: NLB internal → kube-system/ingress-nginx',
      ),
    ).toHaveLength(3);
    expect(
      button(/^Node pool general in eu-west-1. \(asg, 2 of 6 nodes\)$/),
    ).toHaveLength(3);
    expect(
      button('Kubernetes API https://api.pay01.example.com:443 (public)'),
    ).toHaveLength(1);
    expect(
      button('Transit gateway tgw-0123456789abcdef0, routes 10.0.0.0/8'),
    ).toHaveLength(1);
    expect(
      button('Peering with vpc-0feedfacecafe0001, routes 172.31.0.0/16'),
    ).toHaveLength(1);
    const legend = screen.getByRole('list', { name: 'Legend' });
    expect(within(legend).getByText('ENI pod subnet')).toBeInTheDocument();
  });

  it('draws labels at 12 px or more, at their natural size', async () => {
    await renderCard(<EntityClusterTopologyCard />, async () => twentyPools);
    const diagram = await screen.findByRole('group', { name: /Network/ });
    expect(diagram.getAttribute('width')).toBe(
      diagram.getAttribute('viewBox')!.split(' ')[2],
    );
    const sizes = [...diagram.querySelectorAll('text')].map(t =>
      Number(t.getAttribute('font-size')),
    );
    expect(sizes.length).toBeGreaterThan(60);
    expect(Math.min(...sizes)).toBeGreaterThanOrEqual(12);
    expect(
      within(diagram).getAllByRole('button', { name: / nodes\)$/ }),
    ).toHaveLength(20);
  });

  it('shows a clicked box’s details with tags and an AWS console link', async () => {
    await renderCard(
      <EntityClusterTopologyCard />,
      async () => clusterDetailResponse,
    );
    fireEvent.click(
      await screen.findByRole('button', {
        name: /^Private subnet 10\.20\.64\.0\/20/,
      }),
    );
    const details = screen.getByRole('region', { name: 'Details' });
    expect(within(details).getByText('subnet-priv0')).toBeInTheDocument();
    expect(
      within(details).getByText('tag kubernetes.io/role/internal-elb:'),
    ).toBeInTheDocument();
    expect(
      within(details).getByRole('link', { name: 'Open in the AWS console' }),
    ).toHaveAttribute(
      'href',
      'https://eu-west-1.console.aws.amazon.com/vpcconsole/home?region=eu-west-1#SubnetDetails:subnetId=subnet-priv0',
    );
  });

  it('opens details from the keyboard: Tab to a box, Enter', async () => {
    await renderCard(
      <EntityClusterTopologyCard />,
      async () => clusterDetailResponse,
    );
    const nat = await screen.findByRole('button', {
      name: 'NAT gateway nat-01',
    });
    nat.focus();
    expect(nat).toHaveFocus();
    await userEvent.keyboard('{Enter}');
    const details = screen.getByRole('region', { name: 'Details' });
    expect(within(details).getByText('203.0.113.11')).toBeInTheDocument();
    expect(nat).toHaveAttribute('aria-pressed', 'true');
    await userEvent.click(
      within(details).getByRole('button', { name: 'Close details' }),
    );
    expect(screen.queryByRole('region', { name: 'Details' })).toBeNull();
  });

  it('opens a full-screen view and downloads the diagram as SVG', async () => {
    const created = captureDownloads();
    await renderCard(
      <EntityClusterTopologyCard />,
      async () => clusterDetailResponse,
    );
    await userEvent.click(
      await screen.findByRole('button', { name: 'Download SVG' }),
    );
    expect(created).toHaveLength(1);
    const svg = await created[0].text();
    expect(svg).toMatch(/^<\?xml/);
    expect(svg).toContain('xmlns="http://www.w3.org/2000/svg"');
    expect(svg).toContain('Public 10.20.0.0/20');

    await userEvent.click(screen.getByRole('button', { name: 'Full screen' }));
    const dialog = screen.getByRole('dialog');
    expect(
      within(dialog).getByRole('group', { name: /Network of cluster pay01/ }),
    ).toBeInTheDocument();
    await userEvent.click(
      within(dialog).getByRole('button', { name: 'Close full screen' }),
    );
  });

  it('shows an empty state when the network is not known', async () => {
    await renderCard(
      <EntityClusterTopologyCard />,
      async () => emptyClusterDetailResponse,
    );
    expect(await screen.findByText('No topology known')).toBeInTheDocument();
  });

  it('shows the error', async () => {
    await renderCard(<EntityClusterTopologyCard />, async () => {
      throw new Error('backend unreachable');
    });
    expect(await screen.findAllByText(/backend unreachable/)).not.toHaveLength(
      0,
    );
  });

  it('warns of stale data', async () => {
    await renderCard(
      <EntityClusterTopologyCard />,
      async () => staleClusterDetailResponse,
    );
    expect(
      await screen.findByText(/Data may be out of date/),
    ).toBeInTheDocument();
    expect(
      await screen.findByRole('button', { name: 'NAT gateway nat-00' }),
    ).toBeInTheDocument();
  });
});
