/**
 * The runtime's own Kinesis, in this process: a shard log (`shard-log.ts`) behind Kinesis's JSON API
 * (`kinesis-api.ts`). The edge hands it SDK requests as function calls, and the runtime's own clients (the shard
 * consumers, EventBridge's Kinesis targets) call its operations on JSON objects, with no HTTP and no serialization in
 * between. Answers come on the next turn of the event loop (`setImmediate`), as an answer over a socket would, so a
 * caller's loop always lets other work run.
 *
 * Its CPU time is the time its calls take on the thread that makes them (the runtime's main thread): they run to the
 * end without waiting for anything, so their duration is that thread's time spent in the shard log and its API (a
 * little more when the thread is preempted meanwhile). One thread's CPU clock (`process.threadCpuUsage`) would cost
 * more than a call and moves only in scheduler ticks.
 */
import type { EmulatorRequest, EmulatorResponse, JsonAnswer } from '../shared/emulator-client';
import { EmulatorRequestAbortedError } from '../shared/emulator-client';
import type { JsonObject } from '../shared/json';
import { KinesisApi, type KinesisApiAnswer } from './kinesis-api';
import { ShardLog, type ShardLogOptions } from './shard-log';
import type { StreamActivity } from './stream-activity';

export class InProcessKinesis {
  readonly log: ShardLog;
  private readonly api: KinesisApi;
  private busyMs = 0;

  /**
   * @param activity told of the puts that come through the edge (`send`); callers of `call` tell it of theirs
   */
  constructor(options: ShardLogOptions & { readonly activity?: StreamActivity }) {
    this.log = new ShardLog(options);
    this.api = new KinesisApi(this.log, options.activity);
  }

  /** CPU time (ms) the shard log and its API have taken so far. */
  cpuMs(): number {
    return this.busyMs;
  }

  /** One operation on JSON objects (what `EmulatorClient.call` does over HTTP); error answers are answers too. */
  call(operation: string, input: Readonly<Record<string, unknown>>, options: { readonly signal?: AbortSignal } = {}): Promise<JsonAnswer> {
    const { signal } = options;
    if (signal?.aborted) return Promise.reject(new EmulatorRequestAbortedError());
    const answer = this.measured(() => this.api.call(operation, input as JsonObject));
    return nextTurn(() => {
      if (signal?.aborted) throw new EmulatorRequestAbortedError();
      return { status: answer.status, headers: {}, body: answer.body };
    });
  }

  /** One HTTP-shaped request (an SDK request through the edge) and its HTTP-shaped answer. */
  send(request: Pick<EmulatorRequest, 'headers' | 'body'>): Promise<EmulatorResponse> {
    const response = this.measured(() => this.api.handle(request));
    return nextTurn(() => response);
  }

  /** Nothing to release: there is no connection. */
  close(): void {
    // nothing to close
  }

  private measured<T extends KinesisApiAnswer | EmulatorResponse>(work: () => T): T {
    const started = performance.now();
    try {
      return work();
    } finally {
      this.busyMs += performance.now() - started;
    }
  }
}

function nextTurn<T>(settle: () => T): Promise<T> {
  return new Promise((resolve, reject) => {
    setImmediate(() => {
      try {
        resolve(settle());
      } catch (error) {
        reject(error as Error);
      }
    });
  });
}
