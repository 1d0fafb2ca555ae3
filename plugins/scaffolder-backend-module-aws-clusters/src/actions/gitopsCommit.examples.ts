import { TemplateExample } from '@backstage/plugin-scaffolder-node';
import yaml from 'yaml';

export const examples: TemplateExample[] = [
  {
    description: "Propose a rendered cluster on a new branch of the local GitOps repository, releasing the cluster's CIDR if that fails",
    example: yaml.stringify({
      steps: [
        {
          id: 'commit',
          action: 'clusterdeck:gitops:commit',
          name: 'Propose the cluster',
          input: {
            owner: '${{ steps.validate.output.owner }}',
            branchName: 'clusterdeck/${{ steps.validate.output.name }}',
            commitMessage: 'Request cluster ${{ steps.validate.output.clusterRef }}',
            releaseOnFailure: '${{ steps.allocate.output.allocationIds }}',
          },
        },
      ],
    }),
  },
  {
    description: 'Commit one folder of the workspace to a folder of the repository, from another base branch',
    example: yaml.stringify({
      steps: [
        {
          id: 'commit',
          action: 'clusterdeck:gitops:commit',
          input: {
            owner: 'group:default/platform',
            branchName: 'clusterdeck/account-payments-prod',
            commitMessage: 'Add the role identity of payments-prod',
            sourcePath: 'out',
            targetPath: 'management-clusters/mc-eu-prod/role-identities',
            baseBranch: 'main',
          },
        },
      ],
    }),
  },
];
