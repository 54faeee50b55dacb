/**
 * Random hex for the ids the local runtime mints on every request (trace ids, API Gateway's extended request id,
 * environment ids). `crypto.randomBytes` costs a call into OpenSSL and a new Buffer per id, which shows at a
 * thousand requests a second; this draws from a pool filled 4 KB at a time, as `crypto.randomUUID` does by default.
 * The ids are as random as randomBytes' (the same source); none of them is a secret.
 */
import { randomFillSync } from 'node:crypto';

const POOL_BYTES = 4096;
const pool = Buffer.alloc(POOL_BYTES);
let offset = POOL_BYTES;

/** `bytes` random bytes as lowercase hex (2 × `bytes` characters). */
export function randomHex(bytes: number): string {
  return randomText(bytes, 'hex');
}

/** `bytes` random bytes as base64url (no padding). */
export function randomBase64Url(bytes: number): string {
  return randomText(bytes, 'base64url');
}

function randomText(bytes: number, encoding: 'hex' | 'base64url'): string {
  if (bytes > POOL_BYTES) return randomFillSync(Buffer.alloc(bytes)).toString(encoding);
  if (offset + bytes > POOL_BYTES) {
    randomFillSync(pool);
    offset = 0;
  }
  const text = pool.toString(encoding, offset, offset + bytes);
  offset += bytes;
  return text;
}
