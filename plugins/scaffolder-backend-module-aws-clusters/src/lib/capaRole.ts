import {
  AttachRolePolicyCommand,
  CreatePolicyCommand,
  CreatePolicyVersionCommand,
  CreateRoleCommand,
  DeletePolicyVersionCommand,
  GetPolicyCommand,
  GetPolicyVersionCommand,
  GetRoleCommand,
  IAMClient,
  ListAttachedRolePoliciesCommand,
  ListPolicyVersionsCommand,
  Tag,
  TagRoleCommand,
  UpdateAssumeRolePolicyCommand,
} from '@aws-sdk/client-iam';
import { findReferenceDir } from '@clusterdeck/plugin-aws-clusters-node';
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import type { AccountBootstrapConfig } from '../config/moduleConfig';
import { AwsRetryOptions, isAwsError, withAwsRetry } from './awsRetry';
import { TaskCancelledError, throwIfCancelled } from './cancellation';
import { fillPattern } from './gitopsLayout';

/** @public A JSON IAM policy document. */
export type PolicyDocument = {
  Version?: string;
  Statement: Array<Record<string, any>>;
};

/**
 * The managed policies of the CAPA controller role, as Giant Swarm's Terraform module for it
 * attaches them: the policy file, the suffix of the policy's name, and the feature that decides
 * whether it is attached.
 * @public
 */
export const CAPA_POLICIES: ReadonlyArray<{
  file: string;
  suffix: string;
  when?: (f: AccountBootstrapConfig['features']) => boolean;
}> = [
  { file: 'capa-controller-policy.json', suffix: 'capa-controller-policy' },
  {
    file: 'capa-controller-vpc-policy.json',
    suffix: 'capa-controller-vpc-policy',
    when: f => !f.byovpc,
  },
  { file: 'dns-controller-policy.json', suffix: 'dns-controller-policy' },
  {
    file: 'eks-controller-policy.json',
    suffix: 'eks-controller-policy',
    when: f => f.eks,
  },
  { file: 'iam-controller-policy.json', suffix: 'iam-controller-policy' },
  { file: 'irsa-operator-policy.json', suffix: 'irsa-controller-policy' },
  {
    file: 'network-topology-operator-policy.json',
    suffix: 'network-topology-controller-policy',
  },
  {
    file: 'resolver-rules-operator-policy.json',
    suffix: 'resolver-rules-operator-policy',
    when: f => f.resolverRules,
  },
  { file: 'mc-bootstrap-policy.json', suffix: 'mc-bootstrap-policy' },
  { file: 'crossplane-policy.json', suffix: 'crossplane-policy' },
];

/** The trust policy template beside the policies. */
const TRUST_FILE = 'trusted-entities.json';

/** Where the upstream reference keeps the role's policies. */
const REFERENCE_POLICY_DIR = path.join(
  'iam',
  'giantswarm-capa-controller-role',
);

/**
 * The folder with the role's policy files: `clusterdeck.accountBootstrap.policyDirectory`, else
 * the upstream reference set beside the checkout. Throws naming the setting when neither exists.
 * @public
 */
export function resolvePolicyDirectory(configured: string | undefined): string {
  if (configured) {
    if (!fs.existsSync(path.join(configured, TRUST_FILE))) {
      throw new Error(
        `clusterdeck.accountBootstrap.policyDirectory: ${configured} holds no ${TRUST_FILE}`,
      );
    }
    return configured;
  }
  const reference = findReferenceDir();
  const dir = reference && path.join(reference, REFERENCE_POLICY_DIR);
  if (!dir || !fs.existsSync(path.join(dir, TRUST_FILE))) {
    throw new Error(
      'clusterdeck.accountBootstrap.policyDirectory is not set and the reference policies were not found; ' +
        "point it at a folder with the CAPA controller role's policy files and trusted-entities.json",
    );
  }
  return dir;
}

/** @public Everything the CAPA controller role of one account and management cluster consists of. */
export interface CapaRolePlan {
  accountId: string;
  roleName: string;
  roleArn: string;
  description: string;
  trustPolicy: PolicyDocument;
  tags: Tag[];
  policies: Array<{
    name: string;
    arn: string;
    file: string;
    document: PolicyDocument;
  }>;
}

/** @public What {@link planCapaRole} needs. */
export interface CapaRolePlanInput {
  accountId: string;
  managementCluster: string;
  externalId: string;
  owner: string;
  environment: string;
  settings: AccountBootstrapConfig;
  policyDirectory: string;
}

/**
 * The role, its trust and its policies for one account: the trust admits the management
 * cluster's controller principal with the external id (and, when the management cluster has an
 * OIDC provider, its Crossplane service accounts), the policies are read from the policy folder.
 * @public
 */
export function planCapaRole(input: CapaRolePlanInput): CapaRolePlan {
  const { settings, accountId, managementCluster } = input;
  const mc = settings.managementClusters[managementCluster];
  if (!mc) {
    throw new Error(
      `managementCluster: ${managementCluster} has no entry in clusterdeck.accountBootstrap.managementClusters ` +
        `(known: ${
          Object.keys(settings.managementClusters).join(', ') || 'none'
        })`,
    );
  }
  const values = { managementCluster };
  const roleName = fillPattern(settings.roleName, values);
  const prefix = fillPattern(settings.policyNamePrefix, values);
  const partition = settings.partition;
  const trustText = fs
    .readFileSync(path.join(input.policyDirectory, TRUST_FILE), 'utf8')
    .replaceAll('${PRINCIPAL_ARN}', mc.controllerPrincipalArn)
    .replaceAll('${AWS_ACCOUNT_ID}', accountId)
    .replaceAll('${AWS_PARTITION}', partition)
    .replaceAll('${MANAGEMENT_CLUSTER_OIDC_PROVIDER}', mc.oidcProvider ?? '');
  const template = JSON.parse(trustText) as PolicyDocument;
  const statements = template.Statement.flatMap(statement => {
    if (statement.Principal?.Federated)
      return mc.oidcProvider ? [statement] : [];
    if (statement.Principal?.AWS) {
      return [
        {
          ...statement,
          Condition: {
            ...(statement.Condition ?? {}),
            StringEquals: { 'sts:ExternalId': input.externalId },
          },
        },
      ];
    }
    return [statement];
  });
  const policies = CAPA_POLICIES.filter(
    p => !p.when || p.when(settings.features),
  ).map(p => {
    const name = `${prefix}${p.suffix}`;
    return {
      name,
      arn: `arn:${partition}:iam::${accountId}:policy/${name}`,
      file: p.file,
      document: JSON.parse(
        fs.readFileSync(path.join(input.policyDirectory, p.file), 'utf8'),
      ) as PolicyDocument,
    };
  });
  return {
    accountId,
    roleName,
    roleArn: `arn:${partition}:iam::${accountId}:role/${roleName}`,
    description: `CAPA controller role of management cluster ${managementCluster}, managed by Clusterdeck`,
    trustPolicy: { ...template, Statement: statements },
    tags: [
      { Key: 'installation', Value: managementCluster },
      { Key: 'clusterdeck.io/owner', Value: input.owner },
      { Key: 'clusterdeck.io/environment', Value: input.environment },
      { Key: 'clusterdeck.io/managed-by', Value: 'clusterdeck' },
    ],
    policies,
  };
}

/** @public The external id the role's trust asks the controller principal for, if it asks for one. */
export function externalIdOf(
  trust: PolicyDocument | undefined,
): string | undefined {
  for (const statement of trust?.Statement ?? []) {
    const value = statement.Condition?.StringEquals?.['sts:ExternalId'];
    if (typeof value === 'string') return value;
  }
  return undefined;
}

/** JSON with sorted keys, so that two documents that mean the same compare equal. */
export function canonicalJson(value: unknown): string {
  const sort = (v: unknown): unknown => {
    if (Array.isArray(v)) return v.map(sort);
    if (v && typeof v === 'object')
      return Object.fromEntries(
        Object.entries(v)
          .sort(([a], [b]) => a.localeCompare(b))
          .map(([k, x]) => [k, sort(x)]),
      );
    return v;
  };
  return JSON.stringify(sort(value));
}

function digest(value: unknown): string {
  return crypto
    .createHash('sha256')
    .update(canonicalJson(value))
    .digest('hex')
    .slice(0, 12);
}

/** IAM answers policy documents URL-encoded. */
export function decodePolicy(
  document: string | undefined,
): PolicyDocument | undefined {
  return document
    ? (JSON.parse(decodeURIComponent(document)) as PolicyDocument)
    : undefined;
}

function alreadyExists(error: unknown): boolean {
  return (
    isAwsError(error, 'EntityAlreadyExists') ||
    isAwsError(error, 'EntityAlreadyExistsException')
  );
}

/** The answer of an IAM read, or undefined when IAM has no such entity. */
async function unlessMissing<T>(
  read: () => Promise<T>,
): Promise<T | undefined> {
  try {
    return await read();
  } catch (error) {
    if (
      isAwsError(error, 'NoSuchEntity') ||
      isAwsError(error, 'NoSuchEntityException')
    )
      return undefined;
    throw error;
  }
}

/** @public One thing {@link CapaRoleReconciler} did or found. */
export interface CapaRoleChange {
  resource: string;
  change: 'created' | 'updated' | 'attached' | 'tagged' | 'unchanged';
}

/** A scaffolder checkpoint: runs `fn` once per key across a task's retries. */
export type Checkpoint = <T>(options: {
  key: string;
  fn: () => Promise<T>;
}) => Promise<T>;

/**
 * Makes the role in an account what the plan says, idempotently: what exists is compared and
 * updated (trust, tags, a new default policy version), what is missing is created and attached,
 * nothing is created twice. Every change runs in a checkpoint keyed by what it writes.
 * @public
 */
export class CapaRoleReconciler {
  /** The changes made so far (or by an earlier attempt of the task), for a cancellation to name. */
  private readonly done: string[] = [];

  constructor(
    private readonly iam: IAMClient,
    private readonly checkpoint: Checkpoint,
    private readonly retry: AwsRetryOptions = {},
    /** The account the role is in, for messages. */
    private readonly accountId = 'the account',
  ) {}

  /** Where the reconciliation stands: what a cancelled task reports. */
  private standing(): string {
    return `in account ${this.accountId}; ${
      this.done.length
        ? `done so far: ${this.done.join(', ')}`
        : 'nothing was changed yet'
    }; a retried task goes on from there`;
  }

  /**
   * Sends an IAM request, retrying throttling; stops before the request, or during a backoff,
   * once the task is cancelled (`retry.signal`), saying what was done.
   */
  private async send<T>(fn: () => Promise<T>): Promise<T> {
    throwIfCancelled(
      this.retry.signal,
      () => `before the next IAM request ${this.standing()}`,
    );
    try {
      return await withAwsRetry(fn, this.retry);
    } catch (error) {
      if (error instanceof TaskCancelledError)
        throw new TaskCancelledError(
          `while waiting to retry a throttled IAM request ${this.standing()}`,
        );
      throw error;
    }
  }

  /** Makes an IAM change once per task, whatever its retries; `done` says what it did. */
  private async writeOnce(
    key: string,
    done: string,
    call: () => Promise<unknown>,
  ): Promise<void> {
    await this.checkpoint({
      key,
      fn: async () => {
        await this.send(call);
        return {};
      },
    });
    this.done.push(done);
  }

  /**
   * Creates an IAM entity once per task; returns whether this task created it (false when it
   * existed already, e.g. made meanwhile by someone else: `EntityAlreadyExists`).
   */
  private async createOnce(
    key: string,
    done: string,
    call: () => Promise<unknown>,
  ): Promise<boolean> {
    const result = await this.checkpoint({
      key,
      fn: async () => {
        try {
          await this.send(call);
          return { created: true };
        } catch (error) {
          if (alreadyExists(error)) return { created: false };
          throw error;
        }
      },
    });
    if (result.created) this.done.push(done);
    return result.created;
  }

  /** The role's trust policy in the account: undefined when there is no such role. */
  async currentTrust(roleName: string): Promise<PolicyDocument | undefined> {
    return decodePolicy(
      (await this.getRole(roleName))?.AssumeRolePolicyDocument,
    );
  }

  async reconcile(plan: CapaRolePlan): Promise<CapaRoleChange[]> {
    const changes: CapaRoleChange[] = [];
    changes.push(...(await this.reconcileRole(plan)));
    for (const policy of plan.policies) {
      changes.push(await this.reconcilePolicy(plan, policy));
    }
    changes.push(...(await this.attach(plan)));
    return changes;
  }

  private async reconcileRole(plan: CapaRolePlan): Promise<CapaRoleChange[]> {
    const key = `${plan.accountId}:role/${plan.roleName}`;
    const existing = await this.getRole(plan.roleName);
    if (!existing) {
      const created = await this.createOnce(
        `iam-create-role:${key}`,
        `created ${plan.roleArn}`,
        () =>
          this.iam.send(
            new CreateRoleCommand({
              RoleName: plan.roleName,
              AssumeRolePolicyDocument: JSON.stringify(plan.trustPolicy),
              Description: plan.description,
              Tags: plan.tags,
            }),
          ),
      );
      if (created) return [{ resource: plan.roleArn, change: 'created' }];
    }
    const role = existing ?? (await this.getRole(plan.roleName));
    if (!role)
      throw new Error(
        `IAM reports ${plan.roleName} as existing but does not return it`,
      );
    const changes: CapaRoleChange[] = [];
    const trust = decodePolicy(role.AssumeRolePolicyDocument);
    if (canonicalJson(trust) !== canonicalJson(plan.trustPolicy)) {
      await this.writeOnce(
        `iam-trust:${key}:${digest(plan.trustPolicy)}`,
        `updated the trust policy of ${plan.roleArn}`,
        () =>
          this.iam.send(
            new UpdateAssumeRolePolicyCommand({
              RoleName: plan.roleName,
              PolicyDocument: JSON.stringify(plan.trustPolicy),
            }),
          ),
      );
      changes.push({
        resource: `${plan.roleArn} (trust policy)`,
        change: 'updated',
      });
    }
    const tags = new Map((role.Tags ?? []).map(t => [t.Key, t.Value]));
    const missing = plan.tags.filter(t => tags.get(t.Key) !== t.Value);
    if (missing.length > 0) {
      await this.writeOnce(
        `iam-tag-role:${key}:${digest(missing)}`,
        `tagged ${plan.roleArn}`,
        () =>
          this.iam.send(
            new TagRoleCommand({ RoleName: plan.roleName, Tags: missing }),
          ),
      );
      changes.push({
        resource: `${plan.roleArn} (tags ${missing
          .map(t => t.Key)
          .join(', ')})`,
        change: 'tagged',
      });
    }
    return changes.length > 0
      ? changes
      : [{ resource: plan.roleArn, change: 'unchanged' }];
  }

  private async getRole(roleName: string) {
    return unlessMissing(
      async () =>
        (
          await this.send(() =>
            this.iam.send(new GetRoleCommand({ RoleName: roleName })),
          )
        ).Role,
    );
  }

  private async reconcilePolicy(
    plan: CapaRolePlan,
    policy: CapaRolePlan['policies'][number],
  ): Promise<CapaRoleChange> {
    const current = await this.getPolicy(policy.arn);
    if (!current) {
      const created = await this.createOnce(
        `iam-create-policy:${policy.arn}`,
        `created ${policy.arn}`,
        () =>
          this.iam.send(
            new CreatePolicyCommand({
              PolicyName: policy.name,
              PolicyDocument: JSON.stringify(policy.document),
              Description: `${policy.file} of the CAPA controller role, managed by Clusterdeck`,
              Tags: plan.tags,
            }),
          ),
      );
      if (created) return { resource: policy.arn, change: 'created' };
    }
    const versionId =
      current?.DefaultVersionId ??
      (await this.getPolicy(policy.arn))?.DefaultVersionId;
    if (!versionId)
      throw new Error(
        `IAM reports ${policy.arn} as existing but names no default version`,
      );
    const version = await this.send(() =>
      this.iam.send(
        new GetPolicyVersionCommand({
          PolicyArn: policy.arn,
          VersionId: versionId,
        }),
      ),
    );
    if (
      canonicalJson(decodePolicy(version.PolicyVersion?.Document)) ===
      canonicalJson(policy.document)
    ) {
      return { resource: policy.arn, change: 'unchanged' };
    }
    await this.checkpoint({
      key: `iam-policy-version:${policy.arn}:${digest(policy.document)}`,
      fn: async () => {
        // A managed policy keeps at most five versions: the oldest one that is not the default makes room.
        const versions = await this.send(() =>
          this.iam.send(
            new ListPolicyVersionsCommand({ PolicyArn: policy.arn }),
          ),
        );
        const list = versions.Versions ?? [];
        if (list.length >= 5) {
          const oldest = list
            .filter(v => !v.IsDefaultVersion)
            .sort(
              (a, b) =>
                (a.CreateDate?.getTime() ?? 0) - (b.CreateDate?.getTime() ?? 0),
            )[0];
          if (oldest?.VersionId) {
            await this.send(() =>
              this.iam.send(
                new DeletePolicyVersionCommand({
                  PolicyArn: policy.arn,
                  VersionId: oldest.VersionId,
                }),
              ),
            );
          }
        }
        await this.send(() =>
          this.iam.send(
            new CreatePolicyVersionCommand({
              PolicyArn: policy.arn,
              PolicyDocument: JSON.stringify(policy.document),
              SetAsDefault: true,
            }),
          ),
        );
        return {};
      },
    });
    this.done.push(`a new version of ${policy.arn}`);
    return { resource: policy.arn, change: 'updated' };
  }

  private async getPolicy(arn: string) {
    return unlessMissing(
      async () =>
        (
          await this.send(() =>
            this.iam.send(new GetPolicyCommand({ PolicyArn: arn })),
          )
        ).Policy,
    );
  }

  private async attach(plan: CapaRolePlan): Promise<CapaRoleChange[]> {
    const attached = new Set<string>();
    let marker: string | undefined;
    do {
      const from = marker;
      const page = await this.send(() =>
        this.iam.send(
          new ListAttachedRolePoliciesCommand({
            RoleName: plan.roleName,
            Marker: from,
          }),
        ),
      );
      for (const p of page.AttachedPolicies ?? [])
        if (p.PolicyArn) attached.add(p.PolicyArn);
      marker = page.IsTruncated ? page.Marker : undefined;
    } while (marker);
    const changes: CapaRoleChange[] = [];
    for (const policy of plan.policies) {
      if (attached.has(policy.arn)) continue;
      await this.writeOnce(
        `iam-attach:${plan.roleArn}:${policy.arn}`,
        `attached ${policy.arn}`,
        () =>
          this.iam.send(
            new AttachRolePolicyCommand({
              RoleName: plan.roleName,
              PolicyArn: policy.arn,
            }),
          ),
      );
      changes.push({
        resource: `${policy.arn} → ${plan.roleName}`,
        change: 'attached',
      });
    }
    return changes;
  }
}
