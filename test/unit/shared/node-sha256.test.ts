import { Sha256 } from '@aws-crypto/sha256-js';
import { HttpRequest } from '@smithy/protocol-http';
import { SignatureV4 } from '@smithy/signature-v4';
import { NodeSha256 } from '../../../lambdas/shared/aws/node-sha256';

const hex = (bytes: Uint8Array) => Buffer.from(bytes).toString('hex');

async function digestOf(hash: { update(data: string | Uint8Array): void; digest(): Promise<Uint8Array> }, ...parts: (string | Uint8Array)[]) {
  for (const part of parts) hash.update(part);
  return hex(await hash.digest());
}

describe('NodeSha256', () => {
  it('hashes like @aws-crypto/sha256-js', async () => {
    const parts = ['canonical request\n', new Uint8Array([1, 2, 3, 255])];

    expect(await digestOf(new NodeSha256(), ...parts)).toBe(await digestOf(new Sha256(), ...parts));
  });

  it('computes the HMAC like @aws-crypto/sha256-js for string and byte secrets', async () => {
    for (const secret of ['AWS4secret', new Uint8Array([9, 8, 7])]) {
      expect(await digestOf(new NodeSha256(secret), 'date')).toBe(await digestOf(new Sha256(secret), 'date'));
    }
  });

  it('makes SignatureV4 produce the same signature as @aws-crypto/sha256-js', async () => {
    // Prepare
    const request = () =>
      new HttpRequest({
        method: 'POST',
        protocol: 'https:',
        hostname: 'abc.execute-api.us-east-1.amazonaws.com',
        path: '/prod/reservations',
        headers: { host: 'abc.execute-api.us-east-1.amazonaws.com', 'content-type': 'application/json' },
        body: '{"orderId":"o-1"}',
      });
    const signer = (sha256: typeof Sha256 | typeof NodeSha256) =>
      new SignatureV4({ service: 'execute-api', region: 'us-east-1', credentials: { accessKeyId: 'AKID', secretAccessKey: 'secret' }, sha256 });
    const signingDate = new Date('2024-05-01T12:00:00Z');

    // Act
    const native = await signer(NodeSha256).sign(request(), { signingDate });
    const js = await signer(Sha256).sign(request(), { signingDate });

    // Assess
    expect(native.headers.authorization).toBe(js.headers.authorization);
  });
});
