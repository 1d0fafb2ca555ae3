import {
  AuthService,
  BackstageCredentials,
  PermissionsService,
} from '@backstage/backend-plugin-api';
import { NotAllowedError } from '@backstage/errors';
import {
  AuthorizeResult,
  BasicPermission,
  ConditionalPolicyDecision,
  ResourcePermission,
} from '@backstage/plugin-permission-common';
import { createConditionAuthorizer } from '@backstage/plugin-permission-node';
import {
  AWS_CLUSTER_RESOURCE_TYPE,
  awsClustersAdministerPermission,
} from '@clusterdeck/plugin-aws-clusters-common';
import type { ServiceGrant } from '../config/clusterdeckConfig';
import { awsClusterRuleset } from './clusterRules';

/** @public A resource permission of the `aws-cluster` resource type. */
export type AwsClusterPermission = ResourcePermission<
  typeof AWS_CLUSTER_RESOURCE_TYPE
>;

/**
 * @public Which owners a caller may act for under one permission, with a key that is the same
 * for every caller the decision treats alike (answers cached per key are safe to share).
 */
export type OwnerFilter = ((owner: string) => boolean) & { key: string };

const allowAll: OwnerFilter = Object.assign(() => true, { key: 'all' });
const denyAll: OwnerFilter = Object.assign(() => false, { key: 'none' });

/**
 * The one place Clusterdeck decides who may do what. Users are decided by the permission
 * framework (the installed policy) with their own credentials. Backstage's framework allows every
 * service principal within its access restrictions; Clusterdeck narrows that to the permissions
 * `clusterdeck.permissions.services` grants the service's subject (`plugin:<id>` for another
 * plugin, `external:<subject>` for an external-access token). Unauthenticated callers get nothing.
 * @public
 */
export class ClusterdeckAuthorizer {
  private readonly authorizeCluster =
    createConditionAuthorizer(awsClusterRuleset);

  private constructor(
    private readonly permissions: Pick<
      PermissionsService,
      'authorize' | 'authorizeConditional'
    >,
    private readonly auth: Pick<AuthService, 'isPrincipal'>,
    private readonly serviceGrants: ReadonlyArray<ServiceGrant>,
  ) {}

  static create(options: {
    permissions: Pick<PermissionsService, 'authorize' | 'authorizeConditional'>;
    auth: Pick<AuthService, 'isPrincipal'>;
    serviceGrants: ReadonlyArray<ServiceGrant>;
  }): ClusterdeckAuthorizer {
    return new ClusterdeckAuthorizer(
      options.permissions,
      options.auth,
      options.serviceGrants,
    );
  }

  /** Whether configuration lets a non-user caller ask for this permission at all. */
  private granted(
    credentials: BackstageCredentials,
    permissionName: string,
  ): boolean {
    if (this.auth.isPrincipal(credentials, 'user')) return true;
    if (!this.auth.isPrincipal(credentials, 'service')) return false;
    const grant = this.serviceGrants.find(
      g => g.subject === credentials.principal.subject,
    );
    return (
      !!grant &&
      (grant.allow.includes('*') || grant.allow.includes(permissionName))
    );
  }

  /** The owners the caller may act for under a permission of the `aws-cluster` resource type. */
  async owners(
    credentials: BackstageCredentials,
    permission: AwsClusterPermission,
  ): Promise<OwnerFilter> {
    if (!this.granted(credentials, permission.name)) return denyAll;
    const [decision] = await this.permissions.authorizeConditional(
      [{ permission }],
      { credentials },
    );
    if (decision.result === AuthorizeResult.ALLOW) return allowAll;
    if (decision.result === AuthorizeResult.DENY) return denyAll;
    return Object.assign(
      (owner: string) => this.authorizeCluster(decision, { owner }),
      {
        key: JSON.stringify((decision as ConditionalPolicyDecision).conditions),
      },
    );
  }

  /**
   * Whether the caller has a permission: a basic one, or a resource one for the clusters of
   * `owner` (a cluster that exists, or the owner a new one is requested for).
   */
  async allows(
    credentials: BackstageCredentials,
    permission: BasicPermission | AwsClusterPermission,
    owner?: string,
  ): Promise<boolean> {
    if (permission.type === 'resource') {
      if (owner === undefined)
        throw new TypeError(`${permission.name} is decided for an owner`);
      return (await this.owners(credentials, permission))(owner);
    }
    if (!this.granted(credentials, permission.name)) return false;
    const [decision] = await this.permissions.authorize([{ permission }], {
      credentials,
    });
    return decision.result === AuthorizeResult.ALLOW;
  }

  /** Like {@link ClusterdeckAuthorizer.allows}, or a NotAllowedError saying what was refused. */
  async assert(
    credentials: BackstageCredentials,
    permission: BasicPermission | AwsClusterPermission,
    target: { owner?: string; what: string },
  ): Promise<void> {
    if (await this.allows(credentials, permission, target.owner)) return;
    throw new NotAllowedError(
      `${this.nameOf(credentials)} may not ${target.what}${
        target.owner ? ` for ${target.owner}` : ''
      } (${permission.name})`,
    );
  }

  /** Who the caller is, for messages and records: a user's entity ref, a service's subject. */
  nameOf(credentials: BackstageCredentials): string {
    if (this.auth.isPrincipal(credentials, 'user'))
      return credentials.principal.userEntityRef;
    if (this.auth.isPrincipal(credentials, 'service'))
      return credentials.principal.subject;
    return 'an unauthenticated caller';
  }

  /** Whether the caller administers the fleet (`aws-clusters.fleet.administer`). */
  async isAdmin(credentials: BackstageCredentials): Promise<boolean> {
    return this.allows(credentials, awsClustersAdministerPermission);
  }
}
