import { createHash, createHmac } from 'node:crypto';

/** An access key pair the local runtime hands out and accepts. */
export interface LocalCredentials {
  readonly accessKeyId: string;
  readonly secretAccessKey: string;
  /** Present for the temporary credentials a function gets, as Lambda's are. */
  readonly sessionToken?: string;
}

/** The admin pair with full access, LocalStack's default: what tests, the seed script and curl users sign with. */
export const ADMIN_CREDENTIALS: LocalCredentials = Object.freeze({ accessKeyId: 'test', secretAccessKey: 'test' });

/**
 * A function's own credentials, derived from its logical id: the access key id is stable (`LOCAL` + 15 hex
 * digits, 20 characters like AWS's), the secret and session token depend on `secretSeed` (random per runtime).
 * Distinct keys per function let API Gateway's IAM check tell callers apart.
 */
export function functionCredentials(logicalId: string, secretSeed: string): Required<LocalCredentials> {
  const keyHash = createHash('sha256').update(logicalId).digest('hex').slice(0, 15).toUpperCase();
  const mac = (purpose: string) => createHmac('sha256', secretSeed).update(`${purpose}:${logicalId}`).digest('base64');
  return {
    accessKeyId: `LOCAL${keyHash}`,
    secretAccessKey: mac('secret').replace(/[^A-Za-z0-9]/g, '').slice(0, 40).padEnd(40, '0'),
    sessionToken: `LocalSessionToken/${mac('token')}`,
  };
}
