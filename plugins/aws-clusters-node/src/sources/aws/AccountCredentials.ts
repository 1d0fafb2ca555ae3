import { AssumeRoleCommand, STSClient } from '@aws-sdk/client-sts';
import type { ConfiguredAccount } from '../../config/clusterdeckConfig';

/** @public A set of AWS credentials, as the SDK's credential providers return them. */
export interface AwsCredentials {
  accessKeyId: string;
  secretAccessKey: string;
  sessionToken?: string;
  expiration?: Date;
}

/** @public A function the SDK calls for credentials before it signs a request. */
export type AwsCredentialsProvider = () => Promise<AwsCredentials>;

/**
 * @public Where the AWS collector gets credentials: the subset of `AwsCredentialsManager` from
 * `@backstage/integration-aws-node` it uses. Without `accountId` it answers with the main
 * account's credentials (`aws.mainAccount`).
 */
export interface AwsCredentialsSource {
  getCredentialProvider(options?: { accountId?: string }): Promise<{
    sdkCredentialProvider: AwsCredentialsProvider;
    stsRegion?: string;
  }>;
}

/** @public The session name and source identity used unless a caller gives one. */
export const DEFAULT_SOURCE_IDENTITY = 'clusterdeck';

/** Credentials are renewed this long before they expire. */
const RENEW_BEFORE_MS = 5 * 60_000;

/**
 * Makes a value fit STS's `SourceIdentity` and `RoleSessionName`: characters outside
 * `[\w+=,.@-]` become `-`, at most 64 characters, at least 2 (else the default).
 * `user:default/jane` becomes `user-default-jane`.
 * @public
 */
export function sanitizeSourceIdentity(value: string | undefined): string {
  const cleaned = (value ?? '').replace(/[^\w+=,.@-]/g, '-').slice(0, 64);
  return cleaned.length >= 2 ? cleaned : DEFAULT_SOURCE_IDENTITY;
}

/** @public How {@link AccountCredentials} is set up. */
export interface AccountCredentialsOptions {
  /** Credentials of the main account, and of accounts configured under `aws.accounts`. */
  source: AwsCredentialsSource;
  /** Makes the STS client for AssumeRole; tests pass one with a mocked `send`. */
  stsClientFactory?: (config: {
    region: string;
    credentials: AwsCredentialsProvider;
  }) => STSClient;
  /** The region of the STS endpoint (default: the main credentials' `stsRegion`, else us-east-1). */
  stsRegion?: string;
  /** Seconds an assumed-role session lasts (default 3600). */
  durationSeconds?: number;
  now?: () => number;
}

/**
 * Credentials for each configured account. An account with `roleArn` is read through that role,
 * assumed with the main account's credentials (with `ExternalId` when configured, and a
 * `SourceIdentity` naming who reads); the session is kept until shortly before it expires. An
 * account without `roleArn` gets what the `aws` integration configuration gives for its id.
 * @public
 */
export class AccountCredentials {
  private readonly sessions = new Map<string, Promise<AwsCredentials>>();

  constructor(private readonly options: AccountCredentialsOptions) {}

  /**
   * The credential provider for one account; `sourceIdentity` (e.g. `user:default/jane`) names
   * who the calls are made for and is sanitized for STS.
   */
  async forAccount(
    account: Pick<ConfiguredAccount, 'id' | 'roleArn' | 'externalId'>,
    options: { sourceIdentity?: string } = {},
  ): Promise<AwsCredentialsProvider> {
    if (!account.roleArn) {
      return (
        await this.options.source.getCredentialProvider({
          accountId: account.id,
        })
      ).sdkCredentialProvider;
    }
    const identity = sanitizeSourceIdentity(options.sourceIdentity);
    const key = JSON.stringify([
      account.roleArn,
      account.externalId ?? '',
      identity,
    ]);
    const roleArn = account.roleArn;
    return () => {
      const now = (this.options.now ?? Date.now)();
      const cached = this.sessions.get(key);
      if (cached) {
        return cached.then(credentials =>
          credentials.expiration &&
          credentials.expiration.getTime() - RENEW_BEFORE_MS <= now
            ? this.assume(key, roleArn, account.externalId, identity)
            : credentials,
        );
      }
      return this.assume(key, roleArn, account.externalId, identity);
    };
  }

  private assume(
    key: string,
    roleArn: string,
    externalId: string | undefined,
    identity: string,
  ): Promise<AwsCredentials> {
    const session = (async () => {
      const main = await this.options.source.getCredentialProvider();
      const region = this.options.stsRegion ?? main.stsRegion ?? 'us-east-1';
      const config = { region, credentials: main.sdkCredentialProvider };
      const sts =
        this.options.stsClientFactory?.(config) ?? new STSClient(config);
      const response = await sts.send(
        new AssumeRoleCommand({
          RoleArn: roleArn,
          RoleSessionName: identity,
          SourceIdentity: identity,
          ExternalId: externalId,
          DurationSeconds: this.options.durationSeconds ?? 3600,
        }),
      );
      const c = response?.Credentials;
      if (!c?.AccessKeyId || !c.SecretAccessKey) {
        const error = new Error(
          `AssumeRole of ${roleArn} answered without credentials`,
        );
        error.name = 'MalformedResponse';
        throw error;
      }
      return {
        accessKeyId: c.AccessKeyId,
        secretAccessKey: c.SecretAccessKey,
        sessionToken: c.SessionToken,
        expiration: c.Expiration ? new Date(c.Expiration) : undefined,
      };
    })();
    this.sessions.set(key, session);
    // A failed AssumeRole is not kept, so that the next call tries again.
    session.catch(() => {
      if (this.sessions.get(key) === session) this.sessions.delete(key);
    });
    return session;
  }
}
