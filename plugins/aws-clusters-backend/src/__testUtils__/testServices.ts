import {
  BackendFeature,
  coreServices,
  createBackendModule,
  createServiceFactory,
} from '@backstage/backend-plugin-api';
import {
  AuthorizeResult,
  ConditionalPolicyDecision,
} from '@backstage/plugin-permission-common';
import {
  FleetSource,
  fleetSourcesExtensionPoint,
} from '@clusterdeck/plugin-aws-clusters-node';
import { ClusterdeckPermissionPolicy } from '../permissions/ClusterdeckPermissionPolicy';

/**
 * The user-info service of a test backend: each user belongs to the groups `users` lists,
 * unknown users to none.
 */
export function testUserInfo(users: Record<string, string[]>): BackendFeature {
  return createServiceFactory({
    service: coreServices.userInfo,
    deps: {},
    factory: () => ({
      async getUserInfo(credentials: any) {
        const userEntityRef = credentials.principal.userEntityRef;
        return {
          userEntityRef,
          ownershipEntityRefs: users[userEntityRef] ?? [userEntityRef],
        };
      },
    }),
  });
}

/**
 * The permission framework as the backend runs it: Clusterdeck's policy decides for users;
 * service principals are allowed within their access restrictions, as Backstage's
 * ServerPermissionClient decides them without asking the policy; nobody else is allowed.
 */
export function testPermissions(adminGroups: string[]): BackendFeature {
  return createServiceFactory({
    service: coreServices.permissions,
    deps: { userInfo: coreServices.userInfo },
    factory: ({ userInfo: info }) => {
      const policy = new ClusterdeckPermissionPolicy(adminGroups);
      const decide = async (requests: any[], options: any) =>
        Promise.all(
          requests.map(async r => {
            const principal = options.credentials.principal;
            if (principal.type === 'service') {
              const names: string[] | undefined =
                principal.accessRestrictions?.permissionNames;
              return {
                result:
                  !names || names.includes(r.permission.name)
                    ? AuthorizeResult.ALLOW
                    : AuthorizeResult.DENY,
              };
            }
            if (principal.type !== 'user')
              return { result: AuthorizeResult.DENY };
            const user = await info.getUserInfo(options.credentials);
            return policy.handle({ permission: r.permission }, {
              info: user,
            } as any) as Promise<ConditionalPolicyDecision>;
          }),
        );
      return { authorize: decide, authorizeConditional: decide } as any;
    },
  });
}

/** A backend module that adds the given sources to the aws-clusters plugin. */
export function sourcesModule(
  sources: FleetSource[],
  moduleId = 'test-sources',
) {
  return createBackendModule({
    pluginId: 'aws-clusters',
    moduleId,
    register(reg) {
      reg.registerInit({
        deps: { extension: fleetSourcesExtensionPoint },
        async init({ extension }) {
          sources.forEach(s => extension.addSource(s));
        },
      });
    },
  });
}

/** Two accounts: payments' production account and a development account shared by web and payments. */
export const TEST_ACCOUNTS = [
  {
    id: '123456789012',
    name: 'payments-prod',
    environment: 'production',
    owners: ['group:default/payments'],
    accessModel: 'audited-no-access',
    regions: ['eu-west-1'],
  },
  {
    id: '444455556666',
    name: 'development',
    environment: 'development',
    owners: ['group:default/web', 'group:default/payments'],
    accessModel: 'developer-debug',
    regions: ['eu-west-1'],
  },
];

/** A cluster request of the web team in the development account of {@link TEST_ACCOUNTS}, on management cluster mc-test. */
export function webClusterRequest(
  name: string,
  vpcCidr: string,
  description?: string,
) {
  return {
    apiVersion: 'clusterdeck.io/v1alpha1',
    kind: 'ClusterRequest',
    metadata: {
      name,
      organization: 'web',
      owner: 'group:default/web',
      ...(description ? { description } : {}),
    },
    spec: {
      managementCluster: 'mc-test',
      release: '31.1.0',
      flavor: 'ec2',
      region: 'eu-west-1',
      account: { id: '444455556666', roleIdentity: 'dev-shared' },
      network: { vpc: { mode: 'create', cidr: vpcCidr }, availabilityZones: 2 },
      nodePools: [
        {
          name: 'def00',
          type: 'asg',
          instanceType: 'm6i.large',
          minSize: 2,
          maxSize: 5,
        },
      ],
    },
  };
}
