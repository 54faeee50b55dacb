import { Sha256 } from '@aws-crypto/sha256-js';
import { HttpRequest } from '@smithy/protocol-http';
import { SignatureV4 } from '@smithy/signature-v4';
import { adminCaller, callerDirectory, functionCaller } from '../../../../local/iam/api-callers';
import { SignedRequest, verifySigV4 } from '../../../../local/iam/sigv4-verifier';

const FUNCTION_CREDENTIALS = { accessKeyId: 'LOCAL0123456789ABCDE', secretAccessKey: 'function-secret', sessionToken: 'function-token' };
const callers = callerDirectory([
  adminCaller({ accessKeyId: 'test', secretAccessKey: 'test' }, '000000000000'),
  functionCaller({ credentials: FUNCTION_CREDENTIALS, functionName: 'orders', roleName: 'OrdersRole', roleId: 'AROAEXAMPLE', accountId: '000000000000', statements: [] }),
]);
const NOW = new Date('2026-03-04T19:15:17Z');
const options = { region: 'us-east-1', now: () => NOW };

/** Signs a request the way the SDK-based callers do, and returns it as the gateway receives it. */
async function signed(
  init: { method?: string; path?: string; query?: string; body?: string; credentials?: typeof FUNCTION_CREDENTIALS | { accessKeyId: string; secretAccessKey: string }; region?: string; at?: Date } = {},
): Promise<SignedRequest> {
  const path = init.path ?? '/prod/reservations';
  const body = init.body ?? '{"orderId":"o-1"}';
  const query = Object.fromEntries(new URLSearchParams(init.query ?? ''));
  const signer = new SignatureV4({ service: 'execute-api', region: init.region ?? 'us-east-1', credentials: init.credentials ?? FUNCTION_CREDENTIALS, sha256: Sha256 });
  const request = await signer.sign(
    new HttpRequest({
      method: init.method ?? 'POST',
      protocol: 'http:',
      hostname: '127.0.0.1',
      port: 3001,
      path,
      query,
      headers: { host: '127.0.0.1:3001', 'content-type': 'application/json' },
      body,
    }),
    { signingDate: init.at ?? NOW },
  );
  return {
    method: request.method,
    wirePath: path,
    rawQuery: init.query ?? '',
    headers: Object.entries(request.headers).map(([k, v]) => [k, String(v)] as const),
    body: Buffer.from(body),
  };
}

function withHeader(request: SignedRequest, name: string, value: string | undefined): SignedRequest {
  const headers = request.headers.filter(([key]) => key.toLowerCase() !== name.toLowerCase());
  return { ...request, headers: value === undefined ? headers : [...headers, [name, value] as const] };
}

describe('verifySigV4', () => {
  it('accepts a request signed with a function credentials, and names the caller', async () => {
    // Act
    const verdict = await verifySigV4(await signed({ query: 'dryRun=true&tag=a b' }), callers, options);

    // Assess
    expect(verdict).toMatchObject({ ok: true, caller: { arn: 'arn:aws:sts::000000000000:assumed-role/OrdersRole/orders', callerId: 'AROAEXAMPLE:orders' } });
  });

  it('accepts a request signed with the admin pair', async () => {
    const verdict = await verifySigV4(await signed({ credentials: { accessKeyId: 'test', secretAccessKey: 'test' } }), callers, options);
    expect(verdict).toMatchObject({ ok: true, caller: { arn: 'arn:aws:iam::000000000000:root' } });
  });

  it('rejects an unsigned request with MISSING_AUTHENTICATION_TOKEN', async () => {
    const verdict = await verifySigV4(withHeader(await signed(), 'authorization', undefined), callers, options);
    expect(verdict).toEqual({ ok: false, type: 'MISSING_AUTHENTICATION_TOKEN', message: 'Missing Authentication Token' });
  });

  it('rejects a request whose body was changed after signing with INVALID_SIGNATURE', async () => {
    // Prepare
    const request = await signed();

    // Act
    const verdict = await verifySigV4({ ...request, body: Buffer.from('{"orderId":"o-2"}') }, callers, options);

    // Assess
    expect(verdict).toMatchObject({ ok: false, type: 'INVALID_SIGNATURE' });
  });

  it('rejects a request whose path was changed after signing with INVALID_SIGNATURE', async () => {
    const verdict = await verifySigV4({ ...(await signed()), wirePath: '/prod/reservations/other' }, callers, options);
    expect(verdict).toMatchObject({ ok: false, type: 'INVALID_SIGNATURE', message: expect.stringContaining('does not match') });
  });

  it('rejects a signature made with the wrong secret with INVALID_SIGNATURE', async () => {
    const verdict = await verifySigV4(await signed({ credentials: { ...FUNCTION_CREDENTIALS, secretAccessKey: 'guess' } }), callers, options);
    expect(verdict).toMatchObject({ ok: false, type: 'INVALID_SIGNATURE' });
  });

  it('rejects an unknown access key with UNRECOGNIZED_CLIENT', async () => {
    const verdict = await verifySigV4(await signed({ credentials: { accessKeyId: 'AKIAUNKNOWN', secretAccessKey: 'x' } }), callers, options);
    expect(verdict).toMatchObject({ ok: false, type: 'UNRECOGNIZED_CLIENT' });
  });

  it('rejects a function key presented without its session token with UNRECOGNIZED_CLIENT', async () => {
    const verdict = await verifySigV4(withHeader(await signed(), 'x-amz-security-token', undefined), callers, options);
    expect(verdict).toMatchObject({ ok: false, type: 'UNRECOGNIZED_CLIENT' });
  });

  it('rejects a signature scoped to another region', async () => {
    const verdict = await verifySigV4(await signed({ region: 'eu-west-1' }), callers, options);
    expect(verdict).toMatchObject({ ok: false, type: 'INVALID_SIGNATURE', message: expect.stringContaining('valid region') });
  });

  it('rejects a signature older than five minutes as expired', async () => {
    const verdict = await verifySigV4(await signed({ at: new Date(NOW.getTime() - 6 * 60 * 1000) }), callers, options);
    expect(verdict).toMatchObject({ ok: false, type: 'INVALID_SIGNATURE', message: expect.stringContaining('Signature expired') });
  });

  it('rejects an Authorization header that is not SigV4', async () => {
    const verdict = await verifySigV4(withHeader(await signed(), 'authorization', 'Bearer abc'), callers, options);
    expect(verdict).toMatchObject({ ok: false, type: 'INVALID_SIGNATURE' });
  });

  it('checks each request against the secret the key has now, after verifying with the one it had', async () => {
    // Prepare: the same function key before and after its secret changed (a reload hands out new ones)
    const rotated = { ...FUNCTION_CREDENTIALS, secretAccessKey: 'function-secret-2' };
    const rotatedCallers = callerDirectory([
      functionCaller({ credentials: rotated, functionName: 'orders', roleName: 'OrdersRole', roleId: 'AROAEXAMPLE', accountId: '000000000000', statements: [] }),
    ]);
    const before = await signed();
    const after = await signed({ credentials: rotated });

    // Act
    const verdicts = [
      await verifySigV4(before, callers, options),
      await verifySigV4(before, rotatedCallers, options),
      await verifySigV4(after, rotatedCallers, options),
      await verifySigV4(after, callers, options),
    ];

    // Assess
    expect(verdicts.map((verdict) => verdict.ok)).toEqual([true, false, true, false]);
  });

  it('verifies a request that signed its session token, and one that did not, with the same key', async () => {
    // Prepare: the SDK signs X-Amz-Security-Token; a caller may also send it unsigned
    const withToken = await signed();
    const tokenUnsigned = await signed({ credentials: { accessKeyId: FUNCTION_CREDENTIALS.accessKeyId, secretAccessKey: FUNCTION_CREDENTIALS.secretAccessKey } });

    // Act
    const verdicts = [
      await verifySigV4(withToken, callers, options),
      await verifySigV4(withHeader(tokenUnsigned, 'x-amz-security-token', FUNCTION_CREDENTIALS.sessionToken), callers, options),
      await verifySigV4(withToken, callers, options),
    ];

    // Assess
    expect(verdicts.map((verdict) => verdict.ok)).toEqual([true, true, true]);
  });
});
