import { OrganizationsClient } from '@aws-sdk/client-organizations';
import { AssumeRoleCommand, STSClient } from '@aws-sdk/client-sts';
import {
  AwsCredentialsProvider,
  AwsCredentialsSource,
  sanitizeSourceIdentity,
} from '@clusterdeck/plugin-aws-clusters-node';
import type { OrganizationAccessConfig } from '../config/moduleConfig';
import { AwsRetryOptions, withAwsRetry } from './awsRetry';

/** Organizations has one global endpoint per partition; this is how long an access-role session lasts. */
const SESSION_SECONDS = 3600;

/**
 * @public AWS sessions of account provisioning: the Organizations management account (its
 * credentials from the `aws` integration configuration) and, through it, the organization's
 * access role in a member account.
 */
export class ProvisioningSessions {
  constructor(
    private readonly source: AwsCredentialsSource,
    private readonly access: OrganizationAccessConfig,
    private readonly retry: AwsRetryOptions = {},
  ) {}

  private async managementCredentials(): Promise<AwsCredentialsProvider> {
    return (
      await this.source.getCredentialProvider({
        accountId: this.access.managementAccountId,
      })
    ).sdkCredentialProvider;
  }

  async organizations(): Promise<OrganizationsClient> {
    return new OrganizationsClient({
      region: this.access.region,
      credentials: await this.managementCredentials(),
    });
  }

  /**
   * Credentials of the organization's access role in a member account, for the user who asked
   * (the session name says who). The role's trust only admits sts:AssumeRole from the management
   * account, so no source identity is set. The credentials are never stored in a checkpoint.
   */
  async accessRole(
    accountId: string,
    options: { partition: string; user?: string },
  ): Promise<AwsCredentialsProvider> {
    const sts = new STSClient({
      region: this.access.region,
      credentials: await this.managementCredentials(),
    });
    const roleArn = `arn:${options.partition}:iam::${accountId}:role/${this.access.accessRoleName}`;
    const response = await withAwsRetry(
      () =>
        sts.send(
          new AssumeRoleCommand({
            RoleArn: roleArn,
            RoleSessionName: sanitizeSourceIdentity(options.user),
            DurationSeconds: SESSION_SECONDS,
          }),
        ),
      this.retry,
    );
    const c = response.Credentials;
    if (!c?.AccessKeyId || !c.SecretAccessKey)
      throw new Error(`AssumeRole of ${roleArn} answered without credentials`);
    const credentials = {
      accessKeyId: c.AccessKeyId,
      secretAccessKey: c.SecretAccessKey,
      sessionToken: c.SessionToken,
      expiration: c.Expiration,
    };
    return async () => credentials;
  }
}
