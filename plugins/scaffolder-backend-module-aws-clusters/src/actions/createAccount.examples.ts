import { TemplateExample } from '@backstage/plugin-scaffolder-node';
import yaml from 'yaml';

export const examples: TemplateExample[] = [
  {
    description:
      'Create a staging account for the payments team in its organizational unit (or reuse the one with that e-mail)',
    example: yaml.stringify({
      steps: [
        {
          id: 'create',
          action: 'clusterdeck:account:create',
          name: 'Create the AWS account',
          input: {
            name: 'payments-staging',
            email: 'aws+payments-staging@example.com',
            organizationalUnit: 'ou-ab12-cd34ef56',
            environment: 'staging',
            owner: 'group:default/payments',
            accessModel: 'audited-no-access',
            regions: ['eu-west-1'],
          },
        },
      ],
    }),
  },
];
