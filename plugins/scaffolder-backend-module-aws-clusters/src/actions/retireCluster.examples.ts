import { TemplateExample } from '@backstage/plugin-scaffolder-node';
import yaml from 'yaml';

export const examples: TemplateExample[] = [
  {
    description:
      'Retire a production cluster: its name typed again, its directory removed on a change branch for review',
    example: yaml.stringify({
      steps: [
        {
          id: 'fetch',
          action: 'clusterdeck:gitops:fetch',
          input: { cluster: 'mc-eu-prod/org-web/web-canary' },
        },
        {
          id: 'retire',
          action: 'clusterdeck:cluster:retire',
          input: {
            cluster: 'mc-eu-prod/org-web/web-canary',
            confirmName: 'web-canary',
            reason: 'replaced by web-prod',
          },
        },
        {
          id: 'publish',
          action: 'clusterdeck:gitops:commit',
          input: {
            owner: '${{ steps.retire.output.owner }}',
            cluster: '${{ steps.retire.output.clusterName }}',
            change: '${{ steps.retire.output.change }}',
            remove: '${{ steps.retire.output.removedPaths }}',
            commitMessage: '${{ steps.retire.output.title }}',
          },
        },
      ],
    }),
  },
];
