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
  TagRoleCommand,
  UpdateAssumeRolePolicyCommand,
} from '@aws-sdk/client-iam';
import {
  CreateAccountCommand,
  DescribeCreateAccountStatusCommand,
  DescribeOrganizationalUnitCommand,
  ListAccountsCommand,
  ListParentsCommand,
  ListRootsCommand,
  MoveAccountCommand,
  OrganizationsClient,
} from '@aws-sdk/client-organizations';
import { AssumeRoleCommand, STSClient } from '@aws-sdk/client-sts';
import { mockClient } from 'aws-sdk-client-mock';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parseScaffolderModuleConfig } from '../config/moduleConfig';
import { ProvisioningSessions } from '../lib/awsSessions';
import { CAPA_POLICIES } from '../lib/capaRole';
import { MODULE_CONFIG } from './fixtures';

/** An error as the SDK throws it for a service's error code. */
export function awsError(name: string, message = name): Error {
  const error = new Error(message);
  error.name = name;
  return error;
}

/** IAM keeps one account here: policies are known by name, whatever account their ARN names. */
const policyKey = (arn: string) => arn.split('/').pop()!;

/** What the organization looks like: accounts, where they sit, and creation requests. */
interface OrgState {
  root: string;
  units: Set<string>;
  accounts: Array<{
    Id: string;
    Name: string;
    Email: string;
    State: string;
    parent: string;
  }>;
  requests: Map<
    string,
    {
      email: string;
      name: string;
      polls: number;
      outcome: 'SUCCEEDED' | 'FAILED';
      failureReason?: string;
    }
  >;
}

interface IamState {
  roles: Map<
    string,
    {
      AssumeRolePolicyDocument: string;
      Tags: Array<{ Key?: string; Value?: string }>;
    }
  >;
  policies: Map<
    string,
    {
      versions: Array<{
        VersionId: string;
        Document: string;
        IsDefaultVersion: boolean;
        CreateDate: Date;
      }>;
      next: number;
    }
  >;
  attached: Map<string, Set<string>>;
}

/** Calls of one command, by the command's name. */
type Faults = Map<string, Array<Error | (() => Error)>>;

/**
 * Organizations, IAM and STS of one organization kept in memory behind aws-sdk-client-mock:
 * creations finish after a number of polls, IAM answers URL-encoded documents as IAM does, and
 * `failNext` makes the next calls of a command fail with given errors (throttling, ...).
 */
export class FakeAws {
  readonly organizations = mockClient(OrganizationsClient);
  readonly iam = mockClient(IAMClient);
  readonly sts = mockClient(STSClient);
  readonly org: OrgState = {
    root: 'r-ab12',
    units: new Set(['ou-ab12-payments1']),
    accounts: [],
    requests: new Map(),
  };
  readonly state: IamState = {
    roles: new Map(),
    policies: new Map(),
    attached: new Map(),
  };
  /** Polls a creation takes before it is done. */
  pollsToFinish = 2;
  /** The outcome of the next creation requests. */
  creationOutcome: { outcome: 'SUCCEEDED' | 'FAILED'; failureReason?: string } =
    { outcome: 'SUCCEEDED' };
  private readonly faults: Faults = new Map();
  /** Ids handed to created accounts: the example ids of the Organizations documentation. */
  private readonly freeIds = ['555555555555', '444444444444', '333333333333'];

  constructor() {
    const guard =
      <I, O>(name: string, fn: (input: I) => O) =>
      async (input: I) => {
        const queued = this.faults.get(name);
        const fault = queued?.shift();
        if (fault) throw typeof fault === 'function' ? fault() : fault;
        return fn(input);
      };
    const o = this.organizations;
    o.on(ListAccountsCommand).callsFake(
      guard('ListAccounts', () => ({
        Accounts: this.org.accounts.map(({ parent: _p, ...a }) => a),
      })),
    );
    o.on(ListRootsCommand).callsFake(
      guard('ListRoots', () => ({ Roots: [{ Id: this.org.root }] })),
    );
    o.on(DescribeOrganizationalUnitCommand).callsFake(
      guard('DescribeOrganizationalUnit', (input: any) => {
        if (!this.org.units.has(input.OrganizationalUnitId))
          throw awsError('OrganizationalUnitNotFoundException');
        return { OrganizationalUnit: { Id: input.OrganizationalUnitId } };
      }),
    );
    o.on(CreateAccountCommand).callsFake(
      guard('CreateAccount', (input: any) => {
        const id = `car-${this.org.requests.size + 1}`;
        this.org.requests.set(id, {
          email: input.Email,
          name: input.AccountName,
          polls: 0,
          ...this.creationOutcome,
        });
        return { CreateAccountStatus: { Id: id, State: 'IN_PROGRESS' } };
      }),
    );
    o.on(DescribeCreateAccountStatusCommand).callsFake(
      guard('DescribeCreateAccountStatus', (input: any) => {
        const request = this.org.requests.get(input.CreateAccountRequestId);
        if (!request) throw awsError('CreateAccountStatusNotFoundException');
        request.polls += 1;
        if (request.polls < this.pollsToFinish)
          return {
            CreateAccountStatus: {
              Id: input.CreateAccountRequestId,
              State: 'IN_PROGRESS',
            },
          };
        if (request.outcome === 'FAILED') {
          return {
            CreateAccountStatus: {
              Id: input.CreateAccountRequestId,
              State: 'FAILED',
              FailureReason: request.failureReason,
            },
          };
        }
        let account = this.org.accounts.find(a => a.Email === request.email);
        if (!account) {
          account = {
            Id: this.freeIds.shift()!,
            Name: request.name,
            Email: request.email,
            State: 'ACTIVE',
            parent: this.org.root,
          };
          this.org.accounts.push(account);
        }
        return {
          CreateAccountStatus: {
            Id: input.CreateAccountRequestId,
            State: 'SUCCEEDED',
            AccountId: account.Id,
          },
        };
      }),
    );
    o.on(ListParentsCommand).callsFake(
      guard('ListParents', (input: any) => {
        const account = this.org.accounts.find(a => a.Id === input.ChildId);
        if (!account) throw awsError('ChildNotFoundException');
        return {
          Parents: [
            {
              Id: account.parent,
              Type: account.parent.startsWith('r-')
                ? 'ROOT'
                : 'ORGANIZATIONAL_UNIT',
            },
          ],
        };
      }),
    );
    o.on(MoveAccountCommand).callsFake(
      guard('MoveAccount', (input: any) => {
        const account = this.org.accounts.find(a => a.Id === input.AccountId)!;
        if (account.parent === input.DestinationParentId)
          throw awsError('DuplicateAccountException');
        if (account.parent !== input.SourceParentId)
          throw awsError('SourceParentNotFoundException');
        account.parent = input.DestinationParentId;
        return {};
      }),
    );

    this.sts.on(AssumeRoleCommand).callsFake(
      guard('AssumeRole', () => ({
        Credentials: {
          AccessKeyId: 'ASIAIOSFODNN7EXAMPLE',
          SecretAccessKey: 'assumed-secret',
          SessionToken: 'assumed-token',
          Expiration: new Date(Date.now() + 3600_000),
        },
      })),
    );

    const i = this.iam;
    const s = this.state;
    const noRole = () => awsError('NoSuchEntity', 'The role cannot be found');
    i.on(GetRoleCommand).callsFake(
      guard('GetRole', (input: any) => {
        const role = s.roles.get(input.RoleName);
        if (!role) throw noRole();
        return { Role: { RoleName: input.RoleName, ...role } };
      }),
    );
    i.on(CreateRoleCommand).callsFake(
      guard('CreateRole', (input: any) => {
        if (s.roles.has(input.RoleName)) throw awsError('EntityAlreadyExists');
        s.roles.set(input.RoleName, {
          AssumeRolePolicyDocument: encodeURIComponent(
            input.AssumeRolePolicyDocument,
          ),
          Tags: input.Tags ?? [],
        });
        return { Role: { RoleName: input.RoleName } };
      }),
    );
    i.on(UpdateAssumeRolePolicyCommand).callsFake(
      guard('UpdateAssumeRolePolicy', (input: any) => {
        s.roles.get(input.RoleName)!.AssumeRolePolicyDocument =
          encodeURIComponent(input.PolicyDocument);
        return {};
      }),
    );
    i.on(TagRoleCommand).callsFake(
      guard('TagRole', (input: any) => {
        const role = s.roles.get(input.RoleName)!;
        for (const tag of input.Tags)
          role.Tags = [...role.Tags.filter(t => t.Key !== tag.Key), tag];
        return {};
      }),
    );
    const policy = (arn: string) => {
      const p = s.policies.get(policyKey(arn));
      if (!p) throw awsError('NoSuchEntity', `Policy ${arn} was not found`);
      return p;
    };
    i.on(GetPolicyCommand).callsFake(
      guard('GetPolicy', (input: any) => ({
        Policy: {
          Arn: input.PolicyArn,
          DefaultVersionId: policy(input.PolicyArn).versions.find(
            v => v.IsDefaultVersion,
          )!.VersionId,
        },
      })),
    );
    i.on(CreatePolicyCommand).callsFake(
      guard('CreatePolicy', (input: any) => {
        const arn = `arn:aws:iam::${this.iamAccount}:policy/${input.PolicyName}`;
        if (s.policies.has(policyKey(arn)))
          throw awsError('EntityAlreadyExists');
        s.policies.set(policyKey(arn), {
          versions: [
            {
              VersionId: 'v1',
              Document: encodeURIComponent(input.PolicyDocument),
              IsDefaultVersion: true,
              CreateDate: new Date(),
            },
          ],
          next: 2,
        });
        return { Policy: { Arn: arn, DefaultVersionId: 'v1' } };
      }),
    );
    i.on(GetPolicyVersionCommand).callsFake(
      guard('GetPolicyVersion', (input: any) => ({
        PolicyVersion: policy(input.PolicyArn).versions.find(
          v => v.VersionId === input.VersionId,
        ),
      })),
    );
    i.on(ListPolicyVersionsCommand).callsFake(
      guard('ListPolicyVersions', (input: any) => ({
        Versions: policy(input.PolicyArn).versions,
      })),
    );
    i.on(DeletePolicyVersionCommand).callsFake(
      guard('DeletePolicyVersion', (input: any) => {
        const p = policy(input.PolicyArn);
        p.versions = p.versions.filter(v => v.VersionId !== input.VersionId);
        return {};
      }),
    );
    i.on(CreatePolicyVersionCommand).callsFake(
      guard('CreatePolicyVersion', (input: any) => {
        const p = policy(input.PolicyArn);
        if (p.versions.length >= 5)
          throw awsError(
            'LimitExceeded',
            'A managed policy can have up to 5 versions',
          );
        if (input.SetAsDefault)
          for (const v of p.versions) v.IsDefaultVersion = false;
        p.versions.push({
          VersionId: `v${p.next++}`,
          Document: encodeURIComponent(input.PolicyDocument),
          IsDefaultVersion: !!input.SetAsDefault,
          CreateDate: new Date(Date.now() + p.next),
        });
        return {};
      }),
    );
    i.on(ListAttachedRolePoliciesCommand).callsFake(
      guard('ListAttachedRolePolicies', (input: any) => {
        if (!s.roles.has(input.RoleName)) throw noRole();
        return {
          AttachedPolicies: [...(s.attached.get(input.RoleName) ?? [])].map(
            arn => ({ PolicyArn: arn }),
          ),
          IsTruncated: false,
        };
      }),
    );
    i.on(AttachRolePolicyCommand).callsFake(
      guard('AttachRolePolicy', (input: any) => {
        policy(input.PolicyArn);
        const set = s.attached.get(input.RoleName) ?? new Set<string>();
        set.add(input.PolicyArn);
        s.attached.set(input.RoleName, set);
        return {};
      }),
    );
  }

  /** The account in the ARNs of policies the fake creates (it keeps one account's IAM). */
  iamAccount = '555555555555';

  /**
   * The next calls of `command` (e.g. `CreateAccount`) fail with these errors, in order; a
   * function is called for its error and may change the state first (a concurrent change).
   */
  failNext(command: string, ...errors: Array<Error | (() => Error)>) {
    this.faults.set(command, [...(this.faults.get(command) ?? []), ...errors]);
  }

  /** Names of the commands sent to a client, in order. */
  calls(client: 'organizations' | 'iam' | 'sts', command?: string): any[] {
    return this[client]
      .calls()
      .filter(
        call =>
          !command || call.args[0].constructor.name === `${command}Command`,
      )
      .map(call => call.args[0].input);
  }

  restore() {
    this.organizations.restore();
    this.iam.restore();
    this.sts.restore();
  }
}

/** The organization access of the tests, with fast polls. */
export const ORGANIZATION_ACCESS = MODULE_CONFIG.organizationAccess!;

/** Waits of the retries and polls, recorded instead of slept. */
export const noSleep = {
  sleeps: [] as number[],
  sleep: async (ms: number) => void noSleep.sleeps.push(ms),
  baseDelayMs: 1,
};

/** Sessions whose management-account credentials come from a fixed provider. */
export function testSessions() {
  const source = {
    async getCredentialProvider() {
      return {
        sdkCredentialProvider: async () => ({
          accessKeyId: 'AKIAIOSFODNN7EXAMPLE',
          secretAccessKey: 'management-secret',
        }),
      };
    },
  };
  return new ProvisioningSessions(source, ORGANIZATION_ACCESS, noSleep);
}

/** Bootstrap settings with a policy folder of the tests' choosing. */
export function bootstrapSettings(
  policyDirectory: string,
  overrides: Record<string, unknown> = {},
) {
  return parseScaffolderModuleConfig({
    accountBootstrap: {
      ...MODULE_CONFIG.accountBootstrap,
      policyDirectory,
      ...overrides,
    },
  }).accountBootstrap;
}

/** A policy folder shaped like the upstream one: a trust template with its placeholders and one small policy per file. */
export function policyFolder(): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'clusterdeck-policies-'));
  fs.writeFileSync(
    path.join(dir, 'trusted-entities.json'),
    JSON.stringify({
      Version: '2012-10-17',
      Statement: [
        {
          Effect: 'Allow',
          Principal: { AWS: '${PRINCIPAL_ARN}' },
          Action: 'sts:AssumeRole',
          Condition: {},
        },
        {
          Effect: 'Allow',
          Principal: {
            Federated:
              'arn:${AWS_PARTITION}:iam::${AWS_ACCOUNT_ID}:oidc-provider/${MANAGEMENT_CLUSTER_OIDC_PROVIDER}',
          },
          Action: 'sts:AssumeRoleWithWebIdentity',
          Condition: {
            'ForAnyValue:StringEquals': {
              '${MANAGEMENT_CLUSTER_OIDC_PROVIDER}:sub': [
                'system:serviceaccount:crossplane:upbound-provider-aws',
              ],
            },
          },
        },
      ],
    }),
  );
  for (const p of CAPA_POLICIES) {
    fs.writeFileSync(
      path.join(dir, p.file),
      JSON.stringify({
        Version: '2012-10-17',
        Statement: [
          {
            Effect: 'Allow',
            Action: [`ec2:Describe${p.suffix.replace(/-/g, '')}`],
            Resource: '*',
          },
        ],
      }),
    );
  }
  return dir;
}
