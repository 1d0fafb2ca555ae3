import {
  BackstageCredentials,
  PermissionsService,
} from '@backstage/backend-plugin-api';
import {
  AuthorizeResult,
  PolicyDecision,
} from '@backstage/plugin-permission-common';
// The tests decide with the policy the fleet backend ships, so that the actions meet the rules they meet in a portal.
// eslint-disable-next-line @backstage/no-mixed-plugin-imports
import { ClusterdeckPermissionPolicy } from '@clusterdeck/plugin-aws-clusters-backend';

/**
 * The permission framework as a backend with Clusterdeck's policy installed answers: users are
 * decided by {@link ClusterdeckPermissionPolicy} with their groups from `groups`; service
 * principals are allowed within their access restrictions, as Backstage's ServerPermissionClient
 * allows them without asking the policy; unauthenticated callers are decided by the policy
 * without a user.
 */
export function policyPermissions(options: {
  adminGroups: ReadonlyArray<string>;
  groups: Record<string, string[]>;
  /** Permissions a platform team's own policy withholds from users who are not admins: denied whatever Clusterdeck's policy says. */
  withheld?: ReadonlyArray<string>;
}): PermissionsService {
  const policy = new ClusterdeckPermissionPolicy(options.adminGroups);
  const groups = options.groups;
  const decide = async (
    permission: any,
    credentials: BackstageCredentials,
  ): Promise<PolicyDecision> => {
    const principal = credentials.principal as any;
    if (principal.type === 'service') {
      const restrictions = principal.accessRestrictions;
      const named =
        !restrictions?.permissionNames ||
        restrictions.permissionNames.includes(permission.name);
      const actions = restrictions?.permissionAttributes?.action;
      const attributed =
        !actions || actions.includes(permission.attributes?.action);
      return {
        result:
          named && attributed ? AuthorizeResult.ALLOW : AuthorizeResult.DENY,
      };
    }
    if (
      principal.type === 'user' &&
      options.withheld?.includes(permission.name) &&
      !groups[principal.userEntityRef]?.some(g =>
        options.adminGroups.includes(g),
      )
    )
      return { result: AuthorizeResult.DENY };
    const user =
      principal.type === 'user'
        ? {
            credentials,
            info: {
              userEntityRef: principal.userEntityRef,
              ownershipEntityRefs: groups[principal.userEntityRef] ?? [
                principal.userEntityRef,
              ],
            },
          }
        : undefined;
    return policy.handle({ permission }, user as any);
  };
  return {
    async authorize(requests, request) {
      return Promise.all(
        requests.map(async ({ permission }) => {
          const decision = await decide(permission, request.credentials);
          // A conditional answer for one resource would be resolved by the resource's plugin; Clusterdeck's actions never ask for one.
          return {
            result:
              decision.result === AuthorizeResult.ALLOW
                ? AuthorizeResult.ALLOW
                : AuthorizeResult.DENY,
          };
        }),
      );
    },
    async authorizeConditional(requests, request) {
      return Promise.all(
        requests.map(({ permission }) =>
          decide(permission, request.credentials),
        ),
      ) as any;
    },
  };
}
