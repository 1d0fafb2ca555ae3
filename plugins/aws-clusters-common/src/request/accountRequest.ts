import { z } from 'zod';
import { CLUSTERDECK_API_VERSION } from '../constants';
import { Problem, zodProblems } from './problems';

/** @public The environments an AWS account can serve. */
export const ACCOUNT_ENVIRONMENTS = [
  'production',
  'staging',
  'development',
  'shared-services',
] as const;

/** @public How people may reach into an account. */
export const ACCESS_MODELS = [
  'audited-no-access',
  'developer-debug',
  'platform-only',
] as const;

/** @public An account's environment. */
export type AccountEnvironment = (typeof ACCOUNT_ENVIRONMENTS)[number];
/** @public An account's access model. */
export type AccessModel = (typeof ACCESS_MODELS)[number];

/**
 * A request for a new AWS account in the organization, with the CAPA role bootstrapped in it.
 * @public
 */
export const accountRequestSchema = z.strictObject({
  apiVersion: z.literal(CLUSTERDECK_API_VERSION, {
    error: `must be ${CLUSTERDECK_API_VERSION}`,
  }),
  kind: z.literal('AccountRequest', { error: 'must be AccountRequest' }),
  metadata: z.strictObject({
    name: z
      .string()
      .min(3)
      .max(50, { error: 'must be at most 50 characters' })
      .regex(/^[a-z][-a-z0-9]*[a-z0-9]$/, {
        error:
          "must consist of lowercase letters, digits and '-', start with a letter and end with a letter or digit",
      }),
  }),
  spec: z.strictObject({
    email: z
      .email({ error: 'must be an e-mail address (the account root user)' })
      .max(64),
    organizationalUnit: z
      .string()
      .regex(/^(ou-[0-9a-z]{4,32}-[a-z0-9]{8,32}|r-[0-9a-z]{4,32})$/, {
        error:
          'must be an organizational unit id (ou-xxxx-xxxxxxxx) or the root id (r-xxxx)',
      }),
    environment: z.enum(ACCOUNT_ENVIRONMENTS, {
      error: `must be one of ${ACCOUNT_ENVIRONMENTS.join(', ')}`,
    }),
    owner: z
      .string()
      .regex(
        /^group:([a-z0-9]([-a-z0-9_.]*[a-z0-9])?\/)?[A-Za-z0-9]([-A-Za-z0-9_.]*[A-Za-z0-9])?$/,
        {
          error:
            'must be a group entity reference such as group:default/payments',
        },
      ),
    accessModel: z.enum(ACCESS_MODELS, {
      error: `must be one of ${ACCESS_MODELS.join(', ')}`,
    }),
    regions: z
      .array(
        z.string().regex(/^[a-z]{2}(-gov|-iso[a-z]*)?-[a-z]+-\d$/, {
          error: 'must be an AWS region name',
        }),
      )
      .min(1)
      .default(['eu-west-1']),
  }),
});

/** @public An account request, defaults applied. */
export type AccountRequest = z.output<typeof accountRequestSchema>;

/** @public The outcome of validating an account request. */
export type AccountRequestValidation =
  | { ok: true; value: AccountRequest }
  | { ok: false; problems: Problem[] };

/**
 * Validates an account request as written. Never throws: every problem names its field.
 * @public
 */
export function validateAccountRequest(
  input: unknown,
): AccountRequestValidation {
  const parsed = accountRequestSchema.safeParse(input);
  return parsed.success
    ? { ok: true, value: parsed.data }
    : { ok: false, problems: zodProblems(input, parsed.error.issues) };
}
