import { fireEvent, screen, waitFor, within } from '@testing-library/react';
import { EntityClusterTopologyCard, topologyGraph } from './TopologyCard';
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

describe('EntityClusterTopologyCard', () => {
  it('shows progress while loading', async () => {
    await renderCard(
      <EntityClusterTopologyCard />,
      () => new Promise(() => {}),
    );
    expect(screen.getByTestId('progress')).toBeInTheDocument();
  });

  it('draws account, VPC, zones, subnets, gateways, load balancers, pools, API and links, with a legend', async () => {
    await renderCard(
      <EntityClusterTopologyCard />,
      async () => clusterDetailResponse,
    );
    expect(
      await screen.findByRole('button', { name: '123456789012 · eu-west-1' }),
    ).toBeInTheDocument();
    expect(
      screen.getByRole('button', {
        name: 'vpc-0a1b2c3d4e5f60001 (10.20.0.0/16)',
      }),
    ).toBeInTheDocument();
    expect(
      screen.getByRole('button', { name: 'eu-west-1c' }),
    ).toBeInTheDocument();
    expect(
      screen.getByRole('button', {
        name: 'public 10.20.0.0/20 · 4080 of 4091 free',
      }),
    ).toBeInTheDocument();
    expect(
      screen.getByRole('button', {
        name: 'pod 100.64.0.0/18 · 15000 of 16379 free',
      }),
    ).toBeInTheDocument();
    expect(
      screen.getByRole('button', { name: 'NAT nat-00' }),
    ).toBeInTheDocument();
    expect(
      screen.getByRole('button', {
        name: 'Internet gateway igw-0a1b2c3d4e5f60001',
      }),
    ).toBeInTheDocument();
    expect(
      screen.getByRole('button', {
        name: 'network internal → kube-system/ingress-nginx',
      }),
    ).toBeInTheDocument();
    expect(
      screen.getByRole('button', { name: 'general (asg, 6 nodes)' }),
    ).toBeInTheDocument();
    expect(
      screen.getByRole('button', {
        name: 'API https://api.pay01.example.com:443 (public)',
      }),
    ).toBeInTheDocument();
    expect(
      screen.getByRole('button', { name: 'TGW tgw-0123456789abcdef0' }),
    ).toBeInTheDocument();
    expect(
      screen.getByRole('button', { name: 'Peering vpc-0feedfacecafe0001' }),
    ).toBeInTheDocument();
    const legend = screen.getByRole('list', { name: 'Legend' });
    expect(within(legend).getByText('ENI pod subnet')).toBeInTheDocument();
  });

  it('links transit gateway and peering as edges leaving the VPC', () => {
    const { edges } = topologyGraph(clusterDetailResponse.topology);
    expect(edges).toContainEqual({
      from: 'vpc:vpc-0a1b2c3d4e5f60001',
      to: 'tgw:tgw-attach-0123456789abcdef0',
      label: '10.0.0.0/8',
    });
    expect(edges).toContainEqual({
      from: 'vpc:vpc-0a1b2c3d4e5f60001',
      to: 'pcx:pcx-0123456789abcdef0',
      label: '172.31.0.0/16',
    });
    expect(edges).toContainEqual({
      from: 'subnet:subnet-priv1',
      to: 'pool:general',
    });
  });

  it('renders every node of a 3-zone cluster with 20 pools', async () => {
    await renderCard(<EntityClusterTopologyCard />, async () => twentyPools);
    await screen.findByRole('button', { name: 'pool-00 (asg, 1 nodes)' });
    const { nodes } = topologyGraph(twentyPools.topology);
    for (const n of nodes)
      expect(screen.getByRole('button', { name: n.label })).toBeInTheDocument();
    expect(
      screen.getByRole('button', { name: 'pool-19 (asg, 20 nodes)' }),
    ).toBeInTheDocument();
  });

  it('lays the graph out left to right, every node in its own place, and zooms with the wheel', async () => {
    await renderCard(<EntityClusterTopologyCard />, async () => twentyPools);
    const graph = await screen.findByRole('img', {
      name: /Cluster topology graph/,
    });
    const places = within(graph)
      .getAllByRole('button')
      .map(b => b.parentElement!.getAttribute('transform'));
    expect(new Set(places).size).toBe(places.length);
    const x = (label: string) =>
      Number(
        /translate\(([-\d.]+),/.exec(
          screen
            .getByRole('button', { name: label })
            .parentElement!.getAttribute('transform')!,
        )![1],
      );
    expect(x('123456789012 · eu-west-1')).toBeLessThan(
      x('vpc-0a1b2c3d4e5f60001 (10.20.0.0/16)'),
    );
    expect(x('vpc-0a1b2c3d4e5f60001 (10.20.0.0/16)')).toBeLessThan(
      x('pool-00 (asg, 1 nodes)'),
    );
    const layer = graph.querySelector(':scope > g')!;
    expect(layer.getAttribute('transform')).toBe('translate(0,0) scale(1)');
    fireEvent.wheel(graph, { deltaY: -200 });
    await waitFor(() =>
      expect(layer.getAttribute('transform')).not.toBe(
        'translate(0,0) scale(1)',
      ),
    );
  });

  it('shows a clicked node’s details with tags and an AWS console link', async () => {
    await renderCard(
      <EntityClusterTopologyCard />,
      async () => clusterDetailResponse,
    );
    fireEvent.click(
      await screen.findByRole('button', {
        name: 'private 10.20.64.0/20 · 3900 of 4091 free',
      }),
    );
    const details = screen.getByRole('region', { name: 'Node details' });
    expect(
      within(details).getByText('Subnet: subnet-priv0'),
    ).toBeInTheDocument();
    expect(
      within(details).getByText('tag kubernetes.io/role/internal-elb=1'),
    ).toBeInTheDocument();
    expect(
      within(details).getByRole('link', { name: 'Open in the AWS console' }),
    ).toHaveAttribute(
      'href',
      'https://eu-west-1.console.aws.amazon.com/vpcconsole/home?region=eu-west-1#SubnetDetails:subnetId=subnet-priv0',
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
      await screen.findByRole('button', { name: 'general (asg, 6 nodes)' }),
    ).toBeInTheDocument();
  });
});
