import { fromEnv } from '@aws-sdk/credential-provider-env';
import { HttpRequest } from '@smithy/protocol-http';
import { SignatureV4 } from '@smithy/signature-v4';
import { NodeSha256 } from '../../shared/aws/node-sha256';
import {
  ConflictError,
  type FieldError,
  ServiceUnavailableError,
  UnprocessableError,
} from '../../shared/errors';
import { type CircuitBreaker, CircuitOpenError } from '../domain/circuit-breaker';
import type { Inventory } from '../domain/place-order';

/** Resolves the AWS credentials requests are signed with. */
export type CredentialProvider = ReturnType<typeof fromEnv>;

export interface InventoryClientOptions {
  /** Inventory API base URL, ending in `/` (the stage URL of the internal REST API). */
  readonly baseUrl: URL;
  /** Region the API is in, for SigV4. */
  readonly region: string;
  /** Per-attempt timeout, in milliseconds; two attempts must fit the function's own timeout. */
  readonly timeoutMs: number;
  /** Wraps each call, its retry included. */
  readonly breaker: CircuitBreaker;
  /** @default - `fromEnv()`: the function's credentials, from the environment variables Lambda sets */
  readonly credentials?: CredentialProvider;
  /** @default - the global fetch, looked up at each call */
  readonly fetch?: typeof fetch;
  /** Upper bound of the random (full-jitter) wait before the one retry, in milliseconds. @default 100 */
  readonly maxRetryDelayMs?: number;
  /** @default Math.random */
  readonly random?: () => number;
  /** @default - a setTimeout-based sleep */
  readonly sleep?: (ms: number) => Promise<void>;
  /** X-Ray trace header to pass on as `X-Amzn-Trace-Id`. @default - `_X_AMZN_TRACE_ID` at call time */
  readonly traceHeader?: () => string | undefined;
}

/** What inventory answered: any status, with its body read. */
interface InventoryAnswer {
  readonly status: number;
  readonly body: string;
}

/** Inventory answered with a status that may pass if asked again (5xx, 429); counts against the breaker. */
export class InventoryHttpError extends Error {
  constructor(readonly status: number) {
    super(`inventory answered ${status}`);
    this.name = 'InventoryHttpError';
  }
}

/** Inventory answered something the contract does not allow for: our fault or its, never the client's. */
export class InventoryContractError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'InventoryContractError';
  }
}

const isRetryable = (status: number): boolean => status >= 500 || status === 429;

/**
 * Inventory's internal REST API over HTTPS, SigV4-signed (`execute-api`).
 *
 * Each call: a per-attempt timeout (`AbortSignal.timeout`), at most one retry after a full-jitter wait — only when a
 * retry is safe and may help: a network error, a timeout, a 5xx or a 429 (reservations are idempotent by orderId);
 * never on another 4xx. The circuit breaker wraps the call with its retry, so one call is one success or one failure;
 * answers that say the request was wrong (409, 422, any other 4xx) are successes for the breaker — inventory is up.
 */
export class InventoryClient implements Inventory {
  private readonly signer: SignatureV4;
  private readonly fetch: typeof fetch;
  private readonly maxRetryDelayMs: number;
  private readonly random: () => number;
  private readonly sleep: (ms: number) => Promise<void>;
  private readonly traceHeader: () => string | undefined;

  constructor(private readonly options: InventoryClientOptions) {
    this.signer = new SignatureV4({
      service: 'execute-api',
      region: options.region,
      credentials: options.credentials ?? fromEnv(),
      sha256: NodeSha256,
    });
    // Looked up per call, not captured: instrumentation (and tests) may replace the global fetch later.
    this.fetch = options.fetch ?? ((input, init) => globalThis.fetch(input, init));
    this.maxRetryDelayMs = options.maxRetryDelayMs ?? 100;
    this.random = options.random ?? Math.random;
    this.sleep = options.sleep ?? ((ms) => new Promise((resolve) => setTimeout(resolve, ms)));
    this.traceHeader = options.traceHeader ?? (() => process.env._X_AMZN_TRACE_ID);
  }

  /**
   * POST /reservations. Resolves when the stock is reserved (201), or was already reserved for this orderId with the
   * same lines (200). Rejects with 409 `out-of-stock` / 422 `unknown-sku` problems naming `lines[i].sku` (passed on
   * from inventory), or 503 when inventory is unavailable (`circuit-open` while the breaker is open).
   */
  async reserve(orderId: string, lines: readonly { readonly sku: string; readonly quantity: number }[]): Promise<void> {
    const answer = await this.call('reservations', JSON.stringify({ orderId, lines }));
    switch (answer.status) {
      case 200:
      case 201:
        return;
      case 409: {
        const errors = lineErrors(answer);
        if (errors.length === 0) throw new InventoryContractError(`inventory refused orderId ${orderId}: ${answer.body}`);
        throw new ConflictError('Not enough stock for every line.', { type: 'out-of-stock', errors });
      }
      case 422: {
        const errors = lineErrors(answer);
        if (errors.length === 0) throw new InventoryContractError(`inventory answered 422: ${answer.body}`);
        throw new UnprocessableError('Some skus are not stocked.', { type: 'unknown-sku', errors });
      }
      default:
        throw new InventoryContractError(`inventory answered ${answer.status} to a reservation: ${answer.body}`);
    }
  }

  /** Throws the 503 `circuit-open` problem while the breaker would refuse a call; otherwise does nothing. */
  ensureAvailable(): void {
    try {
      this.options.breaker.rejectIfOpen();
    } catch (error) {
      if (error instanceof CircuitOpenError) throw circuitOpen(error);
      throw error;
    }
  }

  /** Sign once, then run both attempts inside the breaker; a breaker refusal or a failed call becomes a 503. */
  private async call(route: string, body: string): Promise<InventoryAnswer> {
    const url = new URL(route, this.options.baseUrl);
    const headers = await this.signedHeaders('POST', url, body);
    try {
      return await this.options.breaker.execute(() => this.withOneRetry(url, { method: 'POST', headers, body }));
    } catch (error) {
      if (error instanceof CircuitOpenError) throw circuitOpen(error);
      throw new ServiceUnavailableError('Inventory did not answer successfully.', {
        type: 'inventory-unavailable',
        retryAfterSeconds: 1,
        cause: error,
      });
    }
  }

  private async withOneRetry(url: URL, init: { method: string; headers: Record<string, string>; body: string }): Promise<InventoryAnswer> {
    let failure: unknown;
    for (let attempt = 0; attempt < 2; attempt++) {
      if (attempt > 0) await this.sleep(this.random() * this.maxRetryDelayMs);
      try {
        const response = await this.fetch(url, { ...init, signal: AbortSignal.timeout(this.options.timeoutMs) });
        const answer = { status: response.status, body: await response.text() };
        if (!isRetryable(answer.status)) return answer;
        failure = new InventoryHttpError(answer.status);
      } catch (error) {
        // fetch rejects only for transport failures: network errors and the timeout's abort.
        failure = error;
      }
    }
    throw failure;
  }

  private async signedHeaders(method: string, url: URL, body: string): Promise<Record<string, string>> {
    const request = new HttpRequest({
      method,
      protocol: url.protocol,
      hostname: url.hostname,
      ...(url.port === '' ? {} : { port: Number(url.port) }),
      path: url.pathname,
      headers: { host: url.host, 'content-type': 'application/json' },
      body,
    });
    const signed = await this.signer.sign(request);
    // fetch derives Host from the URL (the same value that was signed) and refuses to set it itself.
    const headers = Object.fromEntries(Object.entries(signed.headers).filter(([name]) => name !== 'host'));
    const trace = this.traceHeader();
    return trace === undefined ? headers : { ...headers, 'x-amzn-trace-id': trace };
  }
}

function circuitOpen(error: CircuitOpenError): ServiceUnavailableError {
  return new ServiceUnavailableError('Inventory is unavailable: the circuit breaker is open.', {
    type: 'circuit-open',
    retryAfterSeconds: error.retryAfterMs / 1000,
  });
}

/** The `lines[i].…` field errors of a problem document, passed on as they are. */
function lineErrors(answer: InventoryAnswer): FieldError[] {
  let problem: unknown;
  try {
    problem = JSON.parse(answer.body);
  } catch {
    return [];
  }
  const errors = (problem as { errors?: unknown }).errors;
  if (!Array.isArray(errors)) return [];
  return errors.flatMap((error: unknown): FieldError[] => {
    const { field, message, available } = (error ?? {}) as Record<string, unknown>;
    if (typeof field !== 'string' || !field.startsWith('lines[') || typeof message !== 'string') return [];
    return [{ field, message, ...(typeof available === 'number' ? { available } : {}) }];
  });
}
