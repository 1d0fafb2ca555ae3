import type { ClusterRequestInput } from '@clusterdeck/plugin-aws-clusters-common';
import { z } from 'zod';

/** @public The lifecycle state a simulated cluster is caught in. */
export type ClusterState =
  | 'provisioned'
  | 'provisioning'
  | 'deleting'
  | 'failed';

/** @public How many nodes one pool wants and has ready; defaults follow the pool's minimum. */
export interface PoolScenario {
  desired?: number;
  ready?: number;
  /** False for a pool just added: CAPA has not made its Auto Scaling group or node group yet. */
  groupCreated?: boolean;
}

/** @public A scaling activity to record for one pool's Auto Scaling group (newest last is fine). */
export interface ActivityScenario {
  /** The pool name as in the request (`spot0`), not the group name. */
  pool: string;
  status: 'Successful' | 'Failed' | 'InProgress' | 'Cancelled';
  minutesAgo: number;
  description?: string;
  cause?: string;
  /** Why a failed activity failed, as AWS words it. */
  statusMessage?: string;
}

/** @public A load balancer a Kubernetes Service or Ingress of the cluster owns. */
export interface LoadBalancerScenario {
  name: string;
  type: 'network' | 'application' | 'classic';
  scheme: 'internet-facing' | 'internal';
  /** Who made it (default: the Kubernetes AWS cloud provider); each tags its balancers its own way. */
  controller?: 'cloud-provider' | 'aws-load-balancer-controller';
  /** `namespace/name` of the Service. */
  service?: string;
  /** The Ingress (`namespace/name`) or ingress group (its name) it serves; AWS Load Balancer Controller only. */
  ingress?: string;
}

/** @public A subnet of an adopted VPC that the cluster does not use (the network team's). */
export interface OtherSubnetScenario {
  id: string;
  cidr: string;
  availabilityZone: string;
  name: string;
}

/** @public A peering connection from the cluster's VPC to a VPC outside the fleet. */
export interface PeeringScenario {
  peerVpcId: string;
  peerCidr: string;
  peerAccountId: string;
  peerRegion?: string;
}

/** @public One cluster to simulate: a valid request and what became of it. */
export interface ClusterScenario {
  request: ClusterRequestInput;
  state: ClusterState;
  /** Days between the cluster's creation and the snapshot; derived from its name when absent. */
  ageDays?: number;
  /** Per pool name. */
  nodes?: Record<string, PoolScenario>;
  loadBalancers?: LoadBalancerScenario[];
  peering?: PeeringScenario;
  activities?: ActivityScenario[];
  /** The range of an adopted VPC whose request does not say it. */
  adoptedVpcCidr?: string;
  /** What CAPA reports for a failed cluster. */
  failureMessage?: string;
  /** Other subnets of the adopted VPC, which the cluster does not use. */
  otherSubnets?: OtherSubnetScenario[];
  /** Ranges someone let reach the API load balancer outside Cluster API (its security group). */
  apiIngressExtraCidrs?: string[];
}

/** @public An AWS account and the regions the snapshot covers. */
export interface FleetAccount {
  id: string;
  regions: string[];
}

/** @public A management cluster: where CAPA runs and the workload clusters' objects live. */
export interface FleetManagementCluster {
  name: string;
  accountId: string;
  region: string;
  baseDomain?: string;
}

/** @public An AWSClusterRoleIdentity that lets CAPA act in an account. */
export interface FleetRoleIdentity {
  name: string;
  accountId: string;
  /** The IAM role's name; the identity's name when absent. */
  roleName?: string;
  /** Namespaces allowed to use it; absent means every namespace (`allowedNamespaces: {}`). */
  allowedNamespaces?: string[];
  /** Management clusters that hold it; all when absent. */
  managementClusters?: string[];
}

/** @public A transit gateway, listed by its owner and by the accounts it is shared with through RAM. */
export interface FleetTransitGateway {
  id: string;
  name: string;
  ownerAccountId: string;
  region: string;
  /** Accounts the owner shares it with (a RAM resource share they accepted). */
  sharedWith?: string[];
}

/** @public A Giant Swarm release (`Release` named `aws-<version>`) on the management clusters. */
export interface FleetRelease {
  version: string;
  /** The Release's `spec.state` (default `active`). */
  state?: 'active' | 'deprecated' | 'preview' | 'wip';
  /** Management clusters that hold it; all when absent. */
  managementClusters?: string[];
}

/** @public A Kubernetes version EKS offers, as DescribeClusterVersions reports it. */
export interface FleetEksVersion {
  version: string;
  status: 'STANDARD_SUPPORT' | 'EXTENDED_SUPPORT' | 'UNSUPPORTED';
}

/** @public Everything `simulateFleet` needs: accounts, management clusters and cluster scenarios. */
export interface FleetDefinition {
  /** The moment the snapshot is taken (ISO); a fixed date keeps output reproducible. */
  now?: string;
  /** Mixed into every generated id. */
  seed?: string;
  accounts: FleetAccount[];
  managementClusters: FleetManagementCluster[];
  roleIdentities: FleetRoleIdentity[];
  /** Giant Swarm organizations; each gets an Organization object on every management cluster. */
  organizations: string[];
  clusters: ClusterScenario[];
  /** Transit gateways AWS reports to their owners and to the accounts they are shared with. */
  transitGateways?: FleetTransitGateway[];
  /** Releases the management clusters offer; none (no Release objects) when absent. */
  releases?: FleetRelease[];
  /** Kubernetes versions EKS offers; nothing recorded when absent. */
  eksVersions?: FleetEksVersion[];
}

/** @public The fixed moment demo and generated fleets are taken at. */
export const DEFAULT_SNAPSHOT_TIME = '2026-11-01T00:00:00.000Z';

const accountId = z
  .string()
  .regex(/^\d{12}$/, { error: 'must be a 12-digit account id' });

const scenarioFields = {
  state: z.enum(['provisioned', 'provisioning', 'deleting', 'failed']),
  ageDays: z.number().nonnegative().optional(),
  nodes: z
    .record(
      z.string(),
      z.strictObject({
        desired: z.int().min(0).optional(),
        ready: z.int().min(0).optional(),
        groupCreated: z.boolean().optional(),
      }),
    )
    .optional(),
  loadBalancers: z
    .array(
      z
        .strictObject({
          name: z.string().regex(/^[a-zA-Z0-9][-a-zA-Z0-9]{0,31}$/, {
            error: 'must be a load balancer name (up to 32 letters, digits, -)',
          }),
          type: z.enum(['network', 'application', 'classic']),
          scheme: z.enum(['internet-facing', 'internal']),
          controller: z
            .enum(['cloud-provider', 'aws-load-balancer-controller'])
            .optional(),
          service: z
            .string()
            .regex(/^[a-z0-9-]+\/[a-z0-9-]+$/, {
              error: 'must be namespace/name',
            })
            .optional(),
          ingress: z
            .string()
            .regex(/^[a-z0-9-]+(\/[a-z0-9-]+)?$/, {
              error: 'must be namespace/name or an ingress group name',
            })
            .optional(),
        })
        .refine(lb => !!lb.service !== !!lb.ingress, {
          error: 'needs either service or ingress',
        })
        .refine(
          lb => !lb.ingress || lb.controller === 'aws-load-balancer-controller',
          {
            error:
              'only the AWS Load Balancer Controller makes load balancers for ingresses',
          },
        ),
    )
    .optional(),
  peering: z
    .strictObject({
      peerVpcId: z.string(),
      peerCidr: z.string(),
      peerAccountId: accountId,
      peerRegion: z.string().optional(),
    })
    .optional(),
  activities: z
    .array(
      z.strictObject({
        pool: z.string(),
        status: z.enum(['Successful', 'Failed', 'InProgress', 'Cancelled']),
        minutesAgo: z.number().nonnegative(),
        description: z.string().optional(),
        cause: z.string().optional(),
        statusMessage: z.string().optional(),
      }),
    )
    .optional(),
  adoptedVpcCidr: z.string().optional(),
  failureMessage: z.string().optional(),
  otherSubnets: z
    .array(
      z.strictObject({
        id: z
          .string()
          .regex(/^subnet-[0-9a-f]{8,17}$/, { error: 'must be a subnet id' }),
        cidr: z.string(),
        availabilityZone: z.string(),
        name: z.string(),
      }),
    )
    .optional(),
  apiIngressExtraCidrs: z.array(z.string()).optional(),
};

/**
 * The shape of a fleet file (such as `examples/demo-fleet/fleet.yaml`): a definition whose
 * scenarios give their request inline (`request`) or as a path relative to the file (`requestFile`).
 * Requests themselves are checked later, by the renderer, with dotted-path problems.
 * @public
 */
export const fleetFileSchema = z.strictObject({
  now: z.string().optional(),
  seed: z.string().optional(),
  accounts: z
    .array(
      z.strictObject({ id: accountId, regions: z.array(z.string()).min(1) }),
    )
    .min(1),
  managementClusters: z.array(
    z.strictObject({
      name: z.string(),
      accountId,
      region: z.string(),
      baseDomain: z.string().optional(),
    }),
  ),
  roleIdentities: z.array(
    z.strictObject({
      name: z.string(),
      accountId,
      roleName: z.string().optional(),
      allowedNamespaces: z.array(z.string()).optional(),
      managementClusters: z.array(z.string()).optional(),
    }),
  ),
  organizations: z.array(z.string()),
  transitGateways: z
    .array(
      z.strictObject({
        id: z.string().regex(/^tgw-([0-9a-f]{8}|[0-9a-f]{17})$/, {
          error: 'must be a transit gateway id',
        }),
        name: z.string(),
        ownerAccountId: accountId,
        region: z.string(),
        sharedWith: z.array(accountId).optional(),
      }),
    )
    .optional(),
  releases: z
    .array(
      z.strictObject({
        version: z.string().regex(/^\d+\.\d+\.\d+(-[0-9A-Za-z.-]+)?$/, {
          error: 'must be a release version such as 31.1.0',
        }),
        state: z.enum(['active', 'deprecated', 'preview', 'wip']).optional(),
        managementClusters: z.array(z.string()).optional(),
      }),
    )
    .optional(),
  eksVersions: z
    .array(
      z.strictObject({
        version: z.string().regex(/^\d+\.\d+$/, {
          error: 'must be a Kubernetes minor version such as 1.33',
        }),
        status: z.enum(['STANDARD_SUPPORT', 'EXTENDED_SUPPORT', 'UNSUPPORTED']),
      }),
    )
    .optional(),
  clusters: z.array(
    z.union([
      z.strictObject({
        request: z.record(z.string(), z.unknown()),
        ...scenarioFields,
      }),
      z.strictObject({ requestFile: z.string(), ...scenarioFields }),
    ]),
  ),
});

/** @public A fleet file as parsed, before request files are read. */
export type FleetFile = z.output<typeof fleetFileSchema>;
