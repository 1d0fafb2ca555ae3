import { AssumeRoleCommand, STSClient } from '@aws-sdk/client-sts';
import { mockClient } from 'aws-sdk-client-mock';
import {
  AccountCredentials,
  sanitizeSourceIdentity,
} from '@clusterdeck/plugin-aws-clusters-node';
import {
  ACCOUNT_A,
  ACCOUNT_B,
  fakeCredentials,
} from './__testUtils__/mockAwsRegion';

const ROLE = `arn:aws:iam::${ACCOUNT_B}:role/clusterdeck-read`;

describe('sanitizeSourceIdentity', () => {
  it('keeps what STS allows and replaces the rest', () => {
    expect(sanitizeSourceIdentity('user:default/jane')).toBe(
      'user-default-jane',
    );
    expect(sanitizeSourceIdentity('a+b=c,d.e@f_g-h')).toBe('a+b=c,d.e@f_g-h');
    expect(sanitizeSourceIdentity('x'.repeat(100))).toHaveLength(64);
    expect(sanitizeSourceIdentity(undefined)).toBe('clusterdeck');
    expect(sanitizeSourceIdentity('j')).toBe('clusterdeck');
  });
});

describe('AccountCredentials', () => {
  const sts = mockClient(STSClient);
  let now = Date.UTC(2026, 0, 1);
  const answer = async () => ({
    Credentials: {
      AccessKeyId: 'ASIAIOSFODNN7EXAMPLE',
      SecretAccessKey: 'wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY',
      SessionToken: 'session',
      Expiration: new Date(now + 3600_000),
    },
  });
  beforeEach(() => {
    sts.reset();
    now = Date.UTC(2026, 0, 1);
    sts.on(AssumeRoleCommand).callsFake(answer);
  });
  afterAll(() => sts.restore());

  it('uses the integration credentials of an account without roleArn', async () => {
    const source = fakeCredentials();
    const provider = await new AccountCredentials({ source }).forAccount({
      id: ACCOUNT_A,
    });
    expect((await provider()).accessKeyId).toBe(`AKIA${ACCOUNT_A}`);
    expect(source.calls).toEqual([{ accountId: ACCOUNT_A }]);
    expect(sts.commandCalls(AssumeRoleCommand)).toHaveLength(0);
  });

  it('assumes the role from the main credentials and renews the session shortly before it expires', async () => {
    const source = fakeCredentials();
    const regions: string[] = [];
    const credentials = new AccountCredentials({
      source,
      now: () => now,
      stsClientFactory: config => {
        regions.push(config.region);
        return new STSClient(config);
      },
    });
    const provider = await credentials.forAccount({
      id: ACCOUNT_B,
      roleArn: ROLE,
      externalId: 'ext-123',
    });
    expect(await provider()).toMatchObject({
      accessKeyId: 'ASIAIOSFODNN7EXAMPLE',
      sessionToken: 'session',
    });
    expect(sts.commandCalls(AssumeRoleCommand)[0].args[0].input).toEqual({
      RoleArn: ROLE,
      RoleSessionName: 'clusterdeck',
      SourceIdentity: 'clusterdeck',
      ExternalId: 'ext-123',
      DurationSeconds: 3600,
    });
    expect(source.calls).toEqual([{ accountId: undefined }]);
    expect(regions).toEqual(['us-east-1']);

    now += 50 * 60_000;
    await provider();
    expect(sts.commandCalls(AssumeRoleCommand)).toHaveLength(1);
    now += 6 * 60_000;
    await provider();
    expect(sts.commandCalls(AssumeRoleCommand)).toHaveLength(2);
  });

  it('keeps sessions of different source identities apart and retries a failed AssumeRole', async () => {
    sts
      .on(AssumeRoleCommand)
      .rejectsOnce(
        Object.assign(new Error('not allowed'), { name: 'AccessDenied' }),
      )
      .callsFake(answer);
    const credentials = new AccountCredentials({
      source: fakeCredentials(),
      now: () => now,
    });
    const jane = await credentials.forAccount(
      { id: ACCOUNT_B, roleArn: ROLE },
      { sourceIdentity: 'user:default/jane' },
    );
    await expect(jane()).rejects.toThrow('not allowed');
    await jane();
    const other = await credentials.forAccount({
      id: ACCOUNT_B,
      roleArn: ROLE,
    });
    await other();
    const inputs = sts
      .commandCalls(AssumeRoleCommand)
      .map(c => c.args[0].input.SourceIdentity);
    expect(inputs).toEqual([
      'user-default-jane',
      'user-default-jane',
      'clusterdeck',
    ]);
  });

  it('refuses an answer without credentials', async () => {
    sts.on(AssumeRoleCommand).resolves({});
    const provider = await new AccountCredentials({
      source: fakeCredentials(),
    }).forAccount({ id: ACCOUNT_B, roleArn: ROLE });
    await expect(provider()).rejects.toMatchObject({
      name: 'MalformedResponse',
    });
  });
});
