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
  catalogConditions,
  createCatalogConditionalDecision,
} from '@backstage/plugin-catalog-backend/alpha';
import {
  catalogEntityReadPermission,
  RESOURCE_TYPE_CATALOG_ENTITY,
} from '@backstage/plugin-catalog-common/alpha';
import {
  AWS_CLUSTER_RESOURCE_TYPE,
  awsClustersPermissions,
  CLUSTERDECK_ANNOTATIONS,
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
 * user and groups own, and nothing else of Clusterdeck's (accounts, administration). The
 * catalog's entities of workload clusters (those with the `clusterdeck.io/cluster-name`
 * annotation) are readable only by their owners and admins, so that the catalog does not tell
 * which clusters exist (unless `catalogClusterEntities` is `everyone`). Other permissions of other plugins are allowed, as Backstage's
 * allow-all policy does; a platform team with its own policy delegates Clusterdeck's
 * permissions to this one or writes the same rules into its own.
 * @public
 */
export class ClusterdeckPermissionPolicy implements PermissionPolicy {
  /**
   * @param adminGroups - `clusterdeck.adminGroups`
   * @param options - `catalogClusterEntities: 'everyone'` leaves the catalog's cluster entities
   * readable to every catalog reader (`clusterdeck.permissions.catalogClusterEntities`)
   */
  constructor(
    private readonly adminGroups: ReadonlyArray<string>,
    private readonly options: {
      catalogClusterEntities?: 'owners' | 'everyone';
    } = {},
  ) {}

  async handle(
    request: PolicyQuery,
    user?: PolicyQueryUser,
  ): Promise<PolicyDecision> {
    const claims = user?.info.ownershipEntityRefs ?? [];
    const admin = claims.some(ref => this.adminGroups.includes(ref));
    if (
      // Users only: plugins and external-access tokens read the catalog as they did.
      user !== undefined &&
      !admin &&
      this.options.catalogClusterEntities !== 'everyone' &&
      isResourcePermission(request.permission, RESOURCE_TYPE_CATALOG_ENTITY) &&
      request.permission.name === catalogEntityReadPermission.name
    ) {
      // The fleet answers a cluster the caller may not read as one that does not exist: the
      // catalog's cluster entities must not tell either. Other entities stay readable to all.
      return createCatalogConditionalDecision(request.permission, {
        anyOf: [
          {
            not: catalogConditions.hasAnnotation({
              annotation: CLUSTERDECK_ANNOTATIONS.clusterName,
            }),
          },
          catalogConditions.isEntityOwner({ claims }),
        ],
      });
    }
    if (!clusterdeckPermissionNames.has(request.permission.name))
      return { result: AuthorizeResult.ALLOW };
    if (admin) return { result: AuthorizeResult.ALLOW };
    if (isResourcePermission(request.permission, AWS_CLUSTER_RESOURCE_TYPE)) {
      return createAwsClusterConditionalDecision(
        request.permission,
        awsClusterConditions.isOwnedBy({ claims }),
      );
    }
    return { result: AuthorizeResult.DENY };
  }
}
