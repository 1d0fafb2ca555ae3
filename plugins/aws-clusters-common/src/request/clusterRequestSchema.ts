import { z } from 'zod';
import { CLUSTERDECK_API_VERSION } from '../constants';
import { isIpv4Cidr } from '../cidr/cidr';
import { entityRefSchema } from '../entityRefs';
import {
  dns1123SubdomainProblem,
  labelValueProblem,
  qualifiedNameProblem,
} from './kubernetesSyntax';

const CLUSTER_NAME = /^[a-z]([-a-z0-9]*[a-z0-9])?$/;
const ORGANIZATION = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;
const NODE_POOL_NAME = /^[a-z0-9][-a-z0-9]{3,18}[a-z0-9]$/;
const REGION = /^[a-z]{2}(-gov|-iso[a-z]*)?-[a-z]+-\d$/;
const INSTANCE_TYPE = /^[a-z][a-z0-9-]*\.[a-z0-9-]+$/;
const VPC_ID = /^vpc-([0-9a-f]{8}|[0-9a-f]{17})$/;
const SUBNET_ID = /^subnet-([0-9a-f]{8}|[0-9a-f]{17})$/;
const TGW_ID = /^tgw-([0-9a-f]{8}|[0-9a-f]{17})$/;
const PREFIX_LIST_ID = /^pl-([0-9a-f]{8}|[0-9a-f]{17})$/;
const SEMVER = /^\d+\.\d+\.\d+(-[0-9A-Za-z.-]+)?$/;
// EKS names versions major.minor (1.33), as AWSManagedControlPlane accepts them; EC2 clusters
// need the patch too (checked in validateClusterRequest, which knows the flavor).
const KUBERNETES_VERSION = /^v?\d+\.\d+(\.\d+)?$/;
const QUANTITY = /^\d+(\.\d+)?(m|k|M|G|T|P|E|Ki|Mi|Gi|Ti|Pi|Ei)?$/;

/** @public The default pod network of overlay mode. */
export const DEFAULT_POD_CIDR = '100.64.0.0/12';
/** @public The default Kubernetes service network. */
export const DEFAULT_SERVICE_CIDR = '172.31.0.0/16';

const cidr = () =>
  z.string().refine(isIpv4Cidr, {
    error: issue =>
      `"${String(
        issue.input,
      )}" is not an IPv4 CIDR block (such as 10.0.0.0/16) without host bits`,
  });

const pattern = (re: RegExp, what: string) =>
  z
    .string()
    .regex(re, { error: issue => `"${String(issue.input)}" is not ${what}` });

const labels = () =>
  z.record(z.string(), z.string()).superRefine((map, ctx) => {
    for (const [key, value] of Object.entries(map)) {
      const problem = qualifiedNameProblem(key) ?? labelValueProblem(value);
      if (problem) {
        ctx.addIssue({ code: 'custom', path: [key], message: problem });
      }
    }
  });

// Tags the controllers own; Karpenter refuses node classes that set them.
const RESERVED_TAG_PREFIXES = [
  'kubernetes.io/cluster',
  'sigs.k8s.io/cluster-api-provider-aws/',
  'karpenter.sh/',
  'karpenter.k8s.aws/ec2nodeclass',
  'eks:',
];

const awsTags = () =>
  z.record(z.string(), z.string()).superRefine((map, ctx) => {
    for (const [key, value] of Object.entries(map)) {
      if (key.length < 1 || key.length > 128) {
        ctx.addIssue({
          code: 'custom',
          path: [key],
          message: 'AWS tag keys are 1 to 128 characters',
        });
      } else if (key.toLowerCase().startsWith('aws:')) {
        ctx.addIssue({
          code: 'custom',
          path: [key],
          message: "AWS tag keys must not start with 'aws:'",
        });
      } else if (RESERVED_TAG_PREFIXES.some(prefix => key.startsWith(prefix))) {
        ctx.addIssue({
          code: 'custom',
          path: [key],
          message:
            'this tag is set by Kubernetes, CAPA or Karpenter; choose another key',
        });
      } else if (value.length > 256) {
        ctx.addIssue({
          code: 'custom',
          path: [key],
          message: 'AWS tag values are at most 256 characters',
        });
      }
    }
  });

const taintSchema = z.strictObject({
  key: z.string().superRefine((key, ctx) => {
    const problem = qualifiedNameProblem(key);
    if (problem) ctx.addIssue({ code: 'custom', message: problem });
  }),
  value: z
    .string()
    .optional()
    .superRefine((value, ctx) => {
      const problem =
        value === undefined ? undefined : labelValueProblem(value);
      if (problem) ctx.addIssue({ code: 'custom', message: problem });
    }),
  effect: z.enum(['NoSchedule', 'PreferNoSchedule', 'NoExecute'], {
    error: 'must be one of NoSchedule, PreferNoSchedule, NoExecute',
  }),
});

const karpenterRequirementSchema = z
  .strictObject({
    key: z.string().superRefine((key, ctx) => {
      const problem = qualifiedNameProblem(key);
      if (problem) ctx.addIssue({ code: 'custom', message: problem });
    }),
    operator: z.enum(['In', 'NotIn', 'Exists', 'DoesNotExist', 'Gt', 'Lt'], {
      error: 'must be one of In, NotIn, Exists, DoesNotExist, Gt, Lt',
    }),
    values: z.array(z.string()).max(100).optional(),
    minValues: z.int().min(1).max(50).optional(),
  })
  .superRefine((req, ctx) => {
    const values = req.values ?? [];
    if (
      (req.operator === 'In' || req.operator === 'NotIn') &&
      values.length === 0
    ) {
      ctx.addIssue({
        code: 'custom',
        path: ['values'],
        message: `operator ${req.operator} needs at least one value`,
      });
    }
    if (
      (req.operator === 'Exists' || req.operator === 'DoesNotExist') &&
      values.length > 0
    ) {
      ctx.addIssue({
        code: 'custom',
        path: ['values'],
        message: `operator ${req.operator} takes no values`,
      });
    }
    if (
      (req.operator === 'Gt' || req.operator === 'Lt') &&
      (values.length !== 1 || !/^\d+$/.test(values[0]))
    ) {
      ctx.addIssue({
        code: 'custom',
        path: ['values'],
        message: `operator ${req.operator} takes exactly one non-negative integer`,
      });
    }
    if (req.minValues !== undefined && values.length < req.minValues) {
      ctx.addIssue({
        code: 'custom',
        path: ['minValues'],
        message: `needs at least ${req.minValues} values listed`,
      });
    }
  });

const nodePoolSchema = z.strictObject({
  name: pattern(
    NODE_POOL_NAME,
    "a node pool name: 5 to 20 lowercase letters, digits and '-', starting and ending with a letter or digit",
  ),
  type: z.enum(['asg', 'karpenter', 'managed'], {
    error: 'must be one of asg, karpenter, managed',
  }),
  instanceType: pattern(
    INSTANCE_TYPE,
    'an EC2 instance type such as m6i.xlarge',
  ).optional(),
  instanceTypeOverrides: z
    .array(pattern(INSTANCE_TYPE, 'an EC2 instance type such as m6i.xlarge'))
    .max(20)
    .default([]),
  minSize: z.int().min(0).max(1000).optional(),
  maxSize: z.int().min(1).max(1000).optional(),
  spot: z
    .strictObject({
      enabled: z.boolean(),
      maxPrice: z.number().positive().optional(),
      onDemandBaseCapacity: z.int().min(0).optional(),
      onDemandPercentageAboveBaseCapacity: z.int().min(0).max(100).optional(),
    })
    .default({ enabled: false }),
  availabilityZones: z.array(z.string()).max(6).default([]),
  rootVolumeSizeGB: z.int().min(8).max(16384).optional(),
  labels: labels().default({}),
  taints: z.array(taintSchema).max(50).default([]),
  karpenter: z
    .strictObject({
      requirements: z.array(karpenterRequirementSchema).max(100).default([]),
      limits: z
        .strictObject({
          cpu: pattern(
            QUANTITY,
            'a Kubernetes quantity such as 1000',
          ).optional(),
          memory: pattern(
            QUANTITY,
            'a Kubernetes quantity such as 1000Gi',
          ).optional(),
        })
        .default({}),
    })
    .optional(),
});

const vpcSchema = z.discriminatedUnion(
  'mode',
  [
    z.strictObject({
      mode: z.literal('create'),
      cidr: cidr(),
      extraCidrs: z.array(cidr()).max(4).default([]),
    }),
    z.strictObject({
      mode: z.literal('adopt'),
      id: pattern(VPC_ID, 'a VPC id (vpc- followed by 8 or 17 hex digits)'),
      cidr: cidr().optional(),
      extraCidrs: z.array(cidr()).max(4).default([]),
    }),
  ],
  { error: 'mode must be create (with cidr) or adopt (with id)' },
);

const subnetSchema = z.strictObject({
  id: pattern(
    SUBNET_ID,
    'a subnet id (subnet- followed by 8 or 17 hex digits)',
  ).optional(),
  public: z.boolean(),
  availabilityZone: z.string(),
  cidr: cidr().optional(),
});

const topologySchema = z.discriminatedUnion(
  'mode',
  [
    z.strictObject({ mode: z.literal('none') }),
    z.strictObject({
      mode: z.literal('transitGateway'),
      transitGatewayId: pattern(
        TGW_ID,
        'a transit gateway id (tgw- followed by 8 or 17 hex digits)',
      ),
      prefixListId: pattern(
        PREFIX_LIST_ID,
        'a managed prefix list id (pl- followed by 8 or 17 hex digits)',
      ).optional(),
    }),
  ],
  { error: 'mode must be none or transitGateway (with transitGatewayId)' },
);

const cniSchema = z.discriminatedUnion(
  'mode',
  [
    z.strictObject({ mode: z.literal('overlay') }),
    z.strictObject({
      mode: z.literal('eni'),
      podSubnetCidrs: z.array(cidr()).min(1).max(3),
    }),
  ],
  { error: 'mode must be overlay or eni (with podSubnetCidrs)' },
);

/**
 * The structure of a ClusterRequest. Field-level rules live here; rules that relate fields to
 * each other live in `validateClusterRequest`.
 * @public
 */
export const clusterRequestSchema = z.strictObject({
  apiVersion: z.literal(CLUSTERDECK_API_VERSION, {
    error: `must be ${CLUSTERDECK_API_VERSION}`,
  }),
  kind: z.literal('ClusterRequest', { error: 'must be ClusterRequest' }),
  metadata: z.strictObject({
    name: z
      .string()
      .min(3, { error: 'must be at least 3 characters' })
      .max(20, { error: 'must be at most 20 characters' })
      .regex(CLUSTER_NAME, {
        error:
          "must consist of lowercase letters, digits and '-', start with a letter and end with a letter or digit",
      }),
    organization: z
      .string()
      .min(1)
      .max(57, {
        error:
          'must be at most 57 characters (the namespace org-<organization> is at most 63)',
      })
      .regex(ORGANIZATION, {
        error:
          "must consist of lowercase letters, digits and '-', and start and end with a letter or digit",
      }),
    owner: entityRefSchema(['group', 'user']),
    description: z.string().max(500).optional(),
    labels: labels().default({}),
  }),
  spec: z.strictObject({
    managementCluster: z.string().superRefine((value, ctx) => {
      const problem = dns1123SubdomainProblem(value);
      if (problem) ctx.addIssue({ code: 'custom', message: problem });
    }),
    baseDomain: z
      .string()
      .max(200)
      .superRefine((value, ctx) => {
        const problem = dns1123SubdomainProblem(value);
        if (problem || !value.includes('.')) {
          ctx.addIssue({
            code: 'custom',
            message: `"${value}" is not a DNS domain such as eu-prod.example.com`,
          });
        }
      })
      .optional(),
    release: pattern(
      SEMVER,
      'a platform release version such as 31.1.0',
    ).optional(),
    kubernetesVersion: pattern(
      KUBERNETES_VERSION,
      'a Kubernetes version such as 1.33.4 (EKS also takes 1.33)',
    ).optional(),
    flavor: z.enum(['ec2', 'eks'], { error: 'must be ec2 or eks' }),
    region: pattern(REGION, 'an AWS region name such as eu-west-1'),
    account: z.strictObject({
      id: z.string().regex(/^\d{12}$/, { error: 'must be exactly 12 digits' }),
      roleIdentity: z.string().superRefine((value, ctx) => {
        const problem = dns1123SubdomainProblem(value);
        if (problem) ctx.addIssue({ code: 'custom', message: problem });
      }),
    }),
    controlPlane: z
      .strictObject({
        instanceType: pattern(
          INSTANCE_TYPE,
          'an EC2 instance type such as m6i.xlarge',
        ).optional(),
        apiMode: z
          .enum(['public', 'private'], { error: 'must be public or private' })
          .default('public'),
        allowedCidrs: z.array(cidr()).max(50).default([]),
      })
      .default({ apiMode: 'public', allowedCidrs: [] }),
    network: z.strictObject({
      vpc: vpcSchema,
      availabilityZones: z
        .union(
          [
            z
              .int()
              .min(1, { error: 'must be a count from 1 to 3' })
              .max(3, { error: 'must be a count from 1 to 3' }),
            z
              .array(z.string())
              .min(1, { error: 'must list 1 to 3 zones' })
              .max(3, { error: 'must list 1 to 3 zones' }),
          ],
          {
            error:
              'must be a count from 1 to 3 or a list of 1 to 3 availability zone names',
          },
        )
        .default(3),
      subnets: z.array(subnetSchema).max(30).default([]),
      topology: topologySchema.default({ mode: 'none' }),
      cni: cniSchema.default({ mode: 'overlay' }),
      podCidr: cidr().default(DEFAULT_POD_CIDR),
      serviceCidr: cidr().default(DEFAULT_SERVICE_CIDR),
    }),
    nodePools: z
      .array(nodePoolSchema)
      .min(1, { error: 'needs at least one node pool' })
      .max(50),
    tags: awsTags().default({}),
  }),
});

/** @public A cluster request as written (defaults applied). */
export type ClusterRequest = z.output<typeof clusterRequestSchema>;
/** @public A cluster request as it may be written, before defaults. */
export type ClusterRequestInput = z.input<typeof clusterRequestSchema>;
/** @public One node pool of a cluster request. */
export type NodePoolSpec = ClusterRequest['spec']['nodePools'][number];
/** @public The network of a cluster request. */
export type ClusterNetworkSpec = ClusterRequest['spec']['network'];
/** @public A subnet of a cluster request. */
export type SubnetSpec = ClusterNetworkSpec['subnets'][number];
/** @public A node taint. */
export type TaintSpec = NodePoolSpec['taints'][number];
