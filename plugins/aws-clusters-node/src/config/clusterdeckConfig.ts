import { Config } from '@backstage/config';
import {
  ACCESS_MODELS,
  ACCOUNT_ENVIRONMENTS,
  awsClusterReadPermission,
  awsClustersPermissions,
  cidrAllocationReadPermission,
  entityRefSchema,
  formatPath,
  isIpv4Cidr,
  ISOLATION_FINDING_CODES,
} from '@clusterdeck/plugin-aws-clusters-common';
import { z } from 'zod';

/**
 * Blocks under `clusterdeck` that belong to the scaffolder, catalog and AWS Config modules, which
 * check them with their own readers.
 * @public
 */
export const MODULE_CONFIG_BLOCKS = [
  'guardrails',
  'gitops',
  'organizationAccess',
  'accountBootstrap',
  'apply',
  'catalog',
  'awsConfig',
] as const;

const entityRef = entityRefSchema(['group', 'user']);
const duration = z.strictObject({
  milliseconds: z.number().optional(),
  seconds: z.number().optional(),
  minutes: z.number().optional(),
  hours: z.number().optional(),
});

const accountSchema = z.strictObject({
  id: z.string().regex(/^\d{12}$/, { error: 'must be exactly 12 digits' }),
  name: z.string().min(1),
  environment: z.enum(ACCOUNT_ENVIRONMENTS),
  owners: z.array(entityRef).default([]),
  accessModel: z.enum(ACCESS_MODELS),
  regions: z.array(z.string()).min(1),
  /** The account's service quotas per region where raised above AWS's defaults (5 VPCs, 5 Elastic IPs). */
  quotas: z
    .strictObject({
      vpcs: z.int().min(1).optional(),
      elasticIps: z.int().min(1).optional(),
      onDemandVcpus: z.int().min(1).optional(),
    })
    .optional(),
  /** The role Clusterdeck assumes to read the account; else `aws.accounts` decides. */
  roleArn: z.string().optional(),
  externalId: z.string().optional(),
});

const managementClusterSchema = z.strictObject({
  name: z.string().min(1),
  region: z.string(),
  accountId: z
    .string()
    .regex(/^\d{12}$/, { error: 'must be exactly 12 digits' }),
  /** The environment whose clusters it runs (as the request form shows it); else its own account's. */
  environment: z.string().min(1).optional(),
  baseDomain: z.string().optional(),
  kubernetes: z
    .strictObject({
      url: z.string().url(),
      caData: z.string().optional(),
      caFile: z.string().optional(),
      /** The read-only credential the collector lists with. */
      serviceAccountToken: z.string().optional(),
      /**
       * The credential `clusterdeck:manifests:apply` writes with, bound to a role that may only
       * apply the kinds Clusterdeck renders in organization namespaces. Without it, nothing is applied.
       */
      applyServiceAccountToken: z.string().optional(),
      /** `aws`: authenticate with an EKS token for `eksClusterName`, signed with the account's credentials. */
      authProvider: z.enum(['serviceAccount', 'aws']).default('serviceAccount'),
      eksClusterName: z.string().optional(),
      skipTLSVerify: z.boolean().default(false),
    })
    .optional(),
});

const accountIdSchema = z
  .string()
  .regex(/^\d{12}$/, { error: 'must be exactly 12 digits' });
const releasesPerManagementCluster = z
  .record(
    z.string(),
    z.array(
      z.string().regex(/^\d+\.\d+\.\d+(-[0-9A-Za-z.-]+)?$/, {
        error: 'must be a release version such as 31.1.0',
      }),
    ),
  )
  .optional();
const referencesSchema = z.strictObject({
  /** EC2 (cluster-aws) releases per management cluster without `aws-*` Release objects. */
  releases: releasesPerManagementCluster,
  /** EKS (cluster-eks) releases per management cluster without `eks-*` Release objects. */
  eksReleases: releasesPerManagementCluster,
  eksVersions: z
    .array(
      z.string().regex(/^\d+\.\d+$/, {
        error: 'must be a Kubernetes minor version such as 1.33',
      }),
    )
    .optional(),
  zones: z.record(z.string(), z.array(z.string())).optional(),
  transitGateways: z
    .record(
      accountIdSchema,
      z.array(
        z.strictObject({
          id: z.string().regex(/^tgw-([0-9a-f]{8}|[0-9a-f]{17})$/, {
            error: 'must be a transit gateway id',
          }),
          name: z.string().optional(),
          region: z.string().optional(),
          ownerAccountId: accountIdSchema.optional(),
        }),
      ),
    )
    .optional(),
});

const isoDay = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, {
  error: 'must be a day such as 2026-07-29',
});
const supportDatesSchema = z.strictObject({
  releasedOn: isoDay.optional(),
  /** The last day of standard support. */
  endOfStandardSupport: isoDay,
  /** The last day of extended support (EKS), where there is one. */
  endOfExtendedSupport: isoDay.optional(),
});
const minorVersion = z.string().regex(/^\d+\.\d+$/, {
  error: 'must be a Kubernetes minor version such as 1.33',
});

/** `clusterdeck.versionSupport`: the support calendar, over EKS's published one. */
const versionSupportSchema = z.strictObject({
  /** Days before the end of a support phase from which a version is shown as ending soon. */
  warnDays: z.int().min(0).max(730).optional(),
  /** Per Kubernetes minor: dates that override or extend EKS's calendar. */
  kubernetes: z.record(minorVersion, supportDatesSchema).optional(),
  /** Per cluster-aws release: its support dates and the Kubernetes minor it runs. */
  releases: z
    .record(
      z.string().regex(/^\d+\.\d+\.\d+(-[0-9A-Za-z.-]+)?$/, {
        error: 'must be a release version such as 31.1.0',
      }),
      supportDatesSchema.extend({ kubernetesVersion: minorVersion.optional() }),
    )
    .optional(),
});

/** `clusterdeck.connect`: how people reach a cluster's API. Nothing here is secret. */
const connectSchema = z.strictObject({
  /** The role each owning group assumes for EKS clusters (`aws eks update-kubeconfig --role-arn`), per group reference. */
  eksAccessRoles: z
    .record(
      entityRef,
      z.string().regex(/^arn:[a-z-]+:iam::\d{12}:role\/.+$/, {
        error: 'must be an IAM role ARN',
      }),
    )
    .optional(),
  /**
   * The login command for Cluster API (EC2) clusters, with placeholders `{name}`, `{namespace}`,
   * `{managementCluster}`, `{organization}`, `{region}`, `{accountId}`, `{apiEndpoint}` and
   * `{baseDomain}`; for example an OIDC login (`kubectl gs login {managementCluster} --workload-cluster {name}`).
   */
  capiLoginCommand: z.string().min(1).optional(),
  /** A link to the platform's own guide on connecting, shown under the commands. */
  documentationUrl: z.string().url().optional(),
});

/** `clusterdeck.cost`: what each cluster costs, read from Cost Explorer once a day. */
const costSchema = z.strictObject({
  /** The payer (management) account Cost Explorer is asked in; credentials from the `aws` block. */
  payerAccountId: accountIdSchema,
  /** A role to assume in the payer account instead of what `aws.accounts` gives. */
  roleArn: z.string().optional(),
  /** The cost-allocation tag that names a cluster; it must be activated in the payer account. */
  tagKey: z.string().min(1).max(128).default('giantswarm.io/cluster'),
  /** Cost Explorer's cost metric. */
  metric: z
    .enum(['UnblendedCost', 'AmortizedCost', 'NetAmortizedCost', 'BlendedCost'])
    .default('UnblendedCost'),
  /** Whole months before the current one that are read and kept. */
  months: z.int().min(1).max(12).default(3),
  /** How often the costs are read (Cost Explorer updates them about once a day and charges per request). */
  frequency: duration.default({ hours: 24 }),
});

const cidrPoolSchema = z.strictObject({
  name: z.string().regex(/^[a-z0-9][-a-z0-9]*$/),
  cidr: z.string().refine(isIpv4Cidr, { error: 'must be an IPv4 CIDR block' }),
  prefixLength: z.int().min(16).max(28),
  /** Accounts the pool serves; all when absent. */
  accounts: z.array(z.string()).optional(),
  /** This pool's cap on reservations an owner holds that no cluster uses (else `cidrReservations`). */
  maxUnattachedPerOwner: z.int().min(1).max(1000).optional(),
  /** This pool's cap on the blocks one cluster holds that count as used by it (else `cidrReservations`). */
  maxPerCluster: z.int().min(1).max(64).optional(),
  description: z.string().optional(),
});

/**
 * Default caps on calls in flight. AWS throttles API calls per account (and region), so the cap
 * per account stays polite; the overall cap only bounds this process's sockets and memory, and
 * lets a fleet of a hundred accounts be read in parallel.
 * @public
 */
export const DEFAULT_AWS_LIMITS = {
  concurrency: 128,
  concurrencyPerAccount: 4,
  concurrencyPerManagementCluster: 4,
  callTimeoutMs: 20_000,
} as const;

/**
 * Services allowed by default: the catalog module lists the fleet, and the scaffolder module
 * checks names and CIDRs across the fleet (its refusals never name what the user cannot see).
 * @public
 */
export const DEFAULT_SERVICE_GRANTS: ServiceGrant[] = [
  { subject: 'plugin:catalog', allow: [awsClusterReadPermission.name] },
  {
    subject: 'plugin:scaffolder',
    allow: [awsClusterReadPermission.name, cidrAllocationReadPermission.name],
  },
];

const knownPermission = z
  .string()
  .refine(
    name => name === '*' || awsClustersPermissions.some(p => p.name === name),
    {
      error: `must be * or one of ${awsClustersPermissions
        .map(p => p.name)
        .join(', ')}`,
    },
  );

const serviceGrantSchema = z.strictObject({
  /**
   * The service principal's subject: `plugin:<pluginId>` for another backend plugin; for an
   * external-access token, the subject `backend.auth.externalAccess` gives it (a static token's
   * `subject` as configured, `external:<...>` for JWKS and legacy tokens).
   */
  subject: z.string().regex(/^\S+$/, {
    error: 'must be a service subject such as plugin:catalog or ci-bot',
  }),
  allow: z.array(knownPermission),
});

/** @public What one service principal may do (`clusterdeck.permissions.services[]`). */
export interface ServiceGrant {
  subject: string;
  allow: string[];
}

const hours = z
  .number()
  .positive()
  .max(24 * 365);

/** A finding code the platform team accepts for some accounts or environments (all when neither is given). */
const acceptedFindingSchema = z.strictObject({
  code: z.enum(ISOLATION_FINDING_CODES),
  accounts: z
    .array(z.string().regex(/^\d{12}$/, { error: 'must be exactly 12 digits' }))
    .optional(),
  environments: z.array(z.enum(ACCOUNT_ENVIRONMENTS)).optional(),
  /** Why it is accepted, for the people reading the configuration. */
  reason: z.string().optional(),
});

/** @public How long a node pool may run short of its desired size before its cluster is degraded. */
export const DEFAULT_POOL_SHORTFALL_GRACE = { minutes: 15 } as const;

/** @public A duration of the configuration (`{ minutes: 15 }`) in milliseconds. */
export function durationMs(d: {
  milliseconds?: number;
  seconds?: number;
  minutes?: number;
  hours?: number;
}): number {
  return (
    (d.milliseconds ?? 0) +
    (d.seconds ?? 0) * 1000 +
    (d.minutes ?? 0) * 60_000 +
    (d.hours ?? 0) * 3_600_000
  );
}

/** @public The schema of the `clusterdeck` configuration block, as {@link readClusterdeckConfig} checks it. */
export const clusterdeckConfigSchema = z.strictObject({
  adminGroups: z.array(entityRef).default([]),
  /** Grants of service principals; users are decided by the permission policy. */
  permissions: z
    .strictObject({
      services: z.array(serviceGrantSchema).default(DEFAULT_SERVICE_GRANTS),
      /**
       * Who reads the catalog's workload-cluster entities under Clusterdeck's policy: their
       * owners and admins (`owners`, the default), or every catalog reader (`everyone`).
       */
      catalogClusterEntities: z.enum(['owners', 'everyone']).optional(),
    })
    .default({ services: DEFAULT_SERVICE_GRANTS }),
  /** Limits on CIDR reservations, for every pool unless the pool sets its own cap. */
  cidrReservations: z
    .strictObject({
      /** Reservations an owner may hold per pool that no requested or reported cluster uses. */
      maxUnattachedPerOwner: z.int().min(1).max(1000).default(3),
      /** Hours after which a reservation no cluster ever used is released. */
      unattachedExpiryHours: hours.default(24),
      /** Hours after a cluster is gone from the fleet (and not requested) before its block is released. */
      releaseAfterGoneHours: hours.default(24 * 7),
      /** Blocks of a pool one cluster holds that count as used by it; more count as unattached (default 2). */
      maxPerCluster: z.int().min(1).max(64).optional(),
      /** Hours a requested cluster its management cluster never reports holds its blocks (default 168). */
      requestExpiryHours: hours.optional(),
    })
    .default({
      maxUnattachedPerOwner: 3,
      unattachedExpiryHours: 24,
      releaseAfterGoneHours: 24 * 7,
    }),
  accounts: z.array(accountSchema).default([]),
  managementClusters: z.array(managementClusterSchema).default([]),
  /** Organization name → owning group, for clusters without an owner annotation. */
  organizations: z.record(z.string(), entityRef).default({}),
  cidrPools: z.array(cidrPoolSchema).default([]),
  /**
   * What cluster requests may name that the fleet's sources do not read: platform releases per
   * management cluster, EKS versions, availability zones per region, and transit gateways per
   * account (besides those the fleet's VPCs are attached to). A list not given is not checked.
   */
  references: referencesSchema.optional(),
  /**
   * Which live sources run when there is no snapshot: AWS for the configured accounts, and the
   * management clusters that have a `kubernetes` block. Off where modules add their own sources.
   */
  sources: z
    .strictObject({
      aws: z.boolean().default(true),
      kubernetes: z.boolean().default(true),
    })
    .default({ aws: true, kubernetes: true }),
  // Optional rather than defaulted, so that configurations built in code need not spell them out.
  /** Isolation findings the platform team accepts, per code and account or environment. */
  findings: z
    .strictObject({ accepted: z.array(acceptedFindingSchema).default([]) })
    .optional(),
  /** How cluster statuses are judged. */
  status: z
    .strictObject({
      /** How long a pool may have fewer instances in service than desired before its cluster is degraded (default 15 minutes). */
      poolShortfallGrace: duration.optional(),
    })
    .optional(),
  /** Read the fleet from recorded snapshots in this folder instead of AWS and the clusters. */
  snapshot: z
    .strictObject({
      directory: z.string(),
      /** Replays a recorded provisioning of one of the snapshot's clusters on a timer (the demo). */
      replayProvisioning: z
        .strictObject({
          /** `<managementCluster>/<namespace>/<name>` of an EC2 (AWSCluster) cluster of the snapshot. */
          cluster: z.string().regex(/^[^/]+\/[^/]+\/[^/]+$/, {
            error: 'must be <managementCluster>/<namespace>/<name>',
          }),
          stepSeconds: z.number().positive().default(15),
          /** Starts over this long after the cluster is ready; once only when absent. */
          repeatAfterSeconds: z.number().positive().optional(),
        })
        .optional(),
    })
    .optional(),
  /** Management-cluster watches between refreshes (default on). */
  watch: z.strictObject({ enabled: z.boolean().default(true) }).optional(),
  /** Notifications of cluster events, checked by the backend plugin's notifier. */
  notifications: z.unknown().optional(),
  refresh: z
    .strictObject({
      frequency: duration.default({ minutes: 5 }),
      timeout: duration.default({ minutes: 3 }),
    })
    .default({ frequency: { minutes: 5 }, timeout: { minutes: 3 } }),
  limits: z
    .strictObject({
      /** Concurrent AWS calls in all. */
      concurrency: z
        .int()
        .min(1)
        .max(256)
        .default(DEFAULT_AWS_LIMITS.concurrency),
      /** Concurrent AWS calls per account. */
      concurrencyPerAccount: z
        .int()
        .min(1)
        .max(64)
        .default(DEFAULT_AWS_LIMITS.concurrencyPerAccount),
      /** Concurrent management-cluster list calls per cluster. */
      concurrencyPerManagementCluster: z
        .int()
        .min(1)
        .max(64)
        .default(DEFAULT_AWS_LIMITS.concurrencyPerManagementCluster),
      /** Time allowed for one call to AWS or a management cluster. */
      callTimeoutMs: z
        .int()
        .min(100)
        .max(600_000)
        .default(DEFAULT_AWS_LIMITS.callTimeoutMs),
    })
    .default({ ...DEFAULT_AWS_LIMITS }),
  /** The Kubernetes and cluster-aws support calendar (EKS's published dates by default). */
  versionSupport: versionSupportSchema.optional(),
  /** How people connect to clusters: EKS access roles per team, the login command of EC2 clusters. */
  connect: connectSchema.optional(),
  /** Cost per cluster and team from AWS Cost Explorer; off when absent. */
  cost: costSchema.optional(),
  // Blocks read and checked by the scaffolder and catalog modules.
  ...Object.fromEntries(
    MODULE_CONFIG_BLOCKS.map(key => [key, z.unknown().optional()]),
  ),
});

/** @public Clusterdeck's configuration, checked and with defaults applied. */
export type ClusterdeckConfig = z.output<typeof clusterdeckConfigSchema>;
/** @public One AWS account as configured. */
export type ConfiguredAccount = ClusterdeckConfig['accounts'][number];
/** @public One management cluster as configured. */
export type ConfiguredManagementCluster =
  ClusterdeckConfig['managementClusters'][number];
/** @public One CIDR pool as configured. */
export type ConfiguredCidrPool = ClusterdeckConfig['cidrPools'][number];

/**
 * Reads the `clusterdeck` configuration block. Throws an error naming every bad key, so that a
 * misconfigured backend refuses to start rather than serving half a fleet.
 * @public
 */
export function readClusterdeckConfig(config: Config): ClusterdeckConfig {
  const raw = config.getOptional('clusterdeck') ?? {};
  const parsed = clusterdeckConfigSchema.safeParse(raw);
  if (!parsed.success) {
    const lines = parsed.error.issues.map(
      issue => `clusterdeck.${formatPath(issue.path)}: ${issue.message}`,
    );
    throw new Error(`Invalid clusterdeck configuration:\n${lines.join('\n')}`);
  }
  const unknownAccounts = acceptedForUnknownAccounts(parsed.data);
  if (unknownAccounts.length)
    throw new Error(
      `Invalid clusterdeck configuration:\n${unknownAccounts.join('\n')}`,
    );
  return parsed.data;
}

/** Accepted findings that name an account clusterdeck.accounts does not list: they would never apply. */
function acceptedForUnknownAccounts(config: ClusterdeckConfig): string[] {
  const known = new Set(config.accounts.map(a => a.id));
  return (config.findings?.accepted ?? []).flatMap((rule, i) =>
    (rule.accounts ?? []).flatMap((id, j) =>
      known.has(id)
        ? []
        : [
            `clusterdeck.findings.accepted[${i}].accounts[${j}]: ${id} is not an account of clusterdeck.accounts, so the acceptance would never apply`,
          ],
    ),
  );
}
