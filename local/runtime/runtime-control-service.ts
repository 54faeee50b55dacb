/**
 * The runtime's own facts on the control API, for a test that reaches a running `npm start` over HTTP:
 *
 * - `GET /_local/runtime`: `{ stackName, region, timeScale, edgeUrl }`
 * - `GET /_local/settled?timeoutMs=30000`: answers `{ settled: true }` once no EventBridge delivery (retries
 *   included) or asynchronous invocation is left, nor any they caused (`LocalRuntime.eventsSettled()`), or
 *   `{ settled: false }` with status 504 when the timeout passes first.
 * - `GET /_local/cpu`: the CPU time (ms) each part of the runtime has used since it started
 *   (`LocalRuntime.cpuUsage()`): `{ mainThreadMs, functionsMs: { OrdersPlaceOrderFunction: … }, sqsMs, kinesisMs }`.
 */
import { type EdgeService, jsonResponse } from '../edge/edge-server';
import type { RuntimeCpuUsage } from './cpu-usage';

export interface RuntimeFacts {
  readonly stackName: string;
  readonly region: string;
  readonly timeScale: number;
  readonly edgeUrl: string;
}

const MAX_WAIT_MS = 120_000;

const PATHS: ReadonlySet<string> = new Set(['/_local/runtime', '/_local/settled', '/_local/cpu']);

export function runtimeControlService(options: {
  readonly facts: RuntimeFacts;
  readonly settled: () => Promise<void>;
  readonly cpu: () => Promise<RuntimeCpuUsage>;
}): EdgeService {
  return {
    name: 'runtime-control',
    matches: (req) => PATHS.has(req.url.pathname),
    handle: async (req) => {
      if (req.method !== 'GET') return jsonResponse(405, { message: `${req.url.pathname} takes GET` });
      if (req.url.pathname === '/_local/runtime') return jsonResponse(200, options.facts);
      if (req.url.pathname === '/_local/cpu') return jsonResponse(200, await options.cpu());
      const timeoutText = req.url.searchParams.get('timeoutMs') ?? '30000';
      const timeoutMs = Number(timeoutText);
      if (!Number.isFinite(timeoutMs) || timeoutMs < 0 || timeoutMs > MAX_WAIT_MS) {
        return jsonResponse(400, { message: `timeoutMs is '${timeoutText}': give milliseconds from 0 to ${MAX_WAIT_MS}` });
      }
      let timer: NodeJS.Timeout | undefined;
      const late = new Promise<'late'>((resolve) => {
        timer = setTimeout(() => resolve('late'), timeoutMs);
      });
      const outcome = await Promise.race([options.settled().then(() => 'settled' as const), late]);
      clearTimeout(timer);
      return outcome === 'settled' ? jsonResponse(200, { settled: true }) : jsonResponse(504, { settled: false, message: `still busy after ${timeoutMs} ms` });
    },
  };
}
