import { AWS_CLUSTER_RESOURCE_TYPE } from '@clusterdeck/plugin-aws-clusters-common';
import {
  createConditionExports,
  createPermissionResourceRef,
  createPermissionRule,
  PermissionRuleset,
} from '@backstage/plugin-permission-node';
import { z } from 'zod';

/**
 * @public What the rules of the `aws-cluster` resource look at: the owning group (and, for a
 * cluster that exists or is requested, its `<managementCluster>/<namespace>/<name>` ref).
 */
export interface AwsClusterResource {
  owner: string;
  ref?: string;
}

/** @public The filter a conditional decision turns into: the owners whose clusters are allowed. */
export interface AwsClusterQuery {
  owners: string[];
}

/** @public The workload-cluster resource of the aws-clusters plugin. */
export const awsClusterResourceRef = createPermissionResourceRef<
  AwsClusterResource,
  AwsClusterQuery
>().with({
  pluginId: 'aws-clusters',
  resourceType: AWS_CLUSTER_RESOURCE_TYPE,
});

/** @public Allow a cluster when one of the claims (the caller's ownership refs) owns it. */
export const isOwnedBy = createPermissionRule({
  name: 'IS_OWNED_BY',
  description: 'Allow clusters owned by one of the given entity references',
  resourceRef: awsClusterResourceRef,
  paramsSchema: z.object({
    claims: z
      .array(z.string())
      .describe('Entity references of the owning users and groups'),
  }),
  apply: (cluster, { claims }) => claims.includes(cluster.owner),
  toQuery: ({ claims }) => ({ owners: claims }),
});

/** @public The rules of the workload-cluster resource. */
export const awsClusterRules = { isOwnedBy };

/**
 * @public The rules as a ruleset, for evaluating conditional decisions outside the aws-clusters
 * plugin (the scaffolder module evaluates them for the owners its actions act for).
 */
export const awsClusterRuleset: PermissionRuleset<
  AwsClusterResource,
  AwsClusterQuery,
  typeof AWS_CLUSTER_RESOURCE_TYPE
> = {
  getRuleByName(name) {
    const rule = Object.values(awsClusterRules).find(r => r.name === name);
    if (!rule)
      throw new Error(
        `The aws-cluster resource has no permission rule ${name}`,
      );
    return rule;
  },
};

const { conditions, createConditionalDecision } = createConditionExports({
  resourceRef: awsClusterResourceRef,
  rules: awsClusterRules,
});

/** @public Condition factories for permission policies: `awsClusterConditions.isOwnedBy({ claims })`. */
export const awsClusterConditions = conditions;
/** @public Wraps conditions into a conditional decision for a policy. */
export const createAwsClusterConditionalDecision = createConditionalDecision;
