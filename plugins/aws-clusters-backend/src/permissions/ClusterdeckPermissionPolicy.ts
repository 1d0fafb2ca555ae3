import {
  AuthorizeResult,
  isResourcePermission,
  PolicyDecision,
} from '@backstage/plugin-permission-common';
import {
  PermissionPolicy,
  PolicyQuery,
  PolicyQueryUser,
} from '@backstage/plugin-permission-node';
import {
  AWS_CLUSTER_RESOURCE_TYPE,
  awsClustersPermissions,
} from '@clusterdeck/plugin-aws-clusters-common';
import {
  awsClusterConditions,
  createAwsClusterConditionalDecision,
} from '@clusterdeck/plugin-aws-clusters-node';

const clusterdeckPermissionNames = new Set(
  awsClustersPermissions.map(p => p.name),
);

/**
 * Clusterdeck's rules as a permission policy: members of the admin groups may do everything;
 * everyone else may read, request, reserve addresses for, change and apply the clusters their
 * user and groups own, and nothing else of Clusterdeck's (accounts, administration). Permissions
 * of other plugins are allowed, as Backstage's allow-all policy does; a platform team with its
 * own policy delegates Clusterdeck's permissions to this one or writes the same rules into its own.
 * @public
 */
export class ClusterdeckPermissionPolicy implements PermissionPolicy {
  constructor(private readonly adminGroups: ReadonlyArray<string>) {}

  async handle(
    request: PolicyQuery,
    user?: PolicyQueryUser,
  ): Promise<PolicyDecision> {
    if (!clusterdeckPermissionNames.has(request.permission.name))
      return { result: AuthorizeResult.ALLOW };
    const claims = user?.info.ownershipEntityRefs ?? [];
    if (claims.some(ref => this.adminGroups.includes(ref)))
      return { result: AuthorizeResult.ALLOW };
    if (isResourcePermission(request.permission, AWS_CLUSTER_RESOURCE_TYPE)) {
      return createAwsClusterConditionalDecision(
        request.permission,
        awsClusterConditions.isOwnedBy({ claims }),
      );
    }
    return { result: AuthorizeResult.DENY };
  }
}
