import {
  CreateAccountCommand,
  CreateAccountState,
  DescribeCreateAccountStatusCommand,
  DescribeOrganizationalUnitCommand,
  ListParentsCommand,
  ListRootsCommand,
  MoveAccountCommand,
  OrganizationsClient,
  paginateListAccounts,
  Tag,
} from '@aws-sdk/client-organizations';
import { InputError } from '@backstage/errors';
import type { OrganizationAccessConfig } from '../config/moduleConfig';
import {
  AwsRetryOptions,
  defaultSleep,
  isAwsError,
  withAwsRetry,
} from './awsRetry';
import { throwIfCancelled, waitOrCancel } from './cancellation';

/** @public An account of the organization, as Organizations lists it. */
export interface OrganizationAccount {
  id: string;
  name: string;
  email: string;
  status: string;
}

/** @public What an account creation request came to. */
export interface AccountCreationStatus {
  state: CreateAccountState | string;
  accountId?: string;
  failureReason?: string;
}

/**
 * The Organizations calls account provisioning makes, each retried while AWS throttles.
 * Organizations allows about one CreateAccount per few seconds per organization and answers
 * faster callers with `TooManyRequestsException`.
 * @public
 */
export class OrganizationAccounts {
  constructor(
    private readonly client: OrganizationsClient,
    private readonly settings: Pick<
      OrganizationAccessConfig,
      'pollIntervalSeconds' | 'creationTimeoutMinutes' | 'accessRoleName'
    >,
    private readonly retry: AwsRetryOptions = {},
  ) {}

  /** The organization's account with this root e-mail (compared without case), if any. */
  async findByEmail(email: string): Promise<OrganizationAccount | undefined> {
    const wanted = email.toLowerCase();
    const pages = paginateListAccounts({ client: this.client }, {});
    for (;;) {
      const page = await withAwsRetry(() => pages.next(), this.retry);
      if (page.done) return undefined;
      const found = (page.value.Accounts ?? []).find(
        a => a.Email?.toLowerCase() === wanted,
      );
      if (found?.Id) {
        return {
          id: found.Id,
          name: found.Name ?? '',
          email: found.Email ?? email,
          status: String(found.State ?? found.Status ?? ''),
        };
      }
    }
  }

  /** Throws an InputError naming `organizationalUnit` unless the unit (or root) exists. */
  async assertParentExists(parentId: string): Promise<void> {
    if (parentId.startsWith('r-')) {
      const roots = await withAwsRetry(
        () => this.client.send(new ListRootsCommand({})),
        this.retry,
      );
      if (!(roots.Roots ?? []).some(r => r.Id === parentId)) {
        throw new InputError(
          `organizationalUnit: ${parentId} is not the root of this organization`,
        );
      }
      return;
    }
    try {
      await withAwsRetry(
        () =>
          this.client.send(
            new DescribeOrganizationalUnitCommand({
              OrganizationalUnitId: parentId,
            }),
          ),
        this.retry,
      );
    } catch (error) {
      if (isAwsError(error, 'OrganizationalUnitNotFoundException')) {
        throw new InputError(
          `organizationalUnit: ${parentId} is not an organizational unit of this organization`,
        );
      }
      throw error;
    }
  }

  /** Asks Organizations for a new account; returns the creation request's id. */
  async startCreation(request: {
    email: string;
    name: string;
    tags: Tag[];
  }): Promise<string> {
    const response = await withAwsRetry(
      () =>
        this.client.send(
          new CreateAccountCommand({
            Email: request.email,
            AccountName: request.name,
            RoleName: this.settings.accessRoleName,
            IamUserAccessToBilling: 'DENY',
            Tags: request.tags,
          }),
        ),
      this.retry,
    );
    const id = response.CreateAccountStatus?.Id;
    if (!id)
      throw new Error('CreateAccount answered without a creation request id');
    return id;
  }

  /**
   * Polls a creation request until it succeeds or fails: the first wait is
   * `pollIntervalSeconds`, each further one half as long again, at most 30 s, until
   * `creationTimeoutMinutes` have passed, or until the task is cancelled (`retry.signal`).
   */
  async waitForCreation(
    requestId: string,
    options: {
      now?: () => number;
      onPoll?: (status: AccountCreationStatus) => void;
    } = {},
  ): Promise<AccountCreationStatus> {
    const now = options.now ?? Date.now;
    const { signal } = this.retry;
    const deadline = now() + this.settings.creationTimeoutMinutes * 60_000;
    let waitMs = this.settings.pollIntervalSeconds * 1000;
    let last = 'not yet polled';
    // Organizations goes on creating the account; the same request is polled again by a retried task.
    const state = () =>
      `while waiting for the account creation ${requestId} (${last}); AWS Organizations may still create the account: ` +
      'retry the task to go on waiting for the same request';
    for (;;) {
      throwIfCancelled(signal, state);
      const response = await withAwsRetry(
        () =>
          this.client.send(
            new DescribeCreateAccountStatusCommand({
              CreateAccountRequestId: requestId,
            }),
          ),
        this.retry,
      );
      const status: AccountCreationStatus = {
        state: response.CreateAccountStatus?.State ?? 'UNKNOWN',
        accountId: response.CreateAccountStatus?.AccountId,
        failureReason: response.CreateAccountStatus?.FailureReason,
      };
      last = String(status.state);
      options.onPoll?.(status);
      if (status.state === 'SUCCEEDED' || status.state === 'FAILED')
        return status;
      if (now() + waitMs > deadline) {
        throw new Error(
          `The account creation ${requestId} is still ${status.state} after ${this.settings.creationTimeoutMinutes} minutes; ` +
            'retry the task to go on waiting for the same request',
        );
      }
      await waitOrCancel(
        waitMs,
        signal,
        state,
        this.retry.sleep ?? defaultSleep,
      );
      waitMs = Math.min(30_000, waitMs * 1.5);
    }
  }

  /** Moves the account under `parentId` unless it is there; returns whether it moved. */
  async ensureParent(accountId: string, parentId: string): Promise<boolean> {
    const current = await this.parentOf(accountId);
    if (!current)
      throw new Error(`Organizations names no parent of account ${accountId}`);
    if (current === parentId) return false;
    try {
      await withAwsRetry(
        () =>
          this.client.send(
            new MoveAccountCommand({
              AccountId: accountId,
              SourceParentId: current,
              DestinationParentId: parentId,
            }),
          ),
        this.retry,
      );
    } catch (error) {
      // Moved meanwhile (a concurrent or earlier attempt): the account is where it should be.
      if (isAwsError(error, 'DuplicateAccountException')) return false;
      throw error;
    }
    return true;
  }

  /** The parent the account sits under now. */
  async parentOf(accountId: string): Promise<string | undefined> {
    const parents = await withAwsRetry(
      () => this.client.send(new ListParentsCommand({ ChildId: accountId })),
      this.retry,
    );
    return parents.Parents?.[0]?.Id;
  }
}
