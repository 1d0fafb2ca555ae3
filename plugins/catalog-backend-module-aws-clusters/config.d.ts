import { SchedulerServiceTaskScheduleDefinitionConfig } from '@backstage/backend-plugin-api';

export interface Config {
  clusterdeck?: {
    /** How the fleet appears in the catalog (the catalog module `aws-clusters`). */
    catalog?: {
      /** When the fleet is put into the catalog; every 5 minutes by default. */
      schedule?: SchedulerServiceTaskScheduleDefinitionConfig;
      /** The catalog namespace of the entities; `default` by default. */
      namespace?: string;
      /** The System every fleet entity is part of unless its environment has one, e.g. system:default/kubernetes-platform. */
      system?: string;
      /** Per account environment, the System or Domain its accounts and clusters are part of. */
      environmentSystems?: {
        production?: string;
        staging?: string;
        development?: string;
        'shared-services'?: string;
      };
      /** Per account id, the owner of the account's entity. */
      accountOwners?: { [accountId: string]: string };
      /** Which clusters to put in the catalog. */
      filters?: {
        environments?: Array<
          'production' | 'staging' | 'development' | 'shared-services'
        >;
        managementClusters?: string[];
        /** Clusters requested through a template and not yet reported; true by default. */
        includeRequested?: boolean;
      };
      /** How the Backstage Kubernetes plugin authenticates to workload clusters. */
      kubernetesAuth?: {
        /** EC2 clusters: `kubernetes.io/auth-provider` (default oidc) and `kubernetes.io/oidc-token-provider`. */
        ec2?: { authProvider?: string; oidcTokenProvider?: string };
        /** EKS clusters: `kubernetes.io/auth-provider` (default aws). */
        eks?: { authProvider?: string };
      };
    };
  };
}
