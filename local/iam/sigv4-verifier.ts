import { createHash, createHmac, type Hash, type Hmac, timingSafeEqual } from 'node:crypto';
import { HttpRequest } from '@smithy/protocol-http';
import { SignatureV4 } from '@smithy/signature-v4';
import type { Checksum, SourceData } from '@smithy/types';
import { safeDecode } from '../shared/safe-decode';
import { ApiCaller, CallerDirectory } from './api-callers';

/** The parts of a request a SigV4 signature covers, as they were on the wire. */
export interface SignedRequest {
  readonly method: string;
  /** The path exactly as received (percent-encoded). */
  readonly wirePath: string;
  /** The query string without `?`, as received. */
  readonly rawQuery: string;
  readonly headers: readonly (readonly [string, string])[];
  readonly body: Buffer;
}

export type SigV4Verdict =
  | { readonly ok: true; readonly caller: ApiCaller }
  | { readonly ok: false; readonly type: 'MISSING_AUTHENTICATION_TOKEN' | 'INVALID_SIGNATURE' | 'UNRECOGNIZED_CLIENT'; readonly message: string };

export interface SigV4Options {
  /** The region the API lives in; the credential scope must name it. */
  readonly region: string;
  /**
   * The service the credential scope must name.
   *
   * @default 'execute-api'
   */
  readonly service?: string;
  /**
   * The verifier's clock.
   *
   * @default - the current time
   */
  readonly now?: () => Date;
}

/** A signature is accepted within 5 minutes of its X-Amz-Date, either way. */
export const MAX_CLOCK_SKEW_MS = 5 * 60 * 1000;
const UNSIGNED_PAYLOAD = 'UNSIGNED-PAYLOAD';

/**
 * Verifies an `Authorization: AWS4-HMAC-SHA256 …` header for real: finds the caller that owns the access key,
 * checks the credential scope, the clock skew, the session token and the payload hash, then recomputes the
 * signature with @smithy/signature-v4 over exactly the signed headers and compares. Presigned URLs (query-string
 * signatures) are not accepted.
 */
export async function verifySigV4(request: SignedRequest, callers: CallerDirectory, options: SigV4Options): Promise<SigV4Verdict> {
  const service = options.service ?? 'execute-api';
  const header = headerValues(request.headers, 'authorization');
  if (header.length === 0) return { ok: false, type: 'MISSING_AUTHENTICATION_TOKEN', message: 'Missing Authentication Token' };
  const auth = parseAuthorization(header[header.length - 1]);
  if ('problem' in auth) return invalid(auth.problem);

  const caller = callers.find(auth.accessKeyId);
  if (!caller) return { ok: false, type: 'UNRECOGNIZED_CLIENT', message: 'The security token included in the request is invalid.' };

  if (auth.scopeService !== service) return invalid(`Credential should be scoped to correct service: '${service}'. `);
  if (auth.scopeRegion !== options.region) return invalid(`Credential should be scoped to a valid region. `);
  if (!auth.signedHeaders.includes('host')) return invalid(`'Host' or ':authority' must be a 'SignedHeader' in the AWS Authorization.`);

  const amzDate = lastValue(request.headers, 'x-amz-date');
  if (!amzDate) return invalid(`Authorization header requires existence of either a 'X-Amz-Date' or a 'Date' header.`);
  const signingDate = parseAmzDate(amzDate);
  if (!signingDate) return invalid(`Date must be in ISO-8601 'basic format'. Got '${amzDate}'.`);
  if (amzDate.slice(0, 8) !== auth.scopeDate) return invalid(`Date in Credential scope does not match YYYYMMDD from ISO-8601 version of date from HTTP: '${auth.scopeDate}' != '${amzDate.slice(0, 8)}'`);
  const now = (options.now ?? (() => new Date()))();
  if (signingDate.getTime() < now.getTime() - MAX_CLOCK_SKEW_MS) {
    return invalid(`Signature expired: ${amzDate} is now earlier than ${formatAmzDate(new Date(now.getTime() - MAX_CLOCK_SKEW_MS))} (${formatAmzDate(now)} - 5 min.)`);
  }
  if (signingDate.getTime() > now.getTime() + MAX_CLOCK_SKEW_MS) {
    return invalid(`Signature not yet current: ${amzDate} is still later than ${formatAmzDate(new Date(now.getTime() + MAX_CLOCK_SKEW_MS))} (${formatAmzDate(now)} + 5 min.)`);
  }

  const token = lastValue(request.headers, 'x-amz-security-token');
  if ((caller.credentials.sessionToken ?? undefined) !== token) {
    return { ok: false, type: 'UNRECOGNIZED_CLIENT', message: 'The security token included in the request is invalid.' };
  }

  const contentHash = lastValue(request.headers, 'x-amz-content-sha256');
  if (contentHash !== undefined && contentHash !== UNSIGNED_PAYLOAD && contentHash !== createHash('sha256').update(request.body).digest('hex')) {
    return invalid('The provided x-amz-content-sha256 header does not match what was computed.');
  }

  const signedHeaders: Record<string, string> = {};
  for (const name of auth.signedHeaders) {
    const values = headerValues(request.headers, name);
    if (values.length === 0) return invalid(BAD_SIGNATURE);
    signedHeaders[name] = values.join(',');
  }
  const signer = signerFor(auth, caller.credentials.secretAccessKey, auth.signedHeaders.includes('x-amz-security-token') ? token : undefined);
  const recomputed = await signer.sign(
    new HttpRequest({
      method: request.method.toUpperCase(),
      protocol: 'https:',
      hostname: signedHeaders.host ?? 'localhost',
      path: request.wirePath,
      query: parseQuery(request.rawQuery),
      headers: signedHeaders,
      body: request.body.length > 0 ? request.body : undefined,
    }),
    { signingDate, signingRegion: auth.scopeRegion, signingService: auth.scopeService, signableHeaders: new Set(auth.signedHeaders) },
  );
  const expected = /Signature=([0-9a-f]+)/.exec(String(recomputed.headers.authorization ?? ''))?.[1] ?? '';
  const given = Buffer.from(auth.signature);
  if (expected.length !== auth.signature.length || !timingSafeEqual(Buffer.from(expected), given)) return invalid(BAD_SIGNATURE);
  return { ok: true, caller };
}

/**
 * SHA-256, and HMAC-SHA256 given a key, on Node's native crypto for the signer: the pure-JavaScript implementation
 * hashed every verified request's body and canonical request, and derived its signing key, in JavaScript on the
 * runtime's one event loop.
 */
class NativeSha256 implements Checksum {
  private hash: Hash | Hmac;

  constructor(private readonly secret?: SourceData) {
    this.hash = NativeSha256.start(secret);
  }

  update(chunk: Uint8Array | string): void {
    this.hash.update(typeof chunk === 'string' ? chunk : bytesOf(chunk));
  }

  async digest(): Promise<Uint8Array> {
    return new Uint8Array(this.hash.digest());
  }

  reset(): void {
    this.hash = NativeSha256.start(this.secret);
  }

  private static start(secret: SourceData | undefined): Hash | Hmac {
    return secret === undefined ? createHash('sha256') : createHmac('sha256', typeof secret === 'string' ? secret : bytesOf(secret));
  }
}

function bytesOf(data: ArrayBuffer | ArrayBufferView): Uint8Array {
  return ArrayBuffer.isView(data) ? new Uint8Array(data.buffer, data.byteOffset, data.byteLength) : new Uint8Array(data);
}

/** Signers kept, one per caller key and scope: a signer caches the signing keys it derives (one a day). */
const signers = new Map<string, SignatureV4>();
const MAX_SIGNERS = 500;

/** The signer that recomputes a signature of `auth`'s key and scope, with the caller's secret and the token signed. */
function signerFor(auth: ParsedAuthorization, secretAccessKey: string, sessionToken: string | undefined): SignatureV4 {
  const key = [auth.accessKeyId, secretAccessKey, sessionToken ?? '', auth.scopeRegion, auth.scopeService].join('\n');
  let signer = signers.get(key);
  if (signer === undefined) {
    signer = new SignatureV4({
      service: auth.scopeService,
      region: auth.scopeRegion,
      sha256: NativeSha256,
      applyChecksum: false,
      credentials: { accessKeyId: auth.accessKeyId, secretAccessKey, ...(sessionToken !== undefined ? { sessionToken } : {}) },
    });
    if (signers.size >= MAX_SIGNERS) signers.clear();
    signers.set(key, signer);
  }
  return signer;
}

const BAD_SIGNATURE =
  'The request signature we calculated does not match the signature you provided. Check your AWS Secret Access Key and signing method. Consult the service documentation for details.';

interface ParsedAuthorization {
  readonly accessKeyId: string;
  readonly scopeDate: string;
  readonly scopeRegion: string;
  readonly scopeService: string;
  readonly signedHeaders: readonly string[];
  readonly signature: string;
}

function parseAuthorization(value: string): ParsedAuthorization | { problem: string } {
  const match = /^AWS4-HMAC-SHA256\s+(.*)$/s.exec(value.trim());
  if (!match) return { problem: `Authorization header requires 'AWS4-HMAC-SHA256' as its algorithm.` };
  const parts = new Map<string, string>();
  for (const part of match[1].split(',')) {
    const eq = part.indexOf('=');
    if (eq < 0) return { problem: `Invalid key=value pair (missing equal-sign) in Authorization header.` };
    parts.set(part.slice(0, eq).trim(), part.slice(eq + 1).trim());
  }
  const missing = ['Credential', 'SignedHeaders', 'Signature'].filter((key) => !parts.get(key));
  if (missing.length > 0) return { problem: missing.map((key) => `Authorization header requires '${key}' parameter.`).join(' ') };
  const scope = (parts.get('Credential') ?? '').split('/');
  if (scope.length !== 5 || scope[4] !== 'aws4_request') {
    return { problem: `Credential should be scoped to a valid region, service and 'aws4_request' terminator: ${parts.get('Credential')}` };
  }
  const [accessKeyId, scopeDate, scopeRegion, scopeService] = scope;
  return {
    accessKeyId,
    scopeDate,
    scopeRegion,
    scopeService,
    signedHeaders: (parts.get('SignedHeaders') ?? '').split(';').map((h) => h.trim().toLowerCase()),
    signature: (parts.get('Signature') ?? '').toLowerCase(),
  };
}

function invalid(message: string): SigV4Verdict {
  return { ok: false, type: 'INVALID_SIGNATURE', message };
}

function headerValues(headers: readonly (readonly [string, string])[], name: string): string[] {
  return headers.filter(([key]) => key.toLowerCase() === name).map(([, value]) => value);
}

function lastValue(headers: readonly (readonly [string, string])[], name: string): string | undefined {
  return headerValues(headers, name).pop();
}

/** `20240102T030405Z` → Date. */
function parseAmzDate(value: string): Date | undefined {
  const m = /^(\d{4})(\d{2})(\d{2})T(\d{2})(\d{2})(\d{2})Z$/.exec(value);
  return m ? new Date(Date.UTC(+m[1], +m[2] - 1, +m[3], +m[4], +m[5], +m[6])) : undefined;
}

function formatAmzDate(date: Date): string {
  return date.toISOString().replace(/[-:]/g, '').replace(/\.\d{3}/, '');
}

/** The decoded query, repeated keys as lists: what the signer canonicalizes (it re-encodes). */
function parseQuery(rawQuery: string): Record<string, string | string[]> {
  const query: Record<string, string | string[]> = {};
  for (const pair of rawQuery.split('&')) {
    if (pair === '') continue;
    const eq = pair.indexOf('=');
    const key = safeDecode(eq < 0 ? pair : pair.slice(0, eq));
    const value = eq < 0 ? '' : safeDecode(pair.slice(eq + 1));
    const existing = query[key];
    query[key] = existing === undefined ? value : Array.isArray(existing) ? [...existing, value] : [existing, value];
  }
  return query;
}
