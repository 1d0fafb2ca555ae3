import type { ClusterSummary } from '@clusterdeck/plugin-aws-clusters-common';
import { connectView } from './connectView';

const summary: ClusterSummary = {
  ref: 'mc-eu-prod/org-payments/pay-prod',
  name: 'pay-prod',
  namespace: 'org-payments',
  managementCluster: 'mc-eu-prod',
  organization: 'payments',
  owner: 'group:default/payments',
  ownerSource: 'annotation',
  accountId: '123456789012',
  region: 'eu-west-1',
  flavor: 'ec2',
  status: 'ready',
  apiEndpoint: 'https://api.pay-prod.eu-prod.example.com:443',
  apiMode: 'public',
  nodes: { desired: 3, ready: 3, min: 3, max: 6 },
  nodePools: 1,
};

describe('connectView', () => {
  it('fills every placeholder of the login command, quoted for the shell', () => {
    const view = connectView(summary, {
      capiLoginCommand:
        "kubectl gs login {managementCluster} --workload-cluster {name} --organization {organization} --endpoint {apiEndpoint} --domain {baseDomain} --note '{region} {accountId} {namespace}'",
    });
    expect(view).toEqual({
      flavor: 'ec2',
      commands: [
        {
          label: 'Log in to the cluster',
          command:
            "kubectl gs login mc-eu-prod --workload-cluster pay-prod --organization payments --endpoint https://api.pay-prod.eu-prod.example.com:443 --domain eu-prod.example.com --note 'eu-west-1 123456789012 org-payments'",
        },
      ],
    });
  });

  it('names the placeholders a cluster cannot fill yet, and says when no command is configured', () => {
    const requested = { ...summary, apiEndpoint: undefined };
    expect(
      connectView(requested, { capiLoginCommand: 'login {apiEndpoint}' })
        .missing,
    ).toBe('Not known for this cluster: {apiEndpoint}.');
    expect(connectView(summary, undefined)).toEqual({
      flavor: 'ec2',
      commands: [],
      missing:
        'The platform team has not configured a login command (clusterdeck.connect.capiLoginCommand).',
    });
  });

  it('gives EKS clusters update-kubeconfig with the owning team’s role, and only that team’s', () => {
    const eks = {
      ...summary,
      flavor: 'eks' as const,
      eksClusterName: 'search-eks',
      owner: 'group:default/search',
    };
    const connect = {
      eksAccessRoles: {
        'group:default/search':
          'arn:aws:iam::123456789012:role/search-eks-access',
        'group:default/web': 'arn:aws:iam::444455556666:role/web-eks-access',
      },
      documentationUrl: 'https://docs.example.com/connect',
    };
    expect(connectView(eks, connect)).toEqual({
      flavor: 'eks',
      commands: [
        {
          label: 'Add the cluster to your kubeconfig',
          command:
            'aws eks update-kubeconfig --name search-eks --region eu-west-1 --role-arn arn:aws:iam::123456789012:role/search-eks-access',
        },
      ],
      documentationUrl: 'https://docs.example.com/connect',
    });
    const other = connectView(
      { ...eks, owner: 'group:default/payments' },
      connect,
    );
    expect(other.commands[0].command).toBe(
      'aws eks update-kubeconfig --name search-eks --region eu-west-1',
    );
    expect(other.missing).toMatch(
      /No access role is configured for group:default\/payments/,
    );
  });
});
