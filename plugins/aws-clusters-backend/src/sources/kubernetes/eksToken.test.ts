import crypto from 'node:crypto';
import { createEksToken, EKS_TOKEN_PREFIX } from './eksToken';

// AWS's documented example key pair.
const credentials = {
  accessKeyId: 'AKIAIOSFODNN7EXAMPLE',
  secretAccessKey: 'wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY',
  sessionToken: 'FwoGZXIvYXdzEXAMPLE+token/with=special',
};

function decode(token: string): URL {
  expect(token.startsWith(EKS_TOKEN_PREFIX)).toBe(true);
  const encoded = token.slice(EKS_TOKEN_PREFIX.length);
  expect(encoded).toMatch(/^[A-Za-z0-9_-]+$/);
  return new URL(Buffer.from(encoded, 'base64url').toString('utf8'));
}

const hmac = (key: crypto.BinaryLike, data: string) =>
  crypto.createHmac('sha256', key).update(data).digest();
const sha256 = (data: string) =>
  crypto.createHash('sha256').update(data).digest('hex');
const rfc3986 = (s: string) =>
  encodeURIComponent(s).replace(
    /[!'()*]/g,
    c => `%${c.charCodeAt(0).toString(16).toUpperCase()}`,
  );

/** Recomputes the SigV4 query signature the way STS checks it. */
function expectedSignature(
  url: URL,
  headers: Record<string, string>,
  secret: string,
): string {
  const params = [...url.searchParams.entries()].filter(
    ([k]) => k !== 'X-Amz-Signature',
  );
  const canonicalQuery = params
    .map(([k, v]) => `${rfc3986(k)}=${rfc3986(v)}`)
    .sort()
    .join('&');
  const signedHeaders = url.searchParams.get('X-Amz-SignedHeaders')!.split(';');
  const canonicalHeaders = signedHeaders
    .map(h => `${h}:${headers[h]}\n`)
    .join('');
  const canonicalRequest = [
    'GET',
    '/',
    canonicalQuery,
    canonicalHeaders,
    signedHeaders.join(';'),
    sha256(''),
  ].join('\n');
  const [, date, region, service] = url.searchParams
    .get('X-Amz-Credential')!
    .split('/');
  const scope = `${date}/${region}/${service}/aws4_request`;
  const stringToSign = [
    'AWS4-HMAC-SHA256',
    url.searchParams.get('X-Amz-Date'),
    scope,
    sha256(canonicalRequest),
  ].join('\n');
  const key = hmac(
    hmac(hmac(hmac(`AWS4${secret}`, date), region), service),
    'aws4_request',
  );
  return hmac(key, stringToSign).toString('hex');
}

describe('createEksToken', () => {
  it('presigns GetCallerIdentity for 60 seconds with the cluster name signed in', async () => {
    const token = await createEksToken({
      clusterName: 'mc-eu-prod',
      region: 'eu-west-1',
      credentials,
      signingDate: new Date('2026-11-01T10:20:30Z'),
    });
    const url = decode(token);
    expect(url.protocol).toBe('https:');
    expect(url.host).toBe('sts.eu-west-1.amazonaws.com');
    expect(url.pathname).toBe('/');
    const q = url.searchParams;
    expect(q.get('Action')).toBe('GetCallerIdentity');
    expect(q.get('Version')).toBe('2011-06-15');
    expect(q.get('X-Amz-Expires')).toBe('60');
    expect(q.get('X-Amz-Algorithm')).toBe('AWS4-HMAC-SHA256');
    expect(q.get('X-Amz-Date')).toBe('20261101T102030Z');
    expect(q.get('X-Amz-Credential')).toBe(
      'AKIAIOSFODNN7EXAMPLE/20261101/eu-west-1/sts/aws4_request',
    );
    expect(q.get('X-Amz-SignedHeaders')).toBe('host;x-k8s-aws-id');
    expect(q.get('X-Amz-Security-Token')).toBe(credentials.sessionToken);
    expect(q.get('X-Amz-Signature')).toBe(
      expectedSignature(
        url,
        { host: 'sts.eu-west-1.amazonaws.com', 'x-k8s-aws-id': 'mc-eu-prod' },
        credentials.secretAccessKey,
      ),
    );
    // A different cluster name gives a different signature: the header is part of what is signed.
    const other = decode(
      await createEksToken({
        clusterName: 'mc-eu-dev',
        region: 'eu-west-1',
        credentials,
        signingDate: new Date('2026-11-01T10:20:30Z'),
      }),
    );
    expect(other.searchParams.get('X-Amz-Signature')).not.toBe(
      q.get('X-Amz-Signature'),
    );
  });

  it('resolves credentials from a provider and omits the session token when there is none', async () => {
    const provider = jest.fn(async () => ({
      accessKeyId: credentials.accessKeyId,
      secretAccessKey: credentials.secretAccessKey,
    }));
    const url = decode(
      await createEksToken({
        clusterName: 'mc',
        region: 'cn-north-1',
        credentials: provider,
      }),
    );
    expect(provider).toHaveBeenCalled();
    expect(url.host).toBe('sts.cn-north-1.amazonaws.com.cn');
    expect(url.searchParams.has('X-Amz-Security-Token')).toBe(false);
    expect(url.searchParams.get('X-Amz-Expires')).toBe('60');
  });

  it('refuses to sign without a cluster name', async () => {
    await expect(
      createEksToken({ clusterName: '', region: 'eu-west-1', credentials }),
    ).rejects.toThrow(/clusterName/);
  });
});
