/**
 * The runtime's own facts on the control API, for a test that reaches a running `npm start` over HTTP:
 *
 * - `GET /_local/runtime`: `{ stackName, region, timeScale, edgeUrl }`
 * - `GET /_local/settled?timeoutMs=30000`: answers `{ settled: true }` once no EventBridge delivery (retries
 *   included) or asynchronous invocation is left, nor any they caused (`LocalRuntime.eventsSettled()`), or
 *   `{ settled: false }` with status 504 when the timeout passes first.
 */
import { type EdgeService, jsonResponse } from './edge/edge-server';

export interface RuntimeFacts {
  readonly stackName: string;
  readonly region: string;
  readonly timeScale: number;
  readonly edgeUrl: string;
}

const MAX_WAIT_MS = 120_000;

export function runtimeControlService(options: { readonly facts: () => RuntimeFacts | undefined; readonly settled: () => Promise<void> | undefined }): EdgeService {
  return {
    name: 'runtime-control',
    matches: (req) => req.url.pathname === '/_local/runtime' || req.url.pathname === '/_local/settled',
    handle: async (req) => {
      if (req.method !== 'GET') return jsonResponse(405, { message: `${req.url.pathname} takes GET` });
      const facts = options.facts();
      if (!facts) return jsonResponse(503, { message: 'The local runtime is still starting' });
      if (req.url.pathname === '/_local/runtime') return jsonResponse(200, facts);
      const timeoutText = req.url.searchParams.get('timeoutMs') ?? '30000';
      const timeoutMs = Number(timeoutText);
      if (!Number.isFinite(timeoutMs) || timeoutMs < 0 || timeoutMs > MAX_WAIT_MS) {
        return jsonResponse(400, { message: `timeoutMs is '${timeoutText}': give milliseconds from 0 to ${MAX_WAIT_MS}` });
      }
      let timer: NodeJS.Timeout | undefined;
      const late = new Promise<'late'>((resolve) => {
        timer = setTimeout(() => resolve('late'), timeoutMs);
      });
      const outcome = await Promise.race([(options.settled() ?? Promise.resolve()).then(() => 'settled' as const), late]);
      clearTimeout(timer);
      return outcome === 'settled' ? jsonResponse(200, { settled: true }) : jsonResponse(504, { settled: false, message: `still busy after ${timeoutMs} ms` });
    },
  };
}
