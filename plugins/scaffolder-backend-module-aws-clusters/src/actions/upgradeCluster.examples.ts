import { TemplateExample } from '@backstage/plugin-scaffolder-node';
import yaml from 'yaml';

export const examples: TemplateExample[] = [
  {
    description:
      'Upgrades a cluster-aws cluster to a newer release the platform team offers, after clusterdeck:gitops:fetch',
    example: yaml.stringify({
      steps: [
        {
          id: 'upgrade',
          action: 'clusterdeck:cluster:upgrade',
          name: 'Upgrade the cluster',
          input: {
            cluster: 'mc-eu-prod/org-payments/pay-prod',
            target: '32.0.0',
          },
        },
      ],
    }),
  },
  {
    description:
      'Upgrades an EKS cluster described by its request to the next minor',
    example: yaml.stringify({
      steps: [
        {
          id: 'upgrade',
          action: 'clusterdeck:cluster:upgrade',
          name: 'Upgrade the cluster',
          input: { cluster: 'mc-eu-dev/org-web/web-eks', target: '1.33' },
        },
      ],
    }),
  },
];
