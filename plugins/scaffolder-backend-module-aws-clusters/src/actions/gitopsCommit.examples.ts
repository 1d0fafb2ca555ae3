import { TemplateExample } from '@backstage/plugin-scaffolder-node';
import yaml from 'yaml';

export const examples: TemplateExample[] = [
  {
    description:
      "Propose a rendered cluster on the branch clusterdeck/<owner>/<cluster>/request of the local GitOps repository, releasing the cluster's CIDR if that fails",
    example: yaml.stringify({
      steps: [
        {
          id: 'commit',
          action: 'clusterdeck:gitops:commit',
          name: 'Propose the cluster',
          input: {
            owner: '${{ steps.validate.output.owner }}',
            cluster: '${{ steps.validate.output.name }}',
            change: 'request',
            commitMessage:
              'Request cluster ${{ steps.validate.output.clusterRef }}',
            releaseOnFailure: '${{ steps.allocate.output.allocationIds }}',
          },
        },
      ],
    }),
  },
  {
    description:
      'Propose a node pool change made by clusterdeck:nodePool:update',
    example: yaml.stringify({
      steps: [
        {
          id: 'publish',
          action: 'clusterdeck:gitops:commit',
          input: {
            owner: '${{ steps.update.output.owner }}',
            cluster: '${{ steps.update.output.clusterName }}',
            change: '${{ steps.update.output.change }}',
            commitMessage:
              '${{ steps.update.output.title }}\n\n${{ steps.update.output.description }}',
          },
        },
      ],
    }),
  },
  {
    description:
      "An administrator proposes an account's role identity and catalog entry, written under gitops/ of the workspace",
    example: yaml.stringify({
      steps: [
        {
          id: 'commit',
          action: 'clusterdeck:gitops:commit',
          input: {
            owner: 'group:default/payments',
            change: 'account-payments-prod',
            commitMessage: 'Add the role identity of payments-prod',
            sourcePath: 'gitops',
          },
        },
      ],
    }),
  },
];
