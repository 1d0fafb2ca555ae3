/** One kind of cluster notification: off with `enabled: false`, and its severity. */
interface NotificationKindConfig {
  enabled?: boolean;
  severity?: 'critical' | 'high' | 'normal' | 'low';
}

export interface Config {
  /** Clusterdeck: the AWS Kubernetes fleet and its guardrails. */
  clusterdeck?: {
    /** Groups that see and act on every team's clusters, e.g. group:default/platform. */
    adminGroups?: string[];
    /**
     * Grants of service principals (users are decided by the permission policy). Default: the
     * catalog may read clusters; the scaffolder may read clusters and CIDR reservations.
     */
    permissions?: {
      services?: Array<{
        /** `plugin:<pluginId>`, or an external-access token's subject as `backend.auth.externalAccess` names it. */
        subject: string;
        /** Permission names (`aws-clusters.cluster.read`, ...) or `*`. */
        allow: string[];
      }>;
      /**
       * Who may read the catalog's workload-cluster entities under Clusterdeck's permission
       * policy: `owners` (default: their owners and the admin groups, so the catalog does not tell
       * which clusters exist) or `everyone` (every catalog reader; a cluster another team owns
       * then shows its owner and that its details are the team's).
       */
      catalogClusterEntities?: 'owners' | 'everyone';
    };
    /** Limits on CIDR reservations. */
    cidrReservations?: {
      /** Reservations an owner may hold per pool that no requested or reported cluster uses (default 3). */
      maxUnattachedPerOwner?: number;
      /** Hours after which a reservation no cluster ever used is released (default 24). */
      unattachedExpiryHours?: number;
      /** Hours a cluster may be gone from the fleet before its block is released (default 168). */
      releaseAfterGoneHours?: number;
      /**
       * Blocks of a pool one cluster of the reservation's owner holds that count as used by it
       * (default 2: the VPC and pod CIDRs); more count as unattached.
       */
      maxPerCluster?: number;
      /** Hours a requested cluster that is never reported holds its blocks (default 168). */
      requestExpiryHours?: number;
    };
    /** The AWS accounts clusters run in. Credentials come from the standard `aws` block (@backstage/integration-aws-node). */
    accounts?: Array<{
      /** The 12-digit account id. */
      id: string;
      name: string;
      environment: 'production' | 'staging' | 'development' | 'shared-services';
      /** Groups that own the account and may put clusters in it. */
      owners?: string[];
      accessModel: 'audited-no-access' | 'developer-debug' | 'platform-only';
      regions: string[];
      /** The account's service quotas per region where raised above AWS's defaults (5 VPCs, 5 Elastic IPs). */
      quotas?: { vpcs?: number; elasticIps?: number; onDemandVcpus?: number };
      /** The role Clusterdeck assumes to read the account, if not the one `aws.accounts` gives. */
      roleArn?: string;
      /** @visibility secret */
      externalId?: string;
    }>;
    /** Which live sources run unless a module replaces them (both by default). */
    sources?: { aws?: boolean; kubernetes?: boolean };
    /** The management clusters running Cluster API and CAPA. */
    managementClusters?: Array<{
      name: string;
      region: string;
      accountId: string;
      /** The environment whose clusters it runs, shown by the request form; else its own account's. */
      environment?: string;
      /** The base domain of the clusters it creates. */
      baseDomain?: string;
      /** How to reach its Kubernetes API; absent when the fleet is read from snapshots. */
      kubernetes?: {
        url: string;
        /** Base64 PEM of the API server's CA. */
        caData?: string;
        caFile?: string;
        /**
         * The read-only token the collector lists with.
         * @visibility secret
         */
        serviceAccountToken?: string;
        /**
         * The token clusterdeck:manifests:apply writes with; without it nothing is applied.
         * @visibility secret
         */
        applyServiceAccountToken?: string;
        /** serviceAccount (token) or aws (EKS token from the account's credentials). */
        authProvider?: 'serviceAccount' | 'aws';
        eksClusterName?: string;
        skipTLSVerify?: boolean;
      };
    }>;
    /** Organization name to owning group, for clusters without a clusterdeck.io/owner annotation. */
    organizations?: { [organization: string]: string };
    /** Address pools VPC CIDRs are handed out from. */
    cidrPools?: Array<{
      name: string;
      cidr: string;
      /** The size of the blocks handed out, e.g. 16 for /16s. */
      prefixLength: number;
      accounts?: string[];
      description?: string;
      /** This pool's cap on unattached reservations per owner. */
      maxUnattachedPerOwner?: number;
      /** This pool's cap on the blocks one cluster holds that count as used by it. */
      maxPerCluster?: number;
    }>;
    /**
     * What cluster requests may name that the fleet's sources do not read yet. Requests are
     * checked against these lists; a list not given is not checked. Transit gateways the fleet's
     * VPCs are attached to count as reachable from their account without being listed here.
     */
    references?: {
      /** Giant Swarm platform releases each management cluster offers to EC2 clusters (where it has no `aws-*` Release). */
      releases?: { [managementCluster: string]: string[] };
      /** Giant Swarm platform releases each management cluster offers to EKS clusters (where it has no `eks-*` Release). */
      eksReleases?: { [managementCluster: string]: string[] };
      /** Kubernetes minor versions (1.33) offered to EKS clusters. */
      eksVersions?: string[];
      /** Availability zones per region, e.g. `eu-west-1: [eu-west-1a, eu-west-1b, eu-west-1c]`. */
      zones?: { [region: string]: string[] };
      /** Transit gateways each account id can attach to (shared with it, or its own). */
      transitGateways?: {
        [accountId: string]: Array<{
          id: string;
          name?: string;
          region?: string;
          ownerAccountId?: string;
        }>;
      };
    };
    /**
     * The support calendar clusters' versions are judged by. Kubernetes minors default to Amazon
     * EKS's published calendar; entries here override or extend it. cluster-aws releases have
     * only what is listed here.
     */
    versionSupport?: {
      /** Days before the end of a support phase from which a version shows as ending soon (default 90). */
      warnDays?: number;
      /** Per Kubernetes minor (`'1.33'`): last days of standard and extended support, `YYYY-MM-DD`. */
      kubernetes?: {
        [minor: string]: {
          releasedOn?: string;
          endOfStandardSupport: string;
          endOfExtendedSupport?: string;
        };
      };
      /** Per cluster-aws release (`'31.1.0'`): its last day of support and the Kubernetes minor it runs. */
      releases?: {
        [release: string]: {
          kubernetesVersion?: string;
          releasedOn?: string;
          endOfStandardSupport: string;
          endOfExtendedSupport?: string;
        };
      };
    };
    /** How people connect to clusters (shown on the Connect card; nothing here may be secret). */
    connect?: {
      /** The IAM role each owning group assumes for its EKS clusters, by group reference. */
      eksAccessRoles?: { [group: string]: string };
      /**
       * The login command of Cluster API (EC2) clusters, with placeholders `{name}`, `{namespace}`,
       * `{managementCluster}`, `{organization}`, `{region}`, `{accountId}`, `{apiEndpoint}`, `{baseDomain}`.
       */
      capiLoginCommand?: string;
      /** The platform's own guide on connecting. */
      documentationUrl?: string;
    };
    /** Cost per cluster and team from AWS Cost Explorer, read once a day; off when absent. */
    cost?: {
      /** The payer (organization management) account Cost Explorer is asked in. */
      payerAccountId: string;
      /** A role to assume in the payer account, if not the one `aws.accounts` gives. */
      roleArn?: string;
      /** The activated cost-allocation tag naming a cluster (default `giantswarm.io/cluster`). */
      tagKey?: string;
      /** UnblendedCost (default), AmortizedCost, NetAmortizedCost or BlendedCost. */
      metric?: string;
      /** Whole months before the current one to read (default 3). */
      months?: number;
      /** How often to read (default 24 hours). */
      frequency?: {
        milliseconds?: number;
        seconds?: number;
        minutes?: number;
        hours?: number;
      };
    };
    /** Isolation findings the platform team accepts: shown as accepted, not as warnings. */
    findings?: {
      accepted?: Array<{
        /** A finding code, e.g. `adopted-vpc` or `teams-share-account`. */
        code: string;
        /** Account ids it is accepted in; with `environments`, either matches; neither: everywhere. */
        accounts?: string[];
        environments?: Array<
          'production' | 'staging' | 'development' | 'shared-services'
        >;
        reason?: string;
      }>;
    };
    /** How cluster statuses are judged. */
    status?: {
      /** How long a node pool may have fewer instances in service than desired before its cluster is degraded (default 15 minutes). */
      poolShortfallGrace?: {
        milliseconds?: number;
        seconds?: number;
        minutes?: number;
        hours?: number;
      };
    };
    /** Management-cluster watches between refreshes, on the replica holding the watch lease. */
    watch?: {
      /** Watch the management clusters (default true); false leaves only the scheduled refresh. */
      enabled?: boolean;
    };
    /**
     * Notifications (Backstage's notifications plugin) to a cluster's owning group and its
     * requester, one per cluster and kind until resolved.
     */
    notifications?: {
      /** Send notifications at all (default true). */
      enabled?: boolean;
      /** Nothing is evaluated this long after the start, so the catalog has the recipients (default 1 minute). */
      startDelay?: {
        milliseconds?: number;
        seconds?: number;
        minutes?: number;
        hours?: number;
      };
      /** How long no provisioning step may advance before the cluster is stuck (default 30 minutes). */
      stuckAfter?: {
        milliseconds?: number;
        seconds?: number;
        minutes?: number;
        hours?: number;
      };
      /** Each kind: off with `enabled: false`; `severity` critical, high, normal or low. */
      kinds?: {
        /** A cluster seen provisioning has every step done (default normal). */
        ready?: NotificationKindConfig;
        /** No provisioning step advanced for `stuckAfter` (default high). */
        stuck?: NotificationKindConfig;
        /** A provisioning step or the cluster failed (default critical). */
        failed?: NotificationKindConfig;
        /** A ready cluster turned degraded (default high). */
        degraded?: NotificationKindConfig;
        /** A node pool at its maximum size (default normal). */
        poolAtMaximum?: NotificationKindConfig;
        /** A node pool's newest scaling activity failed (default high). */
        launchesFailing?: NotificationKindConfig;
      };
    };
    refresh?: {
      frequency?: {
        milliseconds?: number;
        seconds?: number;
        minutes?: number;
        hours?: number;
      };
      timeout?: {
        milliseconds?: number;
        seconds?: number;
        minutes?: number;
        hours?: number;
      };
    };
    limits?: {
      /** Concurrent AWS calls in all. */
      concurrency?: number;
      /** Concurrent AWS calls per account. */
      concurrencyPerAccount?: number;
      /** Concurrent list calls per management cluster. */
      concurrencyPerManagementCluster?: number;
      /** Time allowed for one call, in milliseconds. */
      callTimeoutMs?: number;
    };
  };
}
