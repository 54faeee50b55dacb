/**
 * What the bench's main thread and its load-client thread say to each other (see `load-client.ts`): the plans the
 * client runs and the records it sends back. Plain data, copied between threads.
 */

/** One request to send; `idempotencyKey` adds a fresh `Idempotency-Key` header to each send. */
export interface RequestSpec {
  /** Groups requests in the results: `sync`, `async`, `get`… */
  readonly label: string;
  readonly method: string;
  readonly url: string;
  readonly headers?: Readonly<Record<string, string>>;
  readonly body?: string;
  readonly idempotencyKey?: boolean;
}

/** Requests at a fixed rate; request i is `requests[i % requests.length]`. */
export interface OpenLoopPlan {
  readonly ratePerSecond: number;
  readonly durationMs: number;
  readonly requests: readonly RequestSpec[];
  /** How often the client reports progress. */
  readonly progressEveryMs: number;
}

/** `connections` keep-alive connections sending `request` back to back for `durationMs`. */
export interface ClosedLoopPlan {
  readonly connections: number;
  readonly durationMs: number;
  readonly request: RequestSpec;
}

/**
 * The same handler called in this thread and through the API, interleaved, plus a plain HTTP server's round trip
 * (the floor of any HTTP call): `iterations` of each after `warmUp` unmeasured ones. The client thread must have
 * been started with the function's environment.
 */
export interface OverheadPlan {
  readonly iterations: number;
  readonly warmUp: number;
  readonly api: RequestSpec;
  readonly floor: RequestSpec;
  /** The function's bundle file (`cdk.out/asset.…/index.mjs`) and its exported handler. */
  readonly bundleFile: string;
  readonly exportName: string;
  /** The proxy event, as JSON (parsed again for each call, as the worker receives it). */
  readonly eventJson: string;
  readonly functionName: string;
  readonly timeoutMs: number;
}

/** One request of an open-loop run. Times are epoch milliseconds with sub-millisecond precision. */
export interface RequestRecord {
  readonly label: string;
  readonly dueAt: number;
  readonly sentAt: number;
  readonly doneAt: number;
  /** 0 when no answer came. */
  readonly status: number;
  /** `type` of a problem+json answer (e.g. `…/circuit-open`). */
  readonly problemType?: string;
  /** `orderId` of an answer that carries one. */
  readonly orderId?: string;
  /** The answer's `Retry-After` header, when it has one. */
  readonly retryAfter?: string;
  /** Why no answer came, or the start of an unexpected answer's body. */
  readonly error?: string;
}

export interface ClosedLoopResult {
  readonly connections: number;
  readonly elapsedMs: number;
  readonly count: number;
  /** Answers that were not 2xx (a 429 or 5xx included), and requests that got no answer. */
  readonly errors: number;
  readonly statuses: Readonly<Record<string, number>>;
  readonly latenciesMs: readonly number[];
}

export interface OverheadResult {
  /** The handler called in the client thread. */
  readonly directMs: readonly number[];
  /** HTTP → API port → gateway → Lambda worker → response. */
  readonly apiMs: readonly number[];
  /** A plain HTTP server's round trip. */
  readonly floorMs: readonly number[];
  /** Answers other than 200 (the direct call's statusCode included). */
  readonly errors: number;
}

export interface Progress {
  readonly sent: number;
  readonly done: number;
  readonly ok: number;
  readonly inFlight: number;
}

export type ToClient =
  | { readonly type: 'openLoop'; readonly id: number; readonly plan: OpenLoopPlan }
  | { readonly type: 'closedLoop'; readonly id: number; readonly plan: ClosedLoopPlan }
  | { readonly type: 'overhead'; readonly id: number; readonly plan: OverheadPlan };

export type FromClient =
  | { readonly type: 'progress'; readonly id: number; readonly progress: Progress }
  | { readonly type: 'result'; readonly id: number; readonly result: unknown }
  | { readonly type: 'failed'; readonly id: number; readonly message: string };

/** `type` and `orderId` from an answer's JSON body, when it has them. */
export function answerFields(body: string): { problemType?: string; orderId?: string } {
  if (!body.startsWith('{')) return {};
  try {
    const parsed = JSON.parse(body) as { type?: unknown; orderId?: unknown };
    return {
      ...(typeof parsed.type === 'string' ? { problemType: parsed.type } : {}),
      ...(typeof parsed.orderId === 'string' ? { orderId: parsed.orderId } : {}),
    };
  } catch {
    return {};
  }
}
