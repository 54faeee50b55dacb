/**
 * How the bench sends requests: open loop (a fixed arrival rate) or closed loop (N connections, each sending its
 * next request when the previous one answered).
 *
 * Open loop is what a shop sees (customers do not wait for each other), and it is the one that does not hide
 * latency: a closed-loop client that waits for a slow answer also stops sending, so the slowness it would have met
 * is never measured (coordinated omission, Gil Tene). Here every request has a due time fixed before the run; it is
 * sent at that time whatever is still in flight, and its latency counts from the due time, so a sender that fell
 * behind (a stalled event loop) shows up as latency instead of vanishing. Closed loop is kept for what it measures
 * honestly: the most requests per second N connections get through.
 *
 * Times are milliseconds on the clock given (`performance.timeOrigin + performance.now()` by default: comparable
 * across worker threads); the clock is injectable so the scheduling can be tested without waiting.
 */

export interface Clock {
  now(): number;
  /** Resolves after about `ms` milliseconds. */
  sleep(ms: number): Promise<void>;
}

export const realClock: Clock = {
  now: () => performance.timeOrigin + performance.now(),
  sleep: (ms) => new Promise((resolve) => setTimeout(resolve, ms)),
};

/** Due times, in ms from the start, of a fixed rate held for `durationMs`: request i is due at i / rate. */
export function arrivalOffsets(ratePerSecond: number, durationMs: number): number[] {
  if (!(ratePerSecond > 0) || !Number.isFinite(ratePerSecond)) throw new Error(`rate is ${ratePerSecond}: give requests per second, a positive number`);
  if (!(durationMs >= 0)) throw new Error(`duration is ${durationMs}: give milliseconds, 0 or more`);
  const interval = 1000 / ratePerSecond;
  const count = Math.floor((durationMs * ratePerSecond) / 1000 + 1e-9);
  return Array.from({ length: count }, (_, i) => i * interval);
}

/** One request of a run: when it was due, sent and answered, and what `send` resolved to. */
export interface SentRequest<T> {
  readonly index: number;
  /** When it was due (open loop), or sent (closed loop). */
  readonly dueAt: number;
  readonly sentAt: number;
  readonly doneAt: number;
  readonly outcome: T;
}

/** Latency as the client sees it: from the due time, so waiting to be sent counts. */
export const responseTimeMs = (r: SentRequest<unknown>): number => r.doneAt - r.dueAt;

export interface OpenLoopOptions<T> {
  readonly ratePerSecond: number;
  readonly durationMs: number;
  /** Sends request `index`; must not reject (turn failures into an outcome). */
  readonly send: (index: number) => Promise<T>;
  /** @default realClock */
  readonly clock?: Clock;
  /** Called as each request is sent and as each answers, for progress lines. */
  readonly onSent?: (index: number) => void;
  readonly onDone?: (request: SentRequest<T>) => void;
}

/**
 * Sends request i at its due time (start + i / rate) without waiting for earlier ones, then waits for every answer.
 * A sender that wakes late sends everything already due at once, each with its own due time.
 */
export async function runOpenLoop<T>(options: OpenLoopOptions<T>): Promise<SentRequest<T>[]> {
  const clock = options.clock ?? realClock;
  const offsets = arrivalOffsets(options.ratePerSecond, options.durationMs);
  const start = clock.now();
  const pending: Promise<SentRequest<T>>[] = [];
  for (let index = 0; index < offsets.length; index++) {
    const dueAt = start + offsets[index];
    const wait = dueAt - clock.now();
    if (wait > 0) await clock.sleep(wait);
    pending.push(sendOne(index, dueAt, clock, options));
  }
  return Promise.all(pending);
}

async function sendOne<T>(index: number, dueAt: number, clock: Clock, options: Pick<OpenLoopOptions<T>, 'send' | 'onSent' | 'onDone'>): Promise<SentRequest<T>> {
  const sentAt = clock.now();
  options.onSent?.(index);
  const outcome = await options.send(index);
  const request = { index, dueAt, sentAt, doneAt: clock.now(), outcome };
  options.onDone?.(request);
  return request;
}

export interface ClosedLoopOptions<T> {
  /** Requests in flight at any time: one loop per connection. */
  readonly connections: number;
  readonly durationMs: number;
  /** Sends request `index`; must not reject. */
  readonly send: (index: number) => Promise<T>;
  /** @default realClock */
  readonly clock?: Clock;
  readonly onDone?: (request: SentRequest<T>) => void;
}

/** `connections` loops, each sending its next request as soon as the previous answered, until `durationMs` has passed. */
export async function runClosedLoop<T>(options: ClosedLoopOptions<T>): Promise<{ requests: SentRequest<T>[]; elapsedMs: number }> {
  if (!(Number.isInteger(options.connections) && options.connections > 0)) throw new Error(`connections is ${options.connections}: give a whole number, 1 or more`);
  const clock = options.clock ?? realClock;
  const start = clock.now();
  const end = start + options.durationMs;
  const requests: SentRequest<T>[] = [];
  let next = 0;
  const loop = async () => {
    while (clock.now() < end) {
      const index = next++;
      const sentAt = clock.now();
      const outcome = await options.send(index);
      const request = { index, dueAt: sentAt, sentAt, doneAt: clock.now(), outcome };
      requests.push(request);
      options.onDone?.(request);
    }
  };
  await Promise.all(Array.from({ length: options.connections }, loop));
  return { requests, elapsedMs: clock.now() - start };
}
