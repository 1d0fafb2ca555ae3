import type { Entity } from '@backstage/catalog-model';
import { permissionRules } from '@backstage/plugin-catalog-backend/alpha';
import {
  catalogEntityReadPermission,
  catalogEntityRefreshPermission,
} from '@backstage/plugin-catalog-common/alpha';
import {
  AuthorizeResult,
  PermissionCriteria,
  PermissionCondition,
  PolicyDecision,
} from '@backstage/plugin-permission-common';
import type { PolicyQueryUser } from '@backstage/plugin-permission-node';
import {
  awsAccountCreatePermission,
  awsClusterCreatePermission,
  awsClusterReadPermission,
} from '@clusterdeck/plugin-aws-clusters-common';
import { ClusterdeckPermissionPolicy } from './ClusterdeckPermissionPolicy';

const policy = new ClusterdeckPermissionPolicy(['group:default/platform']);

function user(...ownershipEntityRefs: string[]): PolicyQueryUser {
  return {
    identity: {
      type: 'user',
      userEntityRef: ownershipEntityRefs[0],
      ownershipEntityRefs,
    },
    info: { userEntityRef: ownershipEntityRefs[0], ownershipEntityRefs },
    credentials: {} as any,
    token: 'token',
  } as unknown as PolicyQueryUser;
}
const WEB_LEAD = user('user:default/liam.walsh', 'group:default/web');
const ADMIN = user('user:default/nora.lind', 'group:default/platform');

/**
 * Entities as the catalog stores them (https://backstage.io/docs/features/software-catalog/descriptor-format):
 * a workload cluster as the Clusterdeck catalog module publishes it, with its ownedBy relation.
 */
function clusterEntity(name: string, owner: string): Entity {
  return {
    apiVersion: 'backstage.io/v1alpha1',
    kind: 'Resource',
    metadata: {
      name: `mc-test-${name}`,
      namespace: 'default',
      annotations: {
        'backstage.io/managed-by-location': 'clusterdeck:aws-clusters',
        'clusterdeck.io/management-cluster': 'mc-test',
        'clusterdeck.io/namespace': `org-${owner.split('/')[1]}`,
        'clusterdeck.io/cluster-name': name,
        'clusterdeck.io/account-id': '123456789012',
      },
    },
    spec: { type: 'kubernetes-cluster', owner, lifecycle: 'production' },
    relations: [{ type: 'ownedBy', targetRef: owner }],
  };
}
const PAY_PROD = clusterEntity('pay-prod', 'group:default/payments');
const WEB_DEV = clusterEntity('web-dev', 'group:default/web');
const PAYMENTS_SERVICE: Entity = {
  apiVersion: 'backstage.io/v1alpha1',
  kind: 'Component',
  metadata: { name: 'payments-api', namespace: 'default' },
  spec: {
    type: 'service',
    owner: 'group:default/payments',
    lifecycle: 'production',
  },
  relations: [{ type: 'ownedBy', targetRef: 'group:default/payments' }],
};

/** Whether an entity meets a decision's conditions, by the catalog's own permission rules. */
function allows(decision: PolicyDecision, entity: Entity): boolean {
  if (decision.result !== AuthorizeResult.CONDITIONAL)
    return decision.result === AuthorizeResult.ALLOW;
  expect(decision).toMatchObject({
    pluginId: 'catalog',
    resourceType: 'catalog-entity',
  });
  const rules = Object.values(permissionRules);
  const meets = (
    criteria: PermissionCriteria<PermissionCondition>,
  ): boolean => {
    if ('allOf' in criteria) return criteria.allOf.every(meets);
    if ('anyOf' in criteria) return criteria.anyOf.some(meets);
    if ('not' in criteria) return !meets(criteria.not);
    const rule = rules.find(r => r.name === criteria.rule);
    if (!rule) throw new Error(`the catalog has no rule ${criteria.rule}`);
    return rule.apply(entity, criteria.params as any);
  };
  return meets(decision.conditions);
}

describe('ClusterdeckPermissionPolicy', () => {
  it("lets a user read only its own teams' cluster entities of the catalog, and every other entity", async () => {
    const decision = await policy.handle(
      { permission: catalogEntityReadPermission },
      WEB_LEAD,
    );
    expect(decision.result).toBe(AuthorizeResult.CONDITIONAL);
    expect({
      'pay-prod': allows(decision, PAY_PROD),
      'web-dev': allows(decision, WEB_DEV),
      'payments-api': allows(decision, PAYMENTS_SERVICE),
    }).toEqual({ 'pay-prod': false, 'web-dev': true, 'payments-api': true });
  });

  it('leaves every cluster entity readable to catalog readers with catalogClusterEntities: everyone', async () => {
    const open = new ClusterdeckPermissionPolicy(['group:default/platform'], {
      catalogClusterEntities: 'everyone',
    });
    expect(
      await open.handle({ permission: catalogEntityReadPermission }, WEB_LEAD),
    ).toEqual({ result: AuthorizeResult.ALLOW });
  });

  it('leaves the catalog readable to services (plugins, external-access tokens)', async () => {
    expect(
      await policy.handle({ permission: catalogEntityReadPermission }),
    ).toEqual({ result: AuthorizeResult.ALLOW });
  });

  it('lets a user of no team read no cluster entity', async () => {
    const decision = await policy.handle(
      { permission: catalogEntityReadPermission },
      user('user:default/nobody'),
    );
    expect(
      [PAY_PROD, WEB_DEV, PAYMENTS_SERVICE].map(e => allows(decision, e)),
    ).toEqual([false, false, true]);
  });

  it("lets admins read every entity, and leaves the catalog's other permissions as they were", async () => {
    expect(
      await policy.handle({ permission: catalogEntityReadPermission }, ADMIN),
    ).toEqual({ result: AuthorizeResult.ALLOW });
    expect(
      await policy.handle(
        {
          permission: catalogEntityRefreshPermission,
        },
        WEB_LEAD,
      ),
    ).toEqual({ result: AuthorizeResult.ALLOW });
  });

  it("decides Clusterdeck's own permissions by ownership, and its basic ones for admins only", async () => {
    const read = await policy.handle(
      { permission: awsClusterReadPermission },
      WEB_LEAD,
    );
    expect(read).toMatchObject({
      result: AuthorizeResult.CONDITIONAL,
      conditions: {
        rule: 'IS_OWNED_BY',
        params: { claims: ['user:default/liam.walsh', 'group:default/web'] },
      },
    });
    expect(
      await policy.handle({ permission: awsClusterCreatePermission }, ADMIN),
    ).toEqual({ result: AuthorizeResult.ALLOW });
    expect(
      await policy.handle({ permission: awsAccountCreatePermission }, WEB_LEAD),
    ).toEqual({ result: AuthorizeResult.DENY });
    expect(
      await policy.handle({ permission: awsAccountCreatePermission }, ADMIN),
    ).toEqual({ result: AuthorizeResult.ALLOW });
  });
});
