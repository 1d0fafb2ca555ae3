import { AWS_CLUSTER_RESOURCE_TYPE } from '@clusterdeck/plugin-aws-clusters-common';
import {
  createConditionExports,
  createPermissionResourceRef,
  createPermissionRule,
} from '@backstage/plugin-permission-node';
import { z } from 'zod';
import type { ClusterRecord } from '../fleet/buildFleetModel';

/** The filter a conditional decision turns into: the owners whose clusters may be seen. */
export interface ClusterQuery {
  owners: string[];
}

/** @public The workload-cluster resource of the aws-clusters plugin. */
export const awsClusterResourceRef = createPermissionResourceRef<ClusterRecord, ClusterQuery>().with({
  pluginId: 'aws-clusters',
  resourceType: AWS_CLUSTER_RESOURCE_TYPE,
});

/** @public Allow a cluster when one of the claims (the caller's ownership refs) owns it. */
export const isOwnedBy = createPermissionRule({
  name: 'IS_OWNED_BY',
  description: 'Allow clusters owned by one of the given entity references',
  resourceRef: awsClusterResourceRef,
  paramsSchema: z.object({
    claims: z.array(z.string()).describe('Entity references of the owning users and groups'),
  }),
  apply: (cluster, { claims }) => claims.includes(cluster.owner),
  toQuery: ({ claims }) => ({ owners: claims }),
});

/** @public The rules of the workload-cluster resource. */
export const awsClusterRules = { isOwnedBy };

const { conditions, createConditionalDecision } = createConditionExports({
  resourceRef: awsClusterResourceRef,
  rules: awsClusterRules,
});

/** @public Condition factories for permission policies: `awsClusterConditions.isOwnedBy({ claims })`. */
export const awsClusterConditions = conditions;
/** @public Wraps conditions into a conditional decision for a policy. */
export const createAwsClusterConditionalDecision = createConditionalDecision;
