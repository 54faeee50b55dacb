/**
 * The local runtime's cap on the event source mappings' batches in flight at once, across every mapping: the machine's
 * share for background work, so that the front door (API requests, answered on the runtime's main thread) comes
 * first. On AWS the pollers and the functions they invoke scale apart from the APIs; on one machine they take the same
 * cores, and a backlog released at once (10 batches of 10 for one mapping) starved acceptance and outlasted the
 * workers' timeouts.
 *
 * - A batch takes a slot before it is taken from its source (an SQS poller before its receive, so what is not
 *   received stays visible in the queue; a Kinesis shard before its invocation, the records staying in the stream)
 *   and gives it back once delivered. Slots are handed out in the order they were asked for.
 * - The cap is `limit` (the machine's cores by default); while the front door lags (`FrontDoorSignal.busy`) it is
 *   `busyLimit` (1), so the backlog still drains, one batch at a time.
 * - The mappings' own limits (MaximumConcurrency, BatchSize, ParallelizationFactor, a shard's order) still hold: the
 *   budget only adds a local cap on top.
 */
import { availableParallelism } from 'node:os';
import type { MappingInvoker } from './mapping-invoker';

/** Whether the front door lags now, and a way to hear when that changes. */
export interface FrontDoorSignal {
  readonly busy: boolean;
  /** Calls `listener` whenever `busy` changes; returns the unsubscribe. */
  subscribe(listener: () => void): () => void;
}

export interface BackgroundBudgetOptions {
  /**
   * Most batches in flight at once, across every mapping.
   *
   * @default - the machine's cores (`os.availableParallelism()`)
   */
  readonly limit?: number;
  /**
   * When the front door lags.
   *
   * @default - never: the cap is always `limit`
   */
  readonly frontDoor?: FrontDoorSignal;
}

/** Gives a slot back; a second call does nothing. */
export type ReleaseSlot = () => void;

/** The budget closed while a batch waited for a slot (the mappings stop). */
export class BudgetClosedError extends Error {
  constructor() {
    super('the background budget is closed: the event source mappings are stopping');
    this.name = 'BudgetClosedError';
  }
}

/** While the front door lags, one batch at a time. */
const BUSY_LIMIT = 1;

interface Waiter {
  /** True: a slot is taken when it is granted (`acquire`); false: only room is waited for (`whenRoom`). */
  readonly reserve: boolean;
  readonly grant: () => void;
  readonly fail: (error: Error) => void;
}

export class BackgroundBudget {
  /** Most batches in flight while the front door does not lag. */
  readonly limit: number;
  private readonly frontDoor?: FrontDoorSignal;
  private readonly unsubscribe?: () => void;
  private readonly waiters: Waiter[] = [];
  private taken = 0;
  private closed = false;

  constructor(options: BackgroundBudgetOptions = {}) {
    const limit = options.limit ?? availableParallelism();
    if (!(limit >= 1)) throw new RangeError(`a background budget's limit is ${limit}: give 1 or more`);
    this.limit = limit;
    this.frontDoor = options.frontDoor;
    this.unsubscribe = options.frontDoor?.subscribe(() => this.grantWaiting());
  }

  /** Batches in flight now. */
  get inFlight(): number {
    return this.taken;
  }

  /** Batches waiting for a slot (or for room) now. */
  get waiting(): number {
    return this.waiters.length;
  }

  /** The cap now: `limit`, or 1 while the front door lags. */
  get currentLimit(): number {
    return this.frontDoor?.busy ? Math.min(BUSY_LIMIT, this.limit) : this.limit;
  }

  /** Waits for a slot and takes it. Rejects when `signal` aborts (with its reason) or the budget closes. */
  acquire(signal?: AbortSignal): Promise<ReleaseSlot> {
    return this.wait(true, signal).then(() => this.slot());
  }

  /**
   * Waits, in turn, until a slot is free, without taking it: for a poller whose queue was empty, which then
   * long-polls without holding a slot (holding one through the wait of an idle queue would keep it from the other
   * mappings) and `take`s one if it receives something. Rejects as `acquire` does.
   */
  whenRoom(signal?: AbortSignal): Promise<void> {
    return this.wait(false, signal);
  }

  /** Takes a slot now, even over the cap (for a batch already received after `whenRoom`). */
  take(): ReleaseSlot {
    this.taken++;
    return this.slot();
  }

  /** Rejects every waiter and every later wait with BudgetClosedError; slots taken can still be given back. */
  close(): void {
    if (this.closed) return;
    this.closed = true;
    this.unsubscribe?.();
    for (const waiter of this.waiters.splice(0)) waiter.fail(new BudgetClosedError());
  }

  /**
   * `invoker` with each invocation inside a slot: for the Kinesis shards, whose records wait in the stream. A waiting
   * invocation rejects with BudgetClosedError when the budget closes.
   */
  gate(invoker: MappingInvoker): MappingInvoker {
    return {
      describe: (ref) => invoker.describe(ref),
      invoke: async (ref, event) => {
        const release = await this.acquire();
        try {
          return await invoker.invoke(ref, event);
        } finally {
          release();
        }
      },
    };
  }

  private wait(reserve: boolean, signal?: AbortSignal): Promise<void> {
    if (this.closed) return Promise.reject(new BudgetClosedError());
    if (signal?.aborted) return Promise.reject(abortReason(signal));
    return new Promise<void>((resolve, reject) => {
      const onAbort = () => {
        const index = this.waiters.indexOf(waiter);
        if (index >= 0) this.waiters.splice(index, 1);
        reject(abortReason(signal));
      };
      const waiter: Waiter = {
        reserve,
        grant: () => {
          signal?.removeEventListener('abort', onAbort);
          resolve();
        },
        fail: (error) => {
          signal?.removeEventListener('abort', onAbort);
          reject(error);
        },
      };
      signal?.addEventListener('abort', onAbort, { once: true });
      this.waiters.push(waiter);
      this.grantWaiting();
    });
  }

  /** A release that gives the slot back once. */
  private slot(): ReleaseSlot {
    let released = false;
    return () => {
      if (released) return;
      released = true;
      this.taken--;
      this.grantWaiting();
    };
  }

  /** Grants waiters in order while there is room. */
  private grantWaiting(): void {
    while (this.waiters.length > 0 && this.taken < this.currentLimit) {
      const waiter = this.waiters.shift()!;
      if (waiter.reserve) this.taken++;
      waiter.grant();
    }
  }
}

function abortReason(signal: AbortSignal | undefined): Error {
  const reason: unknown = signal?.reason;
  return reason instanceof Error ? reason : new DOMException('The operation was aborted', 'AbortError');
}

/**
 * The budget's limit `LOCAL_BACKGROUND_CONCURRENCY` gives (a whole number, 1 or more), or undefined when it is unset
 * or empty.
 */
export function backgroundConcurrencyFromEnv(env: NodeJS.ProcessEnv): number | undefined {
  const text = env.LOCAL_BACKGROUND_CONCURRENCY;
  if (text === undefined || text.trim() === '') return undefined;
  const limit = Number(text);
  if (!Number.isInteger(limit) || limit < 1) throw new RangeError(`LOCAL_BACKGROUND_CONCURRENCY is '${text}': give a whole number of batches, 1 or more`);
  return limit;
}
