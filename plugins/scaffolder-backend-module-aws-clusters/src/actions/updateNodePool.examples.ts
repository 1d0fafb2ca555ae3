import { TemplateExample } from '@backstage/plugin-scaffolder-node';
import yaml from 'yaml';

export const examples: TemplateExample[] = [
  {
    description:
      "Raise a pool's maximum in the cluster's files fetched from the GitOps repository, then propose it as a pull request",
    example: yaml.stringify({
      steps: [
        {
          id: 'fetch',
          action: 'clusterdeck:gitops:fetch',
          input: { cluster: '${{ parameters.cluster }}' },
        },
        {
          id: 'update',
          action: 'clusterdeck:nodePool:update',
          name: 'Change the node pool',
          input: {
            cluster: '${{ parameters.cluster }}',
            operation: 'change',
            pool: {
              name: '${{ parameters.pool }}',
              minSize: '${{ parameters.minSize }}',
              maxSize: '${{ parameters.maxSize }}',
            },
          },
        },
      ],
    }),
  },
  {
    description: 'Add a tainted spot pool',
    example: yaml.stringify({
      steps: [
        {
          id: 'update',
          action: 'clusterdeck:nodePool:update',
          input: {
            cluster: 'mc-eu-prod/org-payments/pay-prod',
            operation: 'add',
            pool: {
              name: 'batch0',
              type: 'asg',
              instanceType: 'c6i.2xlarge',
              minSize: 0,
              maxSize: 10,
              spot: { enabled: true },
              taints: [{ key: 'example.com/batch', effect: 'NoSchedule' }],
            },
          },
        },
      ],
    }),
  },
];
