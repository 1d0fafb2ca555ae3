import type { z as zv3 } from 'zod/v3';

type Z = typeof zv3;

/**
 * A ClusterRequest document as the action input. The JSON schema stays loose on purpose: the
 * domain model checks the request and names every problem by its dotted path, which a JSON
 * schema failure in front of the action would not.
 */
export const clusterRequestInput = (z: Z) =>
  z
    .object({
      apiVersion: z.string().describe('clusterdeck.io/v1alpha1'),
      kind: z.string().describe('ClusterRequest'),
      metadata: z
        .object({})
        .passthrough()
        .describe(
          'name (3-20 characters), organization (namespace org-<organization>), owner (group entity ref), description, labels',
        ),
      spec: z
        .object({})
        .passthrough()
        .describe(
          'managementCluster, flavor (ec2|eks), region, account {id, roleIdentity}, controlPlane, network, nodePools, tags',
        ),
    })
    .partial()
    .passthrough()
    .describe(
      'The ClusterRequest (clusterdeck.io/v1alpha1) as the form built it; see examples/requests in the repository',
    );

/** A problem or warning at a dotted path. */
export const problemOutput = (z: Z) =>
  z.object({
    path: z
      .string()
      .describe('Dotted path of the field, e.g. spec.nodePools[1].maxSize'),
    message: z.string(),
  });

/** Allocation ids to release when this step fails, so a failed request leaves no reservation behind. */
export const releaseOnFailureInput = (z: Z) =>
  z
    .array(z.string())
    .optional()
    .describe(
      'CIDR allocation ids (clusterdeck:cidr:allocate output allocationIds) to release if this step fails',
    );

/** The render formats. */
export const formatInput = (z: Z) =>
  z
    .enum(['capi', 'cluster-aws'])
    .describe(
      'capi: Cluster API and CAPA objects; cluster-aws: an App of the cluster-aws/cluster-eks chart and its values',
    );

/** Where the request's CIDRs come from, shared by validate, allocate and render. */
export const clusterClaimInput = {
  cidrPool: (z: Z) =>
    z
      .string()
      .optional()
      .describe(
        "The CIDR pool the VPC's block is reserved from (create mode); its next free block stands in until then",
      ),
  podCidrPool: (z: Z) =>
    z
      .string()
      .optional()
      .describe(
        'ENI mode: the CIDR pool of the extra VPC CIDR the pod subnets are cut from',
      ),
};

/** The inputs of day-2 actions on one cluster's files in a GitOps checkout in the workspace. */
export const clusterFilesInputs = {
  cluster: (z: Z) =>
    z
      .string()
      .describe(
        '<managementCluster>/<namespace>/<name> of the cluster (ClusterdeckClusterPicker)',
      ),
  sourcePath: (z: Z) =>
    z
      .string()
      .optional()
      .describe(
        'Workspace directory holding the repository checkout (default: the workspace)',
      ),
  directory: (z: Z) =>
    z
      .string()
      .optional()
      .describe(
        "The cluster's directory inside the checkout (default: clusterdeck.gitops.clusterPath)",
      ),
};

/** The outputs of day-2 actions that rewrite a cluster's files in the workspace. */
export const changedFilesOutputs = {
  directory: (z: Z) =>
    z.string().describe("The cluster's directory, relative to the workspace"),
  changedFiles: (z: Z) =>
    z.array(z.string()).describe('Files rewritten, relative to the workspace'),
};

/** The reserved blocks of `clusterdeck:cidr:allocate`, replacing the request's own. */
export const allocatedCidrInputs = {
  vpcCidr: (z: Z) =>
    z
      .string()
      .optional()
      .describe(
        "The reserved VPC CIDR (clusterdeck:cidr:allocate output vpcCidr); replaces the request's",
      ),
  podCidr: (z: Z) =>
    z
      .string()
      .optional()
      .describe(
        'ENI mode: the reserved pod CIDR (clusterdeck:cidr:allocate output podCidr)',
      ),
};

/** The outputs of day-2 actions that the publish step (clusterdeck:gitops:commit or a pull request) takes. */
export const proposalOutputs = {
  title: (z: Z) => z.string().describe('A title for the pull request'),
  description: (z: Z) =>
    z.string().describe('A description for the pull request'),
  owner: (z: Z) =>
    z.string().describe("The cluster's owning group, for the publish step"),
  clusterName: (z: Z) =>
    z
      .string()
      .describe(
        "The cluster's name, for the publish step (clusterdeck:gitops:commit input cluster)",
      ),
  change: (z: Z) =>
    z
      .string()
      .describe(
        'A short name of the change, for the publish step (clusterdeck:gitops:commit input change)',
      ),
};
