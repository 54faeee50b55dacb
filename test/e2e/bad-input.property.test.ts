/**
 * Issue 11, item 7: bad input still never yields a 5xx. fast-check generates requests to the public API's seven
 * routes — malformed, mistyped, deep, huge and wrongly encoded bodies; garbage, encoded-slash, `..`, unicode and very
 * long path parameters; wrong methods; odd, repeated and huge headers; missing, garbage, tampered, expired and valid
 * tokens — and every answer must be below 500 and, unless it is a 2xx, an `application/problem+json` document whose
 * `status` is the HTTP status. A valid order still succeeds afterwards.
 *
 * Requests go out through `node:http`, not `fetch`: fetch would normalise what this file means to send as it is
 * (it percent-encodes paths, folds repeated headers into one, refuses a GET body and encodes every body as UTF-8).
 *
 * No generated request is a valid order (bodies the order schema accepts are filtered out), so no answer may be the
 * 503 + Retry-After a valid order gets when inventory is down: every status of 500 or more is a failure here.
 *
 * A failure prints the shrunk request and fast-check's seed and path; replay it with
 * `BAD_INPUT_SEED=<seed> BAD_INPUT_PATH=<path> npx jest test/e2e/bad-input.property.test.ts`.
 */
import { createHmac, randomUUID } from 'node:crypto';
import { request } from 'node:http';
import fc from 'fast-check';
import { placeOrderRequest } from '../../lambdas/orders/domain/place-order-request';
import { TokenSigner } from '../../local/cognito/token-signer';
import type { Customer } from './support/customers';
import { describeNeedsRuntime, type Shop, useShop } from './support/local-shop';

const localShop = useShop();

/**
 * 400 generated requests take 8–17 s on the in-process runtime of a busy two-core machine (a few of them carry bodies
 * of megabytes); the test's budget leaves room for shrinking a counterexample, which replays requests many times.
 */
const NUM_RUNS = 400;
const PROPERTY_TIMEOUT_MS = 240_000;
/** A request that has not been answered by then is a failure too (the functions' own timeouts are far shorter). */
const ANSWER_TIMEOUT_MS = 30_000;

/** The public API's routes, with `{param}` where a path parameter goes. */
const ROUTES = [
  { method: 'GET', path: ['products'] },
  { method: 'GET', path: ['products', '{sku}'] },
  { method: 'POST', path: ['orders'] },
  { method: 'GET', path: ['orders', '{id}'] },
  { method: 'GET', path: ['orders', '{id}', 'timeline'] },
  { method: 'POST', path: ['orders', '{id}', 'cancel'] },
  { method: 'GET', path: ['analytics', 'sales'] },
] as const;

/** Methods the routes do not have, standard or not; Node's client upper-cases a method before sending it. */
const OTHER_METHODS = ['GET', 'POST', 'PUT', 'PATCH', 'DELETE', 'OPTIONS', 'HEAD', 'TRACE', 'PURGE', 'PROPFIND', 'FOO'] as const;

/** The widest order body the deployed schema could take (ORDER_MAX_QUANTITY is at most 1000). */
const ORDER_SCHEMA = placeOrderRequest(1000);

/** A generated request: everything is sent exactly as given. */
interface BadRequest {
  readonly method: string;
  /** The request target after the stage, not re-encoded: `orders/%2F..%2F/timeline?x=1`. */
  readonly target: string;
  /** Raw header pairs in order, repeats included: `['content-type', 'text/plain', …]`. */
  readonly headers: readonly string[];
  readonly body?: Buffer;
  /** Sent in two chunks with `Transfer-Encoding: chunked` rather than with a Content-Length. */
  readonly chunked: boolean;
  /** What the Authorization header holds, for the report of a counterexample. */
  readonly token: string;
}

interface Answer {
  readonly status: number;
  readonly contentType: string | undefined;
  readonly body: string;
}

/** The tokens a request may carry, by name, made once the shop is up. */
interface Tokens {
  /** The shop's customer's and a staff member's: requests that carry them reach the functions. */
  readonly valid: Readonly<Record<string, string>>;
  /** Signed by the pool, claims changed: expired, another audience, no `sub`… */
  readonly signed: Readonly<Record<string, string>>;
  /** Not signed by the pool: payload or signature changed, `alg: none`… */
  readonly tampered: Readonly<Record<string, string>>;
}

/** Percent-encodes every byte of `text`'s UTF-8 (lone surrogates included) except the unreserved characters. */
function percentEncode(text: string): string {
  return [...Buffer.from(text, 'utf8')].map((byte) => (/[A-Za-z0-9._~-]/.test(String.fromCharCode(byte)) ? String.fromCharCode(byte) : `%${byte.toString(16).toUpperCase().padStart(2, '0')}`)).join('');
}

/** Characters Node's client lets through in a header value or request target unencoded: printable latin1. */
const latin1Char = fc.oneof(fc.integer({ min: 0x21, max: 0x7e }), fc.integer({ min: 0xa0, max: 0xff })).map((code) => String.fromCharCode(code));
const latin1Text = (maxLength: number) => fc.string({ unit: fc.oneof(latin1Char, fc.constant(' ')), maxLength });

/** `arbitrary` in `percent` of the requests, else undefined. */
const sometimes = <T>(percent: number, arbitrary: fc.Arbitrary<T>) => fc.oneof({ arbitrary: fc.constant(undefined), weight: 100 - percent }, { arbitrary, weight: percent });

function pathParameter(orderId: string): fc.Arbitrary<string> {
  return fc.oneof(
    { arbitrary: fc.constantFrom(orderId, 'SKU-0001'), weight: 3 },
    fc.constantFrom('SKU-9999', randomUUID(), randomUUID().toUpperCase(), orderId.toUpperCase()),
    fc.uuid(),
    fc.string({ unit: 'binary', maxLength: 40 }).map(percentEncode),
    fc.string({ unit: 'grapheme', minLength: 1, maxLength: 20 }).map(percentEncode),
    // Unencoded: quotes, backslashes, braces, and latin1 bytes, which are no URL characters at all.
    fc.string({ unit: latin1Char, minLength: 1, maxLength: 30 }).filter((text) => !/[?#]/.test(text)),
    fc.constantFrom('..', '.', '%2e%2e', '%2E', '..%2F..%2F..', 'a%2Fb', '%2F', '%252F', '%00', '%ZZ', '%', '%C3%28', '%FF%FE', '%E2%80%AE', '', 'orders', '{id}', '*'),
    fc.integer({ min: 33, max: 8_000 }).map((length) => 'A'.repeat(length)),
  );
}

function queryString(): fc.Arbitrary<string> {
  const value = fc.oneof(
    fc.constantFrom('', '0', '1', '100', '101', '-1', '1e3', '0x10', '99999999999999999999', 'NaN', '2025-01-01T00:00:00Z', '2025-01-01T00:00', '9999-12-31T23:59', 'null'),
    fc.string({ unit: 'binary', maxLength: 30 }).map(percentEncode),
    fc.jsonValue().map((json) => Buffer.from(JSON.stringify(json) ?? 'null').toString('base64url')),
    fc.string({ unit: latin1Char, maxLength: 20 }).filter((text) => !text.includes('#')),
  );
  const pair = fc.tuple(fc.constantFrom('limit', 'cursor', 'from', 'to', 'x', '', 'limit[]', '__proto__', 'constructor', 'toString'), value).map(([name, v]) => `${name}=${v}`);
  return fc.oneof({ arbitrary: fc.constant(''), weight: 3 }, fc.array(pair, { minLength: 1, maxLength: 4 }).map((pairs) => `?${pairs.join('&')}`));
}

function headerArbitraries(): fc.Arbitrary<string[]> {
  const header = (percent: number, name: string, values: fc.Arbitrary<string>) => sometimes(percent, values.map((value) => [name, value]));
  const jsonType = fc.constantFrom('application/json', 'application/json; charset=utf-8', 'application/json; charset=latin1', 'APPLICATION/JSON');
  const otherType = fc.constantFrom(
    'application/json; charset=utf-16',
    'application/json;;;',
    'application/problem+json',
    'application/vnd.api+json',
    'application/jsonp',
    'text/plain',
    'text/json',
    'application/x-www-form-urlencoded',
    'multipart/form-data; boundary=x',
    'application/octet-stream',
    '',
    ';',
    '*/*',
  );
  const contentType = fc.oneof({ arbitrary: jsonType, weight: 2 }, otherType);
  const idempotencyKey = fc.oneof(
    { arbitrary: fc.uuid(), weight: 3 },
    fc.constantFrom('', ' ', '\t', 'a b', 'é', 'ÿÿÿ'),
    fc.integer({ min: 250, max: 1_000 }).map((length) => 'k'.repeat(length)),
    latin1Text(40),
  );
  const prefer = fc.constantFrom('respond-async', 'respond-async, wait=10', 'return=minimal', 'handling=strict', '"', 'respond-async;;;', ',,,', 'wait=99999999999999999999', 'respond-async="\\"');
  const oddHeader = fc.oneof(
    fc.constantFrom(
      ['x-amzn-trace-id', 'Root=;Sampled=2'],
      ['x-amzn-trace-id', 'garbage'],
      ['x-forwarded-for', 'not-an-ip, ::::'],
      ['accept', 'application/xml'],
      ['accept-charset', 'latin1'],
      ['content-encoding', 'gzip'],
      ['expect', '100-continue'],
      ['cookie', 'a=b; customerId=someone'],
      ['x-customer-id', randomUUID()],
      ['user-agent', ''],
    ),
    fc.tuple(fc.constantFrom('x-pad', 'authorization-x', 'x-api-key', '__proto__', 'constructor'), latin1Text(200)),
  );
  // Past Node's 16 KiB limit on a request's head, as well as below it.
  const hugeHeader = fc.constantFrom(1_024, 8_192, 15_000, 17_000, 64_000).map((length) => ['x-pad', 'x'.repeat(length)]);
  const manyHeaders = fc.integer({ min: 50, max: 300 }).map((count) => Array.from({ length: count }, (_, i) => [`x-h-${i}`, String(i)]).flat());
  const nameCase = fc.constantFrom((name: string) => name, (name: string) => name.toUpperCase(), (name: string) => name.replace(/^./, (c) => c.toUpperCase()));
  return fc
    .tuple(
      header(80, 'content-type', contentType),
      header(10, 'content-type', contentType),
      header(80, 'idempotency-key', idempotencyKey),
      header(10, 'idempotency-key', idempotencyKey),
      header(30, 'prefer', prefer),
      header(10, 'prefer', prefer),
      fc.array(oddHeader, { maxLength: 3 }),
      sometimes(5, hugeHeader),
      sometimes(5, manyHeaders),
      nameCase,
    )
    .map(([type, secondType, key, secondKey, preference, secondPreference, odd, huge, many, cased]) => {
      const pairs = [type, key, preference, secondType, secondKey, secondPreference, ...odd, huge].filter((pair): pair is string[] => pair !== undefined);
      return [...pairs.flatMap(([name, value]) => [cased(name), value]), ...(many ?? [])];
    });
}

/** The Authorization header: which token (a name for the report) and its value; undefined for none. */
type Authorization = readonly [name: string, value: string | undefined];

/** Valid tokens half the time, so that most requests get past the authorizer to the functions' own checks. */
function authorization(tokens: Tokens): fc.Arbitrary<Authorization> {
  const none: Authorization = ['none', undefined];
  const named = (group: Readonly<Record<string, string>>) => fc.constantFrom(...Object.entries(group)).map((entry): Authorization => entry);
  return fc.oneof(
    { arbitrary: named(tokens.valid), weight: 6 },
    { arbitrary: named(tokens.signed), weight: 2 },
    { arbitrary: named(tokens.tampered), weight: 2 },
    { arbitrary: fc.constant(none), weight: 1 },
    { arbitrary: latin1Text(60).map((text): Authorization => ['garbage', text]), weight: 1 },
    { arbitrary: fc.constantFrom('Bearer x', 'Bearer ', 'Bearer', 'Basic dXNlcjpwYXNz', 'x.y.z', '..', 'a.b.c.d').map((text): Authorization => [text, text]), weight: 1 },
  );
}

/** A well-formed order with one of its values swapped for anything, or a field added. */
function mistypedOrder(): fc.Arbitrary<unknown> {
  const line = (sku: unknown, quantity: unknown) => ({ sku, quantity });
  const anything = fc.oneof(fc.jsonValue(), fc.anything());
  return fc.oneof(
    anything.map((v) => ({ lines: v })),
    anything.map((v) => ({ lines: [v] })),
    anything.map((v) => ({ lines: [line(v, 1)] })),
    anything.map((v) => ({ lines: [line('SKU-0001', v)] })),
    anything.map((v) => ({ lines: [line('SKU-0001', 1)], customerId: v })),
    fc.tuple(fc.string(), anything).map(([name, v]) => ({ lines: [line('SKU-0001', 1)], [name]: v })),
    fc.tuple(fc.string(), anything).map(([name, v]) => ({ lines: [{ ...line('SKU-0001', 1), [name]: v }] })),
    fc.constantFrom(
      { lines: [line('SKU-0001', 1), line('SKU-0001', 1)] },
      { lines: Array.from({ length: 21 }, (_, i) => line(`SKU-${String(i + 1).padStart(4, '0')}`, 1)) },
      { lines: [line('SKU-0001', 1.5)] },
      { lines: [line('SKU-0001', 0)] },
      { lines: [line('SKU-0001', 1e308)] },
      { lines: [line('sku-0001', 1)] },
      JSON.parse('{"__proto__":{"admin":true},"lines":[{"sku":"SKU-0001","quantity":1}]}') as unknown,
      JSON.parse('{"lines":[{"sku":"SKU-0001","quantity":1,"constructor":{"prototype":{}}}]}') as unknown,
    ),
  );
}

function bodies(): fc.Arbitrary<Buffer | undefined> {
  const valid = '{"lines":[{"sku":"SKU-0001","quantity":1}]}';
  const text = (arbitrary: fc.Arbitrary<string>) => arbitrary.map((s) => Buffer.from(s, 'utf8'));
  const deep = fc.tuple(fc.constantFrom(64, 1_000, 5_000, 8_000, 10_000, 100_000), fc.constantFrom('array', 'object', 'lines', 'open')).map(([depth, shape]) => {
    if (shape === 'array') return `${'['.repeat(depth)}${']'.repeat(depth)}`;
    if (shape === 'object') return `${'{"a":'.repeat(depth)}1${'}'.repeat(depth)}`;
    if (shape === 'lines') return `{"lines":${'['.repeat(depth)}${']'.repeat(depth)}}`;
    return '['.repeat(depth);
  });
  const huge = fc.tuple(fc.constantFrom(16 * 1024 + 1, 64 * 1024, 1024 * 1024, 10 * 1024 * 1024 + 1), fc.boolean()).map(([size, json]) =>
    json ? `{"lines":[{"sku":"SKU-0001","quantity":1}],"pad":"${'x'.repeat(size)}"}` : 'x'.repeat(size),
  );
  const malformed = fc.oneof(
    fc.integer({ min: 1, max: valid.length - 1 }).map((cut) => valid.slice(0, cut)),
    fc.constantFrom('{', '}', 'nul', 'NaN', 'undefined', "{'lines':[]}", '{"lines":[],}', '{"lines":[{"sku":"SKU-0001","quantity":1}]} trailing', `\uFEFF${valid}`, '/* c */{}', '{"a":1}{"b":2}', '"\\ud800"', '{"lines":"\\u0000"}'),
    fc.string({ unit: 'binary', maxLength: 200 }),
  );
  const invalidUtf8 = fc.oneof(
    fc.uint8Array({ minLength: 1, maxLength: 200 }).map((bytes) => Buffer.from(bytes)),
    fc.constantFrom(
      Buffer.concat([Buffer.from('{"lines":[{"sku":"'), Buffer.from([0xff, 0xfe, 0xc3, 0x28]), Buffer.from('","quantity":1}]}')]),
      Buffer.concat([Buffer.from('{"lines":[{"sku":"SKU-0001","quantity":1}],"'), Buffer.from([0xc0, 0xaf]), Buffer.from('":1}')]),
      Buffer.from(`\uFEFF${valid}`, 'utf16le'),
      Buffer.from('{"lines":[{"sku":"SKU-0001","quantity":1,"é":1}]}', 'latin1'),
    ),
  );
  return fc.oneof(
    fc.constant(undefined),
    text(malformed),
    text(fc.json()),
    text(mistypedOrder().map((order) => JSON.stringify(order) ?? 'null')),
    text(deep),
    text(huge),
    invalidUtf8,
  );
}

/** Never a valid order: a body the order schema accepts would place one (and could meet a legitimate 503). */
function isNotAnOrder(body: Buffer | undefined): boolean {
  if (body === undefined) return true;
  try {
    return !ORDER_SCHEMA.safeParse(JSON.parse(body.toString('utf8'))).success;
  } catch {
    return true;
  }
}

function badRequests(orderId: string, tokens: Tokens): fc.Arbitrary<BadRequest> {
  return fc
    .record({
      route: fc.constantFrom(...ROUTES),
      otherMethod: fc.oneof({ arbitrary: fc.constant(undefined), weight: 3 }, fc.constantFrom(...OTHER_METHODS)),
      parameter: pathParameter(orderId),
      query: queryString(),
      headers: headerArbitraries(),
      auth: authorization(tokens),
      body: bodies().filter(isNotAnOrder),
      chunked: fc.boolean(),
    })
    .map(({ route, otherMethod, parameter, query, headers, auth: [token, authValue], body, chunked }) => {
      const request: BadRequest = {
        method: otherMethod ?? route.method,
        target: `${route.path.map((part) => (part.startsWith('{') ? parameter : part)).join('/')}${query}`,
        headers: authValue === undefined ? headers : ['Authorization', authValue, ...headers],
        ...(body === undefined ? {} : { body }),
        chunked,
        token,
      };
      return Object.assign(request, { [fc.toStringMethod]: () => describeRequest(request) });
    });
}

/** A counterexample as a reader needs it: long values cut, bodies summarised. */
function describeRequest(request: BadRequest): string {
  const cut = (text: string, max = 120) => (text.length > max ? `${text.slice(0, max)}… (${text.length} chars)` : text);
  const headers: string[] = [];
  for (let i = 0; i + 1 < request.headers.length; i += 2) headers.push(`${request.headers[i]}: ${cut(request.headers[i + 1] ?? '', 80)}`);
  const body = request.body === undefined ? 'no body' : `${request.body.length} bytes${request.chunked ? ', chunked' : ''}: ${JSON.stringify(cut(request.body.toString('latin1')))}`;
  return `${request.method} ${cut(request.target)} [token: ${request.token}] {${headers.length > 12 ? `${headers.length} headers` : headers.join(' | ')}} ${body}`;
}

/**
 * Sends `bad` as it is. Given its headers as a list, Node's client adds none of its own: the Host, and the body's
 * framing (Content-Length, or chunked), are written here.
 */
function send(base: URL, bad: BadRequest): Promise<Answer> {
  const framing = bad.body === undefined ? [] : bad.chunked ? ['Transfer-Encoding', 'chunked'] : ['Content-Length', String(bad.body.length)];
  const headers = ['Host', base.host, ...bad.headers, ...framing];
  return new Promise((resolve, reject) => {
    const req = request(
      { host: base.hostname, port: base.port, method: bad.method, path: `${base.pathname.replace(/\/$/, '')}/${bad.target}`, headers, timeout: ANSWER_TIMEOUT_MS },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (chunk: Buffer) => chunks.push(chunk));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, contentType: res.headers['content-type'], body: Buffer.concat(chunks).toString('utf8') }));
        res.on('error', reject);
      },
    );
    req.on('timeout', () => req.destroy(new Error(`no answer within ${ANSWER_TIMEOUT_MS} ms`)));
    req.on('error', reject);
    if (bad.body !== undefined && bad.chunked) {
      req.write(bad.body.subarray(0, bad.body.length >> 1));
      req.end(bad.body.subarray(bad.body.length >> 1));
    } else {
      req.end(bad.body);
    }
  });
}

/**
 * What is wrong with `answer`, undefined when nothing is: it must be below 500, and anything but a 2xx a problem
 * document stating its own status (an answer to HEAD has no body to read).
 */
function faultOf(bad: BadRequest, answer: Answer): string | undefined {
  const seen = `${answer.status} ${answer.contentType ?? '(no content-type)'} ${JSON.stringify(answer.body.slice(0, 300))}`;
  if (answer.status >= 500) return `a server error: ${seen}`;
  if (answer.status >= 200 && answer.status < 300) return undefined;
  if (!/^application\/problem\+json\b/.test(answer.contentType ?? '')) return `not a problem document: ${seen}`;
  if (bad.method.toUpperCase() === 'HEAD') return undefined;
  let problem: unknown;
  try {
    problem = JSON.parse(answer.body);
  } catch {
    return `a problem document that is no JSON: ${seen}`;
  }
  return (problem as { status?: unknown }).status === answer.status ? undefined : `a problem document of another status: ${seen}`;
}

/**
 * The user pool's own signer, caught while it signs a refreshed token for the shop's customer: tokens it signs are
 * genuine, so the expired one is refused for its expiry alone. The runtime exposes no user pool, and in-process
 * the pool signs with the same TokenSigner class this file imports.
 */
async function poolSigner(shop: Shop): Promise<TokenSigner> {
  const sign = jest.spyOn(TokenSigner.prototype, 'sign');
  try {
    await shop.customers.refresh(shop.customer);
    const signer: unknown = sign.mock.contexts[0];
    if (!(signer instanceof TokenSigner)) throw new Error('signing in did not go through the in-process user pool');
    return signer;
  } finally {
    sign.mockRestore();
  }
}

/** One part of a JWT (0: the header, 1: the claims), decoded, unverified. */
function tokenPart(token: string, index: 0 | 1): Record<string, unknown> {
  return JSON.parse(Buffer.from(token.split('.')[index] ?? '', 'base64url').toString('utf8')) as Record<string, unknown>;
}

/** `token` with its payload replaced by `change(claims)`, its header and signature kept. */
function withPayload(token: string, change: (claims: Record<string, unknown>) => Record<string, unknown>): string {
  const [header, , signature] = token.split('.');
  return [header, Buffer.from(JSON.stringify(change(tokenPart(token, 1)))).toString('base64url'), signature].join('.');
}

/** `token`'s payload under another header, signed (or not) by `signature`. */
function withHeader(token: string, header: Record<string, unknown>, signature: (signed: string) => string): string {
  const [, payload] = token.split('.');
  const encoded = `${Buffer.from(JSON.stringify(header)).toString('base64url')}.${String(payload)}`;
  return `${encoded}.${signature(encoded)}`;
}

async function tokensOf(shop: Shop, staff: Customer): Promise<Tokens> {
  const customer = shop.customer;
  const signer = await poolSigner(shop);
  const claims = tokenPart(customer.idToken, 1);
  const now = Math.floor(Date.now() / 1000);
  const signed = (change: (c: Record<string, unknown>) => Record<string, unknown>) => signer.sign(change({ ...claims }));
  const without = (name: string) => (c: Record<string, unknown>) => Object.fromEntries(Object.entries(c).filter(([key]) => key !== name));
  const kid = String(tokenPart(customer.idToken, 0).kid);
  const valid = {
    customer: customer.idToken,
    'customer, Bearer': `Bearer ${customer.idToken}`,
    'customer, bearer in lower case and spaces': `bearer   ${customer.idToken}  `,
    staff: staff.idToken,
  };
  const signedByThePool = {
    'expired (signed by the pool)': signed((c) => ({ ...c, iat: now - 7_200, auth_time: now - 7_200, exp: now - 3_600 })),
    'expired a second ago (signed by the pool)': signed((c) => ({ ...c, exp: now - 1 })),
    'no exp (signed by the pool)': signed(without('exp')),
    'exp as a string (signed by the pool)': signed((c) => ({ ...c, exp: String(now + 3_600) })),
    'an access token (signed by the pool)': signed((c) => ({ ...c, token_use: 'access' })),
    'another audience (signed by the pool)': signed((c) => ({ ...c, aud: 'another-app-client' })),
    'another issuer (signed by the pool)': signed((c) => ({ ...c, iss: 'https://cognito-idp.us-east-1.amazonaws.com/us-east-1_Other' })),
    'no sub (signed by the pool)': signed(without('sub')),
    'an empty sub (signed by the pool)': signed((c) => ({ ...c, sub: '' })),
    'an object as sub (signed by the pool)': signed((c) => ({ ...c, sub: { $ne: null } })),
    'a path as sub (signed by the pool)': signed((c) => ({ ...c, sub: '../../orders/x' })),
    'odd groups (signed by the pool)': signed((c) => ({ ...c, 'cognito:groups': ['staff', { a: 1 }, null] })),
  };
  const tampered = {
    'customer, twice': `${customer.idToken}, ${customer.idToken}`,
    'payload changed: another sub': withPayload(customer.idToken, (c) => ({ ...c, sub: randomUUID() })),
    'payload changed: staff group': withPayload(customer.idToken, (c) => ({ ...c, 'cognito:groups': ['staff'] })),
    'payload changed: later exp': withPayload(customer.idToken, (c) => ({ ...c, exp: Number(c.exp) + 86_400 })),
    'signature changed': `${customer.idToken.slice(0, -6)}${customer.idToken.endsWith('AAAAAA') ? 'BBBBBB' : 'AAAAAA'}`,
    'signature cut': customer.idToken.slice(0, customer.idToken.lastIndexOf('.') + 10),
    'signature removed': customer.idToken.slice(0, customer.idToken.lastIndexOf('.') + 1),
    'alg none, no signature': withHeader(customer.idToken, { alg: 'none', typ: 'JWT' }, () => ''),
    'alg none, signature kept': withHeader(customer.idToken, { alg: 'none', kid }, () => String(customer.idToken.split('.')[2])),
    'alg HS256 keyed with the kid': withHeader(customer.idToken, { alg: 'HS256', kid }, (encoded) => createHmac('sha256', kid).update(encoded).digest('base64url')),
    'an unknown kid': withHeader(customer.idToken, { alg: 'RS256', kid: 'not-a-key' }, () => String(customer.idToken.split('.')[2])),
    'a header that is no JSON': `${Buffer.from('{alg:').toString('base64url')}.${customer.idToken.split('.').slice(1).join('.')}`,
    'four parts': `${customer.idToken}.${customer.idToken.split('.')[2]}`,
  };
  return { valid, signed: signedByThePool, tampered };
}

/**
 * Counterexamples the property found, kept as requests of their own so they are tried on every run, not only when the
 * generator happens on them again (both fixed in 9a3d3a2):
 * - a query parameter or header named after a member of Object.prototype: the local runtime's proxy event builder
 *   found the inherited member (`(multiValueQueryStringParameters[name] ??= []).push(value)`), `.push` was not a
 *   function, and the REST API server answered its own `500 application/json` "local runtime error";
 * - a request Node's HTTP parser refuses (a head over 16 KiB, a method it does not know, a byte that is no URL
 *   character): with no `clientError` handler, Node answered a bare 431 or 400 with no body.
 */
const KNOWN_COUNTEREXAMPLES: readonly (readonly [name: string, request: BadRequest])[] = [
  ['a query parameter named __proto__', { method: 'GET', target: 'products?__proto__=1', headers: [], chunked: false, token: 'none' }],
  ['a query parameter named constructor', { method: 'GET', target: 'products?constructor=1', headers: [], chunked: false, token: 'none' }],
  ['a header named constructor', { method: 'GET', target: 'products', headers: ['constructor', '1'], chunked: false, token: 'none' }],
  ['a header of 17,000 bytes', { method: 'GET', target: 'products', headers: ['x-pad', 'x'.repeat(17_000)], chunked: false, token: 'none' }],
  ['the method FOO', { method: 'FOO', target: 'products', headers: [], chunked: false, token: 'none' }],
  ['a latin1 byte in the path', { method: 'GET', target: 'products/\u00e9', headers: [], chunked: false, token: 'none' }],
];

describeNeedsRuntime('bad input', () => {
  let orderId: string;
  let tokens: Tokens;

  beforeAll(async () => {
    const shop = localShop();
    const placed = await shop.placeOrder({ lines: [{ sku: 'SKU-0001', quantity: 1 }] });
    if (placed.status !== 201) throw new Error(`the order the generated requests name was answered ${placed.status}: ${placed.body}`);
    orderId = String(placed.json.orderId);
    tokens = await tokensOf(shop, await shop.staff());
  });

  it(
    'answers every generated request below 500, and every answer but a 2xx with a problem document of its status',
    async () => {
      const shop = localShop();
      const seed = process.env.BAD_INPUT_SEED === undefined ? undefined : Number(process.env.BAD_INPUT_SEED);
      const replayPath = process.env.BAD_INPUT_PATH;

      await fc.assert(
        fc.asyncProperty(badRequests(orderId, tokens), async (bad) => {
          expect(faultOf(bad, await send(shop.publicUrl, bad))).toBeUndefined();
        }),
        { numRuns: NUM_RUNS, ...(seed === undefined ? {} : { seed }), ...(replayPath === undefined ? {} : { path: replayPath }) },
      );
    },
    PROPERTY_TIMEOUT_MS,
  );

  it.each(KNOWN_COUNTEREXAMPLES)('answers %s below 500 with a problem document of its status', async (_name, bad) => {
    const answer = await send(localShop().publicUrl, bad);

    expect(faultOf(bad, answer)).toBeUndefined();
  });

  // After the tests above: none of what they sent leaves the shop unable to take an order.
  it('still places a valid order with the customer\'s token afterwards', async () => {
    const res = await localShop().placeOrder({ lines: [{ sku: 'SKU-0002', quantity: 1 }] });

    expect(res.status).toBe(201);
  });
});
