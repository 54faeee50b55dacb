/**
 * Signs JSON Web Tokens as a Cognito user pool does: RS256 (RSASSA-PKCS1-v1_5 with SHA-256) under a key whose public
 * half the pool publishes as a JSON Web Key Set (`{issuer}/.well-known/jwks.json`), with a `kid` that names it.
 *
 * The key pair is made when the signer is, and lives as long as it does: tokens of an earlier run of the runtime
 * do not verify (as tokens of a deleted pool would not on AWS).
 */
import { createHash, createPublicKey, generateKeyPairSync, sign, verify, type KeyObject } from 'node:crypto';
import { isRecord } from '../shared/json';

export interface JsonWebKey {
  readonly kty: string;
  readonly n: string;
  readonly e: string;
  readonly kid: string;
  readonly alg: 'RS256';
  readonly use: 'sig';
}

export type JwtClaims = Readonly<Record<string, unknown>>;

export class TokenSigner {
  public readonly kid: string;
  private readonly privateKey: KeyObject;
  private readonly keySet: { keys: JsonWebKey[] };

  public constructor() {
    const { privateKey, publicKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
    this.privateKey = privateKey;
    // Cognito's kids are base64 of a digest; any stable name of this key serves.
    this.kid = createHash('sha256').update(publicKey.export({ format: 'der', type: 'spki' })).digest('base64');
    // Exported once: the key never changes, and every authorized request reads the set.
    const { kty, n, e } = publicKey.export({ format: 'jwk' });
    this.keySet = { keys: [{ kty: String(kty), n: String(n), e: String(e), kid: this.kid, alg: 'RS256', use: 'sig' }] };
  }

  /** `header.payload.signature`, base64url each. */
  public sign(claims: JwtClaims): string {
    const header = base64url(JSON.stringify({ kid: this.kid, alg: 'RS256' }));
    const payload = base64url(JSON.stringify(claims));
    const signature = sign('sha256', Buffer.from(`${header}.${payload}`), this.privateKey);
    return `${header}.${payload}.${signature.toString('base64url')}`;
  }

  /** The pool's JSON Web Key Set: what a verifier fetches from `{issuer}/.well-known/jwks.json`. */
  public jwks(): { readonly keys: readonly JsonWebKey[] } {
    return this.keySet;
  }
}

/** The parts of a compact JWS, decoded; undefined when `token` is not one. */
export function decodeJwt(token: string): { header: Record<string, unknown>; claims: Record<string, unknown>; signed: string; signature: Buffer } | undefined {
  const parts = token.split('.');
  if (parts.length !== 3 || parts.some((part) => !/^[A-Za-z0-9_-]+$/.test(part))) return undefined;
  try {
    const header: unknown = JSON.parse(Buffer.from(parts[0], 'base64url').toString('utf8'));
    const claims: unknown = JSON.parse(Buffer.from(parts[1], 'base64url').toString('utf8'));
    if (!isRecord(header) || !isRecord(claims)) return undefined;
    return { header, claims, signed: `${parts[0]}.${parts[1]}`, signature: Buffer.from(parts[2], 'base64url') };
  } catch {
    return undefined;
  }
}

/** Whether `signature` over `signed` verifies under the JWK `key` (RS256). */
export function verifiesUnder(key: JsonWebKey, signed: string, signature: Buffer): boolean {
  const publicKey = createPublicKey({ key: { kty: key.kty, n: key.n, e: key.e }, format: 'jwk' });
  return verify('sha256', Buffer.from(signed), publicKey, signature);
}

function base64url(text: string): string {
  return Buffer.from(text, 'utf8').toString('base64url');
}
