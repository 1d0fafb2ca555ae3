import { TemplateExample } from '@backstage/plugin-scaffolder-node';
import yaml from 'yaml';

export const examples: TemplateExample[] = [
  {
    description:
      'Validate a request whose VPC CIDR comes from a pool, and that it renders as cluster-aws',
    example: yaml.stringify({
      steps: [
        {
          id: 'validate',
          action: 'clusterdeck:cluster:validate',
          name: 'Check the request against the guardrails and the fleet',
          input: {
            request: {
              apiVersion: 'clusterdeck.io/v1alpha1',
              kind: 'ClusterRequest',
              metadata: {
                name: '${{ parameters.name }}',
                organization: 'payments',
                owner: '${{ parameters.owner }}',
              },
              spec: {
                managementCluster: 'mc-eu-prod',
                release: '31.1.0',
                flavor: 'ec2',
                region: 'eu-west-1',
                account: {
                  id: '${{ parameters.accountId }}',
                  roleIdentity: 'payments-prod',
                },
                controlPlane: {
                  apiMode: 'public',
                  allowedCidrs: ['203.0.113.0/24'],
                },
                network: { vpc: { mode: 'create' }, availabilityZones: 3 },
                nodePools: [
                  {
                    name: 'system',
                    type: 'asg',
                    instanceType: 'm6i.xlarge',
                    minSize: 3,
                    maxSize: 6,
                  },
                ],
              },
            },
            cidrPool: 'tgw-routed',
            format: 'cluster-aws',
          },
        },
      ],
    }),
  },
  {
    description:
      'Validate an EKS request in an adopted VPC (no CIDR to reserve)',
    example: yaml.stringify({
      steps: [
        {
          id: 'validate',
          action: 'clusterdeck:cluster:validate',
          input: {
            request: '${{ parameters.request }}',
          },
        },
      ],
    }),
  },
];
