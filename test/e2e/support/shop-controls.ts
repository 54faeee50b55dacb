/**
 * The local runtime's controls, for the tests that need more than a deployed stack offers: inject a fault into a
 * function or into PutEvents, count a function's invocations, wait for asynchronous work to settle.
 *
 * Two ways to reach them: the in-process runtime object (`npm test`), or the control API a running `npm start` serves
 * on its edge under `/_local/` (`SHOP_CONTROL_URL`, see `local/lambda/control-service.ts` and
 * `local/eventbridge/eventbridge-edge-service.ts`). A real deployment has none: tests that need them are skipped.
 */
import type { PutEventsFault } from '../../../local/eventbridge/put-events-fault';
import type { FunctionFault } from '../../../local/lambda/function-fault';
import type { LocalRuntime } from '../../../local/runtime';

export type { FunctionFault, PutEventsFault };

export interface ShopControls {
  /** For messages: where the controls are. */
  readonly description: string;
  /** Injects a fault into a function (logical id, short name, function name or ARN); undefined clears it. */
  setFault(fn: string, fault: FunctionFault | undefined): Promise<void>;
  /** Makes chosen PutEvents entries fail; undefined clears it. */
  putEventsFault(fault: PutEventsFault | undefined): Promise<void>;
  /** Invocations that reached a function so far. */
  invocationCount(fn: string): Promise<number>;
  /** Resolves once no asynchronous work the runtime knows of is left. */
  eventsSettled(): Promise<void>;
}

/** The controls of an in-process runtime: its own methods. */
export function runtimeControls(runtime: LocalRuntime): ShopControls {
  return {
    description: 'the in-process local runtime',
    setFault: async (fn, fault) => runtime.setFault(fn, fault),
    putEventsFault: async (fault) => runtime.putEventsFault(fault),
    invocationCount: async (fn) => runtime.invocationCount(fn),
    eventsSettled: () => runtime.eventsSettled(),
  };
}

/** The control API answered something other than what the call needs. */
export class ControlApiError extends Error {
  public constructor(message: string) {
    super(message);
    this.name = 'ControlApiError';
  }
}

interface FunctionSummary {
  readonly logicalId: string;
  readonly busy: number;
  readonly invocations: number;
}

export interface HttpControlsOptions {
  /**
   * How long `eventsSettled` waits for the functions to be idle.
   *
   * @default 30_000
   */
  readonly settleTimeoutMs?: number;
  /**
   * How long every function must stay idle, with no new invocation, to count as settled.
   *
   * @default 750
   */
  readonly quietMs?: number;
}

/**
 * The controls of a running `npm start`, over its control API.
 * @param controlUrl the API's base, e.g. `http://localhost:4566/_local` (what `npm start` prints)
 */
export function httpControls(controlUrl: string, options: HttpControlsOptions = {}): ShopControls & { check(): Promise<void> } {
  const base = controlUrl.endsWith('/') ? controlUrl : `${controlUrl}/`;
  const request = async (method: string, route: string, body?: unknown): Promise<Record<string, unknown>> => {
    const url = new URL(route, base);
    let response: Response;
    try {
      // The control API changes state only for JSON requests, a DELETE without a body included.
      response = await fetch(url, {
        method,
        ...(method === 'GET' ? {} : { headers: { 'content-type': 'application/json' } }),
        ...(body === undefined ? {} : { body: JSON.stringify(body) }),
      });
    } catch (error) {
      throw new ControlApiError(`the local runtime's control API at ${url} does not answer (${causeOf(error)}): is \`npm start\` running, and is SHOP_CONTROL_URL its control URL?`);
    }
    const text = await response.text();
    if (!response.ok) throw new ControlApiError(`${method} ${url} answered ${response.status}: ${text.slice(0, 300)}`);
    try {
      return JSON.parse(text) as Record<string, unknown>;
    } catch {
      throw new ControlApiError(`${method} ${url} answered ${response.status} with no JSON (${text.slice(0, 80)}): SHOP_CONTROL_URL must be a local runtime's control URL, e.g. http://localhost:4566/_local`);
    }
  };
  const functions = async () => (await request('GET', 'functions')).functions as FunctionSummary[];
  const settleTimeoutMs = options.settleTimeoutMs ?? 30_000;
  const quietMs = options.quietMs ?? 750;

  return {
    description: `the control API at ${base}`,
    check: async () => {
      const body = await request('GET', 'faults');
      if (typeof body.faults !== 'object') throw new ControlApiError(`GET ${base}faults answered no faults: SHOP_CONTROL_URL is not a local runtime's control API`);
    },
    setFault: async (fn, fault) => {
      await request(fault === undefined ? 'DELETE' : 'POST', `faults/${encodeURIComponent(fn)}`, fault);
    },
    putEventsFault: async (fault) => {
      await request(fault === undefined ? 'DELETE' : 'POST', 'eventbridge/faults', fault);
    },
    invocationCount: async (fn) => {
      // The runtime resolves the reference (short name, ARN…) to a logical id; the summaries carry the counts.
      const { function: logicalId } = await request('GET', `faults/${encodeURIComponent(fn)}`);
      const found = (await functions()).find((f) => f.logicalId === logicalId);
      if (!found) throw new ControlApiError(`GET ${base}functions lists no function ${String(logicalId)}`);
      return found.invocations;
    },
    // `GET /_local/settled` waits for the runtime's own count of deliveries and asynchronous invocations. A runtime
    // without it (older) gets the stand-in below: idle functions and no new invocation for a while (a retry waiting
    // on a backoff is not seen there; callers poll their observable result after this, as everywhere).
    eventsSettled: async () => {
      const settled = await fetch(new URL(`settled?timeoutMs=${settleTimeoutMs}`, base)).catch(() => undefined);
      if (settled?.status === 200) return;
      if (settled?.status === 504) throw new ControlApiError(`the local runtime at ${base} did not settle within ${settleTimeoutMs} ms`);
      const deadline = Date.now() + settleTimeoutMs;
      let last = '';
      let quietSince = Date.now();
      for (;;) {
        const all = await functions();
        const signature = all.map((f) => `${f.logicalId}:${f.invocations}`).join(',');
        const busy = all.some((f) => f.busy > 0);
        if (busy || signature !== last) {
          last = signature;
          quietSince = Date.now();
        } else if (Date.now() - quietSince >= quietMs) {
          return;
        }
        if (Date.now() > deadline) throw new ControlApiError(`the local runtime at ${base} did not settle within ${settleTimeoutMs} ms`);
        await new Promise((resolve) => setTimeout(resolve, 150));
      }
    },
  };
}

function causeOf(error: unknown): string {
  const cause = (error as { cause?: { code?: string; message?: string } }).cause;
  return cause?.code ?? cause?.message ?? (error instanceof Error ? error.message : String(error));
}
