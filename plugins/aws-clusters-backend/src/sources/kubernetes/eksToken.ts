import { Sha256 } from '@aws-crypto/sha256-js';
import { SignatureV4 } from '@smithy/signature-v4';

/** @public The prefix of the bearer tokens that EKS clusters accept for IAM identities. */
export const EKS_TOKEN_PREFIX = 'k8s-aws-v1.';

/** How long a presigned EKS token is valid, in seconds, as `aws eks get-token` makes them. */
export const EKS_TOKEN_EXPIRY_SECONDS = 60;

/** @public AWS credentials, or a function that resolves them, as the AWS SDK takes them. */
export type EksTokenCredentials = ConstructorParameters<
  typeof SignatureV4
>[0]['credentials'];

/** @public What {@link createEksToken} needs. */
export interface EksTokenOptions {
  /** The EKS cluster's name; it is signed into the token as the `x-k8s-aws-id` header. */
  clusterName: string;
  /** The region of the STS endpoint the token is presigned for. */
  region: string;
  credentials: EksTokenCredentials;
  /** The signing time; now when absent. */
  signingDate?: Date;
}

function stsHostname(region: string): string {
  return region.startsWith('cn-')
    ? `sts.${region}.amazonaws.com.cn`
    : `sts.${region}.amazonaws.com`;
}

function encodeQuery(
  query: Record<string, string | string[] | null | undefined>,
): string {
  return Object.keys(query)
    .sort()
    .flatMap(key => {
      const value = query[key];
      const values =
        value === null || value === undefined ? [] : [value].flat();
      return values.map(
        v => `${encodeURIComponent(key)}=${encodeURIComponent(v)}`,
      );
    })
    .join('&');
}

/**
 * Makes a bearer token for an EKS cluster, as `aws eks get-token` does: `k8s-aws-v1.` followed by
 * the unpadded base64url form of an STS `GetCallerIdentity` URL, presigned for 60 seconds with the
 * cluster's name signed in as the `x-k8s-aws-id` header. The cluster's authenticator calls that
 * URL and maps the identity STS answers with to Kubernetes users and groups.
 * @public
 */
export async function createEksToken(
  options: EksTokenOptions,
): Promise<string> {
  if (!options.clusterName) {
    throw new TypeError(
      'clusterName: an EKS token needs the name of the cluster',
    );
  }
  if (!options.region) {
    throw new TypeError(
      'region: an EKS token needs the region of the STS endpoint',
    );
  }
  const hostname = stsHostname(options.region);
  const signer = new SignatureV4({
    service: 'sts',
    region: options.region,
    credentials: options.credentials,
    sha256: Sha256,
  });
  const presigned = await signer.presign(
    {
      method: 'GET',
      protocol: 'https:',
      hostname,
      path: '/',
      query: { Action: 'GetCallerIdentity', Version: '2011-06-15' },
      headers: { host: hostname, 'x-k8s-aws-id': options.clusterName },
    },
    { expiresIn: EKS_TOKEN_EXPIRY_SECONDS, signingDate: options.signingDate },
  );
  const url = `https://${hostname}/?${encodeQuery(presigned.query ?? {})}`;
  return `${EKS_TOKEN_PREFIX}${Buffer.from(url, 'utf8').toString('base64url')}`;
}
