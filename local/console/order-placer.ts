/**
 * Places an order from the console as a customer would: through the public API, with a Cognito ID token, an
 * `Idempotency-Key`, and `Prefer: respond-async` for an asynchronous one. The customer is the console's own
 * (`console-customer`), created in the stack's user pool with a new random password on first use and signed in
 * through the pool's app client (USER_PASSWORD_AUTH), as any client signs in: nothing is hard-coded, and the demo
 * users' passwords stay as printed. The product is the first the catalog lists (`GET /products?limit=1`).
 *
 * Shop-specific by design: it reads the stack outputs `PublicApiUrl`, `UserPoolId` and `UserPoolClientId` and the
 * shape of `POST /orders`; without them the console's order panel says what is missing.
 */
import { randomBytes, randomUUID } from 'node:crypto';
import type { LocalUserPool } from '../cognito/user-pool';

export const CONSOLE_CUSTOMER = 'console-customer';

export interface OrderPlacerOptions {
  /** The public API's base URL, ending in `/`. */
  readonly publicApiUrl: string;
  readonly pool: LocalUserPool;
  readonly clientId: string;
}

export interface PlacedOrder {
  readonly status: number;
  /** Set when the API answered with an order. */
  readonly orderId?: string;
  /** The answer's body, parsed when JSON. */
  readonly body: unknown;
  /** The client's latency (ms). */
  readonly latencyMs: number;
  readonly startedAt: number;
  readonly at: number;
}

/** The console cannot place orders: what is missing. */
export class OrderPlacerUnavailableError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'OrderPlacerUnavailableError';
  }
}

/** The placer for the runtime's outputs and user pools, or why there is none. */
export function orderPlacerFor(outputs: Readonly<Record<string, string>>, pools: Iterable<LocalUserPool>): OrderPlacer | OrderPlacerUnavailableError {
  const { PublicApiUrl: publicApiUrl, UserPoolId: poolId, UserPoolClientId: clientId } = outputs;
  const missing = Object.entries({ PublicApiUrl: publicApiUrl, UserPoolId: poolId, UserPoolClientId: clientId })
    .filter(([, value]) => value === undefined)
    .map(([name]) => name);
  if (missing.length > 0) return new OrderPlacerUnavailableError(`The stack has no output ${missing.join(', ')}: the console places orders through the public API as a customer of the user pool`);
  const pool = [...pools].find((candidate) => candidate.id === poolId);
  if (pool === undefined) return new OrderPlacerUnavailableError(`The user pool ${poolId} (output UserPoolId) is not one of the stack's`);
  return new OrderPlacer({ publicApiUrl: publicApiUrl.endsWith('/') ? publicApiUrl : `${publicApiUrl}/`, pool, clientId });
}

export class OrderPlacer {
  private token: { readonly value: string; readonly expiresAt: number } | undefined;
  private password: string | undefined;
  private sku: string | undefined;

  constructor(private readonly options: OrderPlacerOptions) {}

  /** Places one order of one unit; `onSend` is called just before the request leaves. */
  async place(mode: 'sync' | 'async', onSend: () => void = () => undefined): Promise<PlacedOrder> {
    const [token, sku] = await Promise.all([this.idToken(), this.firstSku()]);
    onSend();
    const startedAt = Date.now();
    const started = performance.now();
    const response = await fetch(`${this.options.publicApiUrl}orders`, {
      method: 'POST',
      headers: {
        authorization: token,
        'content-type': 'application/json',
        'idempotency-key': randomUUID(),
        ...(mode === 'async' ? { prefer: 'respond-async' } : {}),
      },
      body: JSON.stringify({ lines: [{ sku, quantity: 1 }] }),
    });
    const text = await response.text();
    const latencyMs = Math.round((performance.now() - started) * 10) / 10;
    const body = parseJson(text);
    const orderId = typeof body === 'object' && body !== null && typeof (body as { orderId?: unknown }).orderId === 'string' ? (body as { orderId: string }).orderId : undefined;
    return { status: response.status, ...(orderId !== undefined ? { orderId } : {}), body, latencyMs, startedAt, at: startedAt + latencyMs };
  }

  /** The console customer's ID token, signed in again shortly before it expires. */
  private async idToken(): Promise<string> {
    if (this.token !== undefined && this.token.expiresAt > Date.now() + 60_000) return this.token.value;
    const { pool, clientId } = this.options;
    if (this.password === undefined) {
      const password = `Console-${randomBytes(12).toString('base64url')}1a!A`;
      try {
        pool.adminGetUser(CONSOLE_CUSTOMER);
      } catch {
        pool.adminCreateUser(CONSOLE_CUSTOMER, { email: `${CONSOLE_CUSTOMER}@example.com`, email_verified: 'true' });
      }
      pool.adminSetUserPassword(CONSOLE_CUSTOMER, password, true);
      this.password = password;
    }
    const result = pool.initiateAuth(clientId, 'USER_PASSWORD_AUTH', { USERNAME: CONSOLE_CUSTOMER, PASSWORD: this.password });
    if (!('AuthenticationResult' in result)) throw new OrderPlacerUnavailableError(`Signing ${CONSOLE_CUSTOMER} in asked for ${result.ChallengeName}`);
    const { IdToken: value, ExpiresIn: expiresIn } = result.AuthenticationResult;
    this.token = { value, expiresAt: Date.now() + expiresIn * 1000 };
    return value;
  }

  private async firstSku(): Promise<string> {
    if (this.sku !== undefined) return this.sku;
    const response = await fetch(`${this.options.publicApiUrl}products?limit=1`);
    const body = parseJson(await response.text());
    const sku = findSku(body);
    if (!response.ok || sku === undefined) throw new OrderPlacerUnavailableError(`GET /products?limit=1 answered ${response.status} without a product: seed the catalog first`);
    this.sku = sku;
    return sku;
  }
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
}

/** The first `sku` of a product list page (`{ items: [{ sku }] }` or any array of products in it). */
function findSku(body: unknown): string | undefined {
  if (typeof body !== 'object' || body === null) return undefined;
  for (const value of Object.values(body)) {
    if (!Array.isArray(value)) continue;
    const first: unknown = value[0];
    if (typeof first === 'object' && first !== null && typeof (first as { sku?: unknown }).sku === 'string') return (first as { sku: string }).sku;
  }
  return undefined;
}
