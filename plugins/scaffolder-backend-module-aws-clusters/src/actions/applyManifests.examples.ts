import { TemplateExample } from '@backstage/plugin-scaffolder-node';
import yaml from 'yaml';

export const examples: TemplateExample[] = [
  {
    description:
      "Apply the rendered cluster to its management cluster and wait for the Cluster's infrastructure",
    example: yaml.stringify({
      steps: [
        {
          id: 'apply',
          action: 'clusterdeck:manifests:apply',
          name: 'Apply to the management cluster',
          input: {
            managementCluster: '${{ steps.validate.output.managementCluster }}',
            path: '${{ steps.render.output.targetPath }}',
            owner: '${{ steps.validate.output.owner }}',
            waitForInfrastructureReady: true,
            timeoutSeconds: 900,
          },
        },
      ],
    }),
  },
];
