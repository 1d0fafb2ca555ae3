import { BackstageCredentials, UserInfoService } from '@backstage/backend-plugin-api';
import { InputError, NotAllowedError } from '@backstage/errors';
import type { ConfiguredAccount } from '@clusterdeck/plugin-aws-clusters-node';

/** A group entity reference, with or without its namespace. */
const GROUP_REF = /^group:([a-z0-9]([-a-z0-9_.]*[a-z0-9])?\/)?[A-Za-z0-9]([-A-Za-z0-9_.]*[A-Za-z0-9])?$/;

/** @public Who the initiating user is, as far as Clusterdeck's rules go. */
export interface Caller {
  /** The user's entity ref, when the caller is a user. */
  userEntityRef?: string;
  /** The user and the groups they belong to. */
  ownershipEntityRefs: string[];
  /** Whether the user belongs to one of the platform team's admin groups. */
  admin: boolean;
}

/**
 * Decides whether the initiating user may act for an owning group: they must belong to it,
 * and an account used must admit that group; admins may act for anyone.
 * @public
 */
export class AccessPolicy {
  private constructor(
    private readonly userInfo: Pick<UserInfoService, 'getUserInfo'>,
    private readonly adminGroups: ReadonlyArray<string>,
    private readonly accounts: ReadonlyArray<Pick<ConfiguredAccount, 'id' | 'name' | 'owners'>>,
  ) {}

  static create(options: {
    userInfo: Pick<UserInfoService, 'getUserInfo'>;
    adminGroups: ReadonlyArray<string>;
    accounts: ReadonlyArray<Pick<ConfiguredAccount, 'id' | 'name' | 'owners'>>;
  }): AccessPolicy {
    return new AccessPolicy(options.userInfo, options.adminGroups, options.accounts);
  }

  /** The caller behind credentials. Non-user principals are no one: scaffolder tasks run for users. */
  async caller(credentials: BackstageCredentials): Promise<Caller> {
    const principal = credentials.principal as { type?: string; userEntityRef?: string };
    if (principal?.type !== 'user') {
      return { ownershipEntityRefs: [], admin: false };
    }
    const info = await this.userInfo.getUserInfo(credentials);
    const refs = info.ownershipEntityRefs;
    return {
      userEntityRef: info.userEntityRef,
      ownershipEntityRefs: refs,
      admin: refs.some(ref => this.adminGroups.includes(ref)),
    };
  }

  /** The configured account with this id. */
  account(accountId: string): Pick<ConfiguredAccount, 'id' | 'name' | 'owners'> | undefined {
    return this.accounts.find(a => a.id === accountId);
  }

  /**
   * Throws a NotAllowedError unless the caller may act for `owner` (and, when given, put that
   * owner's things into `accountId`).
   */
  async assertMayActFor(
    credentials: BackstageCredentials,
    target: { owner: string; accountId?: string; what: string; field?: string },
  ): Promise<Caller> {
    if (!GROUP_REF.test(target.owner)) {
      const shown = target.owner.length > 80 ? `${target.owner.slice(0, 77)}...` : target.owner;
      throw new InputError(`${target.field ?? 'owner'}: ${JSON.stringify(shown)} is not a group entity reference such as group:default/payments`);
    }
    const caller = await this.caller(credentials);
    if (caller.admin) return caller;
    const who = caller.userEntityRef ?? 'this caller';
    if (!caller.ownershipEntityRefs.includes(target.owner)) {
      throw new NotAllowedError(`${who} may not ${target.what} for ${target.owner}: not a member of it`);
    }
    if (target.accountId !== undefined) {
      const account = this.account(target.accountId);
      if (!account) {
        throw new NotAllowedError(`${who} may not ${target.what} in account ${target.accountId}: Clusterdeck does not know that account`);
      }
      if (!account.owners.includes(target.owner)) {
        throw new NotAllowedError(`${who} may not ${target.what} in account ${account.name} (${account.id}): it does not admit ${target.owner}`);
      }
    }
    return caller;
  }

  /** Throws a NotAllowedError unless the caller belongs to an admin group. */
  async assertAdmin(credentials: BackstageCredentials, what: string): Promise<Caller> {
    const caller = await this.caller(credentials);
    if (!caller.admin) {
      throw new NotAllowedError(`${caller.userEntityRef ?? 'this caller'} may not ${what}: only the platform team's admin groups may`);
    }
    return caller;
  }
}
