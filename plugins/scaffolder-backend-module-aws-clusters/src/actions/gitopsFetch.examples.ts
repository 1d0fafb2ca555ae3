import { TemplateExample } from '@backstage/plugin-scaffolder-node';
import yaml from 'yaml';

export const examples: TemplateExample[] = [
  {
    description:
      "Fetch a cluster's directory from the local GitOps repository into the workspace, at the same path",
    example: yaml.stringify({
      steps: [
        {
          id: 'fetch',
          action: 'clusterdeck:gitops:fetch',
          name: "Fetch the cluster's files",
          input: { cluster: '${{ parameters.cluster }}' },
        },
      ],
    }),
  },
  {
    description:
      'Fetch a path of another branch into a folder of the workspace',
    example: yaml.stringify({
      steps: [
        {
          id: 'fetch',
          action: 'clusterdeck:gitops:fetch',
          input: {
            path: 'management-clusters/mc-eu-prod/role-identities',
            owner: 'group:default/platform',
            branch: 'main',
            targetPath: 'identities',
          },
        },
      ],
    }),
  },
];
