import { TokenSigner } from '../../../../local/cognito/token-signer';
import { authorizerClaims, verifyCognitoToken, type TrustedPool } from '../../../../local/cognito/token-verifier';

const ISSUER = 'http://127.0.0.1:4566/us-east-1_Local';
const NOW = Date.parse('2026-12-07T10:00:00Z');
const seconds = NOW / 1000;
const signer = new TokenSigner();
const pool: TrustedPool = { issuer: ISSUER, keys: signer.jwks().keys, clientIds: ['client-1'] };

const idClaims = (overrides: Record<string, unknown> = {}) => ({ sub: 'u-1', iss: ISSUER, aud: 'client-1', token_use: 'id', iat: seconds, exp: seconds + 3600, ...overrides });
const accessClaims = (overrides: Record<string, unknown> = {}) => ({ sub: 'u-1', iss: ISSUER, client_id: 'client-1', token_use: 'access', scope: 'aws.cognito.signin.user.admin shop/orders', iat: seconds, exp: seconds + 3600, ...overrides });
const verify = (token: string | undefined, scopes?: string[]) => verifyCognitoToken(token, [pool], { now: () => NOW, ...(scopes ? { scopes } : {}) });

describe('verifyCognitoToken', () => {
  it('accepts an ID token of the pool, raw or after Bearer', () => {
    const token = signer.sign(idClaims());

    expect(verify(token)).toEqual({ ok: true, claims: idClaims() });
    expect(verify(`Bearer ${token}`).ok).toBe(true);
  });

  it.each([
    ['no token', undefined, /no token/],
    ['something that is not a JWT', 'hello', /not a JSON Web Token/],
    ['an expired token', signer.sign(idClaims({ exp: seconds })), /expired/],
    ['a token of another issuer', signer.sign(idClaims({ iss: 'https://cognito-idp.us-east-1.amazonaws.com/us-east-1_Other' })), /not a user pool of this authorizer/],
    ['a token of another app client', signer.sign(idClaims({ aud: 'client-2' })), /audience client-2/],
    ['an access token where an ID token is due', signer.sign(accessClaims()), /takes an ID token/],
    ['a token signed by another key', new TokenSigner().sign(idClaims()), /no key/],
  ])('refuses %s', (_name, token, reason) => {
    const verdict = verify(token);

    expect(verdict.ok).toBe(false);
    expect(verdict.ok ? '' : verdict.reason).toMatch(reason);
  });

  it('refuses a token whose claims were changed after signing', () => {
    const [header, , signature] = signer.sign(idClaims()).split('.');
    const forged = `${header}.${Buffer.from(JSON.stringify(idClaims({ sub: 'someone-else' }))).toString('base64url')}.${signature}`;

    expect(verify(forged)).toEqual({ ok: false, reason: 'the signature does not verify' });
  });

  it('refuses an unsigned token (alg none)', () => {
    const none = `${Buffer.from(JSON.stringify({ alg: 'none', kid: signer.kid })).toString('base64url')}.${Buffer.from(JSON.stringify(idClaims())).toString('base64url')}.AA`;

    expect(verify(none)).toEqual({ ok: false, reason: "the token's alg is none, not RS256" });
  });

  it('with scopes on the method, takes an access token holding one of them, and nothing else', () => {
    expect(verify(signer.sign(accessClaims()), ['shop/orders']).ok).toBe(true);
    expect(verify(signer.sign(accessClaims()), ['shop/admin'])).toEqual({ ok: false, reason: 'the token has none of the scopes shop/admin' });
    expect(verify(signer.sign(idClaims()), ['shop/orders'])).toMatchObject({ ok: false, reason: expect.stringMatching(/takes an access token/) });
  });
});

describe('authorizerClaims', () => {
  it('passes every claim as a string, lists joined by commas', () => {
    expect(authorizerClaims({ sub: 'u-1', exp: 1, 'cognito:groups': ['staff', 'ops'], email_verified: true })).toEqual({ sub: 'u-1', exp: '1', 'cognito:groups': 'staff,ops', email_verified: 'true' });
  });
});
