import { TemplateExample } from '@backstage/plugin-scaffolder-node';
import yaml from 'yaml';

export const examples: TemplateExample[] = [
  {
    description:
      'Record the validated request with its reserved CIDR, so the fleet and the catalog show the cluster as requested',
    example: yaml.stringify({
      steps: [
        {
          id: 'register',
          action: 'clusterdeck:cluster:register',
          name: 'Show the cluster as requested',
          input: {
            request: '${{ steps.validate.output.request }}',
            vpcCidr: '${{ steps.allocate.output.vpcCidr }}',
            podCidr: '${{ steps.allocate.output.podCidr }}',
          },
        },
      ],
    }),
  },
];
