import { BackstageCredentials } from '@backstage/backend-plugin-api';
import { InputError, NotAllowedError } from '@backstage/errors';
import type { BasicPermission } from '@backstage/plugin-permission-common';
import type {
  AwsClusterPermission,
  ClusterdeckAuthorizer,
  ConfiguredAccount,
} from '@clusterdeck/plugin-aws-clusters-node';

/** A group entity reference, with or without its namespace. */
const GROUP_REF =
  /^group:([a-z0-9]([-a-z0-9_.]*[a-z0-9])?\/)?[A-Za-z0-9]([-A-Za-z0-9_.]*[A-Za-z0-9])?$/;

/** @public The fleet backend keeps owner and cluster references in columns of this size. */
export const MAX_REF_LENGTH = 255;

/** Long values are cut in messages, so that a refusal stays readable. */
function shown(value: string): string {
  return JSON.stringify(value.length > 80 ? `${value.slice(0, 77)}...` : value);
}

/**
 * Throws an InputError naming the field unless the value is a group entity reference that fits
 * the fleet backend's database.
 * @public
 */
export function assertOwnerRef(
  owner: unknown,
  field: string,
): asserts owner is string {
  if (owner === undefined || owner === null || owner === '')
    throw new InputError(`${field}: is required`);
  if (typeof owner !== 'string')
    throw new InputError(
      `${field}: must be a group entity reference such as group:default/payments`,
    );
  if (owner.length > MAX_REF_LENGTH)
    throw new InputError(
      `${field}: is longer than ${MAX_REF_LENGTH} characters`,
    );
  if (!GROUP_REF.test(owner)) {
    throw new InputError(
      `${field}: ${shown(
        owner,
      )} is not a group entity reference such as group:default/payments`,
    );
  }
}

/** @public A permission an action is decided by: a basic one, or one of the `aws-cluster` resource type. */
export type ClusterdeckPermission = BasicPermission | AwsClusterPermission;

/**
 * Decides whether the initiator of a task may do what an action is about to do, through the
 * permission framework ({@link @clusterdeck/plugin-aws-clusters-node#ClusterdeckAuthorizer}) with
 * the initiator's own credentials, and keeps the domain rule that an account is used only by the
 * owners it admits (`clusterdeck.accounts[].owners`), whoever acts.
 * @public
 */
export class AccessPolicy {
  private constructor(
    private readonly authorizer: Pick<
      ClusterdeckAuthorizer,
      'owners' | 'allows' | 'assert' | 'nameOf'
    >,
    private readonly accounts: ReadonlyArray<
      Pick<ConfiguredAccount, 'id' | 'name' | 'owners'>
    >,
  ) {}

  static create(options: {
    authorizer: Pick<
      ClusterdeckAuthorizer,
      'owners' | 'allows' | 'assert' | 'nameOf'
    >;
    accounts: ReadonlyArray<Pick<ConfiguredAccount, 'id' | 'name' | 'owners'>>;
  }): AccessPolicy {
    return new AccessPolicy(options.authorizer, options.accounts);
  }

  /** Who the initiator is, as refusals, audit events and AWS session names call them. */
  nameOf(credentials: BackstageCredentials): string {
    return this.authorizer.nameOf(credentials);
  }

  /** The configured account with this id. */
  account(
    accountId: string,
  ): Pick<ConfiguredAccount, 'id' | 'name' | 'owners'> | undefined {
    return this.accounts.find(a => a.id === accountId);
  }

  /** Whether the initiator has a permission (a resource one for the things of `owner`). */
  allows(
    credentials: BackstageCredentials,
    permission: ClusterdeckPermission,
    owner?: string,
  ): Promise<boolean> {
    return this.authorizer.allows(credentials, permission, owner);
  }

  /** Throws a NotAllowedError naming the permission unless the initiator has a basic permission. */
  assert(
    credentials: BackstageCredentials,
    permission: BasicPermission,
    what: string,
  ): Promise<void> {
    return this.authorizer.assert(credentials, permission, { what });
  }

  /**
   * Throws a NotAllowedError unless the initiator may act for at least someone under the
   * permission. Checked before the fleet is asked about a cluster, so that callers who may do
   * nothing cause no calls at all.
   */
  async assertMayActForSomeone(
    credentials: BackstageCredentials,
    permission: AwsClusterPermission,
    what: string,
  ): Promise<void> {
    const owners = await this.authorizer.owners(credentials, permission);
    if (owners.key === 'none')
      await this.authorizer.assert(credentials, permission, {
        owner: '',
        what,
      });
  }

  /**
   * Throws an InputError when `owner` is no group reference, a NotAllowedError unless the
   * initiator has the permission for `owner`, and, when `accountId` is given, a NotAllowedError
   * unless that account admits `owner`.
   */
  async assertMayActFor(
    credentials: BackstageCredentials,
    target: {
      permission: AwsClusterPermission;
      owner: unknown;
      accountId?: string;
      what: string;
      field?: string;
    },
  ): Promise<void> {
    const field = target.field ?? 'owner';
    assertOwnerRef(target.owner, field);
    await this.authorizer.assert(credentials, target.permission, {
      owner: target.owner,
      what: target.what,
    });
    if (target.accountId === undefined) return;
    const account = this.account(target.accountId);
    if (!account) {
      throw new NotAllowedError(
        `${target.owner} may not ${target.what} in account ${target.accountId}: Clusterdeck does not know that account`,
      );
    }
    if (!account.owners.includes(target.owner)) {
      throw new NotAllowedError(
        `${target.owner} may not ${target.what} in account ${account.name} (${account.id}): it does not admit ${target.owner}`,
      );
    }
  }
}
