import { screen } from '@testing-library/react';
import { renderCard } from '../../__testUtils__/renderCard';
import { clusterDetailResponse } from '../../__fixtures__/clusterDetail';
import { EntityConnectCard } from './ConnectCard';

describe('EntityConnectCard', () => {
  it('shows the EKS command with the team’s role and a copy button', async () => {
    const command =
      'aws eks update-kubeconfig --name pay01 --region eu-west-1 --role-arn arn:aws:iam::123456789012:role/payments-eks-access';
    await renderCard(
      <EntityConnectCard />,
      jest.fn().mockResolvedValue({
        ...clusterDetailResponse,
        connect: {
          flavor: 'eks',
          commands: [{ label: 'Add the cluster to your kubeconfig', command }],
          documentationUrl: 'https://docs.example.com/connect',
        },
      }),
    );
    expect(await screen.findByText(command)).toBeInTheDocument();
    expect(
      screen.getByRole('button', {
        name: 'Copy: Add the cluster to your kubeconfig',
      }),
    ).toBeInTheDocument();
    expect(
      screen.getByRole('link', { name: /The platform’s guide to connecting/ }),
    ).toHaveAttribute('href', 'https://docs.example.com/connect');
  });

  it('says what is missing when no command can be given', async () => {
    await renderCard(
      <EntityConnectCard />,
      jest.fn().mockResolvedValue({
        ...clusterDetailResponse,
        connect: {
          flavor: 'ec2',
          commands: [],
          missing:
            'The platform team has not configured a login command (clusterdeck.connect.capiLoginCommand).',
        },
      }),
    );
    expect(
      await screen.findByText(/has not configured a login command/),
    ).toBeInTheDocument();
    expect(screen.queryByRole('button', { name: /Copy/ })).toBeNull();
  });
});
