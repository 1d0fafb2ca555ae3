import { AuthorizeResult, isResourcePermission, PolicyDecision } from '@backstage/plugin-permission-common';
import { PermissionPolicy, PolicyQuery, PolicyQueryUser } from '@backstage/plugin-permission-node';
import { AWS_CLUSTER_RESOURCE_TYPE } from '@clusterdeck/plugin-aws-clusters-common';
import { awsClusterConditions, createAwsClusterConditionalDecision } from './rules';

/**
 * A permission policy for Clusterdeck: admin groups see every cluster, everyone else the
 * clusters their user and groups own. Other permissions are allowed, as Backstage's default.
 * @public
 */
export class ClusterdeckPermissionPolicy implements PermissionPolicy {
  constructor(private readonly adminGroups: string[]) {}

  async handle(request: PolicyQuery, user?: PolicyQueryUser): Promise<PolicyDecision> {
    if (isResourcePermission(request.permission, AWS_CLUSTER_RESOURCE_TYPE)) {
      const claims = user?.info.ownershipEntityRefs ?? [];
      if (claims.some(ref => this.adminGroups.includes(ref))) {
        return { result: AuthorizeResult.ALLOW };
      }
      return createAwsClusterConditionalDecision(request.permission, awsClusterConditions.isOwnedBy({ claims }));
    }
    return { result: AuthorizeResult.ALLOW };
  }
}
