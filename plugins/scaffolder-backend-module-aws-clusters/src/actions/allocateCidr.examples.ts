import { TemplateExample } from '@backstage/plugin-scaffolder-node';
import yaml from 'yaml';

export const examples: TemplateExample[] = [
  {
    description:
      "Reserve the VPC CIDR of a validated request from the pool the form's CIDR field showed",
    example: yaml.stringify({
      steps: [
        {
          id: 'allocate',
          action: 'clusterdeck:cidr:allocate',
          name: 'Reserve the VPC CIDR',
          input: {
            clusterRef: '${{ steps.validate.output.clusterRef }}',
            owner: '${{ steps.validate.output.owner }}',
            accountId: '${{ steps.validate.output.accountId }}',
            pool: 'tgw-routed',
          },
        },
      ],
    }),
  },
  {
    description:
      'ENI mode: also reserve an extra VPC CIDR for the pods and cut it into one pod subnet per zone',
    example: yaml.stringify({
      steps: [
        {
          id: 'allocate',
          action: 'clusterdeck:cidr:allocate',
          input: {
            clusterRef: '${{ steps.validate.output.clusterRef }}',
            owner: '${{ steps.validate.output.owner }}',
            accountId: '${{ steps.validate.output.accountId }}',
            pool: 'tgw-routed',
            podCidrPool: 'eni-pods',
            availabilityZones: 3,
          },
        },
      ],
    }),
  },
];
