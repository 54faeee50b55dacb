import { createHash, createHmac, type Hash, type Hmac } from 'node:crypto';

/**
 * SHA-256 (or HMAC-SHA256 when given a secret) for `@smithy/signature-v4`, on Node's native crypto.
 * Replaces `@aws-crypto/sha256-js`, which adds 5 KB (with its tslib) of pure-JS hashing to a bundle that runs on Node.
 */
export class NodeSha256 {
  private readonly hash: Hash | Hmac;

  constructor(secret?: string | ArrayBuffer | ArrayBufferView) {
    if (secret === undefined) {
      this.hash = createHash('sha256');
    } else {
      const key = typeof secret === 'string' ? secret : ArrayBuffer.isView(secret) ? new Uint8Array(secret.buffer, secret.byteOffset, secret.byteLength) : new Uint8Array(secret);
      this.hash = createHmac('sha256', key);
    }
  }

  update(data: string | ArrayBuffer | ArrayBufferView): void {
    this.hash.update(
      typeof data === 'string'
        ? data
        : ArrayBuffer.isView(data)
          ? new Uint8Array(data.buffer, data.byteOffset, data.byteLength)
          : new Uint8Array(data),
    );
  }

  async digest(): Promise<Uint8Array> {
    return new Uint8Array(this.hash.digest());
  }
}
