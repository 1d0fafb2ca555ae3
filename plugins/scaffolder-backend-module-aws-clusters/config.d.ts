type Guardrails = {
  /** AWS regions clusters may be put in. */
  regions?: string[];
  /** `ec2`, `eks` or both. */
  flavors?: Array<'ec2' | 'eks'>;
  /** Instance types, exact (`m6i.xlarge`) or with `*` wildcards (`m6i.*`, `*.large`). */
  instanceTypes?: string[];
  /** The largest `maxSize` of one node pool. */
  maxNodesPerPool?: number;
  /** The largest sum of `maxSize` over a cluster's node pools. */
  maxNodesPerCluster?: number;
  /** The API must be private, or public with an allow-list that is not 0.0.0.0/0. */
  requirePrivateApiOrAllowList?: boolean;
  /** The fewest availability zones a cluster may use. */
  minAvailabilityZones?: number;
};

export interface Config {
  clusterdeck?: {
    /** The platform team's guardrails for cluster requests. */
    guardrails?: {
      /** What holds in every environment unless the environment says otherwise. */
      defaults?: Guardrails;
      /** Per account environment. */
      environments?: {
        production?: Guardrails;
        staging?: Guardrails;
        development?: Guardrails;
        'shared-services'?: Guardrails;
      };
    };
    /** Where cluster manifests go when no Git host is used: a local Git repository. */
    gitops?: {
      /** A local Git repository (path) that `clusterdeck:gitops:*` read and commit to. */
      localRepository?: string;
      /** A folder whose files fill the local repository when Clusterdeck creates it (the demo's `examples/demo-fleet/gitops`). */
      seedDirectory?: string;
      /** The branch changes are based on. */
      defaultBranch?: string;
      /** Where a workload cluster's files live; `{managementCluster}`, `{organization}`, `{name}` are replaced. */
      clusterPath?: string;
      /** Where an account's AWSClusterRoleIdentity lives; `{managementCluster}` is replaced. */
      roleIdentityPath?: string;
      /** Where an account's catalog entry lives; `{name}` is replaced. */
      accountPath?: string;
      /** The author of commits when the user has no e-mail. */
      author?: { name: string; email: string };
    };
    /** How Clusterdeck reaches AWS Organizations to create accounts. */
    organizationAccess?: {
      /** The AWS Organizations management account; its credentials come from the `aws` block. */
      managementAccountId: string;
      /** The region of the Organizations endpoint. */
      region?: string;
      /** The role Organizations creates in new accounts and that Clusterdeck assumes there. */
      accessRoleName?: string;
      /** How long to wait for an account to be created, in minutes. */
      creationTimeoutMinutes?: number;
      /** The first wait between status polls, in seconds. */
      pollIntervalSeconds?: number;
    };
    /** How new accounts get their CAPA controller role. */
    accountBootstrap?: {
      /** The role's name; `{managementCluster}` is replaced. */
      roleName?: string;
      /** The prefix of the managed policies' names; `{managementCluster}` is replaced. */
      policyNamePrefix?: string;
      /** The AWS partition of the accounts. */
      partition?: string;
      /** The folder with the role's policy files and trusted-entities.json. */
      policyDirectory?: string;
      /** Which optional policies to attach. */
      features?: { eks?: boolean; byovpc?: boolean; resolverRules?: boolean };
      /** Per management cluster: the principal its CAPA controller runs as, and its OIDC provider. */
      managementClusters?: {
        [name: string]: {
          controllerPrincipalArn: string;
          oidcProvider?: string;
        };
      };
    };
    /** What `clusterdeck:manifests:apply` may apply. */
    apply?: {
      /**
       * The kinds applied, as `Kind.group` (`ConfigMap` for the core group), e.g.
       * `Cluster.cluster.x-k8s.io`. Only a subset of what Clusterdeck renders, which is the default.
       */
      allowedKinds?: string[];
    };
  };
}
