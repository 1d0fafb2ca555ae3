import { TemplateExample } from '@backstage/plugin-scaffolder-node';
import yaml from 'yaml';

export const examples: TemplateExample[] = [
  {
    description:
      "Render a request as a cluster-aws App into the cluster's directory of the GitOps layout, with the reserved CIDR",
    example: yaml.stringify({
      steps: [
        {
          id: 'render',
          action: 'clusterdeck:cluster:render',
          name: 'Render the manifests',
          input: {
            request: '${{ steps.validate.output.request }}',
            format: 'cluster-aws',
            targetPath: '${{ steps.validate.output.gitopsPath }}',
            vpcCidr: '${{ steps.allocate.output.vpcCidr }}',
            releaseOnFailure: '${{ steps.allocate.output.allocationIds }}',
          },
        },
      ],
    }),
  },
  {
    description:
      'Render raw Cluster API and CAPA objects into a folder of its own, without a catalog entity',
    example: yaml.stringify({
      steps: [
        {
          id: 'render',
          action: 'clusterdeck:cluster:render',
          input: {
            request: '${{ parameters.request }}',
            format: 'capi',
            targetPath: 'out/cluster',
            catalogInfo: false,
          },
        },
      ],
    }),
  },
];
