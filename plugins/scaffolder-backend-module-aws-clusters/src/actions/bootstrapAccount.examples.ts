import { TemplateExample } from '@backstage/plugin-scaffolder-node';
import yaml from 'yaml';

export const examples: TemplateExample[] = [
  {
    description:
      'Give the management cluster mc-eu-prod its CAPA controller role in the account the previous step created',
    example: yaml.stringify({
      steps: [
        {
          id: 'bootstrap',
          action: 'clusterdeck:account:bootstrap',
          name: 'Create the CAPA controller role',
          input: {
            accountId: '${{ steps.create.output.accountId }}',
            accountName: '${{ steps.create.output.accountName }}',
            managementCluster: 'mc-eu-prod',
            owner: 'group:default/payments',
            environment: 'staging',
            accessModel: 'audited-no-access',
            regions: '${{ steps.create.output.regions }}',
            targetPath: 'gitops',
          },
        },
      ],
    }),
  },
  {
    description: 'Bootstrap an existing account with a known external id',
    example: yaml.stringify({
      steps: [
        {
          id: 'bootstrap',
          action: 'clusterdeck:account:bootstrap',
          name: 'Create or update the CAPA controller role',
          input: {
            accountId: '123456789012',
            accountName: 'payments-prod',
            managementCluster: 'mc-eu-prod',
            owner: 'group:default/payments',
            environment: 'production',
            accessModel: 'audited-no-access',
            externalId: 'payments-prod-mc-eu-prod',
          },
        },
      ],
    }),
  },
];
