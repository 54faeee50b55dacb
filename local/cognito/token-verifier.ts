/**
 * What a REST API's COGNITO_USER_POOLS authorizer checks of the token in a request's identity source (the
 * `Authorization` header), per Cognito's "Verifying a JSON web token": the RS256 signature under a key of the pool's
 * JWKS (by `kid`), the issuer (one of the authorizer's pools), the expiry, and the token's use — without
 * authorization scopes on the method, an ID token of one of the pool's app clients (`aud`); with scopes, an access
 * token whose `scope` holds one of them.
 */
import { decodeJwt, verifiesUnder, type JsonWebKey } from './token-signer';

export interface TrustedPool {
  readonly issuer: string;
  readonly keys: readonly JsonWebKey[];
  /** The pool's app client ids: an ID token's `aud`, an access token's `client_id`. */
  readonly clientIds: readonly string[];
}

export type TokenVerdict =
  | { readonly ok: true; readonly claims: Readonly<Record<string, unknown>> }
  | { readonly ok: false; readonly reason: string };

export interface VerifyOptions {
  /** The method's AuthorizationScopes: when any, an access token with one of them is required. */
  readonly scopes?: readonly string[];
  /** @default Date.now */
  readonly now?: () => number;
}

/** Verifies `token` (raw, or after `Bearer `) against the authorizer's pools. */
export function verifyCognitoToken(token: string | undefined, pools: readonly TrustedPool[], options: VerifyOptions = {}): TokenVerdict {
  if (token === undefined || token.trim() === '') return { ok: false, reason: 'no token in the Authorization header' };
  const decoded = decodeJwt(token.trim().replace(/^Bearer\s+/i, ''));
  if (!decoded) return { ok: false, reason: 'the token is not a JSON Web Token' };
  const { header, claims, signed, signature } = decoded;
  if (header.alg !== 'RS256') return { ok: false, reason: `the token's alg is ${String(header.alg)}, not RS256` };
  const pool = pools.find((p) => p.issuer === claims.iss);
  if (!pool) return { ok: false, reason: `the token's issuer ${String(claims.iss)} is not a user pool of this authorizer` };
  const key = pool.keys.find((k) => k.kid === header.kid);
  if (!key) return { ok: false, reason: `no key ${String(header.kid)} in the user pool's JWKS` };
  if (!verifiesUnder(key, signed, signature)) return { ok: false, reason: 'the signature does not verify' };
  const nowSeconds = Math.floor((options.now ?? Date.now)() / 1000);
  if (typeof claims.exp !== 'number' || claims.exp <= nowSeconds) return { ok: false, reason: 'the token has expired' };
  const scopes = options.scopes ?? [];
  if (scopes.length === 0) {
    if (claims.token_use !== 'id') return { ok: false, reason: `the method takes an ID token; this one's token_use is ${String(claims.token_use)}` };
    if (!pool.clientIds.includes(String(claims.aud))) return { ok: false, reason: `the token's audience ${String(claims.aud)} is not an app client of the pool` };
  } else {
    if (claims.token_use !== 'access') return { ok: false, reason: `the method takes an access token; this one's token_use is ${String(claims.token_use)}` };
    if (!pool.clientIds.includes(String(claims.client_id))) return { ok: false, reason: `the token's client_id ${String(claims.client_id)} is not an app client of the pool` };
    const granted = String(claims.scope ?? '').split(' ');
    if (!scopes.some((scope) => granted.includes(scope))) return { ok: false, reason: `the token has none of the scopes ${scopes.join(', ')}` };
  }
  return { ok: true, claims };
}

/**
 * The claims as a REST API passes them to the integration (`requestContext.authorizer.claims`): every value a
 * string, a list (`cognito:groups`) joined by commas. (AWS also renders `exp`, `iat` and `auth_time` as dates; here
 * they stay numbers in a string. Read `sub` and `cognito:groups`, which are the same on both.)
 */
export function authorizerClaims(claims: Readonly<Record<string, unknown>>): Record<string, string> {
  return Object.fromEntries(Object.entries(claims).map(([name, value]) => [name, Array.isArray(value) ? value.map(String).join(',') : String(value)]));
}
